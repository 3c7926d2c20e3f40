#include "fault-report.h"

#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "apps/mqtt-broker-app.h"
#include "apps/mqtt-meter-app.h"
#include "stats/message-ledger.h"

#include <algorithm>

namespace ns3
{

namespace
{

void
AddAcceptance(StackCounters& s, const AcceptanceCounts* a)
{
    if (a != nullptr)
    {
        s.reportsTwice += a->reportsTwice;
        s.noncesTwice += a->oscoreNoncesTwice;
        s.forged += a->unattributed;
    }
}

} // namespace

StackCounters
StackCountersOf(const ProfileApps& apps, const MessageLedger& ledger)
{
    StackCounters s;
    s.airBytes = ledger.GetTotals().air.Total();
    for (auto it = apps.meters.Begin(); it != apps.meters.End(); ++it)
    {
        if (Ptr<MeterApp> m = DynamicCast<MeterApp>(*it))
        {
            if (const auto* dtls = m->GetDtlsTransport())
            {
                s.handshakes += dtls->GetFigures(true).started;
            }
            if (const auto* edhoc = m->GetEdhocDriver())
            {
                s.handshakes += edhoc->GetFigures().started;
            }
        }
        else if (Ptr<MqttMeterApp> q = DynamicCast<MqttMeterApp>(*it))
        {
            s.handshakes += q->GetHandshakeFigures().started;
            s.connections += q->GetConnectionsOpened();
        }
    }
    if (apps.server.GetN() == 0)
    {
        return s;
    }
    if (Ptr<CoapServerApp> server = DynamicCast<CoapServerApp>(apps.server.Get(0)))
    {
        const lpwan::oscore::Counters c = server->GetOscoreCounters();
        s.echoChallenges = c.echoChallenges;
        s.rederivations = c.rederivations;
        s.unauthorized = c.noContext + c.replayed + c.echoChallenges + c.rederivations;
        AddAcceptance(s, server->GetAcceptanceCounts());
    }
    else if (Ptr<MqttBrokerApp> broker = DynamicCast<MqttBrokerApp>(apps.server.Get(0)))
    {
        AddAcceptance(s, broker->GetAcceptanceCounts());
    }
    return s;
}

FaultReport::FaultReport(FaultPlan plan, uint32_t devices)
  : m_plan(std::move(plan))
  , m_devices(devices)
  , m_states(m_plan.size())
{
}

void
FaultReport::Observe(const MessageRecord& r)
{
    if (!r.Delivered())
    {
        ++m_lostTotal;
    }
    for (size_t i = 0; i < m_plan.size(); ++i)
    {
        if (r.sendTime < m_plan[i].atS)
        {
            continue;
        }
        State& s = m_states[i];
        ++s.dueFromFault;
        if (!r.Delivered())
        {
            ++s.lostFromFault;
            continue;
        }
        auto [it, inserted] = s.firstDelivery.emplace(r.device, r.deliverTime);
        if (!inserted)
        {
            it->second = std::min(it->second, r.deliverTime);
        }
    }
}

void
FaultReport::Fired(size_t index, FaultHit hit, const StackCounters& now)
{
    State& s = m_states.at(index);
    s.fired = true;
    s.hit = std::move(hit);
    s.atFault = now;
}

nlohmann::json
FaultReport::ToJson(const StackCounters& end) const
{
    nlohmann::json faults = nlohmann::json::array();
    for (size_t i = 0; i < m_plan.size(); ++i)
    {
        const Fault& f = m_plan[i];
        const State& s = m_states[i];
        const StackCounters& a = s.atFault;
        double sum = 0;
        double max = 0;
        uint64_t recovered = 0;
        for (uint32_t d : s.hit.devices)
        {
            auto it = s.firstDelivery.find(d);
            if (it == s.firstDelivery.end())
            {
                continue;
            }
            const double t = it->second - f.atS;
            sum += t;
            max = std::max(max, t);
            ++recovered;
        }
        const uint64_t twice = end.reportsTwice - a.reportsTwice;
        const uint64_t nonces = end.noncesTwice - a.noncesTwice;
        const uint64_t forged = end.forged - a.forged;
        faults.push_back({
            {"kind", f.kind},
            {"key", f.atKey},
            {"at_s", f.atS},
            {"duration_s", f.durationS},
            {"fired", s.fired},
            {"hit",
             {{"devices", s.hit.devices.size()}, {"of_devices", m_devices}, {"what", s.hit.what}}},
            {"reports",
             {{"due_from_fault", s.dueFromFault},
              {"lost_from_fault", s.lostFromFault},
              {"lost_total", m_lostTotal}}},
            {"recovery_s",
             {{"mean", recovered > 0 ? nlohmann::json(sum / recovered) : nlohmann::json(nullptr)},
              {"max", recovered > 0 ? nlohmann::json(max) : nlohmann::json(nullptr)},
              {"recovered_devices", recovered},
              {"never_recovered", s.hit.devices.size() - recovered}}},
            {"recovery_traffic",
             {{"handshakes", end.handshakes - a.handshakes},
              {"echo_challenges", end.echoChallenges - a.echoChallenges},
              {"rederivations", end.rederivations - a.rederivations},
              {"unauthorized_4_01", end.unauthorized - a.unauthorized},
              {"mqtt_connections", end.connections - a.connections},
              {"bytes_on_air_from_fault", end.airBytes - a.airBytes}}},
            {"accepted_from_fault",
             {{"reports_twice", twice},
              {"oscore_nonces_twice", nonces},
              {"forged", forged},
              {"replayed_or_forged", twice + nonces + forged}}},
        });
    }
    return faults;
}

} // namespace ns3
