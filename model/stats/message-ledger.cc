#include "message-ledger.h"

#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MessageLedger");
NS_OBJECT_ENSURE_REGISTERED(MessageLedger);

TypeId
MessageLedger::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::MessageLedger")
              .SetParent<Object>()
              .SetGroupName("LpwanSec")
              .AddConstructor<MessageLedger>()
              .AddAttribute("Linger",
                            "How long a record stays open after its exchange completed, so that "
                            "late frames (duplicate ACKs, retransmitted responses) are still "
                            "attributed to it. Use the protocol's exchange lifetime.",
                            TimeValue(Seconds(247)), MakeTimeAccessor(&MessageLedger::m_linger),
                            MakeTimeChecker(Seconds(0)))
              .AddTraceSource("MessageFinalized",
                              "A message's record is final: it is written out and forgotten.",
                              MakeTraceSourceAccessor(&MessageLedger::m_messageFinalized),
                              "ns3::MessageLedger::MessageFinalizedCallback")
              .AddTraceSource("MessageOpened",
                              "A device handed a message to its stack: its record opens.",
                              MakeTraceSourceAccessor(&MessageLedger::m_messageOpened),
                              "ns3::MessageLedger::MessageFinalizedCallback");
    return tid;
}

MessageLedger::MessageLedger() = default;

void
MessageLedger::DoDispose()
{
    m_records.clear();
    m_byToken.clear();
    m_handshakeTokens.clear();
    m_byMid.clear();
    Object::DoDispose();
}

std::string
MessageLedger::TokenKey(uint32_t deviceAddress, const std::vector<uint8_t>& token)
{
    std::string key(4 + token.size(), '\0');
    for (int i = 0; i < 4; ++i)
    {
        key[i] = static_cast<char>((deviceAddress >> (8 * i)) & 0xff);
    }
    std::copy(token.begin(), token.end(), key.begin() + 4);
    return key;
}

uint64_t
MessageLedger::MidKey(uint32_t deviceAddress, MidOwner owner, uint16_t mid)
{
    return (static_cast<uint64_t>(deviceAddress) << 24) | (static_cast<uint64_t>(owner) << 16)
           | mid;
}

MessageRecord*
MessageLedger::Find(uint64_t id)
{
    auto it = m_records.find(id);
    return it == m_records.end() ? nullptr : &it->second.record;
}

uint64_t
MessageLedger::Open(uint32_t deviceAddress, uint32_t deviceIndex, const std::string& protocol,
                    bool confirmable)
{
    uint64_t id = m_nextId++;
    Entry& e = m_records[id];
    e.record.id = id;
    e.record.device = deviceIndex;
    e.record.protocol = protocol;
    e.record.confirmable = confirmable;
    e.record.sendTime = Simulator::Now().GetSeconds();
    ++m_totals.sent;
    NS_LOG_FUNCTION(this << id << deviceIndex);
    NS_LOG_INFO("report " << id << " of device " << deviceIndex << " (" << protocol
                          << (confirmable ? ", confirmable" : "") << ") created");
    m_messageOpened(e.record);
    return id;
}

void
MessageLedger::BindToken(uint32_t deviceAddress, const std::vector<uint8_t>& token, uint64_t id,
                         bool handshake)
{
    auto it = m_records.find(id);
    if (it == m_records.end() || token.empty())
    {
        return;
    }
    std::string key = TokenKey(deviceAddress, token);
    m_byToken[key] = id;
    if (handshake)
    {
        m_handshakeTokens.insert(key);
    }
    else
    {
        m_handshakeTokens.erase(key);
    }
    it->second.tokenKeys.push_back(std::move(key));
}

void
MessageLedger::BindMessageId(uint32_t deviceAddress, MidOwner owner, uint16_t mid, uint64_t id)
{
    auto it = m_records.find(id);
    if (it == m_records.end())
    {
        return;
    }
    uint64_t key = MidKey(deviceAddress, owner, mid);
    auto [pos, inserted] = m_byMid.emplace(key, id);
    if (!inserted)
    {
        if (pos->second == id)
        {
            return; // already bound (every retransmission re-binds)
        }
        pos->second = id;
    }
    it->second.midKeys.push_back(key);
}

uint64_t
MessageLedger::FindByToken(uint32_t deviceAddress, const std::vector<uint8_t>& token) const
{
    if (token.empty())
    {
        return MessageTag::kNoMessage;
    }
    auto it = m_byToken.find(TokenKey(deviceAddress, token));
    return it == m_byToken.end() ? MessageTag::kNoMessage : it->second;
}

bool
MessageLedger::IsHandshakeToken(uint32_t deviceAddress, const std::vector<uint8_t>& token) const
{
    return !token.empty() && m_handshakeTokens.count(TokenKey(deviceAddress, token)) > 0;
}

uint64_t
MessageLedger::FindByMessageId(uint32_t deviceAddress, MidOwner owner, uint16_t mid) const
{
    auto it = m_byMid.find(MidKey(deviceAddress, owner, mid));
    return it == m_byMid.end() ? MessageTag::kNoMessage : it->second;
}

void
MessageLedger::SetPayloadSplit(uint64_t id, bool uplink, const PayloadSplit& split)
{
    auto it = m_records.find(id);
    if (it != m_records.end())
    {
        it->second.hasSplit[uplink] = true;
        it->second.split[uplink] = split;
    }
}

