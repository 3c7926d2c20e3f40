/*
 * Scenarios over a topology (topology.file or topology.generator): ScenarioRunner::Run hands
 * them over to RunTopologyScenario, which builds the topology with TopologyHelper, places the
 * security architecture on it (CoAP proxies on the terminating nodes, OSCORE and DTLS
 * credentials for every hop), installs the adversaries of adversary.nodes and runs the same
 * meters and server as the built-in star.
 *
 * Besides the traces of every run it writes:
 *   topology.dot          the topology that ran (generators and devices=N expanded)
 *   exposure-devices.csv  per device: its path, the compromised nodes on it, the predicted
 *                         exposure and what the adversaries really read
 * and summary.json gets `topology`, `security.architecture` and `exposure` sections.
 */
#ifndef LPWAN_TOPOLOGY_SCENARIO_H
#define LPWAN_TOPOLOGY_SCENARIO_H

#include "scenario-config.h"
#include "scenario-runner.h"
#include "topology/topology.h"

#include <string>

namespace ns3
{

/// True when the scenario names a topology (topology.file or topology.generator).
bool UsesTopology(const ScenarioConfig& c);

/// Checks the topology.*, security.architecture and adversary.* keys together, loading the
/// topology (so a broken topology file is a scenario error). Throws ScenarioError naming the
/// key's origin, the key and, for topology files, the file and the node or edge.
void ValidateTopologyKeys(const ScenarioConfig& c);

/// The scenario's topology. Throws ScenarioError as above.
topology::Topology LoadScenarioTopology(const ScenarioConfig& c);

/// Runs a scenario over its topology and writes its traces into outDir.
RunOutcome RunTopologyScenario(const ScenarioConfig& c, const std::string& outDir);

} // namespace ns3

#endif // LPWAN_TOPOLOGY_SCENARIO_H
