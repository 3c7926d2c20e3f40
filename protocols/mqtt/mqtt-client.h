/*
 * An MQTT 3.1.1 client (the device side) as a sans-I/O state machine: stream bytes and the
 * current time go in; stream bytes to write, the next timer deadline and events come out.
 * It never touches a socket or a clock, and its transport is a plain ordered byte stream
 * (TCP, or the plaintext side of a TLS session layered between it and TCP): the driver calls
 * Connect() once the stream is up, feeds what it reads to Receive(), writes what
 * TakePackets()/TakeBytes() return, and closes the stream when the client says the
 * connection is over (a ConnectionLost event, or after Disconnect()).
 *
 * Publishing. Publish() assigns a packet identifier to QoS 1 messages and returns it. Messages
 * published before the CONNACK (or while disconnected) wait and go out, in publication order,
 * when the next CONNACK accepts the connection. A QoS 1 message stays in flight until its
 * PUBACK, which raises Published with the latency since Publish() and the number of
 * transmissions it took.
 *
 * Redelivery follows section 4.4: when the client reconnects with CleanSession = 0, every
 * QoS 1 message sent before but not acknowledged is sent again, in the original order
 * [MQTT-4.6.0-1], with its original packet identifier and DUP = 1 [MQTT-4.4.0-1,
 * MQTT-3.3.1-1] -- also when the CONNACK says Session Present = 0, which section 3.2.2.2 lets
 * the client choose (the server then simply receives it again: at least once). With
 * CleanSession = 1 the session, and so those messages, end with the connection
 * [MQTT-3.1.2-6]: each is reported as PublishDropped (with the message, so the application
 * can publish it anew). Messages never sent are not session state and are kept either way.
 * Over TCP, 3.1.1 requires no other retransmission; an optional timer-based one
 * (retransmitTimeout > 0, off by default) re-sends an unacknowledged PUBLISH with DUP = 1
 * after that long, for links where that helps (section 4.4's non-normative comment).
 *
 * Keep alive (section 3.1.2.10): when KeepAlive > 0 and nothing has been sent for KeepAlive
 * seconds, a PINGREQ goes out [MQTT-3.1.2-23]; if its PINGRESP does not come within
 * pingResponseTimeout, the connection is lost. A CONNACK not received within connackTimeout
 * loses the connection as well (section 3.2).
 *
 * Receiving (subscriptions): Subscribe()/Unsubscribe() while connected; SUBACK raises
 * Subscribed with the return codes. Incoming PUBLISH raises MessageReceived and is answered
 * per its QoS [MQTT-4.5.0-2]: PUBACK for QoS 1; for QoS 2 PUBREC, then PUBCOMP on PUBREL,
 * delivering the message once (method B of Figure 4.3). The client itself publishes at QoS 0
 * or 1 only.
 *
 * Violations (malformed bytes, a first packet other than CONNACK, packets only a client sends,
 * a SUBACK with the wrong number of codes, PUBREC/PUBCOMP for QoS 2 messages the client never
 * sends) lose the connection with the reason [MQTT-4.8.0-1]. Nothing here throws on input.
 */
#ifndef LPWAN_MQTT_CLIENT_H
#define LPWAN_MQTT_CLIENT_H

