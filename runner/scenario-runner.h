/*
 * The run pipeline: one path for every network and every security profile. It builds the
 * network the scenario describes (networks/run-network.h: the generic star, NB-IoT / LTE-M
 * cells or a topology), installs the security profile's server and devices on it
 * (profiles/security-profile.h), runs it and writes its traces:
 *
 *   summary.json   deterministic aggregate results (see run-summary.h)
 *   messages.csv   one row per application message, written as messages finish
 *   perf.json      wall time, simulated events, peak memory (not deterministic)
 *   energy.csv     per device, on networks with energy models (cells)
 *   *.pcap         when trace.pcap is true (raw IPv4, Wireshark-readable)
 * and what the network adds (a topology: topology.dot, exposure-devices.csv).
 */
#ifndef LPWAN_SCENARIO_RUNNER_H
#define LPWAN_SCENARIO_RUNNER_H

#include "attribute-overrides.h"
#include "scenario-config.h"
#include "scenario-validation.h"

#include <nlohmann/json.hpp>

#include <string>

namespace ns3
{

struct RunOutcome
{
    nlohmann::json summary; ///< as written to summary.json
    nlohmann::json perf;    ///< as written to perf.json
};

class ScenarioRunner
{
  public:
    /// outDir is created if missing. The scenario is validated (ValidateScenario) by Run.
    ScenarioRunner(const ScenarioConfig& config, const std::string& outDir);
    /// A scenario validated already (its topology, if any, read once then).
    ScenarioRunner(ValidatedScenario scenario, const std::string& outDir);
    /// ns-3 attribute overrides (lpwan-run's --ns3::Type::Attr=value) for this run.
    void SetAttributeOverrides(std::vector<AttributeOverride> overrides)
    {
        m_attributeOverrides = std::move(overrides);
    }
    /// Runs the scenario and writes the traces. Throws std::runtime_error on I/O errors.
    RunOutcome Run();

  private:
    std::vector<AttributeOverride> m_attributeOverrides;
    ScenarioConfig m_config;
    std::shared_ptr<const ValidatedScenario> m_validated;
    std::string m_outDir;
};

} // namespace ns3

#endif // LPWAN_SCENARIO_RUNNER_H
