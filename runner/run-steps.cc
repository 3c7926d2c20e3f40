#include "run-steps.h"

#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "run-output.h"

#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

lpwan::coap::TransmissionParameters
CoapParametersOf(const ScenarioConfig& c)
{
    lpwan::coap::TransmissionParameters p;
    p.ackTimeoutS = c.GetReal("coap.ack_timeout_s");
    p.ackRandomFactor = c.GetReal("coap.ack_random_factor");
    p.maxRetransmit = static_cast<uint32_t>(c.GetInteger("coap.max_retransmit"));
    p.nstart = static_cast<uint32_t>(c.GetInteger("coap.nstart"));
    return p;
}

void
ConfigureReports(const ScenarioConfig& c, Ptr<MessageLedger> ledger, MeterAppHelper& meters)
{
    meters.SetAttribute("Interval", TimeValue(Seconds(c.GetReal("traffic.interval_s"))));
    meters.SetAttribute("Jitter", TimeValue(Seconds(c.GetReal("traffic.jitter_s"))));
    meters.SetAttribute("PayloadSize", UintegerValue(c.GetInteger("traffic.payload_bytes")));
    meters.SetAttribute("Ledger", PointerValue(ledger));
}

void
CollectCommonFigures(ApplicationContainer meters, ApplicationContainer server,
                     Ptr<LinkAccounting> accounting, RunFigures& figures)
{
    for (auto it = meters.Begin(); it != meters.End(); ++it)
    {
        Ptr<MeterApp> meter = DynamicCast<MeterApp>(*it);
        if (const auto* counters = meter ? meter->GetCoapCounters() : nullptr)
        {
            figures.deviceCoap += *counters;
        }
    }
    Ptr<CoapServerApp> coapServer = DynamicCast<CoapServerApp>(server.Get(0));
    if (const auto* counters = coapServer ? coapServer->GetCoapCounters() : nullptr)
    {
        figures.serverCoap = *counters;
    }
    figures.linkLosses = accounting->GetLossesByReason();
    figures.uplinkAirtimeS = accounting->GetUplinkAirtime();
    figures.downlinkAirtimeS = accounting->GetDownlinkAirtime();
    figures.simulatedTimeS = Simulator::Now().GetSeconds();
}

nlohmann::json
PerfOf(std::chrono::steady_clock::time_point wallStart, double simWall, uint64_t sent)
{
    uint64_t events = Simulator::GetEventCount();
    double wall
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return {{"wall_time_s", wall},
            {"simulation_wall_time_s", simWall},
            {"simulated_events", events},
            {"peak_memory_mib", PeakMemoryMiB()},
            {"messages", sent},
            {"messages_per_wall_second", simWall > 0 ? sent / simWall : 0.0},
            {"wall_us_per_message", sent ? simWall * 1e6 / sent : 0.0}};
}

} // namespace ns3
