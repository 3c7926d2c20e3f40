/*
 * What each fault of a run cost: the "faults" section of summary.json (only present when a
 * fault is configured). Per fault:
 *
 *  - what it hit (devices, server, ...);
 *  - reports: those due from the fault on (sent at or after it) and how many of them were not
 *    delivered, and every report of the run not delivered;
 *  - recovery: per device it hit, the time from the fault until the server received the first
 *    report the device sent from the fault on (mean, max) and how many devices never got one
 *    through;
 *  - recovery traffic: what the stacks counted from the fault to the end (handshakes and EDHOC
 *    runs begun, Echo challenges, Appendix B.2 re-derivations, 4.01s, MQTT connections, bytes
 *    on the air);
 *  - whether anything replayed or forged was accepted from the fault on, from the server's own
 *    verdicts (AcceptanceAudit).
 *
 * Counters are taken when the fault fires and at the end of the run; with several faults, each
 * fault's figures run from its own time to the end.
 */
#ifndef LPWAN_FAULT_REPORT_H
#define LPWAN_FAULT_REPORT_H

#include "fault-plan.h"
#include "stats/message-record.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <vector>

namespace ns3
{

class MessageLedger;

/// The stacks' counters a fault's recovery is measured with (summed over the run's apps).
struct StackCounters
{
    uint64_t handshakes = 0;     ///< DTLS/TLS handshakes and EDHOC runs the devices began
    uint64_t echoChallenges = 0; ///< server: 4.01 + Echo (RFC 8613 Appendix B.1.2)
    uint64_t rederivations = 0;  ///< server: Appendix B.2 responses #1
    uint64_t unauthorized = 0;   ///< server: OSCORE 4.01s (section 8.2, B.1.2, B.2)
    uint64_t connections = 0;    ///< MQTT: TCP/TLS connections the devices opened
    uint64_t airBytes = 0;       ///< every byte on the air (all layers)
    uint64_t reportsTwice = 0;   ///< server: reports accepted a second time
    uint64_t noncesTwice = 0;    ///< server: OSCORE nonces accepted a second time
    uint64_t forged = 0;         ///< server: accepted requests no device sent
};

/// The run's stack counters now.
StackCounters StackCountersOf(const ProfileApps& apps, const MessageLedger& ledger);

class FaultReport
{
  public:
    FaultReport(FaultPlan plan, uint32_t devices);

    /// A record the ledger finalized (connect to MessageLedger's MessageFinalized).
    void Observe(const MessageRecord& record);
    /// Fault `index` of the plan fired, hit `hit`; the counters at that time.
    void Fired(size_t index, FaultHit hit, const StackCounters& now);

    /// The "faults" section (an array, in plan order); counters: at the end of the run.
    nlohmann::json ToJson(const StackCounters& atEnd) const;

  private:
    struct State
    {
        bool fired = false;
        FaultHit hit;
        StackCounters atFault;
        uint64_t dueFromFault = 0;
        uint64_t lostFromFault = 0;
        std::map<uint32_t, double> firstDelivery; ///< device -> earliest delivery (s)
    };

    FaultPlan m_plan;
    uint32_t m_devices;
    std::vector<State> m_states;
    uint64_t m_lostTotal = 0;
};

} // namespace ns3

#endif // LPWAN_FAULT_REPORT_H
