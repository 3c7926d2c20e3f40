/*
 * The server end of one MQTT network connection (one TCP connection, or one TLS session on
 * it): the rules that hold per connection, whatever the broker does with the messages.
 *   - framing: bytes in, complete packets out (mqtt-stream-decoder.h), with a size limit;
 *   - the first packet must be CONNECT [MQTT-3.1.0-1], and only the first [MQTT-3.1.0-2];
 *   - packets only a server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP) are violations;
 *   - a CONNECT must arrive within connectTimeout of the connection opening (section 3.1.4
 *     item 1); once connected with KeepAlive > 0, some packet must arrive within one and a
 *     half times KeepAlive [MQTT-3.1.2-24].
 * A violation ends the connection: NextPacket returns it as an error and the Broker closes
 * the connection [MQTT-4.8.0-1]. The Broker (mqtt-broker.h) owns these objects and gives
 * them their meaning: sessions, routing, acknowledgements.
 */
#ifndef LPWAN_MQTT_BROKER_CONNECTION_H
#define LPWAN_MQTT_BROKER_CONNECTION_H

#include "../common/sans-io.h"
#include "mqtt-codec.h"
#include "mqtt-packet.h"
#include "mqtt-stream-decoder.h"

#include <cstdint>
#include <optional>
#include <string>

namespace lpwan
{
namespace mqtt
{

using lpwan::TimeNs;

/// Names a network connection to the broker; never reused by one Broker.
using ConnectionId = uint64_t;

class BrokerConnection
{
  public:
    enum class Phase
    {
        AwaitingConnect, ///< opened; the CONNECT has not been accepted yet
        Connected,       ///< the CONNECT was accepted (CONNACK 0 sent)
    };

    BrokerConnection(ConnectionId id, TimeNs openedAt, TimeNs connectTimeout,
                     uint32_t maxPacketSize);

    /// Bytes read from the stream.
    void Append(const uint8_t* data, size_t size);

    /// The next complete packet for the broker to act on (ok, with its size on the wire),
    /// a violation that must close the connection (!ok, the error says why; a CONNECT of an
    /// unsupported protocol level keeps DecodeErrorCode::UnsupportedProtocolLevel so that the
    /// broker can answer CONNACK 0x01), or nullopt when more bytes are needed. Call it until
    /// nullopt or an error, acting on each packet before asking for the next.
    std::optional<DecodeResult> NextPacket(TimeNs now);

    /// The broker accepted the CONNECT: start keep-alive monitoring.
    void Accept(TimeNs now, std::string clientId, uint16_t keepAliveSeconds,
                std::optional<Will> will);

    /// The Will Message is dropped (on DISCONNECT [MQTT-3.1.2-10]) or has been published.
    void ForgetWill()
    {
        m_will.reset();
    }

    /// When the connection must be closed for silence: the CONNECT deadline, or 1.5 times
    /// KeepAlive after the last packet. nullopt when keep alive is off.
    std::optional<TimeNs> Deadline() const;
    /// Why the Deadline() closes the connection.
    std::string DeadlineReason() const;

    ConnectionId GetId() const
    {
        return m_id;
    }

    Phase GetPhase() const
    {
        return m_phase;
    }

    const std::string& GetClientId() const
    {
        return m_clientId;
    }

    const std::optional<Will>& GetWill() const
    {
        return m_will;
    }

    uint16_t GetKeepAliveSeconds() const
    {
        return m_keepAliveSeconds;
    }

  private:
    ConnectionId m_id;
    TimeNs m_openedAt;
    TimeNs m_connectTimeout;
    TimeNs m_lastReceivedAt;
    Phase m_phase = Phase::AwaitingConnect;
    bool m_connectSeen = false; ///< a CONNECT was handed to the broker
    StreamDecoder m_decoder;
    std::string m_clientId;
    uint16_t m_keepAliveSeconds = 0;
    std::optional<Will> m_will;
};

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_BROKER_CONNECTION_H
