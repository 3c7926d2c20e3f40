#include "run-summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace ns3
{

double
Percentile(std::vector<double> values, double p)
{
    if (values.empty())
    {
        return 0;
    }
    std::sort(values.begin(), values.end());
    auto rank = static_cast<size_t>(std::ceil(p / 100.0 * values.size()));
    rank = std::clamp<size_t>(rank, 1, values.size());
    return values[rank - 1];
}

namespace
{

nlohmann::json
Layers(const LayerBytes& b, double divisor)
{
    auto v = [divisor](uint64_t x) -> nlohmann::json
    {
        if (divisor <= 0)
        {
            return nullptr;
        }
        return static_cast<double>(x) / divisor;
    };
    return {{"app", v(b.app)},
            {"coap", v(b.coap)},
            {"security", v(b.security)},
            {"transport", v(b.transport)},
            {"ip", v(b.ip)},
            {"radio", v(b.radio)}};
}

nlohmann::json
TypedValue(const ScenarioKey& key, const std::string& text)
{
    switch (key.type)
    {
        case ScenarioKey::Type::Integer:
            return std::stoll(text);
        case ScenarioKey::Type::Real:
            return std::stod(text);
        case ScenarioKey::Type::Boolean:
            return text == "true";
        default:
            return text;
    }
}

} // namespace

nlohmann::json
BuildSummary(const ScenarioConfig& config, const RunFigures& f)
{
    const LedgerTotals& t = *f.totals;
    nlohmann::json s;
    nlohmann::json params;
    for (const auto& [key, text] : config.Items())
    {
        params[key] = TypedValue(*FindScenarioKey(key), text);
    }
    s["parameters"] = params;
    s["name"] = config.GetText("name");
    s["seed"] = config.GetInteger("simulation.seed");
    s["run"] = config.GetInteger("simulation.run");
    s["devices"] = config.GetInteger("devices.count");
    s["security"] = {{"profile", config.GetText("security.profile")}};
    s["simulated_time_s"] = f.simulatedTimeS;

    uint64_t lost = t.sent - t.delivered;
    double delivered = static_cast<double>(t.delivered);
    s["messages"] = {{"sent", t.sent},
                     {"delivered", t.delivered},
                     {"lost", lost},
                     {"delivery_ratio", t.sent ? delivered / t.sent : 0.0},
                     {"completions", t.completions}};
    s["retransmissions"]
        = {{"total", t.repeatedDatagrams},
           {"requests", t.requestRetransmissions},
           {"per_message", t.sent ? static_cast<double>(t.requestRetransmissions) / t.sent : 0.0}};

    double mean = t.latencies.empty() ? 0.0
                                      : std::accumulate(t.latencies.begin(), t.latencies.end(), 0.0)
                                            / t.latencies.size();
    s["latency_s"]
        = {{"mean", mean},
           {"p50", Percentile(t.latencies, 50)},
           {"p95", Percentile(t.latencies, 95)},
           {"max",
            t.latencies.empty() ? 0.0 : *std::max_element(t.latencies.begin(), t.latencies.end())}};

    nlohmann::json perDelivered
        = t.delivered ? nlohmann::json(t.air.Total() / delivered) : nlohmann::json(nullptr);
    s["bytes"] = {{"on_air_total", t.air.Total()},
                  {"on_air_per_delivered_message", perDelivered},
                  {"by_layer", Layers(t.air, delivered)},
                  {"by_layer_total", Layers(t.air, 1.0)},
                  {"unattributed_total", t.unattributedAir.Total()}};
    s["frames"]
        = {{"on_air", t.framesOnAir}, {"lost", t.framesLost}, {"lost_by_reason", f.linkLosses}};
    s["airtime_s"] = {{"uplink", f.uplinkAirtimeS}, {"downlink", f.downlinkAirtimeS}};
    auto counters = [](const lpwan::coap::EndpointCounters& c)
    {
        return nlohmann::json{{"datagrams_sent", c.datagramsSent},
                              {"datagrams_received", c.datagramsReceived},
                              {"retransmissions", c.retransmissions},
                              {"duplicates_received", c.duplicatesReceived},
                              {"malformed_received", c.malformedReceived},
                              {"resets_sent", c.resetsSent},
                              {"resets_received", c.resetsReceived},
                              {"unmatched_received", c.unmatchedReceived}};
    };
    if (!f.mqtt)
    {
        s["coap"] = {{"devices", counters(f.deviceCoap)}, {"server", counters(f.serverCoap)}};
    }
    if (f.oscore)
    {
        auto received = [](const lpwan::oscore::Counters& c)
        {
            return nlohmann::json{{"verified", c.requestsVerified + c.responsesVerified},
                                  {"replayed", c.replayed},
                                  {"forged", c.decryptionFailed},
                                  {"undecryptable", c.noContext},
                                  {"malformed", c.malformed},
                                  {"not_oscore", c.notOscore},
                                  {"echo_challenges", c.echoChallenges}};
        };
        const lpwan::oscore::Counters& d = f.oscoreDevices;
        const lpwan::oscore::Counters& sv = f.oscoreServer;
        auto mean = [](uint64_t bytes, uint64_t n) -> nlohmann::json
        {
            return n ? nlohmann::json(static_cast<double>(bytes) / n) : nlohmann::json(nullptr);
        };
        s["oscore"]
            = {{"requests_protected", d.requestsProtected},
               {"responses_protected", sv.responsesProtected},
               {"overhead_bytes",
                {{"per_request", mean(f.oscoreRequestOverheadBytes, d.requestsProtected)},
                 {"per_response", mean(f.oscoreResponseOverheadBytes, sv.responsesProtected)}}},
               {"server_received", received(sv)},
               {"devices_received", received(d)}};
    }
    if (f.mqtt)
    {
        const lpwan::mqtt::ClientCounters& d = f.mqttDevices;
        const lpwan::mqtt::BrokerCounters& b = f.mqttBroker;
        s["mqtt"] = {{"connections_opened", f.mqttConnections},
                     {"publishes_sent", d.publishesSent},
                     {"publish_retransmissions", d.publishRetransmissions},
                     {"pings_sent", d.pingsSent},
                     {"connections_lost", d.connectionsLost},
                     {"header_bytes_per_publish",
                      d.publishesSent ? nlohmann::json(static_cast<double>(d.publishHeaderBytesSent)
                                                       / d.publishesSent)
                                      : nlohmann::json(nullptr)},
                     {"control_bytes_sent", d.controlBytesSent},
                     {"bytes_sent", d.bytesSent},
                     {"broker",
                      {{"connections_accepted", b.connectionsAccepted},
                       {"messages_received", b.messagesReceived},
                       {"bytes_sent", b.bytesSent},
                       {"publishes_received", b.publishesReceived},
                       {"keep_alive_expirations", b.keepAliveExpirations},
                       {"protocol_violations", b.protocolViolations}}}};
    }
    if (f.handshakes)
    {
        const lpwan::tls::HandshakeFigures& d = f.deviceHandshakes;
        const lpwan::tls::HandshakeFigures& sv = f.serverHandshakes;
        auto per = [](double value, uint64_t n) -> nlohmann::json
        {
            return n ? nlohmann::json(value / static_cast<double>(n)) : nlohmann::json(nullptr);
        };
        double meanDuration = d.durations.empty()
                                  ? 0.0
                                  : std::accumulate(d.durations.begin(), d.durations.end(), 0.0)
                                        / d.durations.size();
        uint64_t recordBytes = d.bytesSent + sv.bytesSent;
        s["handshakes"]
            = {{"started", d.started},
               {"completed", d.completed},
               {"failed", d.failed},
               {"full", d.completed - d.abbreviated},
               {"abbreviated", d.abbreviated},
               {"failures", d.failures},
               {"hello_verify_requests", d.helloVerifyRequests},
               {"round_trips_per_handshake", per(static_cast<double>(d.roundTrips), d.completed)},
               {"flights_sent", {{"devices", d.flightsSent}, {"server", sv.flightsSent}}},
               {"retransmitted_flights",
                {{"devices", d.retransmittedFlights},
                 {"server", sv.retransmittedFlights},
                 {"total", d.retransmittedFlights + sv.retransmittedFlights}}},
               {"record_bytes",
                {{"devices", d.bytesSent}, {"server", sv.bytesSent}, {"total", recordBytes}}},
               {"bytes_per_handshake", per(static_cast<double>(recordBytes), d.started)},
               {"on_air_bytes_total", t.handshakeAir},
               {"on_air_bytes_per_handshake", per(static_cast<double>(t.handshakeAir), d.started)},
               {"duration_s",
                {{"mean", meanDuration},
                 {"p50", Percentile(d.durations, 50)},
                 {"p95", Percentile(d.durations, 95)}}},
               {"nat_rebindings", f.natRebindings},
               {"dropped_datagrams", f.droppedByTransport},
               {"protocol", f.handshakeProtocol}};
        if (f.handshakeProtocol == "edhoc")
        {
            // EDHOC over CoAP: no cookies, no secure transport that could drop datagrams.
            s["handshakes"].erase("hello_verify_requests");
            s["handshakes"].erase("dropped_datagrams");
            s["handshakes"]["rekeys"]
                = {{"after_messages", f.edhocRekeys}, {"after_context_loss", f.edhocRecoveries}};
        }
    }
    return s;
}

void
PrintSummaryTable(const nlohmann::json& s, std::ostream& os)
{
    auto num = [](const nlohmann::json& v, const char* fmt)
    {
        if (v.is_null())
        {
            return std::string("n/a");
        }
        char buf[64];
        std::snprintf(buf, sizeof buf, fmt, v.get<double>());
        return std::string(buf);
    };
    auto row = [&os](const std::string& k, const std::string& v)
    {
        // No fixed-size buffer: a long value (large joule figures) must not be cut.
        os << "  " << k << std::string(k.size() < 38 ? 38 - k.size() : 0, ' ') << " " << v << "\n";
    };
    const auto& m = s["messages"];
    os << "lpwan-sec run: " << s["name"].get<std::string>() << " (seed " << s["seed"] << ", run "
       << s["run"] << ", " << s["devices"] << " devices, security "
       << s["security"]["profile"].get<std::string>() << ")\n";
    row("messages sent / delivered / lost", std::to_string(m["sent"].get<uint64_t>()) + " / "
                                                + std::to_string(m["delivered"].get<uint64_t>())
                                                + " / "
                                                + std::to_string(m["lost"].get<uint64_t>()));
    row("delivery ratio", num(m["delivery_ratio"], "%.4f"));
    row("retransmissions (requests / frames)",
        std::to_string(s["retransmissions"]["requests"].get<uint64_t>()) + " / "
            + std::to_string(s["retransmissions"]["total"].get<uint64_t>()));
    const auto& l = s["latency_s"];
    row("latency mean / p50 / p95 [s]",
        num(l["mean"], "%.3f") + " / " + num(l["p50"], "%.3f") + " / " + num(l["p95"], "%.3f"));
    const auto& b = s["bytes"];
    row("bytes on air per delivered message", num(b["on_air_per_delivered_message"], "%.1f"));
    std::string layers;
    for (const char* layer : {"app", "coap", "security", "transport", "ip", "radio"})
    {
        layers += std::string(layers.empty() ? "" : "  ") + layer + " "
                  + num(b["by_layer"][layer], "%.1f");
    }
    row("  by layer", layers);
    row("frames on air / lost on the link",
        std::to_string(s["frames"]["on_air"].get<uint64_t>()) + " / "
            + std::to_string(s["frames"]["lost"].get<uint64_t>()));
    if (s.contains("oscore"))
    {
        const auto& o = s["oscore"];
        const auto& r = o["server_received"];
        row("OSCORE overhead per request / response",
            num(o["overhead_bytes"]["per_request"], "%.1f") + " / "
                + num(o["overhead_bytes"]["per_response"], "%.1f") + " bytes");
        row("OSCORE at server: replayed/forged/undecr.",
            std::to_string(r["replayed"].get<uint64_t>()) + " / "
                + std::to_string(r["forged"].get<uint64_t>()) + " / "
                + std::to_string(r["undecryptable"].get<uint64_t>()));
    }
    if (s.contains("handshakes"))
    {
        const auto& h = s["handshakes"];
        row("handshakes full / abbreviated / failed",
            std::to_string(h["full"].get<uint64_t>()) + " / "
                + std::to_string(h["abbreviated"].get<uint64_t>()) + " / "
                + std::to_string(h["failed"].get<uint64_t>()));
        row("handshake bytes / round trips / s", num(h["bytes_per_handshake"], "%.0f") + " / "
                                                     + num(h["round_trips_per_handshake"], "%.2f")
                                                     + " / "
                                                     + num(h["duration_s"]["mean"], "%.2f"));
        row("handshake flights retransmitted",
            std::to_string(h["retransmitted_flights"]["total"].get<uint64_t>()));
    }
    if (s.contains("nbiot"))
    {
        const auto& n = s["nbiot"];
        const auto& cov = n["coverage"];
        row("devices in CE0 / CE1 / CE2 / out",
            std::to_string(cov["ce0"].get<uint64_t>()) + " / "
                + std::to_string(cov["ce1"].get<uint64_t>()) + " / "
                + std::to_string(cov["ce2"].get<uint64_t>()) + " / "
                + std::to_string(cov["out_of_coverage"].get<uint64_t>()));
        row("random access attempts / collisions",
            std::to_string(n["random_access"]["attempts"].get<uint64_t>()) + " / "
                + std::to_string(n["random_access"]["collisions"].get<uint64_t>()));
        row("RRC connections / paged / RAI releases",
            std::to_string(n["rrc"]["connections"].get<uint64_t>()) + " / "
                + std::to_string(n["rrc"]["paged_connections"].get<uint64_t>()) + " / "
                + std::to_string(n["rrc"]["rai_releases"].get<uint64_t>()));
    }
    if (s.contains("energy"))
    {
        const auto& e = s["energy"];
        // Fleet totals first, under their own heading; then per device and per message.
        const auto& b = e["by_state_j"];
        std::string states;
        for (const char* st :
             {"psm", "idle", "ra", "connected", "sync", "control", "rx", "tx", "mcu"})
        {
            states += std::string(states.empty() ? "" : "  ") + st + " " + num(b[st], "%.2f");
        }
        row("energy of all devices [J]", num(e["total_j"], "%.2f"));
        row("  by state [J]", states);
        row("energy per device mean [J]", num(e["per_device_j"]["mean"], "%.3f"));
        row("energy per delivered message [J]", num(e["per_delivered_message_j"], "%.4f"));
        const auto& y = s["battery_life_years"];
        row("battery life mean / min [years]",
            num(y["mean"], "%.2f") + " / " + num(y["min"], "%.2f") + " ("
                + num(e["battery_wh"], "%.1f") + " Wh, " + e["profile"].get<std::string>()
                + ", self-discharge " + num(y["self_discharge_pct_per_year"], "%.1f") + " %/year)");
        if (s.contains("computation"))
        {
            const auto& c = s["computation"];
            // A phase's MCU milliseconds per unit; "-" without a unit (no handshake).
            auto ms = [&num](const nlohmann::json& per, const char* fmt)
            {
                return per.is_null() ? std::string("-")
                                     : num(per["mcu_s"].get<double>() * 1e3, fmt);
            };
            row("MCU time per handshake / report [ms]",
                ms(c["handshake"]["per_handshake"], "%.1f") + " / "
                    + ms(c["exchange"]["per_report"], "%.3f") + " (" + c["mcu"].get<std::string>()
                    + ")");
        }
    }
    if (s.contains("exposure"))
    {
        PrintExposureRows(s, os); // topology scenarios
    }
    row("simulated time [s]", num(s["simulated_time_s"], "%.0f"));
}

} // namespace ns3