const PayloadSplit*
MessageLedger::GetPayloadSplit(uint64_t id, bool uplink) const
{
    auto it = m_records.find(id);
    if (it == m_records.end() || !it->second.hasSplit[uplink])
    {
        return nullptr;
    }
    return &it->second.split[uplink];
}

void
MessageLedger::SetHandshakeOwner(uint32_t deviceAddress, uint64_t id)
{
    m_handshakeOwners[deviceAddress] = id;
}

uint64_t
MessageLedger::GetHandshakeOwner(uint32_t deviceAddress) const
{
    auto it = m_handshakeOwners.find(deviceAddress);
    if (it == m_handshakeOwners.end() || m_records.count(it->second) == 0)
    {
        return MessageTag::kNoMessage;
    }
    return it->second;
}

void
MessageLedger::MarkHandshake(uint64_t id, const std::string& kind, Time waited)
{
    if (MessageRecord* r = Find(id))
    {
        r->handshake = kind;
        r->handshakeTime = waited.GetSeconds();
        NS_LOG_INFO("report " << id << " of device " << r->device << ": " << kind
                              << " handshake after " << r->handshakeTime << " s");
    }
}

void
MessageLedger::MarkDelivered(uint64_t id)
{
    MessageRecord* r = Find(id);
    if (r == nullptr || r->Delivered())
    {
        return;
    }
    r->deliverTime = Simulator::Now().GetSeconds();
    ++m_totals.delivered;
    m_totals.latencies.push_back(r->Latency());
    NS_LOG_INFO("report " << id << " of device " << r->device << " delivered to the server after "
                          << r->Latency() << " s");
}

void
MessageLedger::MarkCompleted(uint64_t id, const std::string& completion, uint32_t retransmissions,
                             const std::string& responseCode)
{
    MessageRecord* r = Find(id);
    if (r == nullptr || r->completeTime >= 0)
    {
        return;
    }
    r->completeTime = Simulator::Now().GetSeconds();
    r->completion = completion;
    r->retransmissions = retransmissions;
    r->responseCode = responseCode;
    NS_LOG_INFO("report " << id << " of device " << r->device << " completed: " << completion
                          << (responseCode.empty() ? "" : " " + responseCode) << ", "
                          << retransmissions << " retransmissions");
    ++m_totals.completed;
    m_totals.requestRetransmissions += retransmissions;
    ++m_totals.completions[completion];
    Simulator::Schedule(m_linger, &MessageLedger::Finalize, this, id);
}

void
MessageLedger::RecordAirFrame(const MessageTag* tag, const LayerBytes& bytes)
{
    ++m_totals.framesOnAir;
    AddAirBytes(tag, bytes);
}

void
MessageLedger::RecordAirFrameParts(const std::vector<std::pair<MessageTag, LayerBytes>>& parts)
{
    ++m_totals.framesOnAir;
    for (const auto& [tag, bytes] : parts)
    {
        AddAirBytes(&tag, bytes);
    }
}

void
MessageLedger::AddAirBytes(const MessageTag* tag, const LayerBytes& bytes)
{
    m_totals.air += bytes;
    if (tag != nullptr && tag->retransmission)
    {
        ++m_totals.repeatedDatagrams;
    }
    if (tag != nullptr && tag->handshake)
    {
        m_totals.handshakeAir += bytes.Total();
    }
    MessageRecord* r = tag != nullptr ? Find(tag->messageId) : nullptr;
    if (r == nullptr)
    {
        m_totals.unattributedAir += bytes;
        return;
    }
    if (tag->handshake)
    {
        r->handshakeAirBytes += bytes.Total();
    }
    else if (tag->uplink && r->request.Total() == 0)
    {
        r->request = bytes; // the request's first transmission
    }
    ++r->framesOnAir;
    r->air += bytes;
    if (tag->retransmission)
    {
        ++r->repeatedDatagrams;
    }
}

void
MessageLedger::RecordAirFrameLost(const MessageTag* tag)
{
    ++m_totals.framesLost;
    MessageRecord* r = tag != nullptr ? Find(tag->messageId) : nullptr;
    if (r != nullptr)
    {
        ++r->framesLost;
    }
}

void
MessageLedger::Finalize(uint64_t id)
{
    auto it = m_records.find(id);
    if (it == m_records.end())
    {
        return;
    }
    for (const auto& key : it->second.tokenKeys)
    {
        auto t = m_byToken.find(key);
        if (t != m_byToken.end() && t->second == id)
        {
            m_byToken.erase(t);
            m_handshakeTokens.erase(key);
        }
    }
    for (uint64_t key : it->second.midKeys)
    {
        auto m = m_byMid.find(key);
        if (m != m_byMid.end() && m->second == id)
        {
            m_byMid.erase(m);
        }
    }
    m_messageFinalized(it->second.record);
    m_records.erase(it);
}

void
MessageLedger::FinalizeAll()
{
    std::vector<uint64_t> ids;
    ids.reserve(m_records.size());
    for (const auto& [id, entry] : m_records)
    {
        ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end()); // creation order: deterministic output
    for (uint64_t id : ids)
    {
        Finalize(id);
    }
}

} // namespace ns3
