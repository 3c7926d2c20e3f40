/*
 * Where security terminates on a topology, and what a compromised node can therefore reach.
 *
 * A security architecture places the protocols of a security profile on the path of every
 * device's reports:
 *
 *   end-to-end  the profile runs between the device and the server. Gateways and cells are IP
 *               routers (or, with gateway proxies, CoAP proxies: OSCORE's outer options let a
 *               proxy forward what it cannot read). With OSCORE only the server reads a report.
 *   hop-by-hop  DTLS from the device to its gateway, which terminates it, reads the CoAP
 *               request and forwards it over DTLS again towards the server (as IoT gateways
 *               and platform front-ends do). Every gateway on the path is such a proxy.
 *   layered     OSCORE from end to end inside hop-by-hop DTLS.
 *
 * Nodes with role=proxy are CoAP proxies under every architecture: a proxy terminates the
 * transport hop (a DTLS session cannot cross it), but not OSCORE.
 *
 * The terminating nodes on a device's path split it into hops: device -> first proxy -> ...
 * -> server. Each proxy forwards every request to the next terminating node towards the
 * server (its upstream). PredictExposure() turns this into the prediction the simulation is
 * checked against: a compromised node on the path reads (and can rewrite undetected) a
 * device's reports exactly when OSCORE does not protect them and either nothing protects the
 * hop through that node or the node terminates it.
 */
#ifndef LPWAN_SECURITY_ARCHITECTURE_H
#define LPWAN_SECURITY_ARCHITECTURE_H

#include "topology-routes.h"
#include "topology.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ns3
{
namespace topology
{

enum class Architecture
{
    EndToEnd,
    HopByHop,
    Layered,
};

/// Parses "end-to-end", "hop-by-hop", "layered".
std::optional<Architecture> ParseArchitecture(const std::string& text);
const char* ArchitectureName(Architecture a);

/// What protects the reports, derived from a security profile and an architecture.
struct SecuritySetup
{
    Architecture architecture = Architecture::EndToEnd;
    bool oscore = false;         ///< OSCORE from the device to the server
    bool dtls = false;           ///< DTLS on every transport hop (device->proxy->...->server)
    bool gatewayProxies = false; ///< gateways run CoAP proxies

    /// What the security profile runs: OSCORE end to end (endToEnd), DTLS on each transport
    /// hop (hops); profile names it in errors. Throws std::invalid_argument when the
    /// combination makes no sense (hop-by-hop or layered need a profile with DTLS).
    static SecuritySetup From(const std::string& profile, bool endToEnd, bool hops,
                              Architecture architecture, bool gatewayProxies);
};

/// True when v runs a CoAP proxy (terminates the transport hop) under this setup.
bool IsTerminating(const Topology& t, Vertex v, const SecuritySetup& setup);

/// The hops of every device's flow under a setup.
class FlowPlan
{
  public:
    FlowPlan(const Topology& t, const RouteTree& routes, const SecuritySetup& setup);

    /// The terminating nodes on the device's path, nearest first, then the server.
    const std::vector<Vertex>& GetEndpoints(Vertex device) const
    {
        return m_endpoints.at(Index(device));
    }

    /// Where a device sends its reports: its first endpoint.
    Vertex GetFirstHop(Vertex device) const
    {
        return GetEndpoints(device).front();
    }

    /// The proxies that carry at least one device's flow, in vertex order.
    const std::vector<Vertex>& GetProxies() const
    {
        return m_proxies;
    }

    /// Where a proxy forwards requests: the next terminating node towards the server, or it.
    Vertex GetUpstream(Vertex proxy) const;

    /// Who talks to `endpoint` (a proxy or the server): devices and proxies whose next hop
    /// it is, in vertex order.
    std::vector<Vertex> GetClientsOf(Vertex endpoint) const;

  private:
    size_t Index(Vertex device) const;

    const Topology& m_topology;
    std::vector<std::vector<Vertex>> m_endpoints; ///< per device index
    std::vector<size_t> m_deviceIndex;            ///< vertex -> device index
    std::vector<Vertex> m_proxies;
    std::vector<std::optional<Vertex>> m_upstream; ///< per vertex
};

/// The predicted exposure of one device's reports to a set of compromised nodes.
struct DeviceExposure
{
    Vertex device;
    std::vector<Vertex> path;              ///< device ... server
    std::vector<Vertex> compromisedOnPath; ///< nodes that see its traffic, nearest first
    std::optional<Vertex> payloadReadBy;   ///< the first of them that can read the payload
    bool OnPath() const
    {
        return !compromisedOnPath.empty();
    }

    /// Its reports' payload is readable, and rewritable undetected, by a compromised node.
    bool PayloadExposed() const
    {
        return payloadReadBy.has_value();
    }
};

/// One entry per device, in device index order.
std::vector<DeviceExposure> PredictExposure(const Topology& t, const RouteTree& routes,
                                            const SecuritySetup& setup,
                                            const std::set<Vertex>& compromised);

} // namespace topology
} // namespace ns3

#endif // LPWAN_SECURITY_ARCHITECTURE_H
