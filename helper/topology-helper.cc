#include "topology-helper.h"

#include "lpwan-link-helper.h"
#include "nbiot-helper.h"

#include "ns3/abort.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/error-model.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-list-routing-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

using namespace topology;

TopologyHelper::TopologyHelper(const Topology& topology, const TopologyLinkDefaults& defaults,
                               const TopologyCellParams& cells)
  : m_topology(topology)
  , m_defaults(defaults)
  , m_cellParams(cells)
{
}

Ptr<NbIotUeNetDevice>
TopologyHelper::GetUe(Vertex device) const
{
    auto it = m_ues.find(device);
    return it == m_ues.end() ? nullptr : it->second;
}

NodeContainer
TopologyHelper::GetDeviceNodes() const
{
    NodeContainer c;
    for (Vertex d : m_topology.GetDevices())
    {
        c.Add(m_nodes[d]);
    }
    return c;
}

Vertex
TopologyHelper::GetVertex(Ptr<Node> node) const
{
    return m_vertexOfNode.at(node->GetId());
}

const LinkParams&
TopologyHelper::ChannelOf(Edge radio) const
{
    const Graph& g = m_topology.GetGraph();
    Vertex hub = IsHub(g[boost::source(radio, g)].role) ? boost::source(radio, g)
                                                        : boost::target(radio, g);
    return m_channels.at(hub);
}

double
TopologyHelper::GetDelay(Edge e) const
{
    const LinkSpec& l = m_topology.GetLink(e);
    if (IsRadio(l.kind))
    {
        return ChannelOf(e).delayS.value_or(m_defaults.radioDelayS);
    }
    return l.params.delayS.value_or(m_defaults.p2pDelayS);
}

double
TopologyHelper::GetNatBindingTimeout(Edge e) const
{
    const LinkSpec& l = m_topology.GetLink(e);
    if (IsRadio(l.kind))
    {
        return ChannelOf(e).natBindingTimeoutS.value_or(m_defaults.natBindingTimeoutS);
    }
    return l.params.natBindingTimeoutS.value_or(0);
}

void
TopologyHelper::Install()
{
    NS_ABORT_MSG_IF(!m_nodes.empty(), "TopologyHelper::Install called twice");
    const Graph& g = m_topology.GetGraph();
    const size_t n = boost::num_vertices(g);
    m_routes = std::make_unique<RouteTree>(m_topology);
    m_nodes.resize(n);
    m_addresses.resize(n);
    for (Vertex v = 0; v < n; ++v)
    {
        m_nodes[v] = CreateObject<Node>();
        m_vertexOfNode[m_nodes[v]->GetId()] = v;
    }

    // Static routing everywhere (global routing over an LPWAN star costs O(n^2)); the
    // infrastructure's behind a list, so a tap can go in front of it later.
    Ipv4StaticRoutingHelper staticRouting;
    Ipv4ListRoutingHelper listRouting;
    listRouting.Add(staticRouting, 0);
    InternetStackHelper deviceStack;
    deviceStack.SetRoutingHelper(staticRouting);
    InternetStackHelper infrastructureStack;
    infrastructureStack.SetRoutingHelper(listRouting);
    for (Vertex v = 0; v < n; ++v)
    {
        (g[v].role == Role::Device ? deviceStack : infrastructureStack).Install(m_nodes[v]);
    }

    BuildCells();
    BuildP2pLinks();

    // Each node's reachable address: on its link towards the server.
    for (Vertex v = 0; v < n; ++v)
    {
        if (std::optional<Vertex> parent = m_routes->GetParent(v))
        {
            m_addresses[v] = SideOf(v, *parent).address;
        }
        else
        {
            Ptr<Ipv4> ipv4 = m_nodes[v]->GetObject<Ipv4>();
            if (ipv4->GetNInterfaces() > 1)
            {
                m_addresses[v] = ipv4->GetAddress(1, 0).GetLocal();
            }
        }
    }
    InstallRoutes();
}

