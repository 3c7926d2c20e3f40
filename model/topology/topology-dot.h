/*
 * Topologies in Graphviz DOT, read with Boost.Graph's read_graphviz.
 *
 *   graph campus {
 *       server [role=server];
 *       core   [role=router];
 *       gw1    [role=gateway, devices=20, loss=0.1];   // 20 devices gw1-d1 .. gw1-d20
 *       gw2    [role=gateway];
 *       m1     [role=device];
 *       server -- core [kind=p2p, rate="10Mbps", delay="20ms"];
 *       core -- gw1 [kind=p2p];
 *       core -- gw2 [kind=p2p, nat_binding_timeout=120];
 *       m1 -- gw2 [kind=lpwan];
 *   }
 *
 * Node attributes: role (required: device, cell or enb, gateway, router, proxy, server).
 * Gateways and cells also take devices=N (N devices named <hub>-d1 .. <hub>-dN joined by
 * radio links of the hub's kind=lpwan|nbiot|ltem, default lpwan for a gateway and nbiot for a
 * cell) and the parameters of their radio channel: rate, uplink_rate, downlink_rate, delay,
 * loss, mtu, nat_binding_timeout, medium (scheduled|aloha); a hub with nbiot or ltem links is a
 * cell of the NB-IoT model and takes only mtu and nat_binding_timeout.
 *
 * Edge attributes: kind (required: lpwan, nbiot, ltem, p2p), rate (bit/s, or with a unit: bps,
 * kbps, Mbps, Gbps), uplink_rate and downlink_rate (radio), delay (seconds, or with a unit:
 * s, ms, us, ns), loss (0 to 1), mtu (bytes), nat_binding_timeout (seconds: a NAT on this
 * link forgets a device's idle UDP binding), medium (radio), cost (p2p: routing metric, default
 * 1). Graphviz presentation attributes (label, color, shape, ...) are accepted and ignored;
 * any other attribute is an error, so that a misspelt one is not silently dropped. Both
 * `graph` and `digraph` files are read; a directed edge is a link like any other.
 *
 * A hub makes at most kMaxDevicesPerHub devices (devices=N), and has at most that many whether
 * generated or declared (Topology::Validate): what one subnet in 10.0.0.0/8 addresses.
 *
 * Device indices follow the natural order of the devices' names (declared and generated
 * alike; "d2" before "d10"), whatever the layout of the file.
 */
#ifndef LPWAN_TOPOLOGY_DOT_H
#define LPWAN_TOPOLOGY_DOT_H

#include "topology-census.h"
#include "topology.h"

#include <ostream>
#include <string>

namespace ns3
{
namespace topology
{

/// A topology file larger than this is refused (16 MiB: a few hundred thousand explicit
/// device nodes and their links).
constexpr uint64_t kMaxDotFileBytes = 16 << 20;

/// Reads and validates a DOT file. Throws TopologyError whose message starts with the path.
/// check, when given, sees the topology's census once the file is read and before the
/// topology is built (ReadDot).
Topology ReadDotFile(const std::string& path, const CensusCheck& check = nullptr);

/// Reads and validates DOT text; origin names it in error messages. The text is first
/// scanned (ScanDot: at most kMaxDotNodes nodes and kMaxDotEdges edges), then read by
/// read_graphviz; check, when given, then sees the census (generated devices included)
/// before any device is made.
Topology ReadDot(const std::string& text, const std::string& origin,
                 const CensusCheck& check = nullptr);

/// Writes the topology as DOT (every device explicit, every set parameter as an attribute),
/// so that ReadDot gives the same topology back.
void WriteDot(const Topology& topology, std::ostream& os);

} // namespace topology
} // namespace ns3

#endif // LPWAN_TOPOLOGY_DOT_H
