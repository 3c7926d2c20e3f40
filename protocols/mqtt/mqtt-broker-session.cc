/*
 * The server's per-client Session state; see mqtt-broker-session.h.
 */

#include "mqtt-broker-session.h"

namespace lpwan
{
namespace mqtt
{

BrokerSession::BrokerSession(std::string clientId, bool clean, size_t maxQueued)
  : m_clientId(std::move(clientId))
  , m_clean(clean)
  , m_maxQueued(maxQueued)
{
}

std::optional<uint16_t>
BrokerSession::AllocatePacketId()
{
    for (uint32_t tries = 0; tries < 65535; ++tries)
    {
        const uint16_t id = m_nextPacketId;
        m_nextPacketId = m_nextPacketId == 65535 ? 1 : m_nextPacketId + 1;
        if (m_inflightById.count(id) == 0)
        {
            return id;
        }
    }
    return std::nullopt;
}

PublishPacket
BrokerSession::StartFlight(PublishPacket message, uint16_t packetId)
{
    message.packetId = packetId;
    message.dup = false;
    const uint64_t order = m_nextOrder++;
    m_inflightById[packetId] = order;
    m_inflight.emplace(order, message);
    return message;
}

std::optional<PublishPacket>
BrokerSession::Deliver(PublishPacket message, bool* dropped)
{
    *dropped = false;
    if (connection && m_queued.empty())
    {
        if (const std::optional<uint16_t> id = AllocatePacketId())
        {
            return StartFlight(std::move(message), *id);
        }
    }
    if (m_queued.size() >= m_maxQueued)
    {
        *dropped = true;
        return std::nullopt;
    }
    m_queued.push_back(std::move(message));
    return std::nullopt;
}

bool
BrokerSession::Acknowledge(uint16_t packetId)
{
    auto it = m_inflightById.find(packetId);
    if (it == m_inflightById.end())
    {
        return false;
    }
    m_inflight.erase(it->second);
    m_inflightById.erase(it);
    return true;
}

std::vector<PublishPacket>
BrokerSession::Resume()
{
    std::vector<PublishPacket> out;
    for (const auto& [order, message] : m_inflight)
    {
        PublishPacket again = message;
        again.dup = true;
        out.push_back(std::move(again));
    }
    std::vector<PublishPacket> more = TakeSendable();
    out.insert(out.end(), more.begin(), more.end());
    return out;
}

std::vector<PublishPacket>
BrokerSession::TakeSendable()
{
    std::vector<PublishPacket> out;
    while (connection && !m_queued.empty())
    {
        const std::optional<uint16_t> id = AllocatePacketId();
        if (!id)
        {
            break;
        }
        out.push_back(StartFlight(std::move(m_queued.front()), *id));
        m_queued.pop_front();
    }
    return out;
}

} // namespace mqtt
} // namespace lpwan
