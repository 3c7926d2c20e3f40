/*
 * A small MQTT 3.1.1 server as a sans-I/O state machine: enough for a fleet of devices
 * publishing to a server application, and for devices receiving commands. The driver tells it
 * about network connections (Open, Receive, TransportClosed) and the time; it answers with an
 * ordered list of actions (send these bytes on that connection, close that connection) and
 * events for the server application. One BrokerConnection per network connection holds the
 * per-connection rules; the Broker holds sessions, subscriptions and retained messages, and
 * routes each PUBLISH to the matching subscriptions.
 *
 * What it does, by packet:
 *   - CONNECT: authentication (optional user/password table; anonymous allowed by default),
 *     client identifier checks (empty: assigned one when CleanSession = 1, else CONNACK 0x02
 *     [MQTT-3.1.3-8]), takeover of a client identifier already connected (the old connection
 *     closes [MQTT-3.1.4-2]), CleanSession processing and Session Present [MQTT-3.2.2-1..3],
 *     redelivery of the session's unacknowledged messages [MQTT-4.4.0-1]. A CONNECT of another
 *     protocol level gets CONNACK 0x01 [MQTT-3.1.2-2]; one with another protocol name, or any
 *     malformed CONNECT, closes the connection without CONNACK [MQTT-3.1.4-1].
 *   - PUBLISH: QoS 0 routed; QoS 1 routed and PUBACK; QoS 2 routed once and PUBREC, PUBREL
 *     answered with PUBCOMP (method B). Each message counts for its topic. RETAIN stores or
 *     (empty payload) deletes the topic's retained message [MQTT-3.3.1-5, -10, -11].
 *   - Routing: a subscriber gets each matching message once, at the lowest of the message's
 *     QoS and the highest QoS granted among its matching subscriptions [MQTT-3.3.5-1], with
 *     RETAIN 0 [MQTT-3.3.1-9]. Exact-topic subscriptions are found by hash lookup; wildcard
 *     filters are scanned (few: typically the server's own "meters/#").
 *   - SUBSCRIBE: each filter is granted min(requested QoS, maximumQos) (maximumQos <= 1),
 *     replacing an identical filter [MQTT-3.8.4-3]; SUBACK; then the retained messages that
 *     match, with RETAIN 1 [MQTT-3.3.1-6, -8]. UNSUBSCRIBE: removed, UNSUBACK.
 *   - PINGREQ: PINGRESP. DISCONNECT: close, Will discarded [MQTT-3.14.4-3].
 *   - Connections closed any other way (transport loss, keep-alive expiry, violation,
 *     takeover) publish the Will Message [MQTT-3.1.2-8].
 * Any protocol violation closes the connection with the reason [MQTT-4.8.0-1]; garbage never
 * throws.
 *
 * Scale: all per-message work is a hash lookup plus the wildcard scan; timers live in one
 * multimap keyed by deadline; nothing iterates an unordered container, so runs are
 * deterministic.
 */
#ifndef LPWAN_MQTT_BROKER_H
#define LPWAN_MQTT_BROKER_H

