/*
 * A scenario checked as a whole before anything runs: the keys' relations
 * (ScenarioConfig::ValidateRelations), the profile's own relations, the topology keys
 * checked against the topology they describe, which is read here, once per run, and the
 * run's expected memory (memory-estimate.h) against the limit, before anything large is
 * built.
 */
#ifndef LPWAN_SCENARIO_VALIDATION_H
#define LPWAN_SCENARIO_VALIDATION_H

#include "memory-estimate.h"
#include "scenario-config.h"
#include "topology/topology.h"

#include <memory>

namespace ns3
{

struct ValidatedScenario
{
    ScenarioConfig config;
    std::shared_ptr<const topology::Topology> topology; ///< nullptr: no topology
    MemoryEstimate memory;                              ///< what the run should need
};

/// Throws ScenarioError naming the file, line and key of the first problem. A run whose
/// memory estimate exceeds limit is one: the key named is the one that makes it large
/// (devices.count, topology.file, or traffic.interval_s when the reports' figures dominate).
ValidatedScenario ValidateScenario(const ScenarioConfig& c,
                                   const MemoryLimit& limit = MemoryLimit::OfThisMachine());

} // namespace ns3

#endif // LPWAN_SCENARIO_VALIDATION_H
