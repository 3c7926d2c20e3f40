#include "security-architecture.h"

#include <stdexcept>

namespace ns3
{
namespace topology
{

std::optional<Architecture>
ParseArchitecture(const std::string& text)
{
    if (text == "end-to-end")
    {
        return Architecture::EndToEnd;
    }
    if (text == "hop-by-hop")
    {
        return Architecture::HopByHop;
    }
    if (text == "layered")
    {
        return Architecture::Layered;
    }
    return std::nullopt;
}

const char*
ArchitectureName(Architecture a)
{
    switch (a)
    {
        case Architecture::EndToEnd:
            return "end-to-end";
        case Architecture::HopByHop:
            return "hop-by-hop";
        case Architecture::Layered:
            return "layered";
    }
    return "?";
}

SecuritySetup
SecuritySetup::From(const std::string& profile, bool endToEnd, bool hops, Architecture architecture,
                    bool gatewayProxies)
{
    SecuritySetup s;
    s.architecture = architecture;
    if (architecture != Architecture::EndToEnd && !hops)
    {
        throw std::invalid_argument(std::string(ArchitectureName(architecture))
                                    + " needs a profile with DTLS on each hop; '" + profile
                                    + "' has none");
    }
    s.dtls = hops;
    s.oscore = endToEnd || architecture == Architecture::Layered;
    s.gatewayProxies = gatewayProxies || architecture != Architecture::EndToEnd;
    return s;
}

bool
IsTerminating(const Topology& t, Vertex v, const SecuritySetup& setup)
{
    Role r = t.GetNode(v).role;
    return r == Role::Proxy || (r == Role::Gateway && setup.gatewayProxies);
}

FlowPlan::FlowPlan(const Topology& t, const RouteTree& routes, const SecuritySetup& setup)
  : m_topology(t)
{
    const size_t n = t.GetNodeCount();
    m_deviceIndex.assign(n, SIZE_MAX);
    m_upstream.assign(n, std::nullopt);
    std::vector<bool> carries(n, false);
    for (size_t i = 0; i < t.GetDevices().size(); ++i)
    {
        Vertex d = t.GetDevices()[i];
        m_deviceIndex[d] = i;
        std::vector<Vertex> endpoints;
        for (Vertex v : routes.GetPath(d))
        {
            if (v != d && (v == routes.GetRoot() || IsTerminating(t, v, setup)))
            {
                endpoints.push_back(v);
            }
        }
        for (size_t k = 0; k + 1 < endpoints.size(); ++k)
        {
            carries[endpoints[k]] = true;
            m_upstream[endpoints[k]] = endpoints[k + 1];
        }
        m_endpoints.push_back(std::move(endpoints));
    }
    for (Vertex v = 0; v < n; ++v)
    {
        if (carries[v])
        {
            m_proxies.push_back(v);
        }
    }
}

size_t
FlowPlan::Index(Vertex device) const
{
    if (device >= m_deviceIndex.size() || m_deviceIndex[device] == SIZE_MAX)
    {
        m_topology.Fail(m_topology.DescribeNode(device) + " is not a device");
    }
    return m_deviceIndex[device];
}

Vertex
FlowPlan::GetUpstream(Vertex proxy) const
{
    if (!m_upstream.at(proxy))
    {
        m_topology.Fail(m_topology.DescribeNode(proxy) + " carries no device's flow");
    }
    return *m_upstream[proxy];
}

std::vector<Vertex>
FlowPlan::GetClientsOf(Vertex endpoint) const
{
    std::vector<Vertex> clients;
    for (Vertex v = 0; v < m_topology.GetNodeCount(); ++v)
    {
        if (m_deviceIndex[v] != SIZE_MAX)
        {
            if (GetFirstHop(v) == endpoint)
            {
                clients.push_back(v);
            }
        }
        else if (m_upstream[v] == endpoint)
        {
            clients.push_back(v);
        }
    }
    return clients;
}

std::vector<DeviceExposure>
PredictExposure(const Topology& t, const RouteTree& routes, const SecuritySetup& setup,
                const std::set<Vertex>& compromised)
{
    std::vector<DeviceExposure> out;
    for (Vertex d : t.GetDevices())
    {
        DeviceExposure e;
        e.device = d;
        e.path = routes.GetPath(d);
        for (Vertex v : e.path)
        {
            if (v == d || v == routes.GetRoot() || compromised.count(v) == 0)
            {
                continue;
            }
            e.compromisedOnPath.push_back(v);
            // OSCORE keeps the payload from every node but the server; DTLS from every node
            // that does not terminate it.
            bool readable = !setup.oscore && (!setup.dtls || IsTerminating(t, v, setup));
            if (readable && !e.payloadReadBy)
            {
                e.payloadReadBy = v;
            }
        }
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace topology
} // namespace ns3
