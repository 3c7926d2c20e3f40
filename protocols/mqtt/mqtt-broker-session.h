/*
 * The server's Session state for one client identifier (section 3.1.2.4): the subscriptions,
 * the QoS 1 messages sent to the client and not yet acknowledged, the QoS 1 messages waiting
 * to be sent (while the client is offline, or when all packet identifiers are in flight), and
 * the QoS 2 packet identifiers received and not yet released. A session with CleanSession = 0
 * outlives its connections; a clean one ends with its connection.
 *
 * Messages the broker sends go out at QoS 0 or 1 only (the broker grants at most QoS 1), so
 * there is no outgoing QoS 2 state. QoS 0 messages for an offline client are not stored
 * (section 3.1.2.4 makes that optional).
 */
#ifndef LPWAN_MQTT_BROKER_SESSION_H
#define LPWAN_MQTT_BROKER_SESSION_H

#include "mqtt-broker-connection.h"
#include "mqtt-packet.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lpwan
{
namespace mqtt
{

class BrokerSession
{
  public:
    BrokerSession(std::string clientId, bool clean, size_t maxQueued);

    const std::string& GetClientId() const
    {
        return m_clientId;
    }

    bool IsClean() const
    {
        return m_clean;
    }

    /// The connection the client is on, if it is connected.
    std::optional<ConnectionId> connection;
    /// Topic filter -> granted QoS.
    std::map<std::string, uint8_t> subscriptions;
    /// Incoming QoS 2 identifiers between PUBREC and PUBREL (method B of Figure 4.3).
    std::set<uint16_t> awaitingRelease;

    /// Takes a QoS 1 message for the client: with a packet identifier, in flight, returned
    /// for sending now when the client is connected and an identifier is free; otherwise
    /// queued (nullopt). *dropped is set when the queue was full and the message is lost.
    std::optional<PublishPacket> Deliver(PublishPacket message, bool* dropped);

    /// A PUBACK from the client: true when it matched a message in flight.
    bool Acknowledge(uint16_t packetId);

    /// The messages to send on a (re)connection: every unacknowledged one again, in the
    /// original order with its identifier and DUP = 1 [MQTT-4.4.0-1, 4.6.0-1], then queued
    /// ones as identifiers allow. Call after connection is set.
    std::vector<PublishPacket> Resume();

    /// Queued messages that can go out now (after a PUBACK freed an identifier).
    std::vector<PublishPacket> TakeSendable();

    size_t InflightCount() const
    {
        return m_inflight.size();
    }

    size_t QueuedCount() const
    {
        return m_queued.size();
    }

  private:
    std::optional<uint16_t> AllocatePacketId();
    PublishPacket StartFlight(PublishPacket message, uint16_t packetId);

    std::string m_clientId;
    bool m_clean;
    size_t m_maxQueued;
    std::map<uint64_t, PublishPacket> m_inflight; ///< send order -> message with identifier
    std::map<uint16_t, uint64_t> m_inflightById;
    std::deque<PublishPacket> m_queued;
    uint64_t m_nextOrder = 0;
    uint16_t m_nextPacketId = 1;
};

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_BROKER_SESSION_H
