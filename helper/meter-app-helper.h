/*
 * Installs MeterApp (devices) and CoapServerApp (the platform) on nodes, ns-3 style.
 */
#ifndef LPWAN_METER_APP_HELPER_H
#define LPWAN_METER_APP_HELPER_H

#include "apps/meter-app.h"

#include "ns3/address.h"
#include "ns3/application-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

namespace ns3
{

class MeterAppHelper
{
  public:
    /// server: the server's InetSocketAddress. type: MeterApp (CoAP) or MqttMeterApp.
    explicit MeterAppHelper(const Address& server, TypeId type = MeterApp::GetTypeId());
    void SetAttribute(const std::string& name, const AttributeValue& value);
    /// One meter per node; each gets DeviceIndex = its position in nodes.
    ApplicationContainer Install(NodeContainer nodes) const;
    /// Assigns fixed random streams to the apps; returns the number of streams used.
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

  private:
    ObjectFactory m_factory;
};

class CoapServerAppHelper
{
  public:
    explicit CoapServerAppHelper(uint16_t port = 5683);
    void SetAttribute(const std::string& name, const AttributeValue& value);
    ApplicationContainer Install(NodeContainer nodes) const;
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

  private:
    ObjectFactory m_factory;
};

} // namespace ns3

#endif // LPWAN_METER_APP_HELPER_H
