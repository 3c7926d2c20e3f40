#include "scenario-validation.h"

#include "faults/fault-plan.h"
#include "networks/topology-keys.h"

namespace ns3
{

ValidatedScenario
ValidateScenario(const ScenarioConfig& c)
{
    c.ValidateRelations();
    FaultPlanOf(c); // a fault after the reports end is an error before anything runs
    ValidatedScenario s{c, nullptr};
    if (std::optional<topology::Topology> t = ValidateTopologyKeys(c))
    {
        s.topology = std::make_shared<const topology::Topology>(std::move(*t));
    }
    return s;
}

} // namespace ns3
