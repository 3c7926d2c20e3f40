/*
 * The per-connection rules of the MQTT server; see mqtt-broker-connection.h.
 */

#include "mqtt-broker-connection.h"

namespace lpwan
{
namespace mqtt
{

namespace
{

DecodeResult
Violation(std::string reason)
{
    DecodeResult r;
    r.error.code = DecodeErrorCode::Malformed;
    r.error.reason = std::move(reason);
    return r;
}

} // namespace

BrokerConnection::BrokerConnection(ConnectionId id, TimeNs openedAt, TimeNs connectTimeout,
                                   uint32_t maxPacketSize)
  : m_id(id)
  , m_openedAt(openedAt)
  , m_connectTimeout(connectTimeout)
  , m_lastReceivedAt(openedAt)
  , m_decoder(maxPacketSize)
{
}

void
BrokerConnection::Append(const uint8_t* data, size_t size)
{
    m_decoder.Append(data, size);
}

std::optional<DecodeResult>
BrokerConnection::NextPacket(TimeNs now)
{
    std::optional<DecodeResult> r = m_decoder.Next();
    if (!r || !r->ok)
    {
        return r;
    }
    m_lastReceivedAt = now;
    const PacketType type = TypeOf(r->packet);
    if (type == PacketType::Connect)
    {
        if (m_connectSeen)
        {
            return Violation("a second CONNECT on the connection [MQTT-3.1.0-2]");
        }
        m_connectSeen = true;
        return r;
    }
    if (m_phase == Phase::AwaitingConnect)
    {
        return Violation(std::string(PacketTypeName(type))
                         + " before CONNECT: the first packet must be CONNECT [MQTT-3.1.0-1]");
    }
    switch (type)
    {
        case PacketType::Connack:
        case PacketType::Suback:
        case PacketType::Unsuback:
        case PacketType::Pingresp:
            return Violation(std::string(PacketTypeName(type)) + " is sent by servers only");
        default:
            return r;
    }
}

void
BrokerConnection::Accept(TimeNs now, std::string clientId, uint16_t keepAliveSeconds,
                         std::optional<Will> will)
{
    m_phase = Phase::Connected;
    m_lastReceivedAt = now;
    m_clientId = std::move(clientId);
    m_keepAliveSeconds = keepAliveSeconds;
    m_will = std::move(will);
}

std::optional<TimeNs>
BrokerConnection::Deadline() const
{
    if (m_phase == Phase::AwaitingConnect)
    {
        return m_openedAt + m_connectTimeout;
    }
    if (m_keepAliveSeconds == 0)
    {
        return std::nullopt; // keep alive off: no inactivity limit [section 3.1.2.10]
    }
    // One and a half times KeepAlive, in whole nanoseconds [MQTT-3.1.2-24].
    return m_lastReceivedAt + lpwan::SecondsToNs(m_keepAliveSeconds) * 3 / 2;
}

std::string
BrokerConnection::DeadlineReason() const
{
    if (m_phase == Phase::AwaitingConnect)
    {
        return "no CONNECT within " + std::to_string(lpwan::NsToSeconds(m_connectTimeout))
               + " s of the connection opening";
    }
    return "keep alive expired: nothing received for 1.5 x " + std::to_string(m_keepAliveSeconds)
           + " s [MQTT-3.1.2-24]";
}

} // namespace mqtt
} // namespace lpwan
