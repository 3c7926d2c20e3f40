/*
 * CoAP over DTLS 1.3 (RFC 9147), written in this project on its TLS 1.3 core
 * (protocols/tls13/dtls13-*): what the dtls13-* profiles share. They run like the DTLS 1.2
 * profiles (the same applications, through tls::DatagramSessionTransport, the same dtls.* timer
 * and MTU keys and the same handshake figures), with connection IDs when
 * dtls13.connection_id: a device behind a NAT that forgot its binding keeps its session.
 * End to end only: a topology's terminating proxies speak DTLS 1.2.
 */
#ifndef LPWAN_DTLS13_PROFILE_H
#define LPWAN_DTLS13_PROFILE_H

#include "dtls-profile.h"

namespace ns3
{

class Dtls13Profile : public DtlsProfile
{
  public:
    /// psk: an external PSK per device (psk_ke); else raw public keys with P-256 ECDHE.
    explicit Dtls13Profile(bool psk)
      : DtlsProfile(psk)
      , m_psk13(psk)
    {
    }

    /// No proxy relays its DTLS hop by hop (it runs on no topology), so hop-by-hop
    /// architectures do not list it.
    bool ProtectsHops() const override
    {
        return false;
    }
    /// The star slope (runner/memory-estimate.cc's command, N = 1,000 and 4,000): 65.9 and
    /// 173.0 MiB (36.6 KiB a device) with a PSK, 68.0 and 140.1 MiB (24.6) with raw public
    /// keys; no mbedTLS record buffers, so well below DTLS 1.2's.
    double GetDeviceMemoryKiB() const override
    {
        return 40;
    }
    bool RunsOnTopology(std::string* why) const override;
    void ValidateRelations(const ScenarioConfig& c) const override;
    void Provision(const ScenarioConfig& c, const ProfileApps& apps) const override;

  private:
    bool m_psk13;
};

} // namespace ns3

#endif // LPWAN_DTLS13_PROFILE_H
