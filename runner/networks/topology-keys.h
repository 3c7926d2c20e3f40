/*
 * The scenario keys of a topology run (topology.*, security.architecture, adversary.*): checked
 * together, and turned into what the topology network (topology-network.cc) builds from. The
 * topology file is read once, when the scenario is validated (scenario-validation.h).
 */
#ifndef LPWAN_TOPOLOGY_KEYS_H
#define LPWAN_TOPOLOGY_KEYS_H

#include "adversary/adversary.h"
#include "scenario-config.h"
#include "topology-helper.h"
#include "topology/security-architecture.h"
#include "topology/topology-census.h"
#include "topology/topology.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/// Sees a topology's size before it is built (before a generator makes it, once a topology
/// file is read and before its hubs' devices=N are made), with the key that sets it
/// (devices.count or topology.file) and how the size comes about ("120000 devices (topology.
/// gateways 2 x devices.count 60000)"); throws ScenarioError to refuse it.
using TopologySizeCheck = std::function<void(const topology::TopologyCensus& census,
                                             const std::string& key, const std::string& what)>;

/// Checks the topology.*, security.architecture and adversary.* keys together, loading the
/// topology (so a broken topology file is a scenario error), and returns it (nullopt when the
/// scenario has none). Throws ScenarioError naming the key's origin, the key and, for topology
/// files, the file and the node or edge.
std::optional<topology::Topology> ValidateTopologyKeys(const ScenarioConfig& c,
                                                       const TopologySizeCheck& check = nullptr);

/// The scenario's topology. Throws ScenarioError as above.
topology::Topology LoadScenarioTopology(const ScenarioConfig& c,
                                        const TopologySizeCheck& check = nullptr);

/// The security architecture the profile and security.architecture make on a topology.
topology::SecuritySetup TopologySecuritySetup(const ScenarioConfig& c);

/// adversary.capabilities, probabilities and times.
AdversaryConfig AdversaryConfigOf(const ScenarioConfig& c);

/// The names of adversary.nodes (empty for "none").
std::vector<std::string> AdversaryNodes(const ScenarioConfig& c);

/// The link.* and backhaul.* keys, for the links a topology leaves unset.
TopologyLinkDefaults TopologyLinkDefaultsOf(const ScenarioConfig& c);

} // namespace ns3

#endif // LPWAN_TOPOLOGY_KEYS_H
