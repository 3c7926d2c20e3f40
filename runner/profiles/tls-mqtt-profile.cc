// security.profile=tls-mqtt: no CoAP; each report is an MQTT 3.1.1 PUBLISH over TLS 1.2 over TCP
// to a broker at the server, on a long-lived connection.
#include "apps/mqtt-broker-app.h"
#include "apps/mqtt-meter-app.h"
#include "meter-app-helper.h"
#include "protocols/mqtt/mqtt-topic.h"
#include "security-profile.h"
#include "stats/message-ledger.h"
#include "tls-handshake-pricing.h"
#include "tls-provisioning.h"

#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <memory>

namespace ns3
{

namespace
{

class TlsMqttProfile : public SecurityProfile
{
  public:
    std::string GetName() const override
    {
        return "tls-mqtt";
    }

    std::string GetHelp() const override
    {
        return "no CoAP; each report is an MQTT 3.1.1 PUBLISH over TLS 1.2 over TCP to a broker "
               "at the server (port 8883), on a long-lived connection (see mqtt.*, tls.*, tcp.*).";
    }

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

    uint16_t GetServerPort() const override
    {
        return MqttBrokerApp::kSecureMqttPort;
    }

    void ValidateRelations(const ScenarioConfig& c) const override
    {
        if (c.GetInteger("traffic.payload_bytes") < 4)
        {
            c.Fail("traffic.payload_bytes",
                   "must be at least 4 with security.profile=tls-mqtt (the broker side "
                   "recognises a report by its 4-byte sequence number)");
        }
        std::string topic = c.GetText("mqtt.topic");
        for (size_t at; (at = topic.find("{device}")) != std::string::npos;)
        {
            topic.replace(at, 8, "0");
        }
        std::string why;
        if (!lpwan::mqtt::IsValidTopicName(topic, &why))
        {
            c.Fail("mqtt.topic", "not a valid MQTT topic name: " + why);
        }
    }

    ApplicationContainer InstallServer(const ProfileRunContext& run, Ptr<Node> node,
                                       std::optional<Ipv4Address> address) const override
    {
        Ptr<MqttBrokerApp> broker = CreateObject<MqttBrokerApp>();
        broker->SetAttribute("Ledger", PointerValue(run.ledger));
        node->AddApplication(broker);
        return ApplicationContainer(broker);
    }

    TypeId GetDeviceType() const override
    {
        return MqttMeterApp::GetTypeId();
    }

    void ConfigureDevices(const ProfileRunContext& run, MeterAppHelper& helper) const override
    {
        const ScenarioConfig& c = run.config;
        helper.SetAttribute("Qos", UintegerValue(c.GetInteger("mqtt.qos")));
        helper.SetAttribute("KeepAlive", TimeValue(Seconds(c.GetInteger("mqtt.keep_alive_s"))));
        helper.SetAttribute("Topic", StringValue(c.GetText("mqtt.topic")));
        helper.SetAttribute("ReconnectDelay",
                            TimeValue(Seconds(c.GetReal("mqtt.reconnect_delay_s"))));
        helper.SetAttribute("SegmentSize", UintegerValue(c.GetInteger("tcp.segment_size")));
    }

    void Provision(const ScenarioConfig& c, const ProfileApps& apps) const override
    {
        ProvisionTlsMqtt(c, apps.meters, DynamicCast<MqttBrokerApp>(apps.server.Get(0)));
    }

    int64_t AssignServerStreams(ApplicationContainer server, int64_t stream) const override
    {
        return 0; // the broker draws nothing
    }

    /// An MQTT report may wait for TCP's connection attempts (ns-3: 6 SYN retries from 3 s).
    double GetHandshakeAllowanceS(const ScenarioConfig& c,
                                  const lpwan::coap::TransmissionParameters& coap) const override
    {
        return 400;
    }

    void CollectFigures(const ProfileApps& apps, RunFigures& figures) const override
    {
        figures.handshakes = true;
        figures.handshakeProtocol = "tls";
        figures.mqtt = true;
        for (auto it = apps.meters.Begin(); it != apps.meters.End(); ++it)
        {
            Ptr<MqttMeterApp> meter = DynamicCast<MqttMeterApp>(*it);
            meter->FinishFigures();
            figures.deviceHandshakes += meter->GetHandshakeFigures();
            figures.natRebindings += meter->GetNatRebindings();
            figures.mqttConnections += meter->GetConnectionsOpened();
            if (const lpwan::mqtt::ClientCounters* counters = meter->GetMqttCounters())
            {
                figures.mqttDevices += *counters;
            }
        }
        Ptr<MqttBrokerApp> broker = DynamicCast<MqttBrokerApp>(apps.server.Get(0));
        broker->FinishFigures();
        figures.serverHandshakes = broker->GetHandshakeFigures();
        figures.mqttBroker = broker->GetBrokerCounters();
    }

    CryptoOps GetDeviceCryptoOps(const ScenarioConfig& c, Ptr<Application> app) const override
    {
        Ptr<MqttMeterApp> meter = DynamicCast<MqttMeterApp>(app);
        meter->FinishFigures();
        CryptoOps ops;
        // TLS records carry no MessageTag for the per-packet counter: price the AES-CCM of the
        // MQTT stream as a whole (every byte written and read once).
        if (const lpwan::mqtt::ClientCounters* m = meter->GetMqttCounters())
        {
            ops.aesBlocks = CryptoOps::CcmBlocks(m->bytesSent + m->bytesReceived, 13);
        }
        ops += PriceTlsHandshakes(meter->GetHandshakeFigures(),
                                  c.GetText("tls.authentication") == "certificates");
        return ops;
    }
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeTlsMqttProfile()
{
    return std::make_unique<TlsMqttProfile>();
}

} // namespace ns3
