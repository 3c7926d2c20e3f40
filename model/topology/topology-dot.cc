#include "topology-dot.h"

#include "io/bounded-file.h"
#include "topology-dot-scan.h"

#include <boost/graph/graphviz.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace ns3
{
namespace topology
{

namespace
{

/// A node or edge as read: every attribute as text, validated afterwards.
struct RawNode
{
    std::string id;
    std::map<std::string, std::string> attributes;
};

struct RawEdge
{
    std::map<std::string, std::string> attributes;
};

template<typename Directedness>
using RawGraph = boost::adjacency_list<boost::vecS, boost::vecS, Directedness, RawNode, RawEdge>;

/// A dynamic property map that stores any attribute of a node or edge (Key: the vertex or
/// edge descriptor) as text in the raw graph, so that unknown attributes can be reported by
/// name instead of being rejected by read_graphviz with a generic message.
template<typename G, typename Key>
class AttributeMap : public boost::dynamic_property_map
{
  public:
    AttributeMap(G& graph, std::string name)
      : m_graph(graph)
      , m_name(std::move(name))
    {
    }

    boost::any get(const boost::any& key) override
    {
        return get_string(key);
    }

    std::string get_string(const boost::any& key) override
    {
        const auto& attributes = m_graph[boost::any_cast<Key>(key)].attributes;
        auto it = attributes.find(m_name);
        return it == attributes.end() ? std::string() : it->second;
    }

    void put(const boost::any& key, const boost::any& value) override
    {
        m_graph[boost::any_cast<Key>(key)].attributes[m_name] = boost::any_cast<std::string>(value);
    }

    const std::type_info& key() const override
    {
        return typeid(Key);
    }

    const std::type_info& value() const override
    {
        return typeid(std::string);
    }

  private:
    G& m_graph;
    std::string m_name;
};

/// Graph-level attributes (rankdir, label, ...) are layout: accepted and dropped.
class IgnoredMap : public boost::dynamic_property_map
{
  public:
    explicit IgnoredMap(const std::type_info& keyType)
      : m_key(keyType)
    {
    }

    boost::any get(const boost::any&) override
    {
        return std::string();
    }

    std::string get_string(const boost::any&) override
    {
        return "";
    }

    void put(const boost::any&, const boost::any&) override {}

    const std::type_info& key() const override
    {
        return m_key;
    }

    const std::type_info& value() const override
    {
        return typeid(std::string);
    }

  private:
    const std::type_info& m_key;
};

/// Graphviz attributes that only change how a drawing looks.
bool
IsPresentation(const std::string& name)
{
    static const std::set<std::string> names
        = {"label",      "xlabel",    "headlabel",   "taillabel", "color",
           "fillcolor",  "fontcolor", "fontname",    "fontsize",  "shape",
           "style",      "width",     "height",      "pos",       "penwidth",
           "arrowhead",  "arrowtail", "arrowsize",   "dir",       "weight",
           "len",        "tooltip",   "comment",     "group",     "rank",
           "constraint", "URL",       "href",        "id",        "class",
           "margin",     "fixedsize", "peripheries", "image",     "labelfontsize",
           "minlen"};
    return names.count(name) != 0;
}

/// Parses a whole string as a finite number.
bool
ParseNumber(const std::string& text, double* out)
{
    if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])))
    {
        return false;
    }
    errno = 0;
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v))
    {
        return false;
    }
    *out = v;
    return true;
}

/// A number followed by one of the units (value multiplies), or a bare number.
bool
ParseWithUnit(const std::string& text, const std::vector<std::pair<std::string, double>>& units,
              double* out)
{
    if (ParseNumber(text, out))
    {
        return true;
    }
    for (const auto& [unit, factor] : units)
    {
        if (text.size() > unit.size()
            && text.compare(text.size() - unit.size(), unit.size(), unit) == 0)
        {
            double v = 0;
            if (ParseNumber(text.substr(0, text.size() - unit.size()), &v))
            {
                *out = v * factor;
                return true;
            }
        }
    }
    return false;
}

