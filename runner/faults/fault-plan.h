/*
 * Faults inside a run (the faults.* keys): a device reboots, the server restarts, ... Each
 * fault has a kind, a start time and optionally a duration; nothing fails unless a fault is
 * configured, and a run without one is byte-identical to a run before faults existed (no
 * random draw, no event, no attribute changes).
 *
 * A kind of fault is one FaultKind in fault-kinds.cc: the keys that configure it, what it
 * prepares before the run (e.g. persisted OSCORE sequence numbers, the server's Appendix B.2
 * responder) and how it is injected when it fires. Injection calls the model's own methods
 * (MeterApp::Reboot, CoapServerApp::Restart, ...): the applications know what state is
 * volatile. What each fault cost is computed by FaultReport (fault-report.h).
 */
#ifndef LPWAN_FAULT_PLAN_H
#define LPWAN_FAULT_PLAN_H

#include "profiles/security-profile.h"
#include "scenario-config.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{

class RunNetwork;

/// One fault of a run.
struct Fault
{
    std::string kind;     ///< a FaultKind's name: "device-reboot", "server-restart", ...
    std::string atKey;    ///< the key that scheduled it (summary, errors)
    double atS = 0;       ///< when it fires (simulated seconds)
    double durationS = 0; ///< how long it lasts (0: instantaneous)
    double fraction = 1;  ///< share of the devices it hits (faults that hit devices)
};

using FaultPlan = std::vector<Fault>;

/// What a fault can act on when it fires or is prepared.
struct FaultTargets
{
    const ScenarioConfig& config;
    const ProfileApps& apps;
    RunNetwork& network;
};

/// What a fault hit when it fired.
struct FaultHit
{
    std::vector<uint32_t> devices; ///< device indices it hit (those whose recovery is timed)
    std::vector<std::string> what; ///< what else: "server", "backhaul", ...
};

/// One kind of fault: its keys, its preparation and its injection.
struct FaultKind
{
    std::string name;
    std::string atKey;       ///< its start time key; 0 means off
    std::string durationKey; ///< its duration key ("": instantaneous)
    std::string fractionKey; ///< the share of devices it hits ("": every device)
    /// At validation, when the fault is on: refuses (ScenarioConfig::Fail, naming the key) a
    /// scenario whose network cannot take this fault; may be empty.
    std::function<void(const ScenarioConfig&)> validate;
    /// Before the run (after the profile provisioned the apps); may be empty.
    std::function<void(const Fault&, FaultTargets&)> prepare;
    /// At the fault's time: acts on the targets and says what it hit.
    std::function<FaultHit(const Fault&, FaultTargets&)> inject;
};

/// Every kind of fault (fault-kinds.cc): adding one is one entry there and its keys.
const std::vector<FaultKind>& GetFaultKinds();

/// The faults a scenario configures, in start time order; empty when none is. Throws
/// ScenarioError naming the key when a fault would fire after the reports end.
FaultPlan FaultPlanOf(const ScenarioConfig& c);

class FaultReport;
struct StackCounters;

/// Puts a run's faults into the simulation. Must outlive the simulation's run.
class FaultInjector
{
  public:
    /// counters: the stacks' counters now (taken when each fault fires).
    FaultInjector(FaultPlan plan, FaultTargets targets, FaultReport& report,
                  std::function<StackCounters()> counters);

    /// Prepares every fault of the plan (call before the profile provisions the applications)
    /// and schedules its injection. The server side audits what it accepts from the start
    /// (AcceptanceAudit). Nothing at all without a fault.
    void Install();

  private:
    /// Fault `index` fires: the counters before it acts, then what it hit.
    void Fire(size_t index);

    FaultPlan m_plan;
    FaultTargets m_targets;
    FaultReport& m_report;
    std::function<StackCounters()> m_counters;
};

/// The device indices a share of n devices picks: spread evenly over the indices, always at
/// least one, no random draw (adding a fault must not change anyone's randomness).
std::vector<uint32_t> PickDevices(uint32_t n, double fraction);

} // namespace ns3

#endif // LPWAN_FAULT_PLAN_H
