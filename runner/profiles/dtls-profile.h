/*
 * CoAP over DTLS 1.2 (RFC 7252 section 9): what the DTLS profiles share. A profile of this
 * family chooses its credentials (a pre-shared key or certificates per device); on a topology
 * every transport hop of a flow is a DTLS client and server pair (topology-provisioning.h).
 */
#ifndef LPWAN_DTLS_PROFILE_H
#define LPWAN_DTLS_PROFILE_H

#include "security-profile.h"

namespace ns3
{

class DtlsProfile : public SecurityProfile
{
  public:
    /// psk: TLS_PSK_WITH_AES_128_CCM_8 with a key per device; else
    /// TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 with P-256 certificates on both sides.
    explicit DtlsProfile(bool psk)
      : m_psk(psk)
    {
    }

    bool ProtectsHops() const override
    {
        return true;
    }

    /// Each DTLS session, device and server side, keeps mbedTLS's record buffers.
    double GetDeviceMemoryKiB() const override
    {
        return 90;
    }

    uint16_t GetServerPort() const override;
    void Provision(const ScenarioConfig& c, const ProfileApps& apps) const override;
    /// A report may first wait for a handshake, which gives up after its maximum timeout.
    double GetHandshakeAllowanceS(const ScenarioConfig& c,
                                  const lpwan::coap::TransmissionParameters& coap) const override;
    void CollectFigures(const ProfileApps& apps, RunFigures& figures) const override;

  private:
    bool m_psk;
};

} // namespace ns3

#endif // LPWAN_DTLS_PROFILE_H
