#include "exposure-ledger.h"

#include "adversary-tag.h"

#include "ns3/callback.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(ExposureLedger);

TypeId
ExposureLedger::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ExposureLedger")
                            .SetParent<Object>()
                            .SetGroupName("LpwanSec")
                            .AddConstructor<ExposureLedger>();
    return tid;
}

ExposureLedger::ExposureLedger() = default;

void
ExposureLedger::DoDispose()
{
    m_ledger = nullptr;
    Object::DoDispose();
}

void
ExposureLedger::Attach(Ptr<MessageLedger> ledger, uint32_t devices)
{
    m_ledger = ledger;
    m_plaintextPerDevice.assign(devices, 0);
    ledger->TraceConnectWithoutContext("MessageFinalized",
                                       MakeCallback(&ExposureLedger::MessageFinalized, this));
}

void
ExposureLedger::NoteSeen(const std::string& node, uint64_t message, uint32_t plaintextBytes)
{
    ++m_totals.datagramsSeen;
    NodeExposure& n = m_totals.nodes[node];
    ++n.datagramsSeen;
    if (plaintextBytes > 0)
    {
        ++n.plaintextDatagrams;
    }
    MessageRecord* r = m_ledger ? m_ledger->GetRecord(message) : nullptr;
    if (r == nullptr)
    {
        return;
    }
    ++r->exposure.copiesSeen;
    if (plaintextBytes > r->exposure.plaintextBytesRead)
    {
        r->exposure.plaintextBytesRead = plaintextBytes;
    }
}

ActionOutcomes&
ExposureLedger::OutcomesOf(ActionKind kind)
{
    switch (kind)
    {
        case ActionKind::Modify:
            return m_totals.modifications;
        case ActionKind::Replay:
            return m_totals.replays;
        case ActionKind::Inject:
            break;
    }
    return m_totals.injections;
}

uint64_t
ExposureLedger::RegisterAction(ActionKind kind, const std::string& node, uint64_t message)
{
    uint64_t id = m_nextAction++;
    m_actions[id] = Action{kind, message, false};
    ++OutcomesOf(kind).attempted;
    NodeExposure& n = m_totals.nodes[node];
    MessageRecord* r = m_ledger ? m_ledger->GetRecord(message) : nullptr;
    switch (kind)
    {
        case ActionKind::Modify:
            ++n.modified;
            if (r != nullptr)
            {
                ++r->exposure.modified;
            }
            break;
        case ActionKind::Replay:
            ++n.replayed;
            if (r != nullptr)
            {
                ++r->exposure.replayed;
            }
            break;
        case ActionKind::Inject:
            ++n.injected;
            break;
    }
    return id;
}

void
ExposureLedger::NoteDropped(const std::string& node, uint64_t message)
{
    ++m_totals.droppedDatagrams;
    ++m_totals.nodes[node].dropped;
    if (MessageRecord* r = m_ledger ? m_ledger->GetRecord(message) : nullptr)
    {
        ++r->exposure.dropped;
    }
}

void
ExposureLedger::NoteDelayed(const std::string& node, uint64_t message)
{
    ++m_totals.delayedDatagrams;
    ++m_totals.nodes[node].delayed;
    if (MessageRecord* r = m_ledger ? m_ledger->GetRecord(message) : nullptr)
    {
        ++r->exposure.delayed;
    }
}

void
ExposureLedger::BeginDatagram(Ptr<const Packet> packet)
{
    AdversaryTag tag;
    m_current = packet->PeekPacketTag(tag) ? tag.action : 0;
    m_verdict.clear();
}

void
ExposureLedger::ApplicationVerdict(const std::string& verdict)
{
    if (m_current != 0 && m_verdict.empty())
    {
        m_verdict = verdict;
    }
}

void
ExposureLedger::EndDatagram(std::optional<size_t> plaintexts)
{
    uint64_t id = m_current;
    m_current = 0;
    auto it = m_actions.find(id);
    if (id == 0 || it == m_actions.end() || it->second.decided)
    {
        return; // not the adversary's, or a later copy of an action already decided
    }
    Action& a = it->second;
    a.decided = true;
    ActionOutcomes& o = OutcomesOf(a.kind);
    std::string rejectedBy;
    if (m_verdict == "delivered")
    {
        ++o.accepted;
    }
    else if (m_verdict.rfind("oscore-", 0) == 0)
    {
        rejectedBy = "oscore";
    }
    else if (plaintexts && *plaintexts == 0)
    {
        rejectedBy = "dtls"; // the record failed its MAC or DTLS's replay check
    }
    else
    {
        rejectedBy = "coap"; // deduplicated (or unmatched) before the application saw it
    }
    if (!rejectedBy.empty())
    {
        ++o.rejected;
        ++o.rejectedBy[rejectedBy];
    }
    MessageRecord* r = m_ledger ? m_ledger->GetRecord(a.message) : nullptr;
    if (r == nullptr)
    {
        return;
    }
    if (a.kind == ActionKind::Modify)
    {
        ++(rejectedBy.empty() ? r->exposure.modifiedAccepted : r->exposure.modifiedDetected);
    }
    else if (a.kind == ActionKind::Replay)
    {
        ++(rejectedBy.empty() ? r->exposure.replaysAccepted : r->exposure.replaysRejected);
    }
}

void
ExposureLedger::MessageFinalized(const MessageRecord& r)
{
    const MessageExposure& x = r.exposure;
    if (x.copiesSeen > 0)
    {
        ++m_totals.messagesSeen;
        if (x.plaintextBytesRead > 0)
        {
            ++m_totals.plaintextMessages;
            m_totals.plaintextBytes += x.plaintextBytesRead;
            if (r.device < m_plaintextPerDevice.size())
            {
                ++m_plaintextPerDevice[r.device];
            }
        }
        else
        {
            ++m_totals.headerOnlyMessages;
        }
    }
    if (x.dropped > 0)
    {
        ++m_totals.droppedMessages;
        if (!r.Delivered())
        {
            ++m_totals.droppedMessagesLost;
        }
    }
}

void
ExposureLedger::Finish()
{
    for (auto& [id, a] : m_actions)
    {
        if (!a.decided)
        {
            a.decided = true;
            ++OutcomesOf(a.kind).notDelivered;
        }
    }
}

} // namespace ns3
