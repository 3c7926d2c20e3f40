/*
 * The MQTT 3.1.1 broker; see mqtt-broker.h for the behaviour.
 *
 * Re-entrancy. Handling one packet can close other connections (a takeover) and send on any
 * connection (routing, Will Messages), and closing a connection destroys its Entry. So the
 * packet loop in Drain() re-checks, by identifier, that its connection is still open after
 * every packet before touching the Entry again, and Close() moves the Entry out of the map
 * before doing anything that could route.
 */

#include "mqtt-broker.h"

#include "mqtt-codec.h"
#include "mqtt-topic.h"

#include <algorithm>
#include <stdexcept>

namespace lpwan
{
namespace mqtt
{

std::string
BrokerConfig::Validate() const
{
    if (maximumQos > 1)
    {
        return "maximumQos above 1 (the broker does not send QoS 2)";
    }
    if (connectTimeout <= 0)
    {
        return "connectTimeout must be positive";
    }
    if (maxPacketSize < 2)
    {
        return "maxPacketSize below the smallest packet";
    }
    return {};
}

struct Broker::Entry
{
    Entry(ConnectionId id, TimeNs now, const BrokerConfig& config)
      : connection(id, now, config.connectTimeout, config.maxPacketSize)
    {
    }

    BrokerConnection connection;
    BrokerSession* session = nullptr; ///< once the CONNECT is accepted
    std::optional<std::multimap<TimeNs, ConnectionId>::iterator> timer;
};

Broker::Broker(BrokerConfig config)
  : m_config(std::move(config))
{
    const std::string why = m_config.Validate();
    if (!why.empty())
    {
        throw std::invalid_argument("MQTT broker configuration: " + why);
    }
}

Broker::~Broker() = default;

// ---------------------------------------------------------------- network

ConnectionId
Broker::Open(TimeNs now)
{
    const ConnectionId id = m_nextConnection++;
    auto entry = std::make_unique<Entry>(id, now, m_config);
    Entry& e = *entry;
    m_connections.emplace(id, std::move(entry));
    ++m_counters.connectionsOpened;
    Reschedule(e);
    return id;
}

void
Broker::Receive(ConnectionId connection, TimeNs now, const uint8_t* data, size_t size)
{
    auto it = m_connections.find(connection);
    if (it == m_connections.end() || size == 0)
    {
        return;
    }
    m_counters.bytesReceived += size;
    it->second->connection.Append(data, size);
    Drain(*it->second, now);
}

void
Broker::TransportClosed(ConnectionId connection, TimeNs now)
{
    Close(connection, now, "the transport closed", false);
}

void
Broker::OnTimer(TimeNs now)
{
    while (!m_timers.empty() && m_timers.begin()->first <= now)
    {
        const ConnectionId id = m_timers.begin()->second;
        m_timers.erase(m_timers.begin());
        auto it = m_connections.find(id);
        if (it == m_connections.end())
        {
            continue;
        }
        Entry& e = *it->second;
        e.timer.reset();
        const std::optional<TimeNs> deadline = e.connection.Deadline();
        if (deadline && *deadline <= now)
        {
            ++m_counters.keepAliveExpirations;
            Close(id, now, e.connection.DeadlineReason(), false);
        }
        else
        {
            Reschedule(e);
        }
    }
}

// ---------------------------------------------------------------- application

bool
Broker::Publish(TimeNs now, PublishPacket message)
{
    message.packetId = message.qos > 0 ? 1 : 0; // a placeholder so that the check passes
    message.dup = false;
    if (!CheckEncodable(message).empty())
    {
        return false;
    }
    message.packetId = 0;
    Route(now, message);
    return true;
}

// ---------------------------------------------------------------- outputs

std::optional<TimeNs>
Broker::NextTimer() const
{
    if (m_timers.empty())
    {
        return std::nullopt;
    }
    return m_timers.begin()->first;
}

std::vector<BrokerAction>
Broker::TakeActions()
{
    std::vector<BrokerAction> out;
    out.swap(m_actions);
    return out;
}

std::vector<BrokerEvent>
Broker::TakeEvents()
{
    std::vector<BrokerEvent> out;
    out.swap(m_events);
    return out;
}

bool
Broker::IsOpen(ConnectionId connection) const
{
    return m_connections.count(connection) != 0;
}

size_t
Broker::OpenConnections() const
{
    return m_connections.size();
}

size_t
Broker::SessionCount() const
{
    return m_sessions.size();
}

const BrokerSession*
Broker::FindSession(const std::string& clientId) const
{
    auto it = m_sessions.find(clientId);
    return it == m_sessions.end() ? nullptr : it->second.get();
}

const TopicCounters*
Broker::GetTopicCounters(const std::string& topic) const
{
    auto it = m_topicCounters.find(topic);
    return it == m_topicCounters.end() ? nullptr : &it->second;
}

std::map<std::string, TopicCounters>
Broker::GetAllTopicCounters() const
{
    return std::map<std::string, TopicCounters>(m_topicCounters.begin(), m_topicCounters.end());
}

// ---------------------------------------------------------------- packets

void
Broker::Drain(Entry& entry, TimeNs now)
{
    const ConnectionId id = entry.connection.GetId();
    while (true)
    {
        std::optional<DecodeResult> r = entry.connection.NextPacket(now);
        if (!r)
        {
            break;
        }
        if (!r->ok)
        {
            ++m_counters.protocolViolations;
            if (r->error.code == DecodeErrorCode::UnsupportedProtocolLevel
                && entry.connection.GetPhase() == BrokerConnection::Phase::AwaitingConnect)
            {
                Refuse(entry, now, ConnectReturnCode::UnacceptableProtocolVersion, r->error.reason);
            }
            else
            {
                Close(id, now,
                      std::string("protocol violation: ") + DecodeErrorCodeName(r->error.code)
                          + ": " + r->error.reason,
                      false);
            }
            return;
        }
        HandlePacket(entry, now, std::move(r->packet), r->size);
        if (!IsOpen(id))
        {
            return; // the packet ended the connection; entry is gone
        }
    }
    Reschedule(entry);
}

void
Broker::HandlePacket(Entry& entry, TimeNs now, Packet packet, size_t size)
{
    const ConnectionId id = entry.connection.GetId();
    const PacketType type = TypeOf(packet);
    switch (type)
    {
        case PacketType::Connect:
            HandleConnect(entry, now, std::get<ConnectPacket>(packet));
            return;
        case PacketType::Publish:
            HandlePublish(entry, now, std::move(std::get<PublishPacket>(packet)), size);
            return;
        case PacketType::Puback:
            if (entry.session->Acknowledge(std::get<PubackPacket>(packet).packetId))
            {
                for (const PublishPacket& p : entry.session->TakeSendable())
                {
                    Send(id, p);
                }
            }
            return;
        case PacketType::Pubrel:
        {
            const uint16_t packetId = std::get<PubrelPacket>(packet).packetId;
            entry.session->awaitingRelease.erase(packetId);
            Send(id, PubcompPacket{packetId}); // every PUBREL is answered (section 4.3.3)
            return;
        }
        case PacketType::Pubrec:
        case PacketType::Pubcomp:
            ++m_counters.protocolViolations;
            Close(id, now,
                  std::string("protocol violation: ") + PacketTypeName(type)
                      + " for a QoS 2 message the broker never sent (it sends at most QoS 1)",
                  false);
            return;
        case PacketType::Subscribe:
            HandleSubscribe(entry, now, std::get<SubscribePacket>(packet));
            return;
        case PacketType::Unsubscribe:
            HandleUnsubscribe(entry, now, std::get<UnsubscribePacket>(packet));
            return;
        case PacketType::Pingreq:
            Send(id, PingrespPacket{});
            return;
        case PacketType::Disconnect:
            entry.connection.ForgetWill(); // [MQTT-3.1.2-10], [MQTT-3.14.4-3]
            Close(id, now, "DISCONNECT received", true);
            return;
        case PacketType::Connack:
        case PacketType::Suback:
        case PacketType::Unsuback:
        case PacketType::Pingresp:
            // BrokerConnection already turned these into violations.
            return;
    }
}

void
Broker::Refuse(Entry& entry, TimeNs now, ConnectReturnCode code, const std::string& reason)
{
    const ConnectionId id = entry.connection.GetId();
    ++m_counters.connectionsRefused;
    Send(id, ConnackPacket{false, code});
    // A refusing server closes the connection [MQTT-3.2.2-5] and processes nothing after
    // the CONNECT [MQTT-3.1.4-5].
    Close(id, now,
          std::string("connection refused (") + ConnectReturnCodeName(code) + "): " + reason,
          false);
}

void
Broker::HandleConnect(Entry& entry, TimeNs now, const ConnectPacket& connect)
{
    const ConnectionId id = entry.connection.GetId();

    // Authentication (section 3.1.4 item 3).
    if (connect.userName)
    {
        auto known = m_config.passwords.find(*connect.userName);
        if (known != m_config.passwords.end())
        {
            const std::string given
                = connect.password ? std::string(connect.password->begin(), connect.password->end())
                                   : std::string();
            if (!connect.password || given != known->second)
            {
                Refuse(entry, now, ConnectReturnCode::BadUserNameOrPassword, "wrong password");
                return;
            }
        }
        else if (!m_config.passwords.empty())
        {
            Refuse(entry, now, ConnectReturnCode::BadUserNameOrPassword, "unknown user name");
            return;
        }
    }
    else if (!m_config.allowAnonymous)
    {
        Refuse(entry, now, ConnectReturnCode::NotAuthorized, "anonymous clients not allowed");
        return;
    }

    // Client identifier.
    std::string clientId = connect.clientId;
    if (clientId.empty())
    {
        if (!connect.cleanSession)
        {
            Refuse(entry, now, ConnectReturnCode::IdentifierRejected,
                   "empty client identifier with CleanSession = 0 [MQTT-3.1.3-8]");
            return;
        }
        if (!m_config.allowZeroLengthClientId)
        {
            Refuse(entry, now, ConnectReturnCode::IdentifierRejected,
                   "empty client identifiers are not allowed");
            return;
        }
        do
        {
            clientId = "auto-" + std::to_string(m_nextAssignedId++);
        } while (m_sessions.count(clientId) != 0);
    }

    // Takeover: the client identifier is connected elsewhere [MQTT-3.1.4-2].
    auto existing = m_sessions.find(clientId);
    if (existing != m_sessions.end() && existing->second->connection)
    {
        Close(*existing->second->connection, now,
              "session taken over by a new connection [MQTT-3.1.4-2]", false);
        existing = m_sessions.find(clientId); // a clean session went with its connection
    }

    // CleanSession processing [MQTT-3.1.2-4, 3.1.2-6] and Session Present [MQTT-3.2.2-1..3].
    bool sessionPresent = false;
    if (existing != m_sessions.end() && (connect.cleanSession || existing->second->IsClean()))
    {
        DeleteSession(clientId);
        existing = m_sessions.end();
    }
    if (existing == m_sessions.end())
    {
        existing
            = m_sessions
                  .emplace(clientId, std::make_unique<BrokerSession>(clientId, connect.cleanSession,
                                                                     m_config.maxQueuedPerSession))
                  .first;
    }
    else
    {
        sessionPresent = true;
    }
    BrokerSession& session = *existing->second;
    session.connection = id;
    entry.session = &session;
    entry.connection.Accept(now, clientId, connect.keepAliveSeconds, connect.will);
    ++m_counters.connectionsAccepted;
    Send(id, ConnackPacket{sessionPresent, ConnectReturnCode::Accepted});

    BrokerEvent e;
    e.kind = BrokerEvent::Kind::ClientConnected;
    e.connection = id;
    e.clientId = clientId;
    e.sessionPresent = sessionPresent;
    m_events.push_back(std::move(e));

    for (const PublishPacket& p : session.Resume())
    {
        Send(id, p, p.dup);
    }
}

void
Broker::HandlePublish(Entry& entry, TimeNs now, PublishPacket publish, size_t size)
{
    const ConnectionId id = entry.connection.GetId();
    ++m_counters.publishesReceived;
    TopicCounters& counters = m_topicCounters[publish.topic];
    if (publish.dup)
    {
        ++counters.duplicates;
    }
    bool deliver = true;
    if (publish.qos == 2)
    {
        // Method B: take the message on its first PUBLISH; until PUBREL, a repeat only gets
        // PUBREC again and is not delivered twice [MQTT-4.3.3-2].
        deliver = entry.session->awaitingRelease.insert(publish.packetId).second;
    }
    const uint8_t qos = publish.qos;
    const uint16_t packetId = publish.packetId;
    if (deliver)
    {
        ++counters.messages;
        counters.payloadBytes += publish.payload.size();
        counters.packetBytes += size;
        ++m_counters.messagesReceived;
        BrokerEvent e;
        e.kind = BrokerEvent::Kind::MessageReceived;
        e.connection = id;
        e.clientId = entry.connection.GetClientId();
        e.message = publish;
        e.packetBytes = size;
        m_events.push_back(std::move(e));
        Route(now, publish);
    }
    if (qos == 1)
    {
        Send(id, PubackPacket{packetId});
    }
    else if (qos == 2)
    {
        Send(id, PubrecPacket{packetId});
    }
}

void
Broker::HandleSubscribe(Entry& entry, TimeNs now, const SubscribePacket& subscribe)
{
    const ConnectionId id = entry.connection.GetId();
    BrokerSession& session = *entry.session;
    SubackPacket ack;
    ack.packetId = subscribe.packetId;
    for (const Subscription& s : subscribe.subscriptions)
    {
        const uint8_t granted = std::min(s.qos, m_config.maximumQos);
        AddSubscription(session, s.filter, granted);
        ack.returnCodes.push_back(granted);
    }
    Send(id, ack);
    // Retained messages for the new subscriptions, flagged RETAIN [MQTT-3.3.1-6, 3.3.1-8].
    for (size_t i = 0; i < subscribe.subscriptions.size(); ++i)
    {
        const std::string& filter = subscribe.subscriptions[i].filter;
        for (const auto& [topic, retained] : m_retained)
        {
            if (!TopicMatches(filter, topic))
            {
                continue;
            }
            PublishPacket out;
            out.topic = topic;
            out.payload = retained.payload;
            out.qos = std::min(retained.qos, ack.returnCodes[i]);
            out.retain = true;
            DeliverTo(session, now, std::move(out));
        }
    }
}

void
Broker::HandleUnsubscribe(Entry& entry, TimeNs now, const UnsubscribePacket& unsubscribe)
{
    (void) now;
    for (const std::string& filter : unsubscribe.filters)
    {
        RemoveSubscription(*entry.session, filter);
    }
    Send(entry.connection.GetId(), UnsubackPacket{unsubscribe.packetId});
}

// ---------------------------------------------------------------- routing

void
Broker::Route(TimeNs now, const PublishPacket& message)
{
    if (message.retain)
    {
        if (message.payload.empty())
        {
            m_retained.erase(message.topic); // [MQTT-3.3.1-10, 3.3.1-11]
        }
        else
        {
            PublishPacket kept;
            kept.topic = message.topic;
            kept.payload = message.payload;
            kept.qos = message.qos;
            m_retained[message.topic] = std::move(kept);
        }
    }

    // Each subscriber once, at the highest QoS among its matching subscriptions.
    std::map<std::string, uint8_t> targets;
    auto add = [&targets](const std::map<std::string, uint8_t>& subscribers)
    {
        for (const auto& [clientId, qos] : subscribers)
        {
            auto [it, inserted] = targets.emplace(clientId, qos);
            if (!inserted)
            {
                it->second = std::max(it->second, qos);
            }
        }
    };
    if (auto exact = m_exactSubscriptions.find(message.topic); exact != m_exactSubscriptions.end())
    {
        add(exact->second);
    }
    for (const auto& [filter, subscribers] : m_wildcardSubscriptions)
    {
        if (TopicMatches(filter, message.topic))
        {
            add(subscribers);
        }
    }
    for (const auto& [clientId, granted] : targets)
    {
        auto session = m_sessions.find(clientId);
        if (session == m_sessions.end())
        {
            continue;
        }
        PublishPacket out;
        out.topic = message.topic;
        out.payload = message.payload;
        out.qos = std::min(message.qos, granted);
        out.retain = false; // [MQTT-3.3.1-9]
        DeliverTo(*session->second, now, std::move(out));
    }
}

void
Broker::DeliverTo(BrokerSession& session, TimeNs now, PublishPacket message)
{
    (void) now;
    if (message.qos == 0)
    {
        if (session.connection)
        {
            Send(*session.connection, message);
        }
        return;
    }
    bool dropped = false;
    std::optional<PublishPacket> sendNow = session.Deliver(std::move(message), &dropped);
    if (dropped)
    {
        ++m_counters.messagesDropped;
    }
    if (sendNow)
    {
        Send(*session.connection, *sendNow);
    }
}

void
Broker::AddSubscription(BrokerSession& session, const std::string& filter, uint8_t qos)
{
    session.subscriptions[filter] = qos;
    if (HasWildcard(filter))
    {
        m_wildcardSubscriptions[filter][session.GetClientId()] = qos;
    }
    else
    {
        m_exactSubscriptions[filter][session.GetClientId()] = qos;
    }
}

void
Broker::RemoveSubscription(BrokerSession& session, const std::string& filter)
{
    if (session.subscriptions.erase(filter) == 0)
    {
        return;
    }
    auto erase = [&session, &filter](auto& index)
    {
        auto it = index.find(filter);
        if (it != index.end())
        {
            it->second.erase(session.GetClientId());
            if (it->second.empty())
            {
                index.erase(it);
            }
        }
    };
    if (HasWildcard(filter))
    {
        erase(m_wildcardSubscriptions);
    }
    else
    {
        erase(m_exactSubscriptions);
    }
}

void
Broker::DeleteSession(const std::string& clientId)
{
    auto it = m_sessions.find(clientId);
    if (it == m_sessions.end())
    {
        return;
    }
    BrokerSession& session = *it->second;
    while (!session.subscriptions.empty())
    {
        const std::string filter = session.subscriptions.begin()->first;
        RemoveSubscription(session, filter);
    }
    m_sessions.erase(it);
}

// ---------------------------------------------------------------- connections

void
Broker::Send(ConnectionId connection, const Packet& packet, bool retransmission)
{
    BrokerAction a;
    a.kind = BrokerAction::Kind::Send;
    a.connection = connection;
    a.packet.type = TypeOf(packet);
    a.packet.bytes = Encode(packet);
    a.packet.retransmission = retransmission;
    if (const auto* m = std::get_if<PublishPacket>(&packet))
    {
        a.packet.payloadBytes = m->payload.size();
        a.packet.packetId = m->packetId;
        ++m_counters.messagesSent;
    }
    m_counters.bytesSent += a.packet.bytes.size();
    m_actions.push_back(std::move(a));
}

void
Broker::Close(ConnectionId connection, TimeNs now, const std::string& reason, bool graceful)
{
    auto it = m_connections.find(connection);
    if (it == m_connections.end())
    {
        return;
    }
    // Take the entry out first: routing the Will below must not see this connection.
    std::unique_ptr<Entry> entry = std::move(it->second);
    m_connections.erase(it);
    if (entry->timer)
    {
        m_timers.erase(*entry->timer);
    }
    ++m_counters.connectionsClosed;

    BrokerAction a;
    a.kind = BrokerAction::Kind::Close;
    a.connection = connection;
    a.reason = reason;
    m_actions.push_back(std::move(a));

    const std::optional<Will> will = entry->connection.GetWill();
    if (entry->session != nullptr)
    {
        entry->session->connection.reset();
        if (entry->session->IsClean())
        {
            DeleteSession(entry->session->GetClientId()); // [MQTT-3.1.2-6]
        }
    }

    BrokerEvent e;
    e.kind = BrokerEvent::Kind::ConnectionClosed;
    e.connection = connection;
    e.clientId = entry->connection.GetClientId();
    e.graceful = graceful;
    e.reason = reason;
    m_events.push_back(std::move(e));

    if (will && !graceful)
    {
        PublishPacket w; // [MQTT-3.1.2-8], retained or not as asked [MQTT-3.1.2-16, -17]
        w.topic = will->topic;
        w.payload = will->message;
        w.qos = will->qos;
        w.retain = will->retain;
        Route(now, w);
    }
}

void
Broker::Reschedule(Entry& entry)
{
    const std::optional<TimeNs> deadline = entry.connection.Deadline();
    if (entry.timer && deadline && (*entry.timer)->first == *deadline)
    {
        return;
    }
    if (entry.timer)
    {
        m_timers.erase(*entry.timer);
        entry.timer.reset();
    }
    if (deadline)
    {
        entry.timer = m_timers.emplace(*deadline, entry.connection.GetId());
    }
}

} // namespace mqtt
} // namespace lpwan
