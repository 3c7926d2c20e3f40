/*
 * The MQTT 3.1.1 codec; see mqtt-codec.h for what it checks and why it is written by hand.
 *
 * Decoding reads through a bounds-checked Parser: every read names the field, so a failure
 * becomes a reason such as "PUBLISH: topic name truncated" instead of a generic error. The
 * encoder validates a packet with the same rules (CheckEncodable) before writing a byte.
 */

#include "mqtt-codec.h"

#include "mqtt-remaining-length.h"
#include "mqtt-topic.h"
#include "mqtt-utf8.h"

#include <stdexcept>

namespace lpwan
{
namespace mqtt
{

namespace
{

constexpr uint8_t kConnectFlagReserved = 0x01;
constexpr uint8_t kConnectFlagCleanSession = 0x02;
constexpr uint8_t kConnectFlagWill = 0x04;
constexpr uint8_t kConnectFlagWillRetain = 0x20;
constexpr uint8_t kConnectFlagPassword = 0x40;
constexpr uint8_t kConnectFlagUserName = 0x80;
constexpr uint8_t kProtocolLevel = 4;

constexpr uint8_t kPublishDup = 0x08;
constexpr uint8_t kPublishRetain = 0x01;

/// The flag bits PUBREL, SUBSCRIBE and UNSUBSCRIBE must carry (0010).
constexpr uint8_t kFlags0010 = 0x02;

DecodeResult
Failure(DecodeErrorCode code, std::string reason)
{
    DecodeResult r;
    r.error.code = code;
    r.error.reason = std::move(reason);
    return r;
}

/// Reads fields from a packet body, never past its end; the first failure's reason is kept.
class Parser
{
  public:
    Parser(const uint8_t* data, size_t size)
      : m_data(data)
      , m_size(size)
    {
    }

    size_t Left() const
    {
        return m_size - m_pos;
    }

    const std::string& Error() const
    {
        return m_error;
    }

    bool Fail(std::string why)
    {
        if (m_error.empty())
        {
            m_error = std::move(why);
        }
        return false;
    }

    bool U8(uint8_t& v, const char* field)
    {
        if (Left() < 1)
        {
            return Fail(std::string(field) + " truncated");
        }
        v = m_data[m_pos++];
        return true;
    }

    bool U16(uint16_t& v, const char* field)
    {
        if (Left() < 2)
        {
            return Fail(std::string(field) + " truncated");
        }
        v = static_cast<uint16_t>((m_data[m_pos] << 8) | m_data[m_pos + 1]);
        m_pos += 2;
        return true;
    }

    /// A two-byte length and that many bytes (section 1.5.3 for strings, 3.1.3.3 for data).
    bool LengthPrefixed(const uint8_t** begin, size_t* length, const char* field)
    {
        uint16_t n = 0;
        if (!U16(n, field))
        {
            return false;
        }
        if (Left() < n)
        {
            return Fail(std::string(field) + " truncated: " + std::to_string(n)
                        + " bytes announced, " + std::to_string(Left()) + " left");
        }
        *begin = m_data + m_pos;
        *length = n;
        m_pos += n;
        return true;
    }

    bool Binary(Bytes& v, const char* field)
    {
        const uint8_t* begin = nullptr;
        size_t length = 0;
        if (!LengthPrefixed(&begin, &length, field))
        {
            return false;
        }
        v.assign(begin, begin + length);
        return true;
    }

    bool Utf8(std::string& v, const char* field)
    {
        const uint8_t* begin = nullptr;
        size_t length = 0;
        if (!LengthPrefixed(&begin, &length, field))
        {
            return false;
        }
        v.assign(reinterpret_cast<const char*>(begin), length);
        std::string why;
        if (!IsValidMqttUtf8(v, &why))
        {
            return Fail(std::string(field) + ": " + why);
        }
        return true;
    }

    bool PacketId(uint16_t& v)
    {
        if (!U16(v, "packet identifier"))
        {
            return false;
        }
        if (v == 0)
        {
            return Fail("packet identifier 0 [MQTT-2.3.1-1]");
        }
        return true;
    }

