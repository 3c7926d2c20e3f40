/*
 * The MQTT 3.1.1 wire format (chapters 2 and 3): a fixed header (type, flags, Remaining
 * Length), a variable header and a payload, for all fourteen control packets.
 *
 * Written by hand because no packaged MQTT library exposes its codec without also owning the
 * socket (see mqtt-packet.h). It is deliberately strict: every "MUST" of the format that a
 * receiver can check is checked, and a violation is a DecodeError naming the rule, never an
 * exception or a read past the input. What is checked, beyond bounds:
 *   - packet types 0 and 15 are reserved; reserved fixed-header flag bits must have their
 *     listed values (0010 for PUBREL, SUBSCRIBE, UNSUBSCRIBE; 0000 elsewhere but PUBLISH)
 *     [MQTT-2.2.2-1, 2.2.2-2, 3.6.1-1, 3.8.1-1, 3.10.1-1];
 *   - PUBLISH: QoS 3 [MQTT-3.3.1-4], DUP on QoS 0 [MQTT-3.3.1-2], wildcards or an empty topic
 *     [MQTT-3.3.2-2, 4.7.3-1], packet identifier 0 [MQTT-2.3.1-1];
 *   - strings: well-formed UTF-8 without U+0000 [MQTT-1.5.3-1, 1.5.3-2];
 *   - CONNECT: protocol name "MQTT", level 4 [MQTT-3.1.2-1, 3.1.2-2], reserved flag
 *     [MQTT-3.1.2-3], Will QoS/Retain without the Will flag [MQTT-3.1.2-11, -13, -15], Will QoS 3
 *     [MQTT-3.1.2-14], password without user name [MQTT-3.1.2-22];
 *   - CONNACK: reserved acknowledge flags, return codes above 5, Session Present with a
 *     refusal [MQTT-3.2.2-4];
 *   - SUBSCRIBE: no subscription [MQTT-3.8.3-3], reserved QoS bits or QoS 3 [MQTT-3.8.3-4],
 *     invalid filters [MQTT-4.7.1-2, 4.7.1-3]; SUBACK: reserved return codes [MQTT-3.9.3-2];
 *     UNSUBSCRIBE: no filter [MQTT-3.10.3-2];
 *   - fixed sizes (2 for the acknowledgements and CONNACK, 0 for PINGREQ, PINGRESP,
 *     DISCONNECT) and bytes left over after the last field of any packet.
 * Which packets a side may receive (a client never receives CONNECT, ...) is the business of
 * the client and the broker, not of the codec.
 */
#ifndef LPWAN_MQTT_CODEC_H
#define LPWAN_MQTT_CODEC_H

#include "mqtt-packet.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace lpwan
{
namespace mqtt
{

/// The largest packet the format allows: 1 type byte, 4 length bytes, 268435455 more.
constexpr uint32_t kMaxPacketSize = 1 + 4 + kMaxRemainingLength;

/// Why bytes did not decode.
enum class DecodeErrorCode
{
    /// The bytes break a rule of the format (the reason names it). A protocol violation:
    /// the receiver closes the connection [MQTT-4.8.0-1].
    Malformed,
    /// A CONNECT whose protocol name is not "MQTT" (e.g. MQTT 3.1's "MQIsdp"). The server
    /// may close without a CONNACK [MQTT-3.1.2-1].
    UnknownProtocolName,
    /// A CONNECT with protocol name "MQTT" but a level other than 4 (5 is MQTT 5.0): the
    /// server answers CONNACK 0x01 and closes [MQTT-3.1.2-2]. The rest is not parsed, as its
    /// layout depends on the level.
    UnsupportedProtocolLevel,
    /// Longer than the receiver's limit (a local limit, not a format rule).
    PacketTooLarge,
    /// Decode() only: the bytes end before the packet does.
    Incomplete,
};

const char* DecodeErrorCodeName(DecodeErrorCode code);

struct DecodeError
{
    DecodeErrorCode code = DecodeErrorCode::Malformed;
    std::string reason;
};

struct DecodeResult
{
    bool ok = false;
    Packet packet;     ///< when ok
    size_t size = 0;   ///< when ok: bytes the packet took on the wire
    DecodeError error; ///< when not ok
};

/// Empty when packet can be encoded; otherwise why not (an invalid topic, a QoS above 2, a
/// packet identifier of 0 where one is required, a string over 65535 bytes, a packet over
/// the maximum size, ...). The encoder accepts exactly what the decoder accepts.
std::string CheckEncodable(const Packet& packet);

/// Serializes a packet. Precondition: CheckEncodable(packet) is empty (checked: throws
/// std::invalid_argument with its reason).
Bytes Encode(const Packet& packet);

/// Bytes Encode(packet) produces, without encoding. Same precondition.
size_t EncodedSize(const Packet& packet);

/// Bytes of an encoded PUBLISH that are not application payload: fixed header (type byte and
/// Remaining Length), topic name with its length prefix, and the packet identifier when
/// QoS > 0. The rest of the packet is the payload. This is the MQTT layer's share of a
/// PUBLISH in byte accounting.
size_t PublishHeaderSize(const PublishPacket& publish);

/// The same, read from the bytes of an encoded PUBLISH (at least its header). nullopt when
/// the bytes do not start with a well-formed PUBLISH header.
std::optional<size_t> PublishHeaderSize(const uint8_t* data, size_t size);

/// Decodes exactly one whole packet from [data, data + size): Incomplete when the bytes end
/// early, Malformed when bytes are left over, PacketTooLarge above maxPacketSize.
DecodeResult Decode(const uint8_t* data, size_t size, uint32_t maxPacketSize = kMaxPacketSize);

inline DecodeResult
Decode(const Bytes& bytes)
{
    return Decode(bytes.data(), bytes.size());
}

// ---- pieces the stream decoder uses ----

/// Checks the first byte of a fixed header (reserved types, reserved flag bits, PUBLISH QoS 3
/// and DUP on QoS 0): true when valid, else false with *error set.
bool CheckFirstByte(uint8_t firstByte, DecodeError* error);

/// Checks a Remaining Length against the fixed sizes of packets that have one (2 for CONNACK
/// and the acknowledgements, 0 for PINGREQ, PINGRESP, DISCONNECT), so that a stream decoder
/// can reject such a packet before waiting for its body.
bool CheckRemainingLength(uint8_t firstByte, uint32_t remainingLength, DecodeError* error);

/// Decodes the variable header and payload of a packet whose first byte passed
/// CheckFirstByte and whose body is [body, body + size) (exactly Remaining Length bytes).
/// result.size is left 0 for the caller to set.
DecodeResult DecodeBody(uint8_t firstByte, const uint8_t* body, size_t size);

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_CODEC_H