void
TopologyHelper::BuildCells()
{
    const Graph& g = m_topology.GetGraph();
    // 10.0.0.0/8, one aligned block per hub, as small as its devices allow.
    const uint32_t base = Ipv4Address("10.0.0.0").Get();
    uint64_t cursor = 0;
    for (Vertex hub = 0; hub < boost::num_vertices(g); ++hub)
    {
        if (!IsHub(g[hub].role))
        {
            continue;
        }
        NodeContainer stations;
        for (auto [it, end] = boost::out_edges(hub, g); it != end; ++it)
        {
            if (IsRadio(g[*it].kind))
            {
                stations.Add(m_nodes[boost::target(*it, g)]);
            }
        }
        if (stations.GetN() == 0)
        {
            continue;
        }
        // The network and broadcast addresses, the hub's, and one per station.
        uint32_t hostBits = 2;
        while ((uint64_t{1} << hostBits) < stations.GetN() + 3ull)
        {
            ++hostBits;
        }
        uint64_t size = uint64_t{1} << hostBits;
        cursor = (cursor + size - 1) / size * size;
        if (cursor + size > (uint64_t{1} << 24))
        {
            m_topology.Fail("the gateways' and cells' devices do not fit in 10.0.0.0/8");
        }
        Ipv4Address network(base + static_cast<uint32_t>(cursor));
        Ipv4Mask mask(~static_cast<uint32_t>(size - 1));
        cursor += size;

        const LinkParams& p = m_channels[hub] = m_topology.GetChannelParams(hub);
        LinkKind kind = g[m_topology.GetRadioLink(GetVertex(stations.Get(0)))].kind;
        if (IsCellular(kind))
        {
            BuildNbIotCell(hub, kind, p, stations, network, mask);
            continue;
        }
        LpwanLinkHelper link;
        double up = p.uplinkRateBps.value_or(p.rateBps.value_or(m_defaults.radioUplinkBps));
        double down = p.downlinkRateBps.value_or(p.rateBps.value_or(m_defaults.radioDownlinkBps));
        link.SetChannelAttribute("UplinkDataRate",
                                 DataRateValue(DataRate(static_cast<uint64_t>(up))));
        link.SetChannelAttribute("DownlinkDataRate",
                                 DataRateValue(DataRate(static_cast<uint64_t>(down))));
        link.SetChannelAttribute("Delay",
                                 TimeValue(Seconds(p.delayS.value_or(m_defaults.radioDelayS))));
        link.SetChannelAttribute("LossProbability",
                                 DoubleValue(p.loss.value_or(m_defaults.radioLoss)));
        link.SetChannelAttribute("Medium",
                                 StringValue(p.medium.value_or(m_defaults.radioMedium) == "aloha"
                                                 ? "Aloha"
                                                 : "Scheduled"));
        link.SetDeviceAttribute("Mtu", UintegerValue(p.mtu.value_or(m_defaults.radioMtu)));
        link.SetDeviceAttribute("TxQueueSize", UintegerValue(m_defaults.radioQueuePackets));
        NetDeviceContainer devices = link.Install(m_nodes[hub], stations);
        Ipv4InterfaceContainer ifs = link.AssignIpv4(devices, network, mask);

        Cell cell;
        cell.hub = hub;
        cell.channel = DynamicCast<LpwanChannel>(devices.Get(0)->GetChannel());
        cell.devices = devices;
        m_cells.push_back(cell);
        Side hubSide{ifs.Get(0).second, ifs.GetAddress(0)};
        for (uint32_t i = 1; i < devices.GetN(); ++i)
        {
            Vertex station = GetVertex(devices.Get(i)->GetNode());
            Side stationSide{ifs.Get(i).second, ifs.GetAddress(i)};
            m_sides[KeyOf(hub, station)] = hub < station ? std::make_pair(hubSide, stationSide)
                                                         : std::make_pair(stationSide, hubSide);
        }
    }
}

