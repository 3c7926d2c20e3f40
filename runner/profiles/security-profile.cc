#include "security-profile.h"

#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "meter-app-helper.h"
#include "stats/message-ledger.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

// The CoAP defaults every CoAP profile shares: the CoAP server and the CoAP meter with the
// scenario's coap.*, server.* and traffic.* keys.

ApplicationContainer
SecurityProfile::InstallServer(const ProfileRunContext& run, Ptr<Node> node,
                               std::optional<Ipv4Address> address) const
{
    const ScenarioConfig& c = run.config;
    CoapServerAppHelper serverHelper(GetServerPort());
    serverHelper.SetAttribute("ResponsePayloadSize",
                              UintegerValue(c.GetInteger("server.response_payload_bytes")));
    serverHelper.SetAttribute("ProcessingDelay",
                              TimeValue(Seconds(c.GetReal("server.processing_delay_s"))));
    serverHelper.SetAttribute("AckTimeout", TimeValue(Seconds(run.coap.ackTimeoutS)));
    serverHelper.SetAttribute("AckRandomFactor", DoubleValue(run.coap.ackRandomFactor));
    serverHelper.SetAttribute("MaxRetransmit", UintegerValue(run.coap.maxRetransmit));
    serverHelper.SetAttribute("Ledger", PointerValue(run.ledger));
    if (address)
    {
        serverHelper.SetAttribute("Address", Ipv4AddressValue(*address));
    }
    return serverHelper.Install(node);
}

TypeId
SecurityProfile::GetDeviceType() const
{
    return MeterApp::GetTypeId();
}

void
SecurityProfile::ConfigureDevices(const ProfileRunContext& run, MeterAppHelper& helper) const
{
    const ScenarioConfig& c = run.config;
    helper.SetAttribute("Confirmable", BooleanValue(c.GetText("traffic.type") == "con"));
    helper.SetAttribute("UriPath", StringValue(c.GetText("traffic.uri_path")));
    helper.SetAttribute("AckTimeout", TimeValue(Seconds(run.coap.ackTimeoutS)));
    helper.SetAttribute("AckRandomFactor", DoubleValue(run.coap.ackRandomFactor));
    helper.SetAttribute("MaxRetransmit", UintegerValue(run.coap.maxRetransmit));
    helper.SetAttribute("Nstart", UintegerValue(run.coap.nstart));
}

int64_t
SecurityProfile::AssignServerStreams(ApplicationContainer server, int64_t stream) const
{
    return CoapServerAppHelper::AssignStreams(server, stream);
}

} // namespace ns3
