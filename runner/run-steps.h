/*
 * Steps of the run pipeline (scenario-runner.cc) kept apart so that they read as one idea
 * each: CoAP's transmission parameters from the scenario, the reports' attributes, the figures
 * every run collects, perf.json.
 */
#ifndef LPWAN_RUN_STEPS_H
#define LPWAN_RUN_STEPS_H

#include "meter-app-helper.h"
#include "protocols/coap/coap-transmission-parameters.h"
#include "run-summary.h"
#include "scenario-config.h"
#include "stats/link-accounting.h"
#include "stats/message-ledger.h"

#include "ns3/application-container.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace ns3
{

/// coap.ack_timeout_s, coap.ack_random_factor, coap.max_retransmit, coap.nstart.
lpwan::coap::TransmissionParameters CoapParametersOf(const ScenarioConfig& c);

/// The reports every device sends, whatever its profile: traffic.* keys and the ledger.
void ConfigureReports(const ScenarioConfig& c, Ptr<MessageLedger> ledger, MeterAppHelper& meters);

/// CoAP's counters of the devices and the server (profiles without CoAP have none), the
/// links' losses and airtime, the simulated time.
void CollectCommonFigures(ApplicationContainer meters, ApplicationContainer server,
                          Ptr<LinkAccounting> accounting, RunFigures& figures);

/// perf.json: wall time, simulated events, peak memory (not deterministic).
nlohmann::json PerfOf(std::chrono::steady_clock::time_point wallStart, double simulationWallS,
                      uint64_t messagesSent);

} // namespace ns3

#endif // LPWAN_RUN_STEPS_H
