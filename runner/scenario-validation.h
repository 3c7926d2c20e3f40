/*
 * A scenario checked as a whole before anything runs: the keys' relations
 * (ScenarioConfig::ValidateRelations), the profile's own relations, and the topology keys
 * checked against the topology they describe, which is read here, once per run.
 */
#ifndef LPWAN_SCENARIO_VALIDATION_H
#define LPWAN_SCENARIO_VALIDATION_H

#include "scenario-config.h"
#include "topology/topology.h"

#include <memory>

namespace ns3
{

struct ValidatedScenario
{
    ScenarioConfig config;
    std::shared_ptr<const topology::Topology> topology; ///< nullptr: no topology
};

/// Throws ScenarioError naming the file, line and key of the first problem.
ValidatedScenario ValidateScenario(const ScenarioConfig& c);

} // namespace ns3

#endif // LPWAN_SCENARIO_VALIDATION_H
