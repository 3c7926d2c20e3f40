#include "meter-app-helper.h"

#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "apps/mqtt-meter-app.h"

#include "ns3/uinteger.h"

namespace ns3
{

MeterAppHelper::MeterAppHelper(const Address& server, TypeId type)
{
    m_factory.SetTypeId(type);
    m_factory.Set("Server", AddressValue(server));
}

void
MeterAppHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
MeterAppHelper::Install(NodeContainer nodes) const
{
    ApplicationContainer apps;
    uint32_t index = 0;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it, ++index)
    {
        Ptr<Application> app = m_factory.Create<Application>();
        app->SetAttribute("DeviceIndex", UintegerValue(index));
        (*it)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

int64_t
MeterAppHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        if (Ptr<MeterApp> app = DynamicCast<MeterApp>(*it))
        {
            used += app->AssignStreams(stream + used);
        }
        else if (Ptr<MqttMeterApp> mqttApp = DynamicCast<MqttMeterApp>(*it))
        {
            used += mqttApp->AssignStreams(stream + used);
        }
    }
    return used;
}

CoapServerAppHelper::CoapServerAppHelper(uint16_t port)
{
    m_factory.SetTypeId(CoapServerApp::GetTypeId());
    m_factory.Set("Port", UintegerValue(port));
}

void
CoapServerAppHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
CoapServerAppHelper::Install(NodeContainer nodes) const
{
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<CoapServerApp> app = m_factory.Create<CoapServerApp>();
        (*it)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

int64_t
CoapServerAppHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        if (Ptr<CoapServerApp> app = DynamicCast<CoapServerApp>(*it))
        {
            used += app->AssignStreams(stream + used);
        }
    }
    return used;
}

} // namespace ns3