#include "../common/sans-io.h"
#include "mqtt-codec.h"
#include "mqtt-outgoing-packet.h"
#include "mqtt-packet.h"
#include "mqtt-stream-decoder.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lpwan
{
namespace mqtt
{

using lpwan::TimeNs;

struct ClientConfig
{
    std::string clientId;
    bool cleanSession = true;
    uint16_t keepAliveSeconds = 60; ///< 0 turns keep alive off
    std::optional<Will> will;
    std::optional<std::string> userName;
    std::optional<Bytes> password;
    /// The connection is lost when no CONNACK arrives this long after the CONNECT.
    TimeNs connackTimeout = lpwan::SecondsToNs(30);
    /// The connection is lost when no PINGRESP arrives this long after a PINGREQ.
    TimeNs pingResponseTimeout = lpwan::SecondsToNs(30);
    /// > 0: re-send an unacknowledged QoS 1 PUBLISH (DUP = 1) after this long on the same
    /// connection. 0 (default): only on reconnection, as MQTT 3.1.1 over TCP requires.
    TimeNs retransmitTimeout = 0;
    /// Incoming packets larger than this lose the connection.
    uint32_t maxPacketSize = kMaxPacketSize;

    /// Empty when the configuration is usable, else why not.
    std::string Validate() const;
};

enum class ClientState
{
    Disconnected, ///< no MQTT connection (before Connect, after loss or Disconnect)
    Connecting,   ///< CONNECT sent, waiting for CONNACK
    Connected,    ///< CONNACK accepted the connection
};

struct ClientEvent
{
    enum class Kind
    {
        Connected,       ///< CONNACK accepted; sessionPresent is set
        Published,       ///< PUBACK for packetId: latency, transmissions
        PublishDropped,  ///< a QoS 1 message ended with its clean session: message, reason
        MessageReceived, ///< an incoming PUBLISH: message
        Subscribed,      ///< SUBACK for packetId: returnCodes
        Unsubscribed,    ///< UNSUBACK for packetId
        ConnectionLost,  ///< reason (refusal set when a CONNACK refused); close the stream
    };

    Kind kind = Kind::Connected;
    bool sessionPresent = false;
    uint16_t packetId = 0;
    TimeNs latency = 0;         ///< Published: PUBACK time minus Publish() time
    uint32_t transmissions = 0; ///< Published: times the PUBLISH was sent (1 = no resend)
    PublishPacket message;
    std::vector<uint8_t> returnCodes;
    std::optional<ConnectReturnCode> refusal;
    std::string reason;
};

/// Outcome of Publish, Subscribe and Unsubscribe.
struct RequestResult
{
    bool ok = false;
    uint16_t packetId = 0; ///< 0 for QoS 0 publications
    std::string error;     ///< when !ok
};

struct ClientCounters
{
    uint64_t packetsSent = 0;
    uint64_t bytesSent = 0;
    uint64_t packetsReceived = 0;
    uint64_t bytesReceived = 0;
    uint64_t publishesSent = 0;          ///< PUBLISH packets, retransmissions included
    uint64_t publishRetransmissions = 0; ///< PUBLISH packets sent with DUP = 1
    uint64_t publishPayloadBytesSent = 0;
    uint64_t publishHeaderBytesSent = 0; ///< MQTT bytes of PUBLISH packets (not payload)
    uint64_t controlBytesSent = 0;       ///< bytes of all packets other than PUBLISH
    uint64_t pingsSent = 0;
    uint64_t messagesReceived = 0; ///< MessageReceived events
    uint64_t unmatchedAcks = 0;    ///< PUBACK/SUBACK/UNSUBACK for unknown identifiers
    uint64_t connectionsLost = 0;

    /// Field by field, to sum over clients.
    ClientCounters& operator+=(const ClientCounters& o)
    {
        packetsSent += o.packetsSent;
        bytesSent += o.bytesSent;
        packetsReceived += o.packetsReceived;
        bytesReceived += o.bytesReceived;
        publishesSent += o.publishesSent;
        publishRetransmissions += o.publishRetransmissions;
        publishPayloadBytesSent += o.publishPayloadBytesSent;
        publishHeaderBytesSent += o.publishHeaderBytesSent;
        controlBytesSent += o.controlBytesSent;
        pingsSent += o.pingsSent;
        messagesReceived += o.messagesReceived;
        unmatchedAcks += o.unmatchedAcks;
        connectionsLost += o.connectionsLost;
        return *this;
    }
};

class Client
{
  public:
    /// Throws std::invalid_argument when config.Validate() is not empty.
    explicit Client(ClientConfig config);

    // ---- application ----

    /// Starts an MQTT connection over a stream that has just been opened: queues CONNECT.
    /// False (and nothing happens) unless Disconnected.
    bool Connect(TimeNs now);

    /// Publishes a message at QoS 0 or 1 (see the class comment for when it is sent). Fails
    /// for an invalid topic, QoS 2 or above, or when all 65535 packet identifiers are in use.
    RequestResult Publish(TimeNs now, const std::string& topic, Bytes payload, uint8_t qos,
                          bool retain = false);

    /// Sends SUBSCRIBE (requested QoS 0 to 2). Only while Connected.
    RequestResult Subscribe(TimeNs now, std::vector<Subscription> subscriptions);
    /// Sends UNSUBSCRIBE. Only while Connected.
    RequestResult Unsubscribe(TimeNs now, std::vector<std::string> filters);

    /// Sends a PINGREQ now (a client may at any time). False when not Connected or when a
    /// PINGREQ is already waiting for its PINGRESP.
    bool Ping(TimeNs now);

    /// Sends DISCONNECT and ends the connection: the driver writes the remaining bytes and
    /// closes the stream. No ConnectionLost event; with a clean session, QoS 1 messages still
    /// unacknowledged end with it (PublishDropped). Nothing happens when Disconnected.
    void Disconnect(TimeNs now);

    // ---- transport ----

    /// Bytes read from the stream.
    void Receive(TimeNs now, const uint8_t* data, size_t size);
    /// The stream closed or failed under the client.
    void TransportClosed(TimeNs now);
    /// Call when the deadline from NextTimer() has been reached.
    void OnTimer(TimeNs now);

    // ---- outputs ----

    std::optional<TimeNs> NextTimer() const;
    /// Packets to write, in order; the queue is emptied.
    std::vector<OutgoingPacket> TakePackets();
    /// The same as one byte string.
    Bytes TakeBytes();

    bool HasOutput() const
    {
        return !m_output.empty();
    }

    std::vector<ClientEvent> TakeEvents();

    ClientState GetState() const
    {
        return m_state;
    }

    /// True while a PINGREQ waits for its PINGRESP.
    bool IsPingOutstanding() const
    {
        return m_pingSentAt.has_value();
    }

    /// Messages accepted by Publish() and not finished: QoS 1 until PUBACK, QoS 0 until sent.
    size_t PendingMessages() const
    {
        return m_outbound.size();
    }

    const ClientCounters& GetCounters() const
    {
        return m_counters;
    }

    const ClientConfig& GetConfig() const
    {
        return m_config;
    }

  private:
    /// A message from Publish(), kept until done.
    struct Outbound
    {
        PublishPacket packet; ///< dup is false here; set per transmission
        TimeNs publishedAt = 0;
        TimeNs lastSentAt = 0;
        uint32_t transmissions = 0;
    };

    void Send(TimeNs now, const Packet& packet, bool retransmission = false);
    void Transmit(TimeNs now, Outbound& outbound);
    void SendAllPending(TimeNs now);
    void HandlePacket(TimeNs now, Packet packet);
    void HandleConnack(TimeNs now, const ConnackPacket& connack);
    void HandlePublish(TimeNs now, PublishPacket publish);
    void HandlePuback(TimeNs now, uint16_t packetId);
    void LoseConnection(TimeNs now, std::string reason,
                        std::optional<ConnectReturnCode> refusal = std::nullopt);
    void EndConnection(TimeNs now);
    std::optional<uint16_t> AllocatePacketId();
    bool PacketIdInUse(uint16_t id) const;

    ClientConfig m_config;
    ClientState m_state = ClientState::Disconnected;
    StreamDecoder m_decoder;
    std::vector<OutgoingPacket> m_output;
    std::vector<ClientEvent> m_events;
    ClientCounters m_counters;

    TimeNs m_connectSentAt = 0;
    TimeNs m_lastSentAt = 0;
    std::optional<TimeNs> m_pingSentAt;

    std::map<uint64_t, Outbound> m_outbound; ///< by publication order
    std::map<uint16_t, uint64_t> m_qos1ById; ///< QoS 1 packet id -> publication order
    uint64_t m_nextOrder = 0;
    uint16_t m_nextPacketId = 1;
    std::map<uint16_t, size_t> m_pendingSubscribes; ///< id -> number of filters
    std::set<uint16_t> m_pendingUnsubscribes;
    std::set<uint16_t> m_awaitingRelease; ///< incoming QoS 2 ids between PUBREC and PUBREL
};

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_CLIENT_H
