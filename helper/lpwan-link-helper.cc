#include "lpwan-link-helper.h"

#include "ns3/abort.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/names.h"

#include <unordered_set>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LpwanLinkHelper");

LpwanLinkHelper::LpwanLinkHelper()
{
    m_channelFactory.SetTypeId("ns3::LpwanChannel");
    m_deviceFactory.SetTypeId("ns3::LpwanNetDevice");
}

void
LpwanLinkHelper::SetChannelAttribute(std::string name, const AttributeValue& value)
{
    m_channelFactory.Set(name, value);
}

void
LpwanLinkHelper::SetDeviceAttribute(std::string name, const AttributeValue& value)
{
    m_deviceFactory.Set(name, value);
}

NetDeviceContainer
LpwanLinkHelper::Install(Ptr<Node> gateway, NodeContainer stations)
{
    NS_LOG_FUNCTION(this << gateway << stations.GetN());
    NS_ABORT_MSG_UNLESS(gateway, "LpwanLinkHelper::Install: null gateway node");
    Ptr<LpwanChannel> channel = m_channelFactory.Create<LpwanChannel>();
    NetDeviceContainer devices;

    Ptr<LpwanNetDevice> gw = m_deviceFactory.Create<LpwanNetDevice>();
    gw->SetRole(LpwanNetDevice::GATEWAY);
    gateway->AddDevice(gw);
    gw->Attach(channel);
    devices.Add(gw);

    for (auto it = stations.Begin(); it != stations.End(); ++it)
    {
        Ptr<LpwanNetDevice> dev = m_deviceFactory.Create<LpwanNetDevice>();
        dev->SetRole(LpwanNetDevice::STATION);
        (*it)->AddDevice(dev);
        dev->Attach(channel);
        devices.Add(dev);
    }
    return devices;
}

