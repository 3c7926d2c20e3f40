// security.profile=tls13-mqtt: tls-mqtt with TLS 1.3 (the project's core, protocols/tls13/)
// instead of TLS 1.2: the same MQTT client and broker over the same ns-3 TCP driver, the same
// keys; an external PSK per device in psk_dhe_ke with X25519, or the server's certificate
// (tls.authentication), and AES-128-CCM-8 records.
#include "apps/mqtt-meter-app.h"
#include "tls-mqtt-profile.h"
#include "tls-provisioning.h"

#include <memory>

namespace ns3
{

namespace
{

class Tls13MqttProfile : public TlsMqttProfile
{
  public:
    std::string GetName() const override
    {
        return "tls13-mqtt";
    }

    std::string GetHelp() const override
    {
        return "tls-mqtt with TLS 1.3 (RFC 8446, the project's core): each report is an MQTT "
               "3.1.1 PUBLISH over TLS 1.3 over TCP to the broker (port 8883); "
               "TLS_AES_128_CCM_8_SHA256 records, X25519, and an external PSK per device "
               "(psk_dhe_ke) or the server's ECDSA P-256 certificate (tls.authentication).";
    }

    /// tls-mqtt's TCP buffers and broker state, without its two mbedTLS sessions' record
    /// buffers (~37 kB each, docs/tls.md): the TLS 1.3 core keeps a few kB per connection.
    /// An estimate, not yet fitted to measured runs.
    double GetDeviceMemoryKiB() const override
    {
        return 48;
    }

    void Provision(const ScenarioConfig& c, const ProfileApps& apps) const override
    {
        ProvisionTls13Mqtt(c, apps.meters, DynamicCast<MqttBrokerApp>(apps.server.Get(0)));
    }
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeTls13MqttProfile()
{
    return std::make_unique<Tls13MqttProfile>();
}

} // namespace ns3
