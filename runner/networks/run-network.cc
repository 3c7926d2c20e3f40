#include "run-network.h"

#include "nbiot-topology.h"

namespace ns3
{

// Each builder's file defines its factory. Adding a kind of network: declare it and choose it.
std::unique_ptr<RunNetwork> MakeStarNetwork(const ScenarioConfig& c);
std::unique_ptr<RunNetwork> MakeCellNetwork(const ScenarioConfig& c);
std::unique_ptr<RunNetwork> MakeTopologyNetwork(const ScenarioConfig& c,
                                                std::shared_ptr<const topology::Topology> t);

std::unique_ptr<RunNetwork>
MakeRunNetwork(const ValidatedScenario& scenario)
{
    if (scenario.topology)
    {
        return MakeTopologyNetwork(scenario.config, scenario.topology);
    }
    if (IsCellularLink(scenario.config))
    {
        return MakeCellNetwork(scenario.config);
    }
    return MakeStarNetwork(scenario.config);
}

} // namespace ns3
