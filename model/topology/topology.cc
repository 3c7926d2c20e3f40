#include "topology.h"

#include <boost/graph/breadth_first_search.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace ns3
{
namespace topology
{

const char*
RoleName(Role role)
{
    switch (role)
    {
        case Role::Device:
            return "device";
        case Role::Cell:
            return "cell";
        case Role::Gateway:
            return "gateway";
        case Role::Router:
            return "router";
        case Role::Proxy:
            return "proxy";
        case Role::Server:
            return "server";
    }
    return "?";
}

const char*
LinkKindName(LinkKind kind)
{
    switch (kind)
    {
        case LinkKind::Lpwan:
            return "lpwan";
        case LinkKind::NbIot:
            return "nbiot";
        case LinkKind::LteM:
            return "ltem";
        case LinkKind::P2p:
            return "p2p";
    }
    return "?";
}

std::optional<Role>
ParseRole(const std::string& text)
{
    static const std::map<std::string, Role> roles
        = {{"device", Role::Device},   {"cell", Role::Cell},     {"enb", Role::Cell},
           {"gateway", Role::Gateway}, {"router", Role::Router}, {"proxy", Role::Proxy},
           {"server", Role::Server}};
    auto it = roles.find(text);
    return it == roles.end() ? std::nullopt : std::optional<Role>(it->second);
}

std::optional<LinkKind>
ParseLinkKind(const std::string& text)
{
    if (text == "lpwan")
    {
        return LinkKind::Lpwan;
    }
    if (text == "nbiot")
    {
        return LinkKind::NbIot;
    }
    if (text == "ltem")
    {
        return LinkKind::LteM;
    }
    if (text == "p2p")
    {
        return LinkKind::P2p;
    }
    return std::nullopt;
}

bool
NaturalLess(const std::string& a, const std::string& b)
{
    size_t i = 0;
    size_t j = 0;
    while (i < a.size() && j < b.size())
    {
        bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
        bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
        if (da && db)
        {
            size_t ei = i;
            size_t ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei])))
            {
                ++ei;
            }
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej])))
            {
                ++ej;
            }
            // Compare the numbers' values: strip leading zeros, then length, then digits.
            size_t si = a.find_first_not_of('0', i);
            size_t sj = b.find_first_not_of('0', j);
            si = std::min(si == std::string::npos ? ei : si, ei);
            sj = std::min(sj == std::string::npos ? ej : sj, ej);
            if (ei - si != ej - sj)
            {
                return ei - si < ej - sj;
            }
            int c = a.compare(si, ei - si, b, sj, ej - sj);
            if (c != 0)
            {
                return c < 0;
            }
            if (ei - i != ej - j)
            {
                return ei - i < ej - j; // same value: fewer leading zeros first
            }
            i = ei;
            j = ej;
            continue;
        }
        if (a[i] != b[j])
        {
            return a[i] < b[j];
        }
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

namespace
{

/// Merges one optional field; returns false on a conflict.
template<typename T>
bool
MergeField(std::optional<T>& mine, const std::optional<T>& theirs)
{
    if (!theirs)
    {
        return true;
    }
    if (mine && *mine != *theirs)
    {
        return false;
    }
    mine = theirs;
    return true;
}

} // namespace

std::string
LinkParams::MergeFrom(const LinkParams& o)
{
    LinkParams merged = *this;
    const char* conflict = nullptr;
    if (!MergeField(merged.rateBps, o.rateBps))
    {
        conflict = "rate";
    }
    else if (!MergeField(merged.uplinkRateBps, o.uplinkRateBps))
    {
        conflict = "uplink_rate";
    }
    else if (!MergeField(merged.downlinkRateBps, o.downlinkRateBps))
    {
        conflict = "downlink_rate";
    }
    else if (!MergeField(merged.delayS, o.delayS))
    {
        conflict = "delay";
    }
    else if (!MergeField(merged.loss, o.loss))
    {
        conflict = "loss";
    }
    else if (!MergeField(merged.mtu, o.mtu))
    {
        conflict = "mtu";
    }
    else if (!MergeField(merged.natBindingTimeoutS, o.natBindingTimeoutS))
    {
        conflict = "nat_binding_timeout";
    }
    else if (!MergeField(merged.medium, o.medium))
    {
        conflict = "medium";
    }
    else if (!MergeField(merged.cost, o.cost))
    {
        conflict = "cost";
    }
    if (conflict != nullptr)
    {
        return conflict;
    }
    *this = merged;
    return "";
}

