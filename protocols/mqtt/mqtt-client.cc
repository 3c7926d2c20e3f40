/*
 * The MQTT 3.1.1 client state machine; see mqtt-client.h for the behaviour.
 *
 * Messages from Publish() live in one map ordered by publication, so that the first
 * transmission after a CONNACK and every redelivery go out in the order the application
 * published [MQTT-4.6.0-1], whatever mix of QoS 0 and QoS 1 is waiting. A device has a handful
 * of messages in flight, so the timer scan over them (optional retransmission only) is cheap.
 */

#include "mqtt-client.h"

#include "mqtt-topic.h"

#include <algorithm>
#include <stdexcept>

namespace lpwan
{
namespace mqtt
{

std::string
ClientConfig::Validate() const
{
    ConnectPacket c;
    c.clientId = clientId;
    c.cleanSession = cleanSession;
    c.keepAliveSeconds = keepAliveSeconds;
    c.will = will;
    c.userName = userName;
    c.password = password;
    std::string why = CheckEncodable(c);
    if (!why.empty())
    {
        return why;
    }
    if (clientId.empty() && !cleanSession)
    {
        return "an empty client identifier requires a clean session [MQTT-3.1.3-7]";
    }
    if (connackTimeout <= 0 || pingResponseTimeout <= 0)
    {
        return "connackTimeout and pingResponseTimeout must be positive";
    }
    if (retransmitTimeout < 0)
    {
        return "retransmitTimeout must not be negative";
    }
    if (maxPacketSize < 2)
    {
        return "maxPacketSize below the smallest packet";
    }
    return {};
}

Client::Client(ClientConfig config)
  : m_config(std::move(config))
  , m_decoder(m_config.maxPacketSize)
{
    const std::string why = m_config.Validate();
    if (!why.empty())
    {
        throw std::invalid_argument("MQTT client configuration: " + why);
    }
}

// ---------------------------------------------------------------- application

bool
Client::Connect(TimeNs now)
{
    if (m_state != ClientState::Disconnected)
    {
        return false;
    }
    m_decoder.Reset();
    m_pingSentAt.reset();
    ConnectPacket c;
    c.clientId = m_config.clientId;
    c.cleanSession = m_config.cleanSession;
    c.keepAliveSeconds = m_config.keepAliveSeconds;
    c.will = m_config.will;
    c.userName = m_config.userName;
    c.password = m_config.password;
    m_state = ClientState::Connecting;
    m_connectSentAt = now;
    Send(now, c);
    return true;
}

RequestResult
Client::Publish(TimeNs now, const std::string& topic, Bytes payload, uint8_t qos, bool retain)
{
    RequestResult r;
    std::string why;
    if (!IsValidTopicName(topic, &why))
    {
        r.error = why;
        return r;
    }
    if (qos > 1)
    {
        r.error = "this client publishes at QoS 0 or 1 only";
        return r;
    }
    Outbound o;
    o.packet.topic = topic;
    o.packet.payload = std::move(payload);
    o.packet.qos = qos;
    o.packet.retain = retain;
    o.publishedAt = now;
    if (qos == 1)
    {
        const std::optional<uint16_t> id = AllocatePacketId();
        if (!id)
        {
            r.error = "all 65535 packet identifiers are in use";
            return r;
        }
        o.packet.packetId = *id;
    }
    why = CheckEncodable(o.packet);
    if (!why.empty())
    {
        r.error = why;
        return r;
    }
    r.ok = true;
    r.packetId = o.packet.packetId;
    const uint64_t order = m_nextOrder++;
    if (qos == 1)
    {
        m_qos1ById[o.packet.packetId] = order;
    }
    if (m_state == ClientState::Connected)
    {
        Transmit(now, o);
        if (qos == 0)
        {
            return r; // sent and done
        }
    }
    m_outbound.emplace(order, std::move(o));
    return r;
}

RequestResult
Client::Subscribe(TimeNs now, std::vector<Subscription> subscriptions)
{
    RequestResult r;
    if (m_state != ClientState::Connected)
    {
        r.error = "not connected";
        return r;
    }
    const std::optional<uint16_t> id = AllocatePacketId();
    if (!id)
    {
        r.error = "all 65535 packet identifiers are in use";
        return r;
    }
    SubscribePacket s;
    s.packetId = *id;
    s.subscriptions = std::move(subscriptions);
    r.error = CheckEncodable(s);
    if (!r.error.empty())
    {
        return r;
    }
    m_pendingSubscribes[s.packetId] = s.subscriptions.size();
    Send(now, s);
    r.ok = true;
    r.packetId = s.packetId;
    return r;
}

RequestResult
Client::Unsubscribe(TimeNs now, std::vector<std::string> filters)
{
    RequestResult r;
    if (m_state != ClientState::Connected)
    {
        r.error = "not connected";
        return r;
    }
    const std::optional<uint16_t> id = AllocatePacketId();
    if (!id)
    {
        r.error = "all 65535 packet identifiers are in use";
        return r;
    }
    UnsubscribePacket u;
    u.packetId = *id;
    u.filters = std::move(filters);
    r.error = CheckEncodable(u);
    if (!r.error.empty())
    {
        return r;
    }
    m_pendingUnsubscribes.insert(u.packetId);
    Send(now, u);
    r.ok = true;
    r.packetId = u.packetId;
    return r;
}

bool
Client::Ping(TimeNs now)
{
    if (m_state != ClientState::Connected || m_pingSentAt)
    {
        return false;
    }
    m_pingSentAt = now;
    ++m_counters.pingsSent;
    Send(now, PingreqPacket{});
    return true;
}

void
Client::Disconnect(TimeNs now)
{
    if (m_state == ClientState::Disconnected)
    {
        return;
    }
    Send(now, DisconnectPacket{});
    EndConnection(now);
}

// ---------------------------------------------------------------- transport

void
Client::Receive(TimeNs now, const uint8_t* data, size_t size)
{
    if (m_state == ClientState::Disconnected || size == 0)
    {
        return; // bytes after the end of the connection mean nothing
    }
    m_counters.bytesReceived += size;
    m_decoder.Append(data, size);
    // Stop as soon as the connection ends: later packets on a closed connection are not
    // processed (e.g. anything after a refusing CONNACK).
    while (m_state != ClientState::Disconnected)
    {
        std::optional<DecodeResult> r = m_decoder.Next();
        if (!r)
        {
            return;
        }
        if (!r->ok)
        {
            LoseConnection(now, std::string("protocol violation: ")
                                    + DecodeErrorCodeName(r->error.code) + ": " + r->error.reason);
            return;
        }
        ++m_counters.packetsReceived;
        HandlePacket(now, std::move(r->packet));
    }
}

void
Client::TransportClosed(TimeNs now)
{
    if (m_state != ClientState::Disconnected)
    {
        LoseConnection(now, "the transport closed");
    }
}

void
Client::OnTimer(TimeNs now)
{
    if (m_state == ClientState::Connecting)
    {
        if (now >= m_connectSentAt + m_config.connackTimeout)
        {
            LoseConnection(now, "no CONNACK within "
                                    + std::to_string(lpwan::NsToSeconds(m_config.connackTimeout))
                                    + " s");
        }
        return;
    }
    if (m_state != ClientState::Connected)
    {
        return;
    }
    if (m_pingSentAt && now >= *m_pingSentAt + m_config.pingResponseTimeout)
    {
        LoseConnection(now, "no PINGRESP within "
                                + std::to_string(lpwan::NsToSeconds(m_config.pingResponseTimeout))
                                + " s");
        return;
    }
    if (m_config.retransmitTimeout > 0)
    {
        for (auto& [order, o] : m_outbound)
        {
            if (o.transmissions > 0 && now >= o.lastSentAt + m_config.retransmitTimeout)
            {
                Transmit(now, o);
            }
        }
    }
    const TimeNs keepAlive = lpwan::SecondsToNs(m_config.keepAliveSeconds);
    if (keepAlive > 0 && !m_pingSentAt && now >= m_lastSentAt + keepAlive)
    {
        Ping(now);
    }
}

// ---------------------------------------------------------------- outputs

std::optional<TimeNs>
Client::NextTimer() const
{
    if (m_state == ClientState::Connecting)
    {
        return m_connectSentAt + m_config.connackTimeout;
    }
    if (m_state != ClientState::Connected)
    {
        return std::nullopt;
    }
    std::optional<TimeNs> next;
    auto consider = [&next](TimeNs t)
    {
        if (!next || t < *next)
        {
            next = t;
        }
    };
    if (m_pingSentAt)
    {
        consider(*m_pingSentAt + m_config.pingResponseTimeout);
    }
    else if (m_config.keepAliveSeconds > 0)
    {
        consider(m_lastSentAt + lpwan::SecondsToNs(m_config.keepAliveSeconds));
    }
    if (m_config.retransmitTimeout > 0)
    {
        for (const auto& [order, o] : m_outbound)
        {
            if (o.transmissions > 0)
            {
                consider(o.lastSentAt + m_config.retransmitTimeout);
            }
        }
    }
    return next;
}

std::vector<OutgoingPacket>
Client::TakePackets()
{
    std::vector<OutgoingPacket> out;
    out.swap(m_output);
    return out;
}

Bytes
Client::TakeBytes()
{
    return Concatenate(TakePackets());
}

std::vector<ClientEvent>
Client::TakeEvents()
{
    std::vector<ClientEvent> out;
    out.swap(m_events);
    return out;
}

// ---------------------------------------------------------------- internals

void
Client::Send(TimeNs now, const Packet& packet, bool retransmission)
{
    OutgoingPacket o;
    o.type = TypeOf(packet);
    o.bytes = Encode(packet);
    o.retransmission = retransmission;
    if (const auto* m = std::get_if<PublishPacket>(&packet))
    {
        o.payloadBytes = m->payload.size();
        o.packetId = m->packetId;
        ++m_counters.publishesSent;
        m_counters.publishPayloadBytesSent += o.payloadBytes;
        m_counters.publishHeaderBytesSent += o.HeaderBytes();
        if (retransmission)
        {
            ++m_counters.publishRetransmissions;
        }
    }
    else
    {
        m_counters.controlBytesSent += o.bytes.size();
    }
    ++m_counters.packetsSent;
    m_counters.bytesSent += o.bytes.size();
    m_lastSentAt = now;
    m_output.push_back(std::move(o));
}

void
Client::Transmit(TimeNs now, Outbound& outbound)
{
    PublishPacket p = outbound.packet;
    // DUP marks a re-delivery of a packet sent before [MQTT-3.3.1-1]; never on QoS 0.
    p.dup = p.qos > 0 && outbound.transmissions > 0;
    ++outbound.transmissions;
    outbound.lastSentAt = now;
    Send(now, p, p.dup);
}

void
Client::SendAllPending(TimeNs now)
{
    for (auto it = m_outbound.begin(); it != m_outbound.end();)
    {
        Transmit(now, it->second);
        if (it->second.packet.qos == 0)
        {
            it = m_outbound.erase(it);
        }
        else
        {
            ++it;
        }
    }
}

void
Client::HandlePacket(TimeNs now, Packet packet)
{
    const PacketType type = TypeOf(packet);
    if (m_state == ClientState::Connecting && type != PacketType::Connack)
    {
        LoseConnection(now, std::string("protocol violation: ") + PacketTypeName(type)
                                + " before CONNACK [MQTT-3.2.0-1]");
        return;
    }
    switch (type)
    {
        case PacketType::Connack:
            if (m_state != ClientState::Connecting)
            {
                LoseConnection(now, "protocol violation: a second CONNACK");
                return;
            }
            HandleConnack(now, std::get<ConnackPacket>(packet));
            return;
        case PacketType::Publish:
            HandlePublish(now, std::move(std::get<PublishPacket>(packet)));
            return;
        case PacketType::Puback:
            HandlePuback(now, std::get<PubackPacket>(packet).packetId);
            return;
        case PacketType::Pubrel:
        {
            const uint16_t id = std::get<PubrelPacket>(packet).packetId;
            m_awaitingRelease.erase(id);
            // PUBCOMP answers every PUBREL, known or not (section 4.3.3).
            Send(now, PubcompPacket{id});
            return;
        }
        case PacketType::Suback:
        {
            const auto& s = std::get<SubackPacket>(packet);
            auto it = m_pendingSubscribes.find(s.packetId);
            if (it == m_pendingSubscribes.end())
            {
                ++m_counters.unmatchedAcks;
                return;
            }
            if (it->second != s.returnCodes.size())
            {
                LoseConnection(now, "protocol violation: SUBACK with "
                                        + std::to_string(s.returnCodes.size())
                                        + " return codes for " + std::to_string(it->second)
                                        + " filters [MQTT-3.8.4-5]");
                return;
            }
            m_pendingSubscribes.erase(it);
            ClientEvent e;
            e.kind = ClientEvent::Kind::Subscribed;
            e.packetId = s.packetId;
            e.returnCodes = s.returnCodes;
            m_events.push_back(std::move(e));
            return;
        }
        case PacketType::Unsuback:
        {
            const uint16_t id = std::get<UnsubackPacket>(packet).packetId;
            if (m_pendingUnsubscribes.erase(id) == 0)
            {
                ++m_counters.unmatchedAcks;
                return;
            }
            ClientEvent e;
            e.kind = ClientEvent::Kind::Unsubscribed;
            e.packetId = id;
            m_events.push_back(std::move(e));
            return;
        }
        case PacketType::Pingresp:
            m_pingSentAt.reset();
            return;
        case PacketType::Pubrec:
        case PacketType::Pubcomp:
            LoseConnection(now, std::string("protocol violation: ") + PacketTypeName(type)
                                    + " for a QoS 2 message this client never sends");
            return;
        case PacketType::Connect:
        case PacketType::Subscribe:
        case PacketType::Unsubscribe:
        case PacketType::Pingreq:
        case PacketType::Disconnect:
            LoseConnection(now, std::string("protocol violation: ") + PacketTypeName(type)
                                    + " is sent by clients only");
            return;
    }
}

void
Client::HandleConnack(TimeNs now, const ConnackPacket& connack)
{
    if (connack.returnCode != ConnectReturnCode::Accepted)
    {
        LoseConnection(
            now, std::string("connection refused: ") + ConnectReturnCodeName(connack.returnCode),
            connack.returnCode);
        return;
    }
    m_state = ClientState::Connected;
    ClientEvent e;
    e.kind = ClientEvent::Kind::Connected;
    e.sessionPresent = connack.sessionPresent;
    m_events.push_back(std::move(e));
    SendAllPending(now);
}

void
Client::HandlePublish(TimeNs now, PublishPacket publish)
{
    const uint8_t qos = publish.qos;
    const uint16_t id = publish.packetId;
    bool deliver = true;
    if (qos == 2)
    {
        // Method B: deliver on the first PUBLISH, remember the id until PUBREL, and answer
        // repeats with PUBREC only [MQTT-4.3.3-2].
        deliver = m_awaitingRelease.insert(id).second;
    }
    if (deliver)
    {
        ++m_counters.messagesReceived;
        ClientEvent e;
        e.kind = ClientEvent::Kind::MessageReceived;
        e.packetId = id;
        e.message = std::move(publish);
        m_events.push_back(std::move(e));
    }
    if (qos == 1)
    {
        Send(now, PubackPacket{id});
    }
    else if (qos == 2)
    {
        Send(now, PubrecPacket{id});
    }
}

void
Client::HandlePuback(TimeNs now, uint16_t packetId)
{
    auto byId = m_qos1ById.find(packetId);
    if (byId == m_qos1ById.end())
    {
        ++m_counters.unmatchedAcks;
        return;
    }
    auto it = m_outbound.find(byId->second);
    if (it == m_outbound.end() || it->second.transmissions == 0)
    {
        // Never sent: this PUBACK cannot be for it.
        ++m_counters.unmatchedAcks;
        return;
    }
    ClientEvent e;
    e.kind = ClientEvent::Kind::Published;
    e.packetId = packetId;
    e.latency = now - it->second.publishedAt;
    e.transmissions = it->second.transmissions;
    m_events.push_back(std::move(e));
    m_outbound.erase(it);
    m_qos1ById.erase(byId);
}

void
Client::LoseConnection(TimeNs now, std::string reason, std::optional<ConnectReturnCode> refusal)
{
    ++m_counters.connectionsLost;
    ClientEvent e;
    e.kind = ClientEvent::Kind::ConnectionLost;
    e.reason = std::move(reason);
    e.refusal = refusal;
    m_events.push_back(std::move(e));
    EndConnection(now);
}

void
Client::EndConnection(TimeNs now)
{
    (void) now;
    m_state = ClientState::Disconnected;
    m_decoder.Reset();
    m_pingSentAt.reset();
    // Subscription requests are not session state: their answers will never come.
    m_pendingSubscribes.clear();
    m_pendingUnsubscribes.clear();
    if (!m_config.cleanSession)
    {
        return; // the session outlives the connection; redelivery on reconnection
    }
    // A clean session lasts as long as the connection [MQTT-3.1.2-6]: its unacknowledged
    // QoS 1 messages and its QoS 2 receptions end here. Messages never sent stay queued.
    m_awaitingRelease.clear();
    for (auto it = m_outbound.begin(); it != m_outbound.end();)
    {
        Outbound& o = it->second;
        if (o.packet.qos == 1 && o.transmissions > 0)
        {
            ClientEvent e;
            e.kind = ClientEvent::Kind::PublishDropped;
            e.packetId = o.packet.packetId;
            e.transmissions = o.transmissions;
            e.reason = "unacknowledged when its clean session ended [MQTT-3.1.2-6]";
            e.message = std::move(o.packet);
            m_qos1ById.erase(e.packetId);
            m_events.push_back(std::move(e));
            it = m_outbound.erase(it);
        }
        else
        {
            ++it;
        }
    }
}

bool
Client::PacketIdInUse(uint16_t id) const
{
    return m_qos1ById.count(id) != 0 || m_pendingSubscribes.count(id) != 0
           || m_pendingUnsubscribes.count(id) != 0;
}

std::optional<uint16_t>
Client::AllocatePacketId()
{
    // Identifiers cycle through 1..65535, skipping those in use [MQTT-2.3.1-2].
    for (uint32_t tries = 0; tries < 65535; ++tries)
    {
        const uint16_t id = m_nextPacketId;
        m_nextPacketId = m_nextPacketId == 65535 ? 1 : m_nextPacketId + 1;
        if (!PacketIdInUse(id))
        {
            return id;
        }
    }
    return std::nullopt;
}

} // namespace mqtt
} // namespace lpwan
