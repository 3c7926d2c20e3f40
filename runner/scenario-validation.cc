#include "scenario-validation.h"

#include "faults/fault-plan.h"
#include "networks/radio-subnets.h"
#include "networks/topology-keys.h"

namespace ns3
{

namespace
{

/// Fails with key (or traffic.interval_s, when the reports' figures are the larger part)
/// when a run of this size does not fit the limit.
void
CheckSize(const ScenarioConfig& c, const RunSize& size, const std::string& key,
          const std::string& what, const MemoryLimit& limit, MemoryEstimate* estimate)
{
    if (std::optional<std::string> why = CheckRunMemory(c, size, what, limit, estimate))
    {
        c.Fail(estimate->reportsMiB > estimate->devicesMiB ? "traffic.interval_s" : key, *why);
    }
}

} // namespace

ValidatedScenario
ValidateScenario(const ScenarioConfig& c, const MemoryLimit& limit)
{
    c.ValidateRelations();
    FaultPlanOf(c); // a fault after the reports end is an error before anything runs
    ValidatedScenario s{c, nullptr, {}};
    TopologySizeCheck check =
        [&](const topology::TopologyCensus& census, const std::string& key, const std::string& what)
    {
        CheckSize(c, TopologyRunSize(c, census), key, what, limit, &s.memory);
    };
    if (std::optional<topology::Topology> t = ValidateTopologyKeys(c, check))
    {
        s.topology = std::make_shared<const topology::Topology>(std::move(*t));
    }
    else
    {
        const RunSize size = BuiltInNetworkSize(c);
        const uint64_t perHub = (size.devices + size.hubs - 1) / size.hubs;
        if (!RadioSubnetMask(perHub, size.hubs))
        {
            c.Fail(
                "devices.count",
                std::to_string(size.devices) + " devices"
                    + (size.hubs > 1 ? " in " + std::to_string(size.hubs) + " cells ("
                                           + std::to_string(perHub) + " in a cell)"
                                     : std::string())
                    + " do not fit the radio subnets' 10.0.0.0/8: a cell or the star holds at most "
                    + std::to_string(MaxDevicesPerRadioSubnet(size.hubs)) + " devices here");
        }
        CheckSize(c, size, "devices.count", std::to_string(size.devices) + " devices", limit,
                  &s.memory);
    }
    return s;
}

} // namespace ns3