bool
LinkParams::operator==(const LinkParams& o) const
{
    return rateBps == o.rateBps && uplinkRateBps == o.uplinkRateBps
           && downlinkRateBps == o.downlinkRateBps && delayS == o.delayS && loss == o.loss
           && mtu == o.mtu && natBindingTimeoutS == o.natBindingTimeoutS && medium == o.medium
           && cost == o.cost;
}

Topology::Topology(std::string source)
  : m_source(std::move(source))
{
}

void
Topology::Fail(const std::string& message) const
{
    throw TopologyError(m_source + ": " + message);
}

Vertex
Topology::AddNode(const std::string& name, Role role)
{
    if (name.empty())
    {
        Fail("a node has an empty name");
    }
    if (m_byName.count(name) != 0)
    {
        Fail("node '" + name + "' is defined twice");
    }
    Vertex v = boost::add_vertex(m_graph);
    m_graph[v].name = name;
    m_graph[v].role = role;
    m_byName[name] = v;
    if (role == Role::Device)
    {
        m_devices.push_back(v);
    }
    return v;
}

Edge
Topology::AddLink(Vertex a, Vertex b, LinkKind kind, const LinkParams& params)
{
    if (a == b)
    {
        Fail("edge '" + m_graph[a].name + "' -- '" + m_graph[a].name
             + "': a link joins two different nodes");
    }
    if (boost::edge(a, b, m_graph).second)
    {
        Fail("edge '" + m_graph[a].name + "' -- '" + m_graph[b].name + "' is given twice");
    }
    Edge e = boost::add_edge(a, b, m_graph).first;
    m_graph[e].kind = kind;
    m_graph[e].params = params;
    m_graph[e].a = a;
    m_graph[e].b = b;
    return e;
}

std::optional<Vertex>
Topology::Find(const std::string& name) const
{
    auto it = m_byName.find(name);
    return it == m_byName.end() ? std::nullopt : std::optional<Vertex>(it->second);
}

std::string
Topology::DescribeNode(Vertex v) const
{
    return "node '" + m_graph[v].name + "'";
}

std::string
Topology::DescribeEdge(Edge e) const
{
    return "edge '" + m_graph[m_graph[e].a].name + "' -- '" + m_graph[m_graph[e].b].name + "'";
}

Vertex
Topology::GetServer() const
{
    for (auto [it, end] = boost::vertices(m_graph); it != end; ++it)
    {
        if (m_graph[*it].role == Role::Server)
        {
            return *it;
        }
    }
    Fail("no node has role=server");
}

Edge
Topology::GetRadioLink(Vertex device) const
{
    auto [it, end] = boost::out_edges(device, m_graph);
    if (it == end)
    {
        Fail("device '" + m_graph[device].name + "' has no link");
    }
    return *it;
}

Vertex
Topology::GetHub(Vertex device) const
{
    return boost::target(GetRadioLink(device), m_graph);
}

LinkParams
Topology::GetChannelParams(Vertex hub) const
{
    LinkParams p = m_graph[hub].radio;
    for (auto [it, end] = boost::out_edges(hub, m_graph); it != end; ++it)
    {
        if (IsRadio(m_graph[*it].kind))
        {
            p.MergeFrom(m_graph[*it].params); // Validate() has ruled out conflicts
        }
    }
    return p;
}

