/*
 * Builds the network a scenario describes (devices around an LPWAN gateway, a backhaul to the
 * server, the CoAP applications), runs it and writes its traces:
 *
 *   summary.json   deterministic aggregate results (see run-summary.h)
 *   messages.csv   one row per application message, written as messages finish
 *   perf.json      wall time, simulated events, peak memory (not deterministic)
 *   gateway-air.pcap, server.pcap   when trace.pcap is true (raw IPv4, Wireshark-readable)
 */
#ifndef LPWAN_SCENARIO_RUNNER_H
#define LPWAN_SCENARIO_RUNNER_H

#include "scenario-config.h"

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
    /// outDir is created if missing. config must have passed ValidateRelations().
    ScenarioRunner(const ScenarioConfig& config, const std::string& outDir);
    /// Runs the scenario and writes the traces. Throws std::runtime_error on I/O errors.
    RunOutcome Run();

  private:
    ScenarioConfig m_config;
    std::string m_outDir;
};

} // namespace ns3

#endif // LPWAN_SCENARIO_RUNNER_H
