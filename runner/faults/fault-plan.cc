#include "fault-plan.h"

#include "apps/coap-server-app.h"
#include "apps/mqtt-broker-app.h"
#include "fault-report.h"

#include "ns3/abort.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{

FaultPlan
FaultPlanOf(const ScenarioConfig& c)
{
    FaultPlan plan;
    const double duration = c.GetReal("simulation.duration_s");
    for (const FaultKind& kind : GetFaultKinds())
    {
        const double at = c.GetReal(kind.atKey);
        if (at <= 0)
        {
            continue; // off
        }
        if (at >= duration)
        {
            std::ostringstream os;
            os << "the fault must fire before the reports end (simulation.duration_s = " << duration
               << " s)";
            c.Fail(kind.atKey, os.str());
        }
        if (kind.validate)
        {
            kind.validate(c);
        }
        Fault f;
        f.kind = kind.name;
        f.atKey = kind.atKey;
        f.atS = at;
        f.durationS = kind.durationKey.empty() ? 0 : c.GetReal(kind.durationKey);
        f.fraction = kind.fractionKey.empty() ? 1 : c.GetReal(kind.fractionKey);
        plan.push_back(f);
    }
    std::stable_sort(plan.begin(), plan.end(),
                     [](const Fault& a, const Fault& b)
                     {
                         return a.atS < b.atS;
                     });
    return plan;
}

namespace
{

const FaultKind&
KindOf(const Fault& f)
{
    for (const FaultKind& k : GetFaultKinds())
    {
        if (k.name == f.kind)
        {
            return k;
        }
    }
    NS_ABORT_MSG("unknown fault kind " << f.kind);
}

} // namespace

FaultInjector::FaultInjector(FaultPlan plan, FaultTargets targets, FaultReport& report,
                             std::function<StackCounters()> counters)
  : m_plan(std::move(plan))
  , m_targets(targets)
  , m_report(report)
  , m_counters(std::move(counters))
{
}

void
FaultInjector::Install()
{
    if (m_plan.empty())
    {
        return;
    }
    if (m_targets.apps.server.GetN() > 0)
    {
        Ptr<Application> server = m_targets.apps.server.Get(0);
        if (Ptr<CoapServerApp> s = DynamicCast<CoapServerApp>(server))
        {
            s->EnableAcceptanceAudit();
        }
        else if (Ptr<MqttBrokerApp> b = DynamicCast<MqttBrokerApp>(server))
        {
            b->EnableAcceptanceAudit();
        }
    }
    for (size_t i = 0; i < m_plan.size(); ++i)
    {
        const FaultKind& kind = KindOf(m_plan[i]);
        if (kind.prepare)
        {
            kind.prepare(m_plan[i], m_targets);
        }
        Simulator::Schedule(Seconds(m_plan[i].atS), &FaultInjector::Fire, this, i);
    }
}

void
FaultInjector::Fire(size_t index)
{
    // The counters before the fault acts: what it then causes is its cost.
    const StackCounters before = m_counters();
    FaultHit hit = KindOf(m_plan[index]).inject(m_plan[index], m_targets);
    m_report.Fired(index, std::move(hit), before);
}

std::vector<uint32_t>
PickDevices(uint32_t n, double fraction)
{
    std::vector<uint32_t> picked;
    for (uint32_t i = 0; i < n; ++i)
    {
        // Device i is picked when the running share crosses an integer at it.
        if (std::floor((i + 1) * fraction + 1e-9) > std::floor(i * fraction + 1e-9))
        {
            picked.push_back(i);
        }
    }
    if (picked.empty() && n > 0)
    {
        picked.push_back(0);
    }
    return picked;
}

} // namespace ns3
