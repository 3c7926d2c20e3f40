// security.profile=tls-mqtt: no CoAP; each report is an MQTT 3.1.1 PUBLISH over TLS 1.2 over TCP
// to a broker at the server, on a long-lived connection.
#include "tls-mqtt-profile.h"

#include "apps/mqtt-broker-app.h"
#include "apps/mqtt-meter-app.h"
#include "meter-app-helper.h"
#include "protocols/mqtt/mqtt-topic.h"
#include "stats/message-ledger.h"
#include "tls-provisioning.h"

#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <memory>

namespace ns3
{

std::string
TlsMqttProfile::GetName() const
{
    return "tls-mqtt";
}

std::string
TlsMqttProfile::GetHelp() const
{
    return "no CoAP; each report is an MQTT 3.1.1 PUBLISH over TLS 1.2 over TCP to a broker "
           "at the server (port 8883), on a long-lived connection (see mqtt.*, tls.*, tcp.*).";
}

uint16_t
TlsMqttProfile::GetServerPort() const
{
    return MqttBrokerApp::kSecureMqttPort;
}

void
TlsMqttProfile::ValidateRelations(const ScenarioConfig& c) const
{
    if (c.GetInteger("traffic.payload_bytes") < 4)
    {
        c.Fail("traffic.payload_bytes",
               "must be at least 4 with security.profile=" + GetName()
                   + " (the broker side recognises a report by its 4-byte sequence number)");
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

ApplicationContainer
TlsMqttProfile::InstallServer(const ProfileRunContext& run, Ptr<Node> node,
                              std::optional<Ipv4Address> address) const
{
    Ptr<MqttBrokerApp> broker = CreateObject<MqttBrokerApp>();
    broker->SetAttribute("Ledger", PointerValue(run.ledger));
    node->AddApplication(broker);
    return ApplicationContainer(broker);
}

TypeId
TlsMqttProfile::GetDeviceType() const
{
    return MqttMeterApp::GetTypeId();
}

void
TlsMqttProfile::ConfigureDevices(const ProfileRunContext& run, MeterAppHelper& helper) const
{
    const ScenarioConfig& c = run.config;
    helper.SetAttribute("Qos", UintegerValue(c.GetInteger("mqtt.qos")));
    helper.SetAttribute("KeepAlive", TimeValue(Seconds(c.GetInteger("mqtt.keep_alive_s"))));
    helper.SetAttribute("Topic", StringValue(c.GetText("mqtt.topic")));
    helper.SetAttribute("ReconnectDelay", TimeValue(Seconds(c.GetReal("mqtt.reconnect_delay_s"))));
    helper.SetAttribute("SegmentSize", UintegerValue(c.GetInteger("tcp.segment_size")));
}

void
TlsMqttProfile::Provision(const ScenarioConfig& c, const ProfileApps& apps) const
{
    ProvisionTlsMqtt(c, apps.meters, DynamicCast<MqttBrokerApp>(apps.server.Get(0)));
}

int64_t
TlsMqttProfile::AssignServerStreams(ApplicationContainer server, int64_t stream) const
{
    return 0; // the broker draws nothing
}

void
TlsMqttProfile::CollectFigures(const ProfileApps& apps, RunFigures& figures) const
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

std::unique_ptr<SecurityProfile>
MakeTlsMqttProfile()
{
    return std::make_unique<TlsMqttProfile>();
}

} // namespace ns3