void
Topology::Validate() const
{
    std::optional<Vertex> server;
    for (auto [it, end] = boost::vertices(m_graph); it != end; ++it)
    {
        if (m_graph[*it].role != Role::Server)
        {
            continue;
        }
        if (server)
        {
            Fail("two nodes have role=server ('" + m_graph[*server].name + "' and '"
                 + m_graph[*it].name + "'); a topology has exactly one server");
        }
        server = *it;
    }
    if (!server)
    {
        Fail("no node has role=server");
    }
    // Links: what may join what.
    for (auto [it, end] = boost::edges(m_graph); it != end; ++it)
    {
        const LinkSpec& link = m_graph[*it];
        const NodeSpec& a = m_graph[boost::source(*it, m_graph)];
        const NodeSpec& b = m_graph[boost::target(*it, m_graph)];
        if (IsRadio(link.kind))
        {
            bool ok = (a.role == Role::Device && IsHub(b.role))
                      || (b.role == Role::Device && IsHub(a.role));
            if (!ok)
            {
                Fail(DescribeEdge(*it) + ": a " + LinkKindName(link.kind)
                     + " link joins a device to a gateway or cell (found a " + RoleName(a.role)
                     + " and a " + RoleName(b.role) + ")");
            }
            if (link.params.cost)
            {
                Fail(DescribeEdge(*it) + ": cost applies to p2p links only");
            }
        }
        else
        {
            if (a.role == Role::Device || b.role == Role::Device)
            {
                Fail(DescribeEdge(*it) + ": a device joins the network by a radio link "
                                         "(kind=lpwan, nbiot or ltem), not by kind=p2p");
            }
            const LinkParams& p = link.params;
            if (p.uplinkRateBps || p.downlinkRateBps || p.medium)
            {
                Fail(DescribeEdge(*it) + ": uplink_rate, downlink_rate and medium apply to "
                                         "radio links only (use rate)");
            }
        }
    }

    if (m_devices.empty())
    {
        Fail("no node has role=device (give devices, or devices=N on a gateway or cell)");
    }

    // Devices: exactly one radio link.
    for (Vertex d : m_devices)
    {
        size_t degree = boost::out_degree(d, m_graph);
        if (degree == 0)
        {
            Fail("device '" + m_graph[d].name + "' has no link (it needs one radio link to a "
                                                "gateway or cell)");
        }
        if (degree > 1)
        {
            std::string hubs;
            for (auto [it, end] = boost::out_edges(d, m_graph); it != end; ++it)
            {
                hubs += std::string(hubs.empty() ? "" : ", ") + "'"
                        + m_graph[boost::target(*it, m_graph)].name + "'";
            }
            Fail("device '" + m_graph[d].name + "' has " + std::to_string(degree) + " links ("
                 + hubs + "); a device has exactly one radio link");
        }
    }

    // Hubs: one channel, one kind, consistent parameters.
    for (auto [v, vend] = boost::vertices(m_graph); v != vend; ++v)
    {
        if (!IsHub(m_graph[*v].role))
        {
            if (m_graph[*v].role != Role::Device && !(m_graph[*v].radio == LinkParams{}))
            {
                Fail(DescribeNode(*v) + ": radio parameters belong to a gateway or cell");
            }
            continue;
        }
        std::optional<LinkKind> kind;
        LinkParams channel = m_graph[*v].radio;
        uint64_t devices = 0;
        for (auto [it, end] = boost::out_edges(*v, m_graph); it != end; ++it)
        {
            const LinkSpec& link = m_graph[*it];
            if (!IsRadio(link.kind))
            {
                continue;
            }
            if (++devices > kMaxDevicesPerHub)
            {
                Fail(DescribeNode(*v) + " has more than " + std::to_string(kMaxDevicesPerHub)
                     + " devices; a gateway or cell has at most "
                     + std::to_string(kMaxDevicesPerHub)
                     + " (what one subnet in 10.0.0.0/8 addresses), declared or generated");
            }
            if (kind && *kind != link.kind)
            {
                Fail(DescribeNode(*v) + " mixes " + LinkKindName(*kind) + " and "
                     + LinkKindName(link.kind) + " radio links; a hub has one kind of radio");
            }
            kind = link.kind;
            std::string conflict = channel.MergeFrom(link.params);
            if (!conflict.empty())
            {
                Fail(DescribeEdge(*it) + ": " + conflict + " differs from the value set on "
                     + DescribeNode(*v) + " or its other radio links (a hub's radio links "
                     + "share one channel)");
            }
        }
        if (kind && IsCellular(*kind)
            && (channel.rateBps || channel.uplinkRateBps || channel.downlinkRateBps
                || channel.delayS || channel.loss || channel.medium))
        {
            Fail(DescribeNode(*v) + ": its " + LinkKindName(*kind)
                 + " radio is an NB-IoT model cell: rate, uplink_rate, downlink_rate, delay, loss "
                   "and medium do not apply (the scenario's nbiot.* keys and the coverage levels "
                   "set them); mtu and nat_binding_timeout do");
        }
    }

    // Every device reaches the server.
    std::vector<boost::default_color_type> colour(boost::num_vertices(m_graph), boost::white_color);
    if (boost::out_degree(*server, m_graph) == 0)
    {
        Fail("server '" + m_graph[*server].name + "' is disconnected: it has no link");
    }
    boost::breadth_first_search(m_graph, *server,
                                boost::visitor(boost::default_bfs_visitor())
                                    .color_map(boost::make_iterator_property_map(
                                        colour.begin(), boost::get(boost::vertex_index, m_graph))));
    for (Vertex d : m_devices)
    {
        if (colour[d] == boost::white_color)
        {
            Fail("device '" + m_graph[d].name + "' (behind '" + m_graph[GetHub(d)].name
                 + "') has no path to server '" + m_graph[*server].name
                 + "': the server is disconnected from it");
        }
    }
}

} // namespace topology
} // namespace ns3
