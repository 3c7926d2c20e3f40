/*
 * A network topology as a Boost.Graph graph: nodes with a role (device, cell/eNB, gateway,
 * router, proxy, server) and links with a kind (LPWAN star, NB-IoT, LTE-M, point-to-point
 * backhaul)
 * and optional link parameters (rate, delay, loss, MTU, NAT binding timeout, routing cost).
 *
 * A Topology is plain data with no ns-3 objects: it is read from a Graphviz DOT file
 * (topology-dot.h) or made by a generator (topology-generators.h), checked by Validate(), and
 * then built into ns-3 nodes, links and routes by TopologyHelper (helper/topology-helper.h).
 * Parameters a link does not give are taken from the scenario's link.* and backhaul.* keys
 * when the network is built.
 *
 * Rules Validate() enforces, each failure a TopologyError naming the node or the edge:
 *  - exactly one server; at least one device; at most kMaxDevicesPerHub devices per hub;
 *  - a device has exactly one link, a radio link (lpwan, nbiot or ltem) to a gateway or a
 *    cell; radio links join a device to a gateway or cell, nothing else; a hub's radio links
 *    are of one kind (they share one channel) and agree on their parameters; a cellular hub
 *    (nbiot or ltem links) takes only mtu and nat_binding_timeout of the radio parameters
 *    (its rates, delays and losses come from the NB-IoT model and the coverage levels);
 *  - p2p links join two infrastructure nodes (cell, gateway, router, proxy, server);
 *  - no self-loops, no two links between the same pair of nodes;
 *  - every device has a path to the server (topology-routes.h finds it).
 */
#ifndef LPWAN_TOPOLOGY_H
#define LPWAN_TOPOLOGY_H

#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{
namespace topology
{

/// The most devices a gateway or cell can have, declared or generated (devices.count's range):
/// what one subnet in 10.0.0.0/8 addresses besides its network, broadcast and hub addresses.
/// In practice the machine's memory bounds a run first (runner/memory-estimate.h).
constexpr uint32_t kMaxDevicesPerHub = (uint32_t{1} << 24) - 3;

/// A topology that cannot be read or built; the message names the file and the node or edge.
class TopologyError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

enum class Role
{
    Device,  ///< a battery meter: one radio link to a gateway or cell
    Cell,    ///< an NB-IoT cell (eNB): the hub of a radio star, an IP router
    Gateway, ///< an LPWAN gateway: the hub of a radio star, an IP router (or a CoAP proxy)
    Router,  ///< an IP router of the backhaul or core network
    Proxy,   ///< a CoAP proxy: terminates the transport hop and forwards every request upstream
    Server,  ///< the platform's CoAP server (exactly one)
};

enum class LinkKind
{
    Lpwan, ///< the generic LPWAN star link (model/lpwan)
    NbIot, ///< NB-IoT radio: the hub is an NB-IoT cell (model/nbiot, helper/nbiot-helper.h)
    LteM,  ///< LTE-M radio: the hub is an LTE-M cell (the NB-IoT model's LTE-M profile)
    P2p,   ///< a point-to-point backhaul link
};

const char* RoleName(Role role);
const char* LinkKindName(LinkKind kind);
/// Parses "device", "cell" (or "enb"), "gateway", "router", "proxy", "server".
std::optional<Role> ParseRole(const std::string& text);
/// Parses "lpwan", "nbiot", "ltem", "p2p".
std::optional<LinkKind> ParseLinkKind(const std::string& text);

/// Orders names as people do: runs of digits by their value ("d2" before "d10").
bool NaturalLess(const std::string& a, const std::string& b);

inline bool
IsRadio(LinkKind kind)
{
    return kind == LinkKind::Lpwan || kind == LinkKind::NbIot || kind == LinkKind::LteM;
}

/// A radio kind built as a cell of the NB-IoT model (nbiot or ltem).
inline bool
IsCellular(LinkKind kind)
{
    return kind == LinkKind::NbIot || kind == LinkKind::LteM;
}

/// A node that can be the hub of a radio star.
inline bool
IsHub(Role role)
{
    return role == Role::Cell || role == Role::Gateway;
}

/// Link parameters; unset ones take the scenario's defaults when the network is built.
struct LinkParams
{
    std::optional<double> rateBps;         ///< both directions (radio) or the p2p data rate
    std::optional<double> uplinkRateBps;   ///< radio only: overrides rateBps uplink
    std::optional<double> downlinkRateBps; ///< radio only: overrides rateBps downlink
    std::optional<double> delayS;          ///< one-way delay
    std::optional<double> loss;            ///< probability a frame (radio) or packet (p2p) is lost
    std::optional<uint32_t> mtu;           ///< IP MTU
    std::optional<double> natBindingTimeoutS; ///< a NAT on this link forgets idle bindings
    std::optional<std::string> medium;        ///< radio only: "scheduled" or "aloha"
    std::optional<double> cost;               ///< routing metric of the link (default 1)

