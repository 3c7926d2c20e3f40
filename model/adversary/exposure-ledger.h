/*
 * The book of what the adversaries of a run read and did, and of what became of it.
 *
 * Adversaries (adversary.h) report every request datagram they see (and how much of its
 * application payload they could read), and register every datagram they change, replay or
 * forge as an action; those datagrams carry an AdversaryTag with the action's id. On the
 * server, the ExposureLedger is the CoapUdpBinding's DatagramAudit: for each tagged datagram
 * it learns whether DTLS accepted it, and whether the application delivered it or OSCORE
 * rejected it. An action's outcome is decided by the first of its datagrams to reach the
 * server:
 *
 *   accepted      the server application took it as genuine ("delivered")
 *   rejected      OSCORE (oscore), DTLS (dtls: bad MAC, replayed record) or CoAP's message
 *                 deduplication (coap: a copy of a request already processed) refused it
 *   not-delivered none of its datagrams reached the server
 *
 * Per message (messages.csv's adv_* columns) it notes copies seen, payload bytes read,
 * changes, replays, drops and delays; at the end of each message's record it adds the message
 * to the per-device figures: a device is exposed when the adversary read the payload of one
 * of its reports. A report the adversary dropped copies of and that never arrived is counted
 * as lost to dropping (it is lost in the run's messages.* figures too).
 */
#ifndef LPWAN_EXPOSURE_LEDGER_H
#define LPWAN_EXPOSURE_LEDGER_H

#include "net/datagram-audit.h"
#include "stats/message-ledger.h"

#include "ns3/object.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/// What an adversary's actions of one kind came to.
struct ActionOutcomes
{
    uint64_t attempted = 0;
    uint64_t accepted = 0;
    uint64_t rejected = 0;
    std::map<std::string, uint64_t> rejectedBy; ///< "oscore", "dtls", "coap"
    uint64_t notDelivered = 0;                  ///< (after Finish())
};

/// Per compromised node.
struct NodeExposure
{
    uint64_t datagramsSeen = 0;      ///< request datagrams that passed through it
    uint64_t plaintextDatagrams = 0; ///< of those, whose application payload it read
    uint64_t modified = 0;
    uint64_t replayed = 0;
    uint64_t injected = 0;
    uint64_t dropped = 0;
    uint64_t delayed = 0;
};

struct ExposureTotals
{
    uint64_t datagramsSeen = 0;      ///< request datagrams the adversaries saw
    uint64_t messagesSeen = 0;       ///< reports of which they saw at least one copy
    uint64_t plaintextMessages = 0;  ///< reports whose application payload they read
    uint64_t plaintextBytes = 0;     ///< application payload bytes of those reports
    uint64_t headerOnlyMessages = 0; ///< seen, but only headers or ciphertext readable
    ActionOutcomes modifications;
    ActionOutcomes replays;
    ActionOutcomes injections;
    uint64_t droppedDatagrams = 0;
    uint64_t droppedMessages = 0;     ///< reports of which they dropped at least one copy
    uint64_t droppedMessagesLost = 0; ///< of those, never delivered: lost to the dropping
    uint64_t delayedDatagrams = 0;
    std::map<std::string, NodeExposure> nodes; ///< by node name
};

class ExposureLedger
  : public Object
  , public DatagramAudit
{
  public:
    enum class ActionKind : uint8_t
    {
        Modify,
        Replay,
        Inject,
    };

    static TypeId GetTypeId();
    ExposureLedger();

    /// The run's message ledger (per-message figures are noted in its records) and the
    /// number of devices. Call before the simulation starts.
    void Attach(Ptr<MessageLedger> ledger, uint32_t devices);

    // ---- what the adversaries report ----

    /// A request datagram of message passed through node; plaintextBytes: application
    /// payload bytes it could read (0: only headers or ciphertext).
    void NoteSeen(const std::string& node, uint64_t message, uint32_t plaintextBytes);
    /// Registers an action on message (kNoMessage for forgeries); returns its id for the
    /// AdversaryTag.
    uint64_t RegisterAction(ActionKind kind, const std::string& node, uint64_t message);
    void NoteDropped(const std::string& node, uint64_t message);
    void NoteDelayed(const std::string& node, uint64_t message);

    // ---- DatagramAudit, on the server ----

    void BeginDatagram(Ptr<const Packet> packet) override;
    void ApplicationVerdict(const std::string& verdict) override;
    void EndDatagram(std::optional<size_t> plaintexts) override;

    /// Counts the actions no datagram of which reached the server. Call at the end of the
    /// run, after the message ledger's FinalizeAll().
    void Finish();

    const ExposureTotals& GetTotals() const
    {
        return m_totals;
    }

    /// Reports of each device whose payload an adversary read (device index order).
    const std::vector<uint64_t>& GetPlaintextMessagesPerDevice() const
    {
        return m_plaintextPerDevice;
    }

  private:
    struct Action
    {
        ActionKind kind;
        uint64_t message;
        bool decided = false;
    };

    void DoDispose() override;
    void MessageFinalized(const MessageRecord& record);
    ActionOutcomes& OutcomesOf(ActionKind kind);

    Ptr<MessageLedger> m_ledger;
    std::unordered_map<uint64_t, Action> m_actions;
    uint64_t m_nextAction = 1;
    ExposureTotals m_totals;
    std::vector<uint64_t> m_plaintextPerDevice;

    // The datagram being audited.
    uint64_t m_current = 0; ///< its action, 0 if none
    std::string m_verdict;
};

} // namespace ns3

#endif // LPWAN_EXPOSURE_LEDGER_H
