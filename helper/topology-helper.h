/*
 * TopologyHelper: builds a topology (model/topology) into ns-3 nodes, links, IPv4 addresses
 * and static routes.
 *
 *   topology::Topology t = topology::ReadDotFile("scenarios/topologies/campus.dot");
 *   TopologyHelper helper(t, TopologyLinkDefaults{});
 *   helper.Install();
 *   Ptr<Node> server = helper.GetNode(t.GetServer());
 *   NodeContainer meters = helper.GetDeviceNodes();
 *
 * What it builds:
 *  - one ns-3 Node per topology node; Internet stacks with static routing (infrastructure
 *    nodes through an Ipv4ListRouting, so that other protocols -- an adversary's tap -- can be
 *    put in front of the static routes later);
 *  - per gateway or cell whose radio links are lpwan, one LPWAN star (LpwanLinkHelper) over
 *    them, numbered in its own block of 10.0.0.0/8 just large enough for its devices;
 *  - per hub whose radio links are nbiot or ltem, a cell of the NB-IoT model (NbIotHelper): a
 *    base station on the hub's node and a UE on each of its devices' nodes, camped on that
 *    cell (never a neighbour: the topology says which cell serves a device), numbered like an
 *    LPWAN star (the base station takes the block's first host, the UEs the next ones, each
 *    UE with a default route to its base station). The cells' channel and UE attributes and
 *    their coupling loss come from TopologyCellParams::configure (the scenario's nbiot.* keys,
 *    runner/nbiot-topology.h); the hub's mtu sets the UEs' and base station's MTU. Placement:
 *    the k-th cellular hub (in vertex order) radiates from (k * interSiteDistanceM, 0,
 *    enbHeightM); its devices are drawn uniformly in a disc of cellRadiusM around it (at least
 *    10 m away, 1.5 m high). Blocks are handed out in vertex order, cells and stars alike, so a
 *    topology without cellular hubs is numbered (and built) exactly as before;
 *  - per p2p link, a point-to-point link (rate, delay, MTU; loss as a RateErrorModel on the
 *    receiving devices), numbered in a /30 of 172.16.0.0/12;
 *  - routes from the shortest-path tree towards the server (topology-routes.h): every node
 *    gets a default route to its parent, and each node above a subnet one network route to the
 *    child leading to it. Devices hold one default route; a node holds one route per subnet
 *    in its subtree, so forwarding costs one lookup among those per hop, whatever the number
 *    of devices (ns-3's static routing scans its network routes linearly: the cost grows with
 *    the number of gateways and links below a node, not with the devices).
 */
#ifndef LPWAN_TOPOLOGY_HELPER_H
#define LPWAN_TOPOLOGY_HELPER_H

#include "lpwan/lpwan-channel.h"
#include "nbiot/nbiot-channel.h"
#include "nbiot/nbiot-net-device.h"
#include "nbiot/nbiot-ue-net-device.h"
#include "topology/topology-routes.h"
#include "topology/topology.h"

#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/random-variable-stream.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/// Link parameters for what a topology's links leave unset (the scenario's link.* and
/// backhaul.* keys).
struct TopologyLinkDefaults
{
    double radioUplinkBps = 20000;
    double radioDownlinkBps = 20000;
    double radioDelayS = 1;
    double radioLoss = 0.1;
    uint32_t radioMtu = 1280;
    std::string radioMedium = "scheduled";
    uint32_t radioQueuePackets = 100;
    double p2pRateBps = 10e6;
    double p2pDelayS = 0.02;
    double p2pLoss = 0;
    uint32_t p2pMtu = 1500;
    double natBindingTimeoutS = 0;
};

class NbIotHelper;

/// How hubs with nbiot or ltem radio links are built as cells of the NB-IoT model.
struct TopologyCellParams
{
    /// Sets up the NbIotHelper of one cell (channel and UE attributes, propagation or fixed
    /// coupling loss, additional loss) for technology "nbiot" or "ltem"; called once per cell,
    /// in vertex order, before the cell is added. Unset: the NbIotHelper's defaults with the
    /// channel's Profile set to the technology and a fixed coupling loss of 120 dB (CE0).
    std::function<void(NbIotHelper&, const std::string& technology)> configure;
    double interSiteDistanceM = 4000;      ///< cellular hub k radiates from (k * this, 0, height)
    double enbHeightM = 30;                ///< base station antenna height
    double cellRadiusM = 2000;             ///< devices uniform in a disc of this radius around it
    int64_t placementStream = 500'000'000; ///< fixed stream of the devices' positions
};

class TopologyHelper
{
  public:
    /// One LPWAN star: its hub and the LPWAN devices (the hub's first, then its stations').
    struct Cell
    {
        topology::Vertex hub;
        Ptr<LpwanChannel> channel;
        NetDeviceContainer devices;
    };