    /// Copies every parameter other sets that this one does not. When both set one to
    /// different values, returns its attribute name (and changes nothing); else "".
    std::string MergeFrom(const LinkParams& other);
    bool operator==(const LinkParams& o) const;
};

struct NodeSpec
{
    std::string name;
    Role role = Role::Router;
    /// Hubs: parameters of the radio channel, applying to all its radio links.
    LinkParams radio;
};

struct LinkSpec
{
    LinkKind kind = LinkKind::P2p;
    LinkParams params;
    std::size_t a = 0; ///< the endpoints in the order they were given (for messages)
    std::size_t b = 0;
};

using Graph
    = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, NodeSpec, LinkSpec>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

class Topology
{
  public:
    /// source names the topology in error messages (a file name, "generator gateways").
    explicit Topology(std::string source = "topology");

    /// Adds a node; throws TopologyError when the name is taken or empty.
    Vertex AddNode(const std::string& name, Role role);
    /// Adds a link; throws TopologyError for a self-loop or a second link between a and b.
    Edge AddLink(Vertex a, Vertex b, LinkKind kind, const LinkParams& params = {});

    const Graph& GetGraph() const
    {
        return m_graph;
    }

    Graph& GetGraph()
    {
        return m_graph;
    }

    const NodeSpec& GetNode(Vertex v) const
    {
        return m_graph[v];
    }

    NodeSpec& GetNode(Vertex v)
    {
        return m_graph[v];
    }

    const LinkSpec& GetLink(Edge e) const
    {
        return m_graph[e];
    }

    size_t GetNodeCount() const
    {
        return boost::num_vertices(m_graph);
    }

    std::optional<Vertex> Find(const std::string& name) const;
    const std::string& GetSource() const
    {
        return m_source;
    }

    /// The devices, in the order they were added (the scenario's device indices).
    const std::vector<Vertex>& GetDevices() const
    {
        return m_devices;
    }

    /// The server (valid after Validate()).
    Vertex GetServer() const;

    /// A device's hub (gateway or cell) and its radio link (valid after Validate()).
    Vertex GetHub(Vertex device) const;
    Edge GetRadioLink(Vertex device) const;

    /// The radio parameters of a hub's channel: the hub's own, merged with its radio links'
    /// (which Validate() checked agree).
    LinkParams GetChannelParams(Vertex hub) const;

    /// "edge 'a' -- 'b'" for messages.
    std::string DescribeEdge(Edge e) const;
    /// "node 'a'" for messages.
    std::string DescribeNode(Vertex v) const;

    /// Checks the rules in the file comment; throws TopologyError naming the node or edge.
    void Validate() const;

    /// Throws TopologyError "<source>: <message>".
    [[noreturn]] void Fail(const std::string& message) const;

  private:
    std::string m_source;
    Graph m_graph;
    std::unordered_map<std::string, Vertex> m_byName;
    std::vector<Vertex> m_devices;
};

} // namespace topology
} // namespace ns3

#endif // LPWAN_TOPOLOGY_H