    Bytes Rest()
    {
        Bytes rest(m_data + m_pos, m_data + m_size);
        m_pos = m_size;
        return rest;
    }

    bool End()
    {
        if (Left() != 0)
        {
            return Fail(std::to_string(Left()) + " bytes after the last field");
        }
        return true;
    }

  private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    std::string m_error;
};

/// A Malformed failure whose reason is prefixed with the packet type's name.
DecodeResult
Malformed(PacketType type, const std::string& why)
{
    return Failure(DecodeErrorCode::Malformed, std::string(PacketTypeName(type)) + ": " + why);
}

DecodeResult
Success(Packet packet)
{
    DecodeResult r;
    r.ok = true;
    r.packet = std::move(packet);
    return r;
}

DecodeResult
DecodeConnect(Parser& p)
{
    const PacketType t = PacketType::Connect;
    std::string name;
    if (!p.Utf8(name, "protocol name"))
    {
        return Malformed(t, p.Error());
    }
    if (name != "MQTT")
    {
        return Failure(DecodeErrorCode::UnknownProtocolName,
                       "CONNECT: protocol name '" + name.substr(0, 32)
                           + "' is not 'MQTT' [MQTT-3.1.2-1]");
    }
    uint8_t level = 0;
    if (!p.U8(level, "protocol level"))
    {
        return Malformed(t, p.Error());
    }
    if (level != kProtocolLevel)
    {
        return Failure(DecodeErrorCode::UnsupportedProtocolLevel,
                       "CONNECT: protocol level " + std::to_string(level)
                           + " is not 4 (MQTT 3.1.1) [MQTT-3.1.2-2]");
    }
    uint8_t flags = 0;
    ConnectPacket c;
    if (!p.U8(flags, "connect flags") || !p.U16(c.keepAliveSeconds, "keep alive"))
    {
        return Malformed(t, p.Error());
    }
    if ((flags & kConnectFlagReserved) != 0)
    {
        return Malformed(t, "reserved connect flag set [MQTT-3.1.2-3]");
    }
    const bool willFlag = (flags & kConnectFlagWill) != 0;
    const uint8_t willQos = (flags >> 3) & 0x03;
    const bool willRetain = (flags & kConnectFlagWillRetain) != 0;
    if (!willFlag && willQos != 0)
    {
        return Malformed(t, "Will QoS without the Will flag [MQTT-3.1.2-13]");
    }
    if (!willFlag && willRetain)
    {
        return Malformed(t, "Will Retain without the Will flag [MQTT-3.1.2-15]");
    }
    if (willQos == 3)
    {
        return Malformed(t, "Will QoS 3 [MQTT-3.1.2-14]");
    }
    const bool hasUser = (flags & kConnectFlagUserName) != 0;
    const bool hasPassword = (flags & kConnectFlagPassword) != 0;
    if (hasPassword && !hasUser)
    {
        return Malformed(t, "password flag without user name flag [MQTT-3.1.2-22]");
    }
    c.cleanSession = (flags & kConnectFlagCleanSession) != 0;
    if (!p.Utf8(c.clientId, "client identifier"))
    {
        return Malformed(t, p.Error());
    }
    if (willFlag)
    {
        Will w;
        w.qos = willQos;
        w.retain = willRetain;
        if (!p.Utf8(w.topic, "will topic") || !p.Binary(w.message, "will message"))
        {
            return Malformed(t, p.Error());
        }
        std::string why;
        if (!IsValidTopicName(w.topic, &why))
        {
            return Malformed(t, "will topic: " + why);
        }
        c.will = std::move(w);
    }
    if (hasUser)
    {
        c.userName.emplace();
        if (!p.Utf8(*c.userName, "user name"))
        {
            return Malformed(t, p.Error());
        }
    }
    if (hasPassword)
    {
        c.password.emplace();
        if (!p.Binary(*c.password, "password"))
        {
            return Malformed(t, p.Error());
        }
    }
    if (!p.End())
    {
        return Malformed(t, p.Error());
    }
    return Success(std::move(c));
}

DecodeResult
DecodeConnack(Parser& p)
{
    const PacketType t = PacketType::Connack;
    uint8_t flags = 0;
    uint8_t code = 0;
    if (!p.U8(flags, "acknowledge flags") || !p.U8(code, "return code") || !p.End())
    {
        return Malformed(t, p.Error());
    }
    if ((flags & 0xfe) != 0)
    {
        return Malformed(t, "reserved acknowledge flag bits set (section 3.2.2.1)");
    }
    if (code > static_cast<uint8_t>(ConnectReturnCode::NotAuthorized))
    {
        return Malformed(t, "reserved return code " + std::to_string(code) + " (Table 3.1)");
    }
    ConnackPacket c;
    c.sessionPresent = (flags & 0x01) != 0;
    c.returnCode = static_cast<ConnectReturnCode>(code);
    if (c.sessionPresent && c.returnCode != ConnectReturnCode::Accepted)
    {
        return Malformed(t, "Session Present with a refusal [MQTT-3.2.2-4]");
    }
    return Success(c);
}

DecodeResult
DecodePublish(uint8_t firstByte, Parser& p)
{
    const PacketType t = PacketType::Publish;
    PublishPacket m;
    m.qos = (firstByte >> 1) & 0x03;
    m.dup = (firstByte & kPublishDup) != 0;
    m.retain = (firstByte & kPublishRetain) != 0;
    if (!p.Utf8(m.topic, "topic name"))
    {
        return Malformed(t, p.Error());
    }
    std::string why;
    if (!IsValidTopicName(m.topic, &why))
    {
        return Malformed(t, why);
    }
    if (m.qos > 0 && !p.PacketId(m.packetId))
    {
        return Malformed(t, p.Error());
    }
    m.payload = p.Rest();
    return Success(std::move(m));
}

template<typename T>
DecodeResult
DecodePacketIdOnly(PacketType t, Parser& p)
{
    T packet;
    if (!p.PacketId(packet.packetId) || !p.End())
    {
        return Malformed(t, p.Error());
    }
    return Success(packet);
}

DecodeResult
DecodeSubscribe(Parser& p)
{
    const PacketType t = PacketType::Subscribe;
    SubscribePacket s;
    if (!p.PacketId(s.packetId))
    {
        return Malformed(t, p.Error());
    }
    while (p.Left() > 0)
    {
        Subscription sub;
        if (!p.Utf8(sub.filter, "topic filter") || !p.U8(sub.qos, "requested QoS"))
        {
            return Malformed(t, p.Error());
        }
        std::string why;
        if (!IsValidTopicFilter(sub.filter, &why))
        {
            return Malformed(t, why);
        }
        if (sub.qos > 2)
        {
            return Malformed(t, "requested QoS byte " + std::to_string(sub.qos)
                                    + " (reserved bits or QoS 3) [MQTT-3.8.3-4]");
        }
        s.subscriptions.push_back(std::move(sub));
    }
    if (s.subscriptions.empty())
    {
        return Malformed(t, "no topic filter [MQTT-3.8.3-3]");
    }
    return Success(std::move(s));
}

DecodeResult
DecodeSuback(Parser& p)
{
    const PacketType t = PacketType::Suback;
    SubackPacket s;
    if (!p.PacketId(s.packetId))
    {
        return Malformed(t, p.Error());
    }
    s.returnCodes = p.Rest();
    if (s.returnCodes.empty())
    {
        return Malformed(t, "no return code (a SUBSCRIBE has at least one filter)");
    }
    for (uint8_t code : s.returnCodes)
    {
        if (code > 2 && code != kSubackFailure)
        {
            return Malformed(t, "reserved return code " + std::to_string(code) + " [MQTT-3.9.3-2]");
        }
    }
    return Success(std::move(s));
}

DecodeResult
DecodeUnsubscribe(Parser& p)
{
    const PacketType t = PacketType::Unsubscribe;
    UnsubscribePacket u;
    if (!p.PacketId(u.packetId))
    {
        return Malformed(t, p.Error());
    }
    while (p.Left() > 0)
    {
        std::string filter;
        if (!p.Utf8(filter, "topic filter"))
        {
            return Malformed(t, p.Error());
        }
        std::string why;
        if (!IsValidTopicFilter(filter, &why))
        {
            return Malformed(t, why);
        }
        u.filters.push_back(std::move(filter));
    }
    if (u.filters.empty())
    {
        return Malformed(t, "no topic filter [MQTT-3.10.3-2]");
    }
    return Success(std::move(u));
}

// ---- encoding ----

void
PutU16(Bytes& out, uint16_t v)
{
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v & 0xff));
}

void
PutPrefixed(Bytes& out, const uint8_t* data, size_t size)
{
    PutU16(out, static_cast<uint16_t>(size));
    out.insert(out.end(), data, data + size);
}

void
PutString(Bytes& out, const std::string& s)
{
    PutPrefixed(out, reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

void
PutBinary(Bytes& out, const Bytes& b)
{
    PutPrefixed(out, b.data(), b.size());
}

/// Remaining Length of a packet, computed in 64 bits so that oversized content is caught.
uint64_t
BodySize(const Packet& packet)
{
    switch (TypeOf(packet))
    {
        case PacketType::Connect:
        {
            const auto& c = std::get<ConnectPacket>(packet);
            uint64_t n = 10 + 2 + c.clientId.size();
            if (c.will)
            {
                n += 2 + c.will->topic.size() + 2 + c.will->message.size();
            }
            if (c.userName)
            {
                n += 2 + c.userName->size();
            }
            if (c.password)
            {
                n += 2 + c.password->size();
            }
            return n;
        }
        case PacketType::Publish:
        {
            const auto& m = std::get<PublishPacket>(packet);
            return 2 + m.topic.size() + (m.qos > 0 ? 2 : 0) + m.payload.size();
        }
        case PacketType::Subscribe:
        {
            uint64_t n = 2;
            for (const Subscription& s : std::get<SubscribePacket>(packet).subscriptions)
            {
                n += 2 + s.filter.size() + 1;
            }
            return n;
        }
        case PacketType::Suback:
            return 2 + std::get<SubackPacket>(packet).returnCodes.size();
        case PacketType::Unsubscribe:
        {
            uint64_t n = 2;
            for (const std::string& f : std::get<UnsubscribePacket>(packet).filters)
            {
                n += 2 + f.size();
            }
            return n;
        }
        case PacketType::Connack:
        case PacketType::Puback:
        case PacketType::Pubrec:
        case PacketType::Pubrel:
        case PacketType::Pubcomp:
        case PacketType::Unsuback:
            return 2;
        case PacketType::Pingreq:
        case PacketType::Pingresp:
        case PacketType::Disconnect:
            return 0;
    }
    return 0;
}

/// The identifier of a PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK.
uint16_t
AckPacketId(const Packet& packet)
{
    switch (TypeOf(packet))
    {
        case PacketType::Puback:
            return std::get<PubackPacket>(packet).packetId;
        case PacketType::Pubrec:
            return std::get<PubrecPacket>(packet).packetId;
        case PacketType::Pubrel:
            return std::get<PubrelPacket>(packet).packetId;
        case PacketType::Pubcomp:
            return std::get<PubcompPacket>(packet).packetId;
        case PacketType::Unsuback:
            return std::get<UnsubackPacket>(packet).packetId;
        default:
            return 0;
    }
}

std::string
CheckString(const std::string& s, const char* field)
{
    if (s.size() > 65535)
    {
        return std::string(field) + " longer than 65535 bytes";
    }
    std::string why;
    if (!IsValidMqttUtf8(s, &why))
    {
        return std::string(field) + ": " + why;
    }
    return {};
}

std::string
CheckContent(const Packet& packet)
{
    std::string why;
    switch (TypeOf(packet))
    {
        case PacketType::Connect:
        {
            const auto& c = std::get<ConnectPacket>(packet);
            if (std::string e = CheckString(c.clientId, "client identifier"); !e.empty())
            {
                return e;
            }
            if (c.will)
            {
                if (!IsValidTopicName(c.will->topic, &why))
                {
                    return "will topic: " + why;
                }
                if (c.will->message.size() > 65535)
                {
                    return "will message longer than 65535 bytes";
                }
                if (c.will->qos > 2)
                {
                    return "Will QoS above 2";
                }
            }
            if (c.userName)
            {
                if (std::string e = CheckString(*c.userName, "user name"); !e.empty())
                {
                    return e;
                }
            }
            if (c.password)
            {
                if (!c.userName)
                {
                    return "password without user name [MQTT-3.1.2-22]";
                }
                if (c.password->size() > 65535)
                {
                    return "password longer than 65535 bytes";
                }
            }
            return {};
        }
        case PacketType::Connack:
        {
            const auto& c = std::get<ConnackPacket>(packet);
            if (static_cast<uint8_t>(c.returnCode) > 5)
            {
                return "reserved CONNACK return code";
            }
            if (c.sessionPresent && c.returnCode != ConnectReturnCode::Accepted)
            {
                return "Session Present with a refusal [MQTT-3.2.2-4]";
            }
            return {};
        }
        case PacketType::Publish:
        {
            const auto& m = std::get<PublishPacket>(packet);
            if (!IsValidTopicName(m.topic, &why))
            {
                return why;
            }
            if (m.qos > 2)
            {
                return "QoS above 2";
            }
            if (m.qos == 0 && m.dup)
            {
                return "DUP on a QoS 0 message [MQTT-3.3.1-2]";
            }
            if (m.qos == 0 && m.packetId != 0)
            {
                return "packet identifier on a QoS 0 message [MQTT-2.3.1-5]";
            }
            if (m.qos > 0 && m.packetId == 0)
            {
                return "packet identifier 0 [MQTT-2.3.1-1]";
            }
            return {};
        }
        case PacketType::Puback:
        case PacketType::Pubrec:
        case PacketType::Pubrel:
        case PacketType::Pubcomp:
        case PacketType::Unsuback:
        {
            const uint16_t id = AckPacketId(packet);
            return id == 0 ? "packet identifier 0 [MQTT-2.3.1-1]" : "";
        }
        case PacketType::Subscribe:
        {
            const auto& s = std::get<SubscribePacket>(packet);
            if (s.packetId == 0)
            {
                return "packet identifier 0 [MQTT-2.3.1-1]";
            }
            if (s.subscriptions.empty())
            {
                return "no topic filter [MQTT-3.8.3-3]";
            }
            for (const Subscription& sub : s.subscriptions)
            {
                if (!IsValidTopicFilter(sub.filter, &why))
                {
                    return why;
                }
                if (sub.qos > 2)
                {
                    return "requested QoS above 2";
                }
            }
            return {};
        }
        case PacketType::Suback:
        {
            const auto& s = std::get<SubackPacket>(packet);
            if (s.packetId == 0)
            {
                return "packet identifier 0 [MQTT-2.3.1-1]";
            }
            if (s.returnCodes.empty())
            {
                return "no return code";
            }
            for (uint8_t code : s.returnCodes)
            {
                if (code > 2 && code != kSubackFailure)
                {
                    return "reserved SUBACK return code [MQTT-3.9.3-2]";
                }
            }
            return {};
        }
        case PacketType::Unsubscribe:
        {
            const auto& u = std::get<UnsubscribePacket>(packet);
            if (u.packetId == 0)
            {
                return "packet identifier 0 [MQTT-2.3.1-1]";
            }
            if (u.filters.empty())
            {
                return "no topic filter [MQTT-3.10.3-2]";
            }
            for (const std::string& f : u.filters)
            {
                if (!IsValidTopicFilter(f, &why))
                {
                    return why;
                }
            }
            return {};
        }
        case PacketType::Pingreq:
        case PacketType::Pingresp:
        case PacketType::Disconnect:
            return {};
    }
    return "unknown packet type";
}

uint8_t
FirstByte(const Packet& packet)
{
    const auto type = static_cast<uint8_t>(TypeOf(packet));
    uint8_t flags = 0;
    switch (TypeOf(packet))
    {
        case PacketType::Publish:
        {
            const auto& m = std::get<PublishPacket>(packet);
            flags = static_cast<uint8_t>((m.dup ? kPublishDup : 0) | (m.qos << 1)
                                         | (m.retain ? kPublishRetain : 0));
            break;
        }
        case PacketType::Pubrel:
        case PacketType::Subscribe:
        case PacketType::Unsubscribe:
            flags = kFlags0010;
            break;
        default:
            break;
    }
    return static_cast<uint8_t>(type << 4 | flags);
}

void
EncodeBody(Bytes& out, const Packet& packet)
{
    switch (TypeOf(packet))
    {
        case PacketType::Connect:
        {
            const auto& c = std::get<ConnectPacket>(packet);
            PutString(out, "MQTT");
            out.push_back(kProtocolLevel);
            uint8_t flags = c.cleanSession ? kConnectFlagCleanSession : 0;
            if (c.will)
            {
                flags |= kConnectFlagWill | static_cast<uint8_t>(c.will->qos << 3)
                         | (c.will->retain ? kConnectFlagWillRetain : 0);
            }
            flags |= c.userName ? kConnectFlagUserName : 0;
            flags |= c.password ? kConnectFlagPassword : 0;
            out.push_back(flags);
            PutU16(out, c.keepAliveSeconds);
            PutString(out, c.clientId);
            if (c.will)
            {
                PutString(out, c.will->topic);
                PutBinary(out, c.will->message);
            }
            if (c.userName)
            {
                PutString(out, *c.userName);
            }
            if (c.password)
            {
                PutBinary(out, *c.password);
            }
            return;
        }
        case PacketType::Connack:
        {
            const auto& c = std::get<ConnackPacket>(packet);
            out.push_back(c.sessionPresent ? 1 : 0);
            out.push_back(static_cast<uint8_t>(c.returnCode));
            return;
        }
        case PacketType::Publish:
        {
            const auto& m = std::get<PublishPacket>(packet);
            PutString(out, m.topic);
            if (m.qos > 0)
            {
                PutU16(out, m.packetId);
            }
            out.insert(out.end(), m.payload.begin(), m.payload.end());
            return;
        }
        case PacketType::Puback:
        case PacketType::Pubrec:
        case PacketType::Pubrel:
        case PacketType::Pubcomp:
        case PacketType::Unsuback:
            PutU16(out, AckPacketId(packet));
            return;
        case PacketType::Subscribe:
        {
            const auto& s = std::get<SubscribePacket>(packet);
            PutU16(out, s.packetId);
            for (const Subscription& sub : s.subscriptions)
            {
                PutString(out, sub.filter);
                out.push_back(sub.qos);
            }
            return;
        }
        case PacketType::Suback:
        {
            const auto& s = std::get<SubackPacket>(packet);
            PutU16(out, s.packetId);
            out.insert(out.end(), s.returnCodes.begin(), s.returnCodes.end());
            return;
        }
        case PacketType::Unsubscribe:
        {
            const auto& u = std::get<UnsubscribePacket>(packet);
            PutU16(out, u.packetId);
            for (const std::string& f : u.filters)
            {
                PutString(out, f);
            }
            return;
        }
        case PacketType::Pingreq:
        case PacketType::Pingresp:
        case PacketType::Disconnect:
            return;
    }
}

} // namespace

const char*
DecodeErrorCodeName(DecodeErrorCode code)
{
    switch (code)
    {
        case DecodeErrorCode::Malformed:
            return "malformed";
        case DecodeErrorCode::UnknownProtocolName:
            return "unknown protocol name";
        case DecodeErrorCode::UnsupportedProtocolLevel:
            return "unsupported protocol level";
        case DecodeErrorCode::PacketTooLarge:
            return "packet too large";
        case DecodeErrorCode::Incomplete:
            return "incomplete";
    }
    return "unknown";
}

std::string
CheckEncodable(const Packet& packet)
{
    std::string why = CheckContent(packet);
    if (!why.empty())
    {
        return std::string(PacketTypeName(TypeOf(packet))) + ": " + why;
    }
    if (BodySize(packet) > kMaxRemainingLength)
    {
        return std::string(PacketTypeName(TypeOf(packet)))
               + ": larger than the maximum Remaining Length 268435455";
    }
    return {};
}

Bytes
Encode(const Packet& packet)
{
    const std::string why = CheckEncodable(packet);
    if (!why.empty())
    {
        throw std::invalid_argument("cannot encode MQTT " + why);
    }
    const auto body = static_cast<uint32_t>(BodySize(packet));
    Bytes out;
    out.reserve(1 + RemainingLengthSize(body) + body);
    out.push_back(FirstByte(packet));
    AppendRemainingLength(out, body);
    EncodeBody(out, packet);
    return out;
}

size_t
EncodedSize(const Packet& packet)
{
    const std::string why = CheckEncodable(packet);
    if (!why.empty())
    {
        throw std::invalid_argument("cannot encode MQTT " + why);
    }
    const auto body = static_cast<uint32_t>(BodySize(packet));
    return 1 + RemainingLengthSize(body) + body;
}

size_t
PublishHeaderSize(const PublishPacket& publish)
{
    const uint64_t body = BodySize(publish);
    const size_t lengthField
        = body <= kMaxRemainingLength ? RemainingLengthSize(static_cast<uint32_t>(body)) : 4;
    return 1 + lengthField + 2 + publish.topic.size() + (publish.qos > 0 ? 2 : 0);
}

std::optional<size_t>
PublishHeaderSize(const uint8_t* data, size_t size)
{
    DecodeError error;
    if (size < 1 || (data[0] >> 4) != static_cast<uint8_t>(PacketType::Publish)
        || !CheckFirstByte(data[0], &error))
    {
        return std::nullopt;
    }
    const RemainingLengthResult length = ReadRemainingLength(data + 1, size - 1);
    if (length.status != RemainingLengthResult::Status::Ok)
    {
        return std::nullopt;
    }
    const size_t topicAt = 1 + length.size;
    if (size < topicAt + 2)
    {
        return std::nullopt;
    }
    const size_t topicLength = (data[topicAt] << 8) | data[topicAt + 1];
    const size_t header = topicAt + 2 + topicLength + (((data[0] >> 1) & 0x03) > 0 ? 2 : 0);
    if (header > topicAt + length.value)
    {
        return std::nullopt; // the header fields would run past the packet
    }
    return header;
}

bool
CheckFirstByte(uint8_t firstByte, DecodeError* error)
{
    const uint8_t type = firstByte >> 4;
    const uint8_t flags = firstByte & 0x0f;
    auto fail = [error](std::string why)
    {
        if (error != nullptr)
        {
            error->code = DecodeErrorCode::Malformed;
            error->reason = std::move(why);
        }
        return false;
    };
    if (type == 0 || type == 15)
    {
        return fail("reserved packet type " + std::to_string(type) + " (section 2.2.1)");
    }
    const auto t = static_cast<PacketType>(type);
    if (t == PacketType::Publish)
    {
        const uint8_t qos = (flags >> 1) & 0x03;
        if (qos == 3)
        {
            return fail("PUBLISH: QoS 3 [MQTT-3.3.1-4]");
        }
        if (qos == 0 && (flags & kPublishDup) != 0)
        {
            return fail("PUBLISH: DUP on a QoS 0 message [MQTT-3.3.1-2]");
        }
        return true;
    }
    const bool needs0010
        = t == PacketType::Pubrel || t == PacketType::Subscribe || t == PacketType::Unsubscribe;
    const uint8_t expected = needs0010 ? kFlags0010 : 0;
    if (flags != expected)
    {
        return fail(std::string(PacketTypeName(t)) + ": reserved flag bits " + std::to_string(flags)
                    + " instead of " + std::to_string(expected) + " [MQTT-2.2.2-2]");
    }
    return true;
}

bool
CheckRemainingLength(uint8_t firstByte, uint32_t remainingLength, DecodeError* error)
{
    const auto t = static_cast<PacketType>(firstByte >> 4);
    int expected = -1;
    switch (t)
    {
        case PacketType::Connack:
        case PacketType::Puback:
        case PacketType::Pubrec:
        case PacketType::Pubrel:
        case PacketType::Pubcomp:
        case PacketType::Unsuback:
            expected = 2;
            break;
        case PacketType::Pingreq:
        case PacketType::Pingresp:
        case PacketType::Disconnect:
            expected = 0;
            break;
        default:
            return true;
    }
    if (remainingLength != static_cast<uint32_t>(expected))
    {
        if (error != nullptr)
        {
            error->code = DecodeErrorCode::Malformed;
            error->reason = std::string(PacketTypeName(t)) + ": Remaining Length "
                            + std::to_string(remainingLength) + " instead of "
                            + std::to_string(expected);
        }
        return false;
    }
    return true;
}

DecodeResult
DecodeBody(uint8_t firstByte, const uint8_t* body, size_t size)
{
    DecodeError error;
    if (!CheckFirstByte(firstByte, &error)
        || !CheckRemainingLength(firstByte, static_cast<uint32_t>(size), &error))
    {
        return Failure(error.code, error.reason);
    }
    Parser p(body, size);
    const auto t = static_cast<PacketType>(firstByte >> 4);
    switch (t)
    {
        case PacketType::Connect:
            return DecodeConnect(p);
        case PacketType::Connack:
            return DecodeConnack(p);
        case PacketType::Publish:
            return DecodePublish(firstByte, p);
        case PacketType::Puback:
            return DecodePacketIdOnly<PubackPacket>(t, p);
        case PacketType::Pubrec:
            return DecodePacketIdOnly<PubrecPacket>(t, p);
        case PacketType::Pubrel:
            return DecodePacketIdOnly<PubrelPacket>(t, p);
        case PacketType::Pubcomp:
            return DecodePacketIdOnly<PubcompPacket>(t, p);
        case PacketType::Subscribe:
            return DecodeSubscribe(p);
        case PacketType::Suback:
            return DecodeSuback(p);
        case PacketType::Unsubscribe:
            return DecodeUnsubscribe(p);
        case PacketType::Unsuback:
            return DecodePacketIdOnly<UnsubackPacket>(t, p);
        case PacketType::Pingreq:
            return Success(PingreqPacket{});
        case PacketType::Pingresp:
            return Success(PingrespPacket{});
        case PacketType::Disconnect:
            return Success(DisconnectPacket{});
    }
    return Failure(DecodeErrorCode::Malformed, "reserved packet type");
}

DecodeResult
Decode(const uint8_t* data, size_t size, uint32_t maxPacketSize)
{
    if (size == 0)
    {
        return Failure(DecodeErrorCode::Incomplete, "no bytes");
    }
    DecodeError error;
    if (!CheckFirstByte(data[0], &error))
    {
        return Failure(error.code, error.reason);
    }
    const RemainingLengthResult length = ReadRemainingLength(data + 1, size - 1);
    if (length.status == RemainingLengthResult::Status::Malformed)
    {
        return Failure(DecodeErrorCode::Malformed,
                       "Remaining Length longer than 4 bytes (section 2.2.3)");
    }
    if (length.status == RemainingLengthResult::Status::NeedMore)
    {
        return Failure(DecodeErrorCode::Incomplete, "bytes end inside the Remaining Length");
    }
    if (!CheckRemainingLength(data[0], length.value, &error))
    {
        return Failure(error.code, error.reason);
    }
    const uint64_t total = 1 + length.size + static_cast<uint64_t>(length.value);
    if (total > maxPacketSize)
    {
        return Failure(DecodeErrorCode::PacketTooLarge, "packet of " + std::to_string(total)
                                                            + " bytes exceeds the limit of "
                                                            + std::to_string(maxPacketSize));
    }
    if (size < total)
    {
        return Failure(DecodeErrorCode::Incomplete, std::to_string(total) + " bytes announced, "
                                                        + std::to_string(size) + " given");
    }
    if (size > total)
    {
        return Failure(DecodeErrorCode::Malformed,
                       std::to_string(size - total) + " bytes after the end of the packet");
    }
    DecodeResult r = DecodeBody(data[0], data + 1 + length.size, length.value);
    if (r.ok)
    {
        r.size = static_cast<size_t>(total);
    }
    return r;
}

} // namespace mqtt
} // namespace lpwan
