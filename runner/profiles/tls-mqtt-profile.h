/*
 * MQTT 3.1.1 over TLS over TCP: what the tls-mqtt (TLS 1.2) and tls13-mqtt (TLS 1.3) profiles
 * share. No CoAP; each report is a PUBLISH to a broker at the server (port 8883) on a long-lived
 * connection, with the same mqtt.*, tls.* and tcp.* keys. A profile of this family says which
 * TLS it provisions, how much memory a device costs and how its crypto is priced.
 */
#ifndef LPWAN_TLS_MQTT_PROFILE_H
#define LPWAN_TLS_MQTT_PROFILE_H

#include "security-profile.h"

namespace ns3
{

class TlsMqttProfile : public SecurityProfile
{
  public:
    std::string GetName() const override;
    std::string GetHelp() const override;

    /// TLS from the device to the broker: on a topology, the one transport hop.
    bool ProtectsHops() const override
    {
        return true;
    }

    bool RunsOverCoap() const override
    {
        return false;
    }

    /// A TCP connection per device (ns-3's socket buffers on both ends), a TLS session on
    /// each end and the broker's per-client state.
    double GetDeviceMemoryKiB() const override
    {
        return 112;
    }

    uint16_t GetServerPort() const override;
    void ValidateRelations(const ScenarioConfig& c) const override;
    ApplicationContainer InstallServer(const ProfileRunContext& run, Ptr<Node> node,
                                       std::optional<Ipv4Address> address) const override;
    TypeId GetDeviceType() const override;
    void ConfigureDevices(const ProfileRunContext& run, MeterAppHelper& helper) const override;
    /// TLS 1.2 credentials (tls-provisioning.h).
    void Provision(const ScenarioConfig& c, const ProfileApps& apps) const override;
    int64_t AssignServerStreams(ApplicationContainer server, int64_t stream) const override;

    /// An MQTT report may wait for TCP's connection attempts (ns-3: 6 SYN retries from 3 s).
    double GetHandshakeAllowanceS(const ScenarioConfig& c,
                                  const lpwan::coap::TransmissionParameters& coap) const override
    {
        return 400;
    }

    void CollectFigures(const ProfileApps& apps, RunFigures& figures) const override;
};

} // namespace ns3

#endif // LPWAN_TLS_MQTT_PROFILE_H
