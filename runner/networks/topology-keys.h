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
#include "topology/topology.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/// Checks the topology.*, security.architecture and adversary.* keys together, loading the
/// topology (so a broken topology file is a scenario error), and returns it (nullopt when the
/// scenario has none). Throws ScenarioError naming the key's origin, the key and, for topology
/// files, the file and the node or edge.
std::optional<topology::Topology> ValidateTopologyKeys(const ScenarioConfig& c);

/// The scenario's topology. Throws ScenarioError as above.
topology::Topology LoadScenarioTopology(const ScenarioConfig& c);

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
