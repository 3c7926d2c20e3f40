/*
 * summary.json: the run's parameters and its deterministic aggregate results, with the keys
 * scripts rely on (docs/scenarios.md, "What a run writes"; nested objects: "latency_s.p95" is
 * summary["latency_s"]["p95"]).
 * Per-delivered-message figures are null when no message was delivered.
 */
#ifndef LPWAN_RUN_SUMMARY_H
#define LPWAN_RUN_SUMMARY_H

#include "protocols/coap/coap-endpoint.h"
#include "protocols/mqtt/mqtt-broker.h"
#include "protocols/mqtt/mqtt-client.h"
#include "protocols/oscore/oscore-types.h"
#include "protocols/tls/dtls-transport.h"
#include "scenario-config.h"
#include "stats/message-ledger.h"

#include <nlohmann/json.hpp>

#include <map>
#include <ostream>
#include <string>

namespace ns3
{

struct RunFigures
{
    const LedgerTotals* totals = nullptr;
    lpwan::coap::EndpointCounters deviceCoap; ///< summed over every device
    lpwan::coap::EndpointCounters serverCoap;
    std::map<std::string, uint64_t> linkLosses; ///< by reason
    double uplinkAirtimeS = 0;
    double downlinkAirtimeS = 0;
    double simulatedTimeS = 0;
    bool oscore = false;                   ///< the oscore profile ran
    lpwan::oscore::Counters oscoreDevices; ///< summed over every device's context
    lpwan::oscore::Counters oscoreServer;  ///< summed over the server's contexts and rejections
    uint64_t oscoreRequestOverheadBytes = 0;
    uint64_t oscoreResponseOverheadBytes = 0;
    bool handshakes = false;                       ///< a (D)TLS or EDHOC profile ran
    std::string handshakeProtocol;                 ///< "dtls", "tls" or "edhoc"
    lpwan::tls::HandshakeFigures deviceHandshakes; ///< summed over every device (client side)
    lpwan::tls::HandshakeFigures serverHandshakes;
    uint64_t natRebindings = 0;              ///< reports that found the NAT binding expired
    uint64_t droppedByTransport = 0;         ///< datagrams the secure transports could not send
    uint64_t edhocRekeys = 0;                ///< EDHOC runs due to edhoc.rekey_messages
    uint64_t edhocRecoveries = 0;            ///< EDHOC runs after the server's 4.01 (context lost)
    bool mqtt = false;                       ///< the tls-mqtt profile ran
    lpwan::mqtt::ClientCounters mqttDevices; ///< summed over every device
    lpwan::mqtt::BrokerCounters mqttBroker;
    uint64_t mqttConnections = 0; ///< TCP/TLS connections the devices opened
};

nlohmann::json BuildSummary(const ScenarioConfig& config, const RunFigures& figures);

/// Nearest-rank percentile (p in (0, 100]) of unsorted values; 0 for an empty set.
double Percentile(std::vector<double> values, double p);

/// The table printed at the end of a run.
void PrintSummaryTable(const nlohmann::json& summary, std::ostream& os);

/// The rows about a topology run's adversaries (defined in networks/topology-network.cc).
void PrintExposureRows(const nlohmann::json& summary, std::ostream& os);

} // namespace ns3

#endif // LPWAN_RUN_SUMMARY_H
