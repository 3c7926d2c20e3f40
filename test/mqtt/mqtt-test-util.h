/*
 * Helpers shared by the MQTT tests: hex literals and a generator of random valid packets
 * (every type, every optional field, random UTF-8 including 4-byte sequences), seeded so that
 * every failure reproduces.
 */
#ifndef LPWAN_TEST_MQTT_TEST_UTIL_H
#define LPWAN_TEST_MQTT_TEST_UTIL_H

#include "protocols/common/hex.h"
#include "protocols/mqtt/mqtt-packet.h"

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace mqtttest
{

using lpwan::mqtt::Bytes;

/// "10 0c 00" -> bytes. Spaces are ignored.
inline Bytes
Hex(const std::string& text)
{
    return lpwan::FromHex(text, " ").value();
}

/// "10 0c 00": the bytes of a packet as the MQTT specification lists them.
inline std::string
ToHex(const Bytes& bytes)
{
    const std::string digits = lpwan::ToHex(bytes);
    std::string s;
    for (size_t i = 0; i < digits.size(); i += 2)
    {
        s += (i > 0 ? " " : "") + digits.substr(i, 2);
    }
    return s;
}

inline Bytes
Concat(const std::vector<Bytes>& parts)
{
    Bytes out;
    for (const Bytes& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

/// Random valid packets.
class PacketGenerator
{
  public:
    explicit PacketGenerator(uint32_t seed)
      : m_rng(seed)
    {
    }

    std::mt19937& Rng()
    {
        return m_rng;
    }

    uint32_t Uniform(uint32_t lo, uint32_t hi)
    {
        return std::uniform_int_distribution<uint32_t>(lo, hi)(m_rng);
    }

    bool Coin()
    {
        return Uniform(0, 1) == 1;
    }

    Bytes RandomBytes(size_t maxLength)
    {
        Bytes b(Uniform(0, static_cast<uint32_t>(maxLength)));
        for (uint8_t& x : b)
        {
            x = static_cast<uint8_t>(Uniform(0, 255));
        }
        return b;
    }

    /// Valid MQTT UTF-8 text (no U+0000, no surrogates), without '/', '+', '#'.
    std::string RandomText(size_t maxChars)
    {
        std::string s;
        const size_t n = Uniform(0, static_cast<uint32_t>(maxChars));
        for (size_t i = 0; i < n; ++i)
        {
            switch (Uniform(0, 5))
            {
                case 0:
                    AppendUtf8(s, Uniform(0x80, 0x7ff));
                    break;
                case 1:
                {
                    uint32_t cp = Uniform(0x800, 0xfffd);
                    if (cp >= 0xd800 && cp <= 0xdfff)
                    {
                        cp = 0xe000;
                    }
                    AppendUtf8(s, cp);
                    break;
                }
                case 2:
                    AppendUtf8(s, Uniform(0x10000, 0x10ffff));
                    break;
                default:
                {
                    char c = static_cast<char>(Uniform(0x20, 0x7e));
                    if (c == '/' || c == '+' || c == '#')
                    {
                        c = 'x';
                    }
                    s.push_back(c);
                }
            }
        }
        return s;
    }

    std::string RandomTopicName()
    {
        std::string t;
        const size_t levels = Uniform(1, 4);
        for (size_t i = 0; i < levels; ++i)
        {
            if (i > 0)
            {
                t.push_back('/');
            }
            t += RandomText(6);
        }
        if (t.empty())
        {
            t = "t";
        }
        return t;
    }

    std::string RandomTopicFilter()
    {
        std::string t;
        const size_t levels = Uniform(1, 4);
        for (size_t i = 0; i < levels; ++i)
        {
            if (i > 0)
            {
                t.push_back('/');
            }
            const uint32_t kind = Uniform(0, 5);
            if (kind == 0)
            {
                t.push_back('+');
            }
            else if (kind == 1 && i + 1 == levels)
            {
                t.push_back('#');
            }
            else
            {
                t += RandomText(6);
            }
        }
        if (t.empty())
        {
            t = "f";
        }
        return t;
    }

    uint16_t RandomPacketId()
    {
        return static_cast<uint16_t>(Uniform(1, 65535));
    }

    lpwan::mqtt::PublishPacket RandomPublish(size_t maxPayload = 300)
    {
        lpwan::mqtt::PublishPacket m;
        m.topic = RandomTopicName();
        m.payload = RandomBytes(maxPayload);
        m.qos = static_cast<uint8_t>(Uniform(0, 2));
        m.retain = Coin();
        if (m.qos > 0)
        {
            m.dup = Coin();
            m.packetId = RandomPacketId();
        }
        return m;
    }

    lpwan::mqtt::Packet RandomPacket()
    {
        using namespace lpwan::mqtt;
        switch (Uniform(1, 14))
        {
            case 1:
            {
                ConnectPacket c;
                c.clientId = RandomText(23);
                c.cleanSession = c.clientId.empty() || Coin();
                c.keepAliveSeconds = static_cast<uint16_t>(Uniform(0, 65535));
                if (Coin())
                {
                    c.will = Will{RandomTopicName(), RandomBytes(40),
                                  static_cast<uint8_t>(Uniform(0, 2)), Coin()};
                }
                if (Coin())
                {
                    c.userName = RandomText(10);
                    if (Coin())
                    {
                        c.password = RandomBytes(20);
                    }
                }
                return c;
            }
            case 2:
            {
                ConnackPacket c;
                c.returnCode = static_cast<ConnectReturnCode>(Uniform(0, 5));
                c.sessionPresent = c.returnCode == ConnectReturnCode::Accepted && Coin();
                return c;
            }
            case 3:
                return RandomPublish();
            case 4:
                return PubackPacket{RandomPacketId()};
            case 5:
                return PubrecPacket{RandomPacketId()};
            case 6:
                return PubrelPacket{RandomPacketId()};
            case 7:
                return PubcompPacket{RandomPacketId()};
            case 8:
            {
                SubscribePacket s;
                s.packetId = RandomPacketId();
                const size_t n = Uniform(1, 4);
                for (size_t i = 0; i < n; ++i)
                {
                    s.subscriptions.push_back(
                        {RandomTopicFilter(), static_cast<uint8_t>(Uniform(0, 2))});
                }
                return s;
            }
            case 9:
            {
                SubackPacket s;
                s.packetId = RandomPacketId();
                const size_t n = Uniform(1, 4);
                static const uint8_t codes[] = {0, 1, 2, kSubackFailure};
                for (size_t i = 0; i < n; ++i)
                {
                    s.returnCodes.push_back(codes[Uniform(0, 3)]);
                }
                return s;
            }
            case 10:
            {
                UnsubscribePacket u;
                u.packetId = RandomPacketId();
                const size_t n = Uniform(1, 4);
                for (size_t i = 0; i < n; ++i)
                {
                    u.filters.push_back(RandomTopicFilter());
                }
                return u;
            }
            case 11:
                return UnsubackPacket{RandomPacketId()};
            case 12:
                return PingreqPacket{};
            case 13:
                return PingrespPacket{};
            default:
                return DisconnectPacket{};
        }
    }

    static void AppendUtf8(std::string& s, uint32_t cp)
    {
        if (cp < 0x80)
        {
            s.push_back(static_cast<char>(cp));
        }
        else if (cp < 0x800)
        {
            s.push_back(static_cast<char>(0xc0 | (cp >> 6)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
        }
        else if (cp < 0x10000)
        {
            s.push_back(static_cast<char>(0xe0 | (cp >> 12)));
            s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
        }
        else
        {
            s.push_back(static_cast<char>(0xf0 | (cp >> 18)));
            s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
            s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
        }
    }

  private:
    std::mt19937 m_rng;
};

} // namespace mqtttest

#endif // LPWAN_TEST_MQTT_TEST_UTIL_H
