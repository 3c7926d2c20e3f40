/*
 * Names of MQTT packet types and CONNACK return codes; see mqtt-packet.h.
 */

#include "mqtt-packet.h"

namespace lpwan
{
namespace mqtt
{

const char*
PacketTypeName(PacketType type)
{
    switch (type)
    {
        case PacketType::Connect:
            return "CONNECT";
        case PacketType::Connack:
            return "CONNACK";
        case PacketType::Publish:
            return "PUBLISH";
        case PacketType::Puback:
            return "PUBACK";
        case PacketType::Pubrec:
            return "PUBREC";
        case PacketType::Pubrel:
            return "PUBREL";
        case PacketType::Pubcomp:
            return "PUBCOMP";
        case PacketType::Subscribe:
            return "SUBSCRIBE";
        case PacketType::Suback:
            return "SUBACK";
        case PacketType::Unsubscribe:
            return "UNSUBSCRIBE";
        case PacketType::Unsuback:
            return "UNSUBACK";
        case PacketType::Pingreq:
            return "PINGREQ";
        case PacketType::Pingresp:
            return "PINGRESP";
        case PacketType::Disconnect:
            return "DISCONNECT";
    }
    return "reserved";
}

const char*
ConnectReturnCodeName(ConnectReturnCode code)
{
    switch (code)
    {
        case ConnectReturnCode::Accepted:
            return "connection accepted";
        case ConnectReturnCode::UnacceptableProtocolVersion:
            return "unacceptable protocol version";
        case ConnectReturnCode::IdentifierRejected:
            return "identifier rejected";
        case ConnectReturnCode::ServerUnavailable:
            return "server unavailable";
        case ConnectReturnCode::BadUserNameOrPassword:
            return "bad user name or password";
        case ConnectReturnCode::NotAuthorized:
            return "not authorized";
    }
    return "reserved return code";
}

} // namespace mqtt
} // namespace lpwan