void
TopologyHelper::BuildNbIotCell(Vertex hub, LinkKind kind, const LinkParams& p,
                               NodeContainer stations, Ipv4Address network, Ipv4Mask mask)
{
    const double kDeviceHeightM = 1.5;
    NbIotCell cell;
    cell.hub = hub;
    cell.technology = LinkKindName(kind);
    cell.helper = std::make_shared<NbIotHelper>();
    NbIotHelper& h = *cell.helper;
    if (m_cellParams.configure)
    {
        m_cellParams.configure(h, cell.technology);
    }
    else
    {
        h.SetChannelAttribute("Profile", StringValue(cell.technology));
        h.SetFixedCouplingLoss(120);
    }
    const uint32_t mtu = p.mtu.value_or(m_defaults.radioMtu);
    h.SetUeAttribute("Mtu", UintegerValue(mtu));
    h.SetUeAttribute("TxQueueSize", UintegerValue(m_defaults.radioQueuePackets));

    // The k-th cell on a line; its devices uniform in a disc around it, at least 10 m away.
    Vector site(static_cast<double>(m_nbiotCells.size()) * m_cellParams.interSiteDistanceM, 0,
                m_cellParams.enbHeightM);
    cell.channel = h.AddCell(m_nodes[hub], site);
    cell.enb = DynamicCast<NbIotEnbNetDevice>(h.GetEnbDevices().Get(0));
    cell.enb->SetMtu(static_cast<uint16_t>(mtu));
    if (!m_placement)
    {
        m_placement = CreateObject<UniformRandomVariable>();
        m_placement->SetStream(m_cellParams.placementStream);
    }
    const double radius = m_cellParams.cellRadiusM;
    for (uint32_t i = 0; i < stations.GetN(); ++i)
    {
        double r = std::sqrt(m_placement->GetValue(100.0 / (radius * radius), 1.0)) * radius;
        double a = m_placement->GetValue(0, 2 * M_PI);
        Ptr<ConstantPositionMobilityModel> m = CreateObject<ConstantPositionMobilityModel>();
        m->SetPosition(Vector(site.x + r * std::cos(a), site.y + r * std::sin(a), kDeviceHeightM));
        stations.Get(i)->AggregateObject(m);
    }
    cell.ues = h.InstallUes(stations);
    Ipv4InterfaceContainer ifs = h.AssignIpv4(network, mask);

    Ptr<Ipv4> hubIp = m_nodes[hub]->GetObject<Ipv4>();
    Side hubSide{static_cast<uint32_t>(hubIp->GetInterfaceForDevice(cell.enb)),
                 Ipv4Address(network.Get() + 1)};
    for (uint32_t i = 0; i < cell.ues.GetN(); ++i)
    {
        Vertex station = GetVertex(stations.Get(i));
        m_ues[station] = DynamicCast<NbIotUeNetDevice>(cell.ues.Get(i));
        Side stationSide{ifs.Get(i).second, ifs.GetAddress(i)};
        m_sides[KeyOf(hub, station)] = hub < station ? std::make_pair(hubSide, stationSide)
                                                     : std::make_pair(stationSide, hubSide);
    }
    m_nbiotCells.push_back(cell);
}

void
TopologyHelper::BuildP2pLinks()
{
    const Graph& g = m_topology.GetGraph();
    Ipv4AddressHelper addresses("172.16.0.0", "255.255.255.252");
    uint32_t links = 0;
    for (auto [it, end] = boost::edges(g); it != end; ++it)
    {
        const LinkSpec& l = g[*it];
        if (l.kind != LinkKind::P2p)
        {
            continue;
        }
        if (++links > (1u << 18))
        {
            m_topology.Fail("more than 262144 p2p links do not fit in 172.16.0.0/12");
        }
        Vertex a = boost::source(*it, g);
        Vertex b = boost::target(*it, g);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(static_cast<uint64_t>(
                                               l.params.rateBps.value_or(m_defaults.p2pRateBps)))));
        p2p.SetDeviceAttribute("Mtu", UintegerValue(l.params.mtu.value_or(m_defaults.p2pMtu)));
        p2p.SetChannelAttribute("Delay",
                                TimeValue(Seconds(l.params.delayS.value_or(m_defaults.p2pDelayS))));
        NetDeviceContainer devices = p2p.Install(m_nodes[a], m_nodes[b]);
        double loss = l.params.loss.value_or(m_defaults.p2pLoss);
        if (loss > 0)
        {
            // Packet loss in each direction, decided where the packet arrives.
            for (uint32_t i = 0; i < 2; ++i)
            {
                Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
                em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
                em->SetAttribute("ErrorRate", DoubleValue(loss));
                devices.Get(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
                m_errorModels.push_back(em);
            }
        }
        m_p2pDevices.Add(devices);
        Ipv4InterfaceContainer ifs = addresses.Assign(devices);
        addresses.NewNetwork();
        Side sa{ifs.Get(0).second, ifs.GetAddress(0)};
        Side sb{ifs.Get(1).second, ifs.GetAddress(1)};
        m_sides[KeyOf(a, b)] = a < b ? std::make_pair(sa, sb) : std::make_pair(sb, sa);
    }
}