    /// One cell of the NB-IoT model (a hub with nbiot or ltem radio links).
    struct NbIotCell
    {
        topology::Vertex hub;
        std::string technology; ///< "nbiot" or "ltem"
        std::shared_ptr<NbIotHelper> helper;
        Ptr<NbIotEnbNetDevice> enb; ///< the base station, on the hub's node
        Ptr<NbIotChannel> channel;
        NetDeviceContainer ues; ///< its devices' UEs, in the order of the hub's radio links
    };

    /// The topology must be valid and outlive the helper.
    TopologyHelper(const topology::Topology& topology, const TopologyLinkDefaults& defaults,
                   const TopologyCellParams& cells = {});

    /// Creates the nodes and builds everything. Call once.
    void Install();

    Ptr<Node> GetNode(topology::Vertex v) const
    {
        return m_nodes.at(v);
    }

    /// The devices' nodes, in device index order.
    NodeContainer GetDeviceNodes() const;

    /// A node's address every other node can reach: on its link towards the server (the
    /// server's: on its first link; a device's: its radio address).
    Ipv4Address GetAddress(topology::Vertex v) const
    {
        return m_addresses.at(v);
    }

    /// The vertex of an ns-3 node this helper created.
    topology::Vertex GetVertex(Ptr<Node> node) const;

    const std::vector<Cell>& GetCells() const
    {
        return m_cells;
    }

    /// The NB-IoT / LTE-M cells, in vertex order of their hubs.
    const std::vector<NbIotCell>& GetNbIotCells() const
    {
        return m_nbiotCells;
    }

    /// A device's UE, or null when the device is on an LPWAN star.
    Ptr<NbIotUeNetDevice> GetUe(topology::Vertex device) const;

    /// The point-to-point devices, two per p2p link.
    const NetDeviceContainer& GetP2pDevices() const
    {
        return m_p2pDevices;
    }

    const topology::RouteTree& GetRoutes() const
    {
        return *m_routes;
    }

    /// The resolved parameters of a link (the topology's, else the defaults).
    double GetDelay(topology::Edge e) const;
    /// NAT binding timeout of a link (0: no NAT).
    double GetNatBindingTimeout(topology::Edge e) const;

    /// Network routes installed (default routes not counted).
    uint32_t GetNetworkRouteCount() const
    {
        return m_networkRoutes;
    }

    /// Fixed random streams for the links' loss and collisions; returns how many it used.
    /// (The NB-IoT cells' UEs are not included: AssignCellStreams.)
    int64_t AssignStreams(int64_t stream);

    /// Fixed random streams of the NB-IoT cells' UEs (one per UE, cells in vertex order);
    /// returns how many it used.
    int64_t AssignCellStreams(int64_t stream);

  private:
    using Key = std::pair<topology::Vertex, topology::Vertex>;
    static Key KeyOf(topology::Vertex a, topology::Vertex b)
    {
        return a < b ? Key{a, b} : Key{b, a};
    }

    /// This node's side of a link: its Ipv4 interface and address there.
    struct Side
    {
        uint32_t interface = 0;
        Ipv4Address address;
    };

    void BuildCells();
    /// An NB-IoT model cell on hub over stations, numbered in network/mask.
    void BuildNbIotCell(topology::Vertex hub, topology::LinkKind kind,
                        const topology::LinkParams& p, NodeContainer stations, Ipv4Address network,
                        Ipv4Mask mask);
    void BuildP2pLinks();
    void InstallRoutes();
    Side SideOf(topology::Vertex v, topology::Vertex other) const;
    /// The parameters of a radio link's channel (its hub's, resolved once).
    const topology::LinkParams& ChannelOf(topology::Edge radio) const;

    const topology::Topology& m_topology;
    TopologyLinkDefaults m_defaults;
    TopologyCellParams m_cellParams;
    Ptr<UniformRandomVariable> m_placement; ///< devices' positions around their cell
    std::unique_ptr<topology::RouteTree> m_routes;
    std::vector<Ptr<Node>> m_nodes;
    std::map<uint32_t, topology::Vertex> m_vertexOfNode; ///< ns-3 node id -> vertex
    std::vector<Ipv4Address> m_addresses;
    std::map<Key, std::pair<Side, Side>> m_sides; ///< link -> (lower vertex's, higher's)
    std::vector<Cell> m_cells;
    std::vector<NbIotCell> m_nbiotCells;
    std::map<topology::Vertex, Ptr<NbIotUeNetDevice>> m_ues;     ///< by device
    std::map<topology::Vertex, topology::LinkParams> m_channels; ///< by hub
    NetDeviceContainer m_p2pDevices;
    std::vector<Ptr<Object>> m_errorModels;
    uint32_t m_networkRoutes = 0;
};

} // namespace ns3

#endif // LPWAN_TOPOLOGY_HELPER_H