#include "../common/sans-io.h"
#include "mqtt-broker-connection.h"
#include "mqtt-broker-session.h"
#include "mqtt-outgoing-packet.h"
#include "mqtt-packet.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lpwan
{
namespace mqtt
{

struct BrokerConfig
{
    /// A connection that sends no CONNECT within this long is closed.
    TimeNs connectTimeout = lpwan::SecondsToNs(10);
    /// Packets larger than this close the connection.
    uint32_t maxPacketSize = kMaxPacketSize;
    /// The highest QoS granted to subscriptions and used towards subscribers: 0 or 1.
    uint8_t maximumQos = 1;
    /// Accept clients without a user name.
    bool allowAnonymous = true;
    /// User name -> password. When non-empty, a user name must be listed with its password.
    std::map<std::string, std::string> passwords;
    /// Accept an empty client identifier (with CleanSession = 1) and assign one.
    bool allowZeroLengthClientId = true;
    /// QoS 1 messages kept per session for an offline client; beyond, new ones are dropped.
    size_t maxQueuedPerSession = 1000;

    /// Empty when usable, else why not.
    std::string Validate() const;
};

/// What the driver must do, in order.
struct BrokerAction
{
    enum class Kind
    {
        Send,  ///< write packet.bytes to the connection
        Close, ///< close the connection (after writing what came before); reason says why
    };

    Kind kind = Kind::Send;
    ConnectionId connection = 0;
    OutgoingPacket packet;
    std::string reason;
};

struct BrokerEvent
{
    enum class Kind
    {
        ClientConnected,  ///< CONNACK 0 sent: clientId, sessionPresent
        MessageReceived,  ///< a client's PUBLISH taken over: message, packetBytes
        ConnectionClosed, ///< the connection is gone: reason, graceful (DISCONNECT received)
    };

    Kind kind = Kind::ClientConnected;
    ConnectionId connection = 0;
    std::string clientId; ///< empty when closed before a CONNECT was accepted
    bool sessionPresent = false;
    PublishPacket message;  ///< the payload is the application payload
    size_t packetBytes = 0; ///< MessageReceived: the PUBLISH's size on the wire
    bool graceful = false;
    std::string reason;
};

/// Messages received per topic (MessageReceived events and their bytes).
struct TopicCounters
{
    uint64_t messages = 0;
    uint64_t payloadBytes = 0;
    uint64_t packetBytes = 0; ///< whole PUBLISH packets: payload plus MQTT header
    uint64_t duplicates = 0;  ///< PUBLISH packets with DUP = 1 (QoS 1 ones are counted above too)
};

struct BrokerCounters
{
    uint64_t connectionsOpened = 0;
    uint64_t connectionsAccepted = 0; ///< CONNACK 0
    uint64_t connectionsRefused = 0;  ///< CONNACK with a non-zero code
    uint64_t connectionsClosed = 0;
    uint64_t protocolViolations = 0;
    uint64_t keepAliveExpirations = 0; ///< includes connections that never sent CONNECT
    uint64_t publishesReceived = 0;    ///< PUBLISH packets, repeats included
    uint64_t messagesReceived = 0;     ///< MessageReceived events
    uint64_t messagesSent = 0;         ///< PUBLISH packets to subscribers, redeliveries included
    uint64_t messagesDropped = 0;      ///< QoS 1 messages lost to a full offline queue
    uint64_t bytesReceived = 0;
    uint64_t bytesSent = 0;
};

class Broker
{
  public:
    /// Throws std::invalid_argument when config.Validate() is not empty.
    explicit Broker(BrokerConfig config = {});
    ~Broker();
    Broker(const Broker&) = delete;
    Broker& operator=(const Broker&) = delete;

    // ---- network ----

    /// A network connection was accepted (for TLS: once the handshake is done).
    ConnectionId Open(TimeNs now);
    /// Bytes read from a connection. Ignored for connections the broker has closed.
    void Receive(ConnectionId connection, TimeNs now, const uint8_t* data, size_t size);
    /// The connection closed or failed under the broker.
    void TransportClosed(ConnectionId connection, TimeNs now);
    /// Call when the deadline from NextTimer() has been reached.
    void OnTimer(TimeNs now);

    // ---- server application ----

    /// Publishes a message from the server itself (e.g. a command to a device), routed like
    /// a client's (topic, payload, QoS, RETAIN are used). False when it is not a valid
    /// message (topic, QoS above 2).
    bool Publish(TimeNs now, PublishPacket message);

    // ---- outputs ----

    std::optional<TimeNs> NextTimer() const;
    std::vector<BrokerAction> TakeActions();
    std::vector<BrokerEvent> TakeEvents();

    bool IsOpen(ConnectionId connection) const;
    size_t OpenConnections() const;
    /// Sessions held, connected or not.
    size_t SessionCount() const;
    /// The session of a client identifier, if any (for inspection).
    const BrokerSession* FindSession(const std::string& clientId) const;

    const BrokerCounters& GetCounters() const
    {
        return m_counters;
    }

    /// Counters of one topic (nullptr when nothing was received on it).
    const TopicCounters* GetTopicCounters(const std::string& topic) const;
    /// All topic counters, sorted by topic.
    std::map<std::string, TopicCounters> GetAllTopicCounters() const;

  private:
    struct Entry;

    void Drain(Entry& entry, TimeNs now);
    void HandlePacket(Entry& entry, TimeNs now, Packet packet, size_t size);
    void HandleConnect(Entry& entry, TimeNs now, const ConnectPacket& connect);
    void HandlePublish(Entry& entry, TimeNs now, PublishPacket publish, size_t size);
    void HandleSubscribe(Entry& entry, TimeNs now, const SubscribePacket& subscribe);
    void HandleUnsubscribe(Entry& entry, TimeNs now, const UnsubscribePacket& unsubscribe);
    void Refuse(Entry& entry, TimeNs now, ConnectReturnCode code, const std::string& reason);
    void Route(TimeNs now, const PublishPacket& message);
    void DeliverTo(BrokerSession& session, TimeNs now, PublishPacket message);
    void Send(ConnectionId connection, const Packet& packet, bool retransmission = false);
    void Close(ConnectionId connection, TimeNs now, const std::string& reason, bool graceful);
    void DeleteSession(const std::string& clientId);
    void AddSubscription(BrokerSession& session, const std::string& filter, uint8_t qos);
    void RemoveSubscription(BrokerSession& session, const std::string& filter);
    void Reschedule(Entry& entry);

    BrokerConfig m_config;
    BrokerCounters m_counters;
    ConnectionId m_nextConnection = 1;
    uint64_t m_nextAssignedId = 1;
    std::unordered_map<ConnectionId, std::unique_ptr<Entry>> m_connections;
    std::unordered_map<std::string, std::unique_ptr<BrokerSession>> m_sessions;
    /// Exact topic -> client identifier -> granted QoS.
    std::unordered_map<std::string, std::map<std::string, uint8_t>> m_exactSubscriptions;
    /// Wildcard filter -> client identifier -> granted QoS.
    std::map<std::string, std::map<std::string, uint8_t>> m_wildcardSubscriptions;
    std::map<std::string, PublishPacket> m_retained;
    std::unordered_map<std::string, TopicCounters> m_topicCounters;
    std::multimap<TimeNs, ConnectionId> m_timers;
    std::vector<BrokerAction> m_actions;
    std::vector<BrokerEvent> m_events;
};

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_BROKER_H