TopologyHelper::Side
TopologyHelper::SideOf(Vertex v, Vertex other) const
{
    const auto& sides = m_sides.at(KeyOf(v, other));
    return v < other ? sides.first : sides.second;
}

void
TopologyHelper::InstallRoutes()
{
    const Graph& g = m_topology.GetGraph();
    Ipv4StaticRoutingHelper helper;
    auto routing = [&](Vertex v)
    {
        return helper.GetStaticRouting(m_nodes[v]->GetObject<Ipv4>());
    };

    // Default routes: every infrastructure node to its parent (devices got theirs from the
    // LPWAN helper).
    for (Vertex v = 0; v < boost::num_vertices(g); ++v)
    {
        std::optional<Vertex> parent = m_routes->GetParent(v);
        if (g[v].role == Role::Device || !parent)
        {
            continue;
        }
        routing(v)->SetDefaultRoute(SideOf(*parent, v).address, SideOf(v, *parent).interface);
    }

    // Network routes: each subnet is attached at a node; every node above it routes the
    // subnet to the child leading down to it.
    struct Subnet
    {
        Ipv4Address network;
        Ipv4Mask mask;
        Vertex attachedAt;
    };
    std::vector<Subnet> subnets;
    for (const Cell& cell : m_cells)
    {
        Ptr<Ipv4> ipv4 = m_nodes[cell.hub]->GetObject<Ipv4>();
        int32_t i = ipv4->GetInterfaceForDevice(cell.devices.Get(0));
        Ipv4InterfaceAddress a = ipv4->GetAddress(static_cast<uint32_t>(i), 0);
        subnets.push_back({a.GetLocal().CombineMask(a.GetMask()), a.GetMask(), cell.hub});
    }
    for (const NbIotCell& cell : m_nbiotCells)
    {
        Ptr<Ipv4> ipv4 = m_nodes[cell.hub]->GetObject<Ipv4>();
        int32_t i = ipv4->GetInterfaceForDevice(cell.enb);
        Ipv4InterfaceAddress a = ipv4->GetAddress(static_cast<uint32_t>(i), 0);
        subnets.push_back({a.GetLocal().CombineMask(a.GetMask()), a.GetMask(), cell.hub});
    }
    for (auto [it, end] = boost::edges(g); it != end; ++it)
    {
        if (g[*it].kind != LinkKind::P2p)
        {
            continue;
        }
        Vertex a = boost::source(*it, g);
        Vertex b = boost::target(*it, g);
        // A tree link is reached through its upper end; another link through either end.
        Vertex at = m_routes->GetParent(b) == a ? a : m_routes->GetParent(a) == b ? b : a;
        Ipv4Mask mask("255.255.255.252");
        subnets.push_back({SideOf(a, b).address.CombineMask(mask), mask, at});
    }
    for (const Subnet& s : subnets)
    {
        Vertex child = s.attachedAt;
        for (std::optional<Vertex> u = m_routes->GetParent(child); u;
             child = *u, u = m_routes->GetParent(*u))
        {
            routing(*u)->AddNetworkRouteTo(s.network, s.mask, SideOf(child, *u).address,
                                           SideOf(*u, child).interface);
            ++m_networkRoutes;
        }
    }
}

int64_t
TopologyHelper::AssignStreams(int64_t stream)
{
    int64_t current = stream;
    LpwanLinkHelper link;
    for (const Cell& cell : m_cells)
    {
        current += link.AssignStreams(cell.devices, current);
    }
    for (const auto& em : m_errorModels)
    {
        current += DynamicCast<RateErrorModel>(em)->AssignStreams(current);
    }
    return current - stream;
}

int64_t
TopologyHelper::AssignCellStreams(int64_t stream)
{
    int64_t current = stream;
    for (const NbIotCell& cell : m_nbiotCells)
    {
        current += cell.helper->AssignStreams(current);
    }
    return current - stream;
}

} // namespace ns3