Ipv4InterfaceContainer
LpwanLinkHelper::AssignIpv4(NetDeviceContainer devices, Ipv4Address network, Ipv4Mask mask)
{
    NS_LOG_FUNCTION(this << devices.GetN() << network << mask);
    const uint32_t net = network.Get() & mask.Get();
    const uint32_t hostMask = ~mask.Get();
    std::vector<Ptr<LpwanNetDevice>> lpwan;
    lpwan.reserve(devices.GetN());
    for (auto it = devices.Begin(); it != devices.End(); ++it)
    {
        Ptr<LpwanNetDevice> dev = DynamicCast<LpwanNetDevice>(*it);
        NS_ABORT_MSG_UNLESS(dev && dev->GetLpwanChannel() && dev->GetNode(),
                            "LpwanLinkHelper::AssignIpv4: not an installed LpwanNetDevice");
        lpwan.push_back(dev);
    }

    auto addInterface = [&mask](Ptr<LpwanNetDevice> dev, Ipv4Address address)
    {
        Ptr<Ipv4> ipv4 = dev->GetNode()->GetObject<Ipv4>();
        NS_ABORT_MSG_UNLESS(ipv4, "LpwanLinkHelper::AssignIpv4: node " << dev->GetNode()->GetId()
                                                                       << " has no Internet stack");
        int32_t interface = ipv4->GetInterfaceForDevice(dev);
        if (interface == -1)
        {
            interface = ipv4->AddInterface(dev);
        }
        ipv4->AddAddress(interface, Ipv4InterfaceAddress(address, mask));
        ipv4->SetMetric(interface, 1);
        ipv4->SetUp(interface);
        return std::make_pair(ipv4, static_cast<uint32_t>(interface));
    };

    // Host number 1 is the gateway's, stations take 2, 3, ... (0 is the network, hostMask the
    // broadcast address). The gateway goes first: the stations' routes need its address.
    uint64_t nStations = 0;
    std::vector<std::pair<Ptr<Ipv4>, uint32_t>> interfaces(lpwan.size());
    for (std::size_t i = 0; i < lpwan.size(); ++i)
    {
        if (lpwan[i]->IsGateway())
        {
            interfaces[i] = addInterface(lpwan[i], Ipv4Address(net + 1));
        }
        else
        {
            ++nStations;
        }
    }
    NS_ABORT_MSG_IF(nStations + 2 > static_cast<uint64_t>(hostMask),
                    "LpwanLinkHelper::AssignIpv4: " << nStations << " stations do not fit in "
                                                    << network << mask);
    uint32_t host = 2;
    for (std::size_t i = 0; i < lpwan.size(); ++i)
    {
        Ptr<LpwanNetDevice> dev = lpwan[i];
        if (dev->IsGateway())
        {
            continue;
        }
        Ipv4Address address(net + host++);
        interfaces[i] = addInterface(dev, address);
        Ptr<LpwanChannel> channel = dev->GetLpwanChannel();
        channel->AddStationAddress(address, dev);

        // Default route to the gateway's address on this link.
        Ptr<LpwanNetDevice> gw = channel->GetGateway();
        NS_ABORT_MSG_UNLESS(gw, "LpwanLinkHelper::AssignIpv4: the channel has no gateway");
        Ptr<Ipv4> gwIpv4 = gw->GetNode()->GetObject<Ipv4>();
        int32_t gwInterface = gwIpv4 ? gwIpv4->GetInterfaceForDevice(gw) : -1;
        NS_ABORT_MSG_IF(gwInterface == -1 || gwIpv4->GetNAddresses(gwInterface) == 0,
                        "LpwanLinkHelper::AssignIpv4: the gateway has no IPv4 address");
        Ipv4Address gwAddress = gwIpv4->GetAddress(gwInterface, 0).GetLocal();
        Ipv4StaticRoutingHelper routingHelper;
        Ptr<Ipv4StaticRouting> routing = routingHelper.GetStaticRouting(interfaces[i].first);
        NS_ABORT_MSG_UNLESS(routing, "LpwanLinkHelper::AssignIpv4: station node "
                                         << dev->GetNode()->GetId() << " has no Ipv4StaticRouting");
        routing->SetDefaultRoute(gwAddress, interfaces[i].second);
    }

    Ipv4InterfaceContainer container;
    for (const auto& entry : interfaces)
    {
        container.Add(entry.first, entry.second);
    }
    return container;
}

int64_t
LpwanLinkHelper::AssignStreams(NetDeviceContainer devices, int64_t stream)
{
    NS_LOG_FUNCTION(this << devices.GetN() << stream);
    int64_t current = stream;
    std::unordered_set<LpwanChannel*> channels;
    for (auto it = devices.Begin(); it != devices.End(); ++it)
    {
        Ptr<LpwanNetDevice> dev = DynamicCast<LpwanNetDevice>(*it);
        if (!dev)
        {
            continue;
        }
        Ptr<LpwanChannel> channel = dev->GetLpwanChannel();
        if (channel && channels.insert(PeekPointer(channel)).second)
        {
            current += channel->AssignStreams(current);
        }
        current += dev->AssignStreams(current);
    }
    return current - stream;
}

void
LpwanLinkHelper::EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                                    bool explicitFilename)
{
    Ptr<LpwanNetDevice> device = nd->GetObject<LpwanNetDevice>();
    if (!device)
    {
        NS_LOG_INFO("LpwanLinkHelper::EnablePcapInternal: device " << nd
                                                                   << " is not an LpwanNetDevice");
        return;
    }
    PcapHelper pcapHelper;
    std::string filename
        = explicitFilename ? prefix : pcapHelper.GetFilenameFromDevice(prefix, device);
    // The sniffers see IPv4 packets without the LPWAN header and trailer: raw IP link type.
    Ptr<PcapFileWrapper> file = pcapHelper.CreateFile(filename, std::ios::out, PcapHelper::DLT_RAW);
    pcapHelper.HookDefaultSink<LpwanNetDevice>(device, promiscuous ? "PromiscSniffer" : "Sniffer",
                                               file);
}

} // namespace ns3
