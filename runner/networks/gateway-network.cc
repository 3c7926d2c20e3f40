#include "gateway-network.h"

#include "meter-app-helper.h"
#include "net/outage-error-model.h"

#include "ns3/core-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

namespace ns3
{

void
GatewayNetwork::Build()
{
    const ScenarioConfig& c = m_config;
    m_server = CreateObject<Node>();
    m_gateway = CreateObject<Node>();
    m_devices.Create(static_cast<uint32_t>(c.GetInteger("devices.count")));
    InstallRadio(m_gateway, m_devices);

    PointToPointHelper backhaul;
    backhaul.SetDeviceAttribute(
        "DataRate", DataRateValue(DataRate(static_cast<uint64_t>(c.GetReal("backhaul.rate_bps")))));
    backhaul.SetChannelAttribute("Delay", TimeValue(Seconds(c.GetReal("backhaul.delay_s"))));
    m_backhaulDevices = backhaul.Install(m_gateway, m_server);
    const NetDeviceContainer& backhaulDevices = m_backhaulDevices;

    // Static routing only: global routing would compute routes over every device (O(n^2)).
    InternetStackHelper stack;
    Ipv4StaticRoutingHelper staticRouting;
    stack.SetRoutingHelper(staticRouting);
    stack.Install(m_server);
    stack.Install(m_gateway);
    stack.Install(m_devices);

    Ipv4AddressHelper backhaulAddresses("10.255.0.0", "255.255.255.252");
    m_backhaulIfs = backhaulAddresses.Assign(backhaulDevices);
    AssignRadioAddresses();
    Ptr<Ipv4> serverIp = m_server->GetObject<Ipv4>();
    m_serverInterface = serverIp->GetInterfaceForDevice(backhaulDevices.Get(1));
    staticRouting.GetStaticRouting(serverIp)->SetDefaultRoute(m_backhaulIfs.GetAddress(0),
                                                              m_serverInterface);
}

void
GatewayNetwork::AddBackhaulOutage(Time start, Time duration)
{
    // Both ends drop what they receive while the link is down: both directions are cut.
    for (uint32_t i = 0; i < m_backhaulDevices.GetN(); ++i)
    {
        Ptr<NetDevice> device = m_backhaulDevices.Get(i);
        PointerValue current;
        device->GetAttribute("ReceiveErrorModel", current);
        Ptr<OutageErrorModel> outage = current.Get<OutageErrorModel>();
        if (!outage)
        {
            outage = CreateObject<OutageErrorModel>();
            device->SetAttribute("ReceiveErrorModel", PointerValue(outage));
        }
        outage->AddOutage(start, duration);
    }
}

void
GatewayNetwork::ConfigureDevices(MeterAppHelper& meters) const
{
    meters.SetAttribute("NatBindingTimeout",
                        TimeValue(Seconds(m_config.GetReal("link.nat_binding_timeout_s"))));
}

void
GatewayNetwork::CaptureTraces(RawIpPcapHelper& pcap, const std::string& outDir)
{
    if (!m_config.GetBoolean("trace.pcap"))
    {
        return;
    }
    // Raw-IP captures (DLT_RAW): what the gateway's radio device sends and receives, and what
    // the server's IPv4 stack sends and receives.
    pcap.CaptureDeviceSniffer(outDir + "/gateway-air.pcap", GetAirDevice());
    pcap.CaptureIpv4Interface(outDir + "/server.pcap", m_server->GetObject<Ipv4>(),
                              m_serverInterface);
}

double
GatewayNetwork::GetPathDrainS() const
{
    return 2 * m_config.GetReal("link.delay_s");
}

} // namespace ns3
