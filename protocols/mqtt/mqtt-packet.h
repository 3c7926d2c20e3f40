/*
 * The fourteen MQTT 3.1.1 control packets (OASIS standard, 29 October 2014, chapter 3) as plain
 * values. The codec (mqtt-codec.h) turns them into bytes and back; the client and the broker
 * exchange them. A Packet is a std::variant whose alternatives are in packet-type order, so
 * the alternative index + 1 is the type number on the wire.
 *
 * The codec is this project's own: the packaged MQTT libraries (libmosquitto, Paho) own their
 * sockets and cannot be driven sans-I/O, so the wire format is written by hand here and kept
 * small, strict and tested against the specification's figures and against mosquitto.
 */
#ifndef LPWAN_MQTT_PACKET_H
#define LPWAN_MQTT_PACKET_H

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace lpwan
{
namespace mqtt
{

using Bytes = std::vector<uint8_t>;

/// Control packet types (section 2.2.1). 0 and 15 are reserved and never valid.
enum class PacketType : uint8_t
{
    Connect = 1,
    Connack = 2,
    Publish = 3,
    Puback = 4,
    Pubrec = 5,
    Pubrel = 6,
    Pubcomp = 7,
    Subscribe = 8,
    Suback = 9,
    Unsubscribe = 10,
    Unsuback = 11,
    Pingreq = 12,
    Pingresp = 13,
    Disconnect = 14,
};

/// "CONNECT", "PUBLISH", ... for logs and error reasons.
const char* PacketTypeName(PacketType type);

/// CONNACK return codes (Table 3.1). 6..255 are reserved.
enum class ConnectReturnCode : uint8_t
{
    Accepted = 0,
    UnacceptableProtocolVersion = 1,
    IdentifierRejected = 2,
    ServerUnavailable = 3,
    BadUserNameOrPassword = 4,
    NotAuthorized = 5,
};

const char* ConnectReturnCodeName(ConnectReturnCode code);

/// SUBACK return code for a refused subscription (section 3.9.3); 0, 1, 2 grant that QoS.
constexpr uint8_t kSubackFailure = 0x80;

/// The largest Remaining Length the 4-byte variable length encoding can carry (Table 2.4).
constexpr uint32_t kMaxRemainingLength = 268435455;

/// The Will Message of a CONNECT (sections 3.1.2.5 to 3.1.2.7, 3.1.3.2, 3.1.3.3).
struct Will
{
    std::string topic;
    Bytes message;
    uint8_t qos = 0;
    bool retain = false;

    bool operator==(const Will& o) const
    {
        return topic == o.topic && message == o.message && qos == o.qos && retain == o.retain;
    }
};

/// CONNECT (section 3.1). The protocol name "MQTT" and level 4 are implied: the codec writes
/// them and rejects anything else.
struct ConnectPacket
{
    std::string clientId;
    bool cleanSession = true;
    uint16_t keepAliveSeconds = 0; ///< 0 turns keep alive off
    std::optional<Will> will;
    std::optional<std::string> userName;
    std::optional<Bytes> password; ///< only with a user name [MQTT-3.1.2-22]

    bool operator==(const ConnectPacket& o) const
    {
        return clientId == o.clientId && cleanSession == o.cleanSession
               && keepAliveSeconds == o.keepAliveSeconds && will == o.will && userName == o.userName
               && password == o.password;
    }
};

/// CONNACK (section 3.2).
struct ConnackPacket
{
    bool sessionPresent = false;
    ConnectReturnCode returnCode = ConnectReturnCode::Accepted;

    bool operator==(const ConnackPacket& o) const
    {
        return sessionPresent == o.sessionPresent && returnCode == o.returnCode;
    }
};

/// PUBLISH (section 3.3): an Application Message.
struct PublishPacket
{
    std::string topic;
    Bytes payload;
    uint8_t qos = 0;
    bool dup = false;
    bool retain = false;
    uint16_t packetId = 0; ///< present on the wire only when qos > 0, and then non-zero

    bool operator==(const PublishPacket& o) const
    {
        return topic == o.topic && payload == o.payload && qos == o.qos && dup == o.dup
               && retain == o.retain && packetId == o.packetId;
    }
};

/// PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK carry only a Packet Identifier; each is its
/// own type so that a std::variant can tell them apart.
template<PacketType T>
struct PacketIdOnly
{
    uint16_t packetId = 0;

    bool operator==(const PacketIdOnly& o) const
    {
        return packetId == o.packetId;
    }
};

using PubackPacket = PacketIdOnly<PacketType::Puback>;
using PubrecPacket = PacketIdOnly<PacketType::Pubrec>;
using PubrelPacket = PacketIdOnly<PacketType::Pubrel>;
using PubcompPacket = PacketIdOnly<PacketType::Pubcomp>;
using UnsubackPacket = PacketIdOnly<PacketType::Unsuback>;

/// One Topic Filter / Requested QoS pair of a SUBSCRIBE.
struct Subscription
{
    std::string filter;
    uint8_t qos = 0;

    bool operator==(const Subscription& o) const
    {
        return filter == o.filter && qos == o.qos;
    }
};

/// SUBSCRIBE (section 3.8): at least one subscription [MQTT-3.8.3-3].
struct SubscribePacket
{
    uint16_t packetId = 0;
    std::vector<Subscription> subscriptions;

    bool operator==(const SubscribePacket& o) const
    {
        return packetId == o.packetId && subscriptions == o.subscriptions;
    }
};

/// SUBACK (section 3.9): one return code per requested subscription (0, 1, 2 or 0x80).
struct SubackPacket
{
    uint16_t packetId = 0;
    std::vector<uint8_t> returnCodes;

    bool operator==(const SubackPacket& o) const
    {
        return packetId == o.packetId && returnCodes == o.returnCodes;
    }
};

/// UNSUBSCRIBE (section 3.10): at least one topic filter [MQTT-3.10.3-2].
struct UnsubscribePacket
{
    uint16_t packetId = 0;
    std::vector<std::string> filters;

    bool operator==(const UnsubscribePacket& o) const
    {
        return packetId == o.packetId && filters == o.filters;
    }
};

/// PINGREQ, PINGRESP and DISCONNECT have no content beyond their fixed header.
template<PacketType T>
struct EmptyPacket
{
    bool operator==(const EmptyPacket&) const
    {
        return true;
    }
};

using PingreqPacket = EmptyPacket<PacketType::Pingreq>;
using PingrespPacket = EmptyPacket<PacketType::Pingresp>;
using DisconnectPacket = EmptyPacket<PacketType::Disconnect>;

/// Any control packet. The alternatives are in wire type order: index() + 1 is the type.
using Packet
    = std::variant<ConnectPacket, ConnackPacket, PublishPacket, PubackPacket, PubrecPacket,
                   PubrelPacket, PubcompPacket, SubscribePacket, SubackPacket, UnsubscribePacket,
                   UnsubackPacket, PingreqPacket, PingrespPacket, DisconnectPacket>;

inline PacketType
TypeOf(const Packet& packet)
{
    return static_cast<PacketType>(packet.index() + 1);
}

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_PACKET_H