/// Turns one element's text attributes into link parameters; `where` names it in errors.
/// allowRadio/allowCost: which attributes the element may carry besides the common ones.
void
ParseParams(const Topology& t, const std::string& where,
            const std::map<std::string, std::string>& attributes, LinkParams* p)
{
    auto fail = [&](const std::string& name, const std::string& value, const std::string& what)
    {
        t.Fail(where + ": " + name + "='" + value + "' is not " + what);
    };
    static const std::vector<std::pair<std::string, double>> rates
        = {{"Gbps", 1e9}, {"Mbps", 1e6}, {"kbps", 1e3}, {"bps", 1}};
    static const std::vector<std::pair<std::string, double>> times
        = {{"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"s", 1}};
    for (const auto& [name, value] : attributes)
    {
        double v = 0;
        if (name == "rate" || name == "uplink_rate" || name == "downlink_rate")
        {
            if (!ParseWithUnit(value, rates, &v) || v <= 0)
            {
                fail(name, value, "a data rate above 0 (bit/s, or with bps, kbps, Mbps, Gbps)");
            }
            (name == "rate"          ? p->rateBps
             : name == "uplink_rate" ? p->uplinkRateBps
                                     : p->downlinkRateBps)
                = v;
        }
        else if (name == "delay" || name == "nat_binding_timeout")
        {
            if (!ParseWithUnit(value, times, &v) || v < 0)
            {
                fail(name, value, "a duration of 0 or more (seconds, or with s, ms, us, ns)");
            }
            (name == "delay" ? p->delayS : p->natBindingTimeoutS) = v;
        }
        else if (name == "loss")
        {
            if (!ParseNumber(value, &v) || v < 0 || v > 1)
            {
                fail(name, value, "a probability in [0, 1]");
            }
            p->loss = v;
        }
        else if (name == "mtu")
        {
            if (!ParseNumber(value, &v) || v != std::floor(v) || v < 68 || v > 65535)
            {
                fail(name, value, "an MTU in bytes in [68, 65535]");
            }
            p->mtu = static_cast<uint32_t>(v);
        }
        else if (name == "cost")
        {
            if (!ParseNumber(value, &v) || v <= 0)
            {
                fail(name, value, "a routing cost above 0");
            }
            p->cost = v;
        }
        else if (name == "medium")
        {
            if (value != "scheduled" && value != "aloha")
            {
                fail(name, value, "scheduled or aloha");
            }
            p->medium = value;
        }
    }
}

const std::set<std::string>&
LinkAttributeNames()
{
    static const std::set<std::string> names
        = {"kind", "rate", "uplink_rate",         "downlink_rate", "delay",
           "loss", "mtu",  "nat_binding_timeout", "medium",        "cost"};
    return names;
}

const std::set<std::string>&
HubAttributeNames()
{
    static const std::set<std::string> names
        = {"role",          "devices", "kind", "rate", "uplink_rate",
           "downlink_rate", "delay",   "loss", "mtu",  "nat_binding_timeout",
           "medium"};
    return names;
}

std::string
Known(const std::set<std::string>& names)
{
    std::string s;
    for (const auto& n : names)
    {
        s += (s.empty() ? "" : ", ") + n;
    }
    return s;
}

/// Carries what a CensusCheck threw past ReadDot's translation of read_graphviz's errors.
struct CensusRefused
{
    std::exception_ptr error;
};

/// Parses a hub's devices=N; nullopt when it is not a count in [0, kMaxDevicesPerHub].
std::optional<uint32_t>
DeviceCount(const std::string& text)
{
    double count = 0;
    if (!ParseNumber(text, &count) || count != std::floor(count) || count < 0
        || count > kMaxDevicesPerHub)
    {
        return std::nullopt;
    }
    return static_cast<uint32_t>(count);
}

/// What the raw graph will become, generated devices included, before any is made.
template<typename Directedness>
TopologyCensus
CensusOf(const RawGraph<Directedness>& raw)
{
    TopologyCensus c;
    for (auto [it, end] = boost::vertices(raw); it != end; ++it)
    {
        const auto& attributes = raw[*it].attributes;
        auto role = attributes.find("role");
        std::optional<Role> r = role == attributes.end() ? std::nullopt : ParseRole(role->second);
        ++c.nodes;
        c.devices += r == Role::Device;
        if (!r || !IsHub(*r))
        {
            continue;
        }
        ++c.hubs;
        auto d = attributes.find("devices");
        const uint64_t generated = d == attributes.end() ? 0 : DeviceCount(d->second).value_or(0);
        auto kind = attributes.find("kind");
        std::optional<LinkKind> k = kind == attributes.end()
                                        ? (*r == Role::Cell ? LinkKind::NbIot : LinkKind::Lpwan)
                                        : ParseLinkKind(kind->second);
        c.devices += generated;
        c.nodes += generated;
        c.links += generated;
        c.cellularDevices += k && IsCellular(*k) ? generated : 0;
    }
    for (auto [it, end] = boost::edges(raw); it != end; ++it)
    {
        ++c.links;
        auto kind = raw[*it].attributes.find("kind");
        std::optional<LinkKind> k
            = kind == raw[*it].attributes.end() ? std::nullopt : ParseLinkKind(kind->second);
        c.cellularDevices += k && IsCellular(*k); // a declared device's radio link
    }
    return c;
}

template<typename Directedness>
Topology
Convert(RawGraph<Directedness>& raw, const std::string& origin, const CensusCheck& check)
{
    if (check)
    {
        try
        {
            check(CensusOf(raw));
        }
        catch (...)
        {
            throw CensusRefused{std::current_exception()};
        }
    }
    Topology t(origin);
    using RawVertex = typename boost::graph_traits<RawGraph<Directedness>>::vertex_descriptor;
    std::vector<RawVertex> order;
    for (auto [it, end] = boost::vertices(raw); it != end; ++it)
    {
        order.push_back(*it);
    }
    std::sort(order.begin(), order.end(),
              [&raw](RawVertex a, RawVertex b)
              {
                  return NaturalLess(raw[a].id, raw[b].id);
              });

    // Devices are added last, declared and generated together in the natural order of their
    // names: that order is their index, whatever the file's layout.
    struct DeviceEntry
    {
        std::string name;
        std::optional<RawVertex> declared;
        Vertex hub = 0; ///< generated devices: their hub
        LinkKind kind = LinkKind::Lpwan;
    };
    std::vector<DeviceEntry> devices;
    std::vector<std::optional<Vertex>> vertexOf(boost::num_vertices(raw));

    for (RawVertex rv : order)
    {
        const RawNode& n = raw[rv];
        const std::string where = "node '" + n.id + "'";
        auto role = n.attributes.find("role");
        if (role == n.attributes.end() || role->second.empty())
        {
            t.Fail(where + ": missing attribute role (one of device, cell, enb, gateway, "
                           "router, proxy, server)");
        }
        std::optional<Role> r = ParseRole(role->second);
        if (!r)
        {
            t.Fail(where + ": unknown role '" + role->second
                   + "' (one of device, cell, enb, gateway, router, proxy, server)");
        }
        const std::set<std::string> plain = {"role"};
        const std::set<std::string>& allowed = IsHub(*r) ? HubAttributeNames() : plain;
        for (const auto& [name, value] : n.attributes)
        {
            if (allowed.count(name) == 0 && !IsPresentation(name))
            {
                t.Fail(where + ": unknown attribute '" + name + "' for a " + RoleName(*r)
                       + " (known: " + Known(allowed) + ")");
            }
        }
        if (*r == Role::Device)
        {
            devices.push_back(DeviceEntry{n.id, rv, 0, LinkKind::Lpwan});
            continue;
        }
        Vertex v = t.AddNode(n.id, *r);
        vertexOf[rv] = v;
        if (!IsHub(*r))
        {
            continue;
        }
        std::map<std::string, std::string> radio = n.attributes;
        radio.erase("role");
        radio.erase("devices");
        radio.erase("kind");
        ParseParams(t, where, radio, &t.GetNode(v).radio);
        LinkKind kind = *r == Role::Cell ? LinkKind::NbIot : LinkKind::Lpwan;
        if (auto k = n.attributes.find("kind"); k != n.attributes.end())
        {
            std::optional<LinkKind> parsed = ParseLinkKind(k->second);
            if (!parsed || !IsRadio(*parsed))
            {
                t.Fail(where + ": kind='" + k->second
                       + "' is not a radio kind (lpwan, nbiot or ltem) for its devices");
            }
            kind = *parsed;
        }
        if (auto d = n.attributes.find("devices"); d != n.attributes.end())
        {
            std::optional<uint32_t> count = DeviceCount(d->second);
            if (!count)
            {
                t.Fail(where + ": devices='" + d->second + "' is not a number of devices in [0, "
                       + std::to_string(kMaxDevicesPerHub) + "]");
            }
            for (uint32_t i = 1; i <= *count; ++i)
            {
                devices.push_back(
                    DeviceEntry{n.id + "-d" + std::to_string(i), std::nullopt, v, kind});
            }
        }
    }

    std::stable_sort(devices.begin(), devices.end(),
                     [](const DeviceEntry& a, const DeviceEntry& b)
                     {
                         return NaturalLess(a.name, b.name);
                     });
    for (const DeviceEntry& d : devices)
    {
        Vertex v = t.AddNode(d.name, Role::Device); // a generated name taken twice fails here
        if (d.declared)
        {
            vertexOf[*d.declared] = v;
        }
    }

    for (auto [it, end] = boost::edges(raw); it != end; ++it)
    {
        const RawEdge& e = raw[*it];
        Vertex a = *vertexOf[boost::source(*it, raw)];
        Vertex b = *vertexOf[boost::target(*it, raw)];
        const std::string where = "edge '" + t.GetNode(a).name + "' -- '" + t.GetNode(b).name + "'";
        for (const auto& [name, value] : e.attributes)
        {
            if (LinkAttributeNames().count(name) == 0 && !IsPresentation(name))
            {
                t.Fail(where + ": unknown attribute '" + name
                       + "' (known: " + Known(LinkAttributeNames()) + ")");
            }
        }
        auto kind = e.attributes.find("kind");
        if (kind == e.attributes.end() || kind->second.empty())
        {
            t.Fail(where + ": missing attribute kind (lpwan, nbiot, ltem or p2p)");
        }
        std::optional<LinkKind> k = ParseLinkKind(kind->second);
        if (!k)
        {
            t.Fail(where + ": unknown kind '" + kind->second + "' (lpwan, nbiot, ltem or p2p)");
        }
        LinkParams params;
        std::map<std::string, std::string> values = e.attributes;
        values.erase("kind");
        ParseParams(t, where, values, &params);
        t.AddLink(a, b, *k, params);
    }

    for (const DeviceEntry& d : devices)
    {
        if (!d.declared)
        {
            t.AddLink(*t.Find(d.name), d.hub, d.kind);
        }
    }
    t.Validate();
    return t;
}

template<typename Directedness>
Topology
Read(const std::string& text, const std::string& origin, const CensusCheck& check)
{
    RawGraph<Directedness> raw;
    using G = RawGraph<Directedness>;
    using VertexKey = typename boost::graph_traits<G>::vertex_descriptor;
    using EdgeKey = typename boost::graph_traits<G>::edge_descriptor;
    boost::dynamic_properties dp(
        [&raw](const std::string& name, const boost::any& key,
               const boost::any&) -> boost::shared_ptr<boost::dynamic_property_map>
        {
            if (key.type() == typeid(VertexKey))
            {
                return boost::shared_ptr<boost::dynamic_property_map>(
                    new AttributeMap<G, VertexKey>(raw, name));
            }
            if (key.type() == typeid(EdgeKey))
            {
                return boost::shared_ptr<boost::dynamic_property_map>(
                    new AttributeMap<G, EdgeKey>(raw, name));
            }
            return boost::shared_ptr<boost::dynamic_property_map>(new IgnoredMap(key.type()));
        });
    dp.property("node_id", boost::get(&RawNode::id, raw));
    boost::read_graphviz(text, raw, dp, "node_id");
    return Convert(raw, origin, check);
}

} // namespace

Topology
ReadDot(const std::string& text, const std::string& origin, const CensusCheck& check)
{
    // Bounded before read_graphviz holds the whole graph as strings.
    ScanDot(text, origin);
    try
    {
        try
        {
            return Read<boost::undirectedS>(text, origin, check);
        }
        catch (const boost::directed_graph_error&)
        {
            // A digraph: its edges are links all the same (traffic flows both ways).
            return Read<boost::bidirectionalS>(text, origin, check);
        }
    }
    catch (const CensusRefused& refused)
    {
        std::rethrow_exception(refused.error); // the check's own exception, unchanged
    }
    catch (const TopologyError&)
    {
        throw;
    }
    catch (const std::exception& e)
    {
        // boost::bad_graphviz_syntax and the property-map exceptions.
        throw TopologyError(origin + ": not a valid DOT graph: " + e.what());
    }
}

Topology
ReadDotFile(const std::string& path, const CensusCheck& check)
{
    std::string error;
    std::optional<std::string> text
        = ReadBoundedRegularFile(path, kMaxDotFileBytes, "topology", &error);
    if (!text)
    {
        throw TopologyError(error);
    }
    return ReadDot(*text, path, check);
}

namespace
{

std::string
Quote(const std::string& s)
{
    std::string out = "\"";
    for (char c : s)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

std::string
Number(double v)
{
    std::ostringstream os;
    os.precision(17);
    os << v;
    return os.str();
}

std::string
Attributes(const LinkParams& p)
{
    std::string s;
    auto add = [&s](const char* name, const std::string& value)
    {
        s += std::string(", ") + name + "=" + Quote(value);
    };
    if (p.rateBps)
    {
        add("rate", Number(*p.rateBps));
    }
    if (p.uplinkRateBps)
    {
        add("uplink_rate", Number(*p.uplinkRateBps));
    }
    if (p.downlinkRateBps)
    {
        add("downlink_rate", Number(*p.downlinkRateBps));
    }
    if (p.delayS)
    {
        add("delay", Number(*p.delayS));
    }
    if (p.loss)
    {
        add("loss", Number(*p.loss));
    }
    if (p.mtu)
    {
        add("mtu", std::to_string(*p.mtu));
    }
    if (p.natBindingTimeoutS)
    {
        add("nat_binding_timeout", Number(*p.natBindingTimeoutS));
    }
    if (p.medium)
    {
        add("medium", *p.medium);
    }
    if (p.cost)
    {
        add("cost", Number(*p.cost));
    }
    return s;
}

} // namespace

void
WriteDot(const Topology& t, std::ostream& os)
{
    const Graph& g = t.GetGraph();
    os << "graph topology {\n";
    for (auto [it, end] = boost::vertices(g); it != end; ++it)
    {
        const NodeSpec& n = g[*it];
        os << "    " << Quote(n.name) << " [role=" << RoleName(n.role) << Attributes(n.radio)
           << "];\n";
    }
    for (auto [it, end] = boost::edges(g); it != end; ++it)
    {
        const LinkSpec& l = g[*it];
        os << "    " << Quote(g[boost::source(*it, g)].name) << " -- "
           << Quote(g[boost::target(*it, g)].name) << " [kind=" << LinkKindName(l.kind)
           << Attributes(l.params) << "];\n";
    }
    os << "}\n";
}

} // namespace topology
} // namespace ns3
