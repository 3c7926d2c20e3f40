/*
 * Fuzzing the MQTT endpoints with thousands of mutated and truncated streams:
 *   - into the broker, several connections interleaved, each a plausible client session
 *     (CONNECT with random flags, then random client packets) damaged by mutations, cut into
 *     random chunks, with timers and transport closures in between;
 *   - into the client, plausible server streams (CONNACK, then random server packets)
 *     damaged the same way.
 * Nothing may crash or throw, and the outputs must stay sane: every byte string the broker
 * sends decodes as a packet a server may send, nothing is sent on a connection after its
 * Close, every connection ends closed, and no clean session survives its connection.
 */

#include "mqtt-test-util.h"
#include "protocols/mqtt/mqtt-broker.h"
#include "protocols/mqtt/mqtt-client.h"
#include "protocols/mqtt/mqtt-codec.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace
{

using namespace lpwan::mqtt;
using lpwan::SecondsToNs;
using mqtttest::PacketGenerator;

Bytes
Mutate(PacketGenerator& gen, Bytes b)
{
    const int n = static_cast<int>(gen.Uniform(0, 4)); // 0: some streams stay valid
    for (int i = 0; i < n && !b.empty(); ++i)
    {
        const size_t at = gen.Uniform(0, static_cast<uint32_t>(b.size() - 1));
        switch (gen.Uniform(0, 4))
        {
            case 0:
                b[at] ^= static_cast<uint8_t>(1u << gen.Uniform(0, 7));
                break;
            case 1:
                b[at] = static_cast<uint8_t>(gen.Uniform(0, 255));
                break;
            case 2:
                b.insert(b.begin() + static_cast<std::ptrdiff_t>(at),
                         static_cast<uint8_t>(gen.Uniform(0, 255)));
                break;
            case 3:
                b.erase(b.begin() + static_cast<std::ptrdiff_t>(at));
                break;
            default:
                b.resize(at); // truncation
                break;
        }
    }
    return b;
}

/// A client's side of a session: CONNECT, then packets a client sends (and a few it must not).
Bytes
ClientStream(PacketGenerator& gen)
{
    ConnectPacket c;
    static const char* ids[] = {"a", "b", "c", "d", ""};
    c.clientId = ids[gen.Uniform(0, 4)];
    c.cleanSession = c.clientId.empty() || gen.Coin();
    c.keepAliveSeconds = static_cast<uint16_t>(gen.Uniform(0, 3));
    if (gen.Coin())
    {
        c.will = Will{"will/" + c.clientId + "x", gen.RandomBytes(5),
                      static_cast<uint8_t>(gen.Uniform(0, 2)), gen.Coin()};
    }
    Bytes out = Encode(c);
    const int n = static_cast<int>(gen.Uniform(0, 8));
    static const char* topics[] = {"t", "t/a", "will/ax", "$SYS/x", "t/b/c"};
    static const char* filters[] = {"t", "t/+", "#", "will/#", "+/a", "t/b/#"};
    for (int i = 0; i < n; ++i)
    {
        Packet p;
        switch (gen.Uniform(0, 9))
        {
            case 0:
            case 1:
            case 2:
            {
                PublishPacket m;
                m.topic = topics[gen.Uniform(0, 4)];
                m.payload = gen.RandomBytes(8);
                m.qos = static_cast<uint8_t>(gen.Uniform(0, 2));
                m.retain = gen.Uniform(0, 3) == 0;
                if (m.qos > 0)
                {
                    m.packetId = static_cast<uint16_t>(gen.Uniform(1, 4));
                    m.dup = gen.Coin();
                }
                p = m;
                break;
            }
            case 3:
                p = SubscribePacket{
                    static_cast<uint16_t>(gen.Uniform(1, 9)),
                    {{filters[gen.Uniform(0, 5)], static_cast<uint8_t>(gen.Uniform(0, 2))}}};
                break;
            case 4:
                p = UnsubscribePacket{static_cast<uint16_t>(gen.Uniform(1, 9)),
                                      {filters[gen.Uniform(0, 5)]}};
                break;
            case 5:
                p = PubackPacket{static_cast<uint16_t>(gen.Uniform(1, 4))};
                break;
            case 6:
                p = PubrelPacket{static_cast<uint16_t>(gen.Uniform(1, 4))};
                break;
            case 7:
                p = PingreqPacket{};
                break;
            case 8:
                p = DisconnectPacket{};
                break;
            default:
                p = gen.RandomPacket(); // anything, including what a client must not send
                break;
        }
        const Bytes b = Encode(p);
        out.insert(out.end(), b.begin(), b.end());
    }
    return out;
}

bool
ServerMaySend(PacketType t)
{
    switch (t)
    {
        case PacketType::Connack:
        case PacketType::Publish:
        case PacketType::Puback:
        case PacketType::Pubrec:
        case PacketType::Pubcomp:
        case PacketType::Suback:
        case PacketType::Unsuback:
        case PacketType::Pingresp:
            return true;
        default:
            return false;
    }
}

TEST(MqttEndpointFuzz, MutatedClientStreamsNeverCrashTheBroker)
{
    PacketGenerator gen(31337);
    BrokerConfig cfg;
    cfg.maxPacketSize = 2048;
    cfg.connectTimeout = SecondsToNs(2);
    size_t closes = 0;
    size_t sends = 0;
    for (int round = 0; round < 1000; ++round)
    {
        Broker broker(cfg);
        TimeNs now = 0;
        std::set<ConnectionId> closed;
        std::map<ConnectionId, Bytes> pending; // stream bytes not yet delivered
        for (int i = 0; i < 6; ++i)            // 6 sessions per round: 6000 streams in all
        {
            pending[broker.Open(now)] = Mutate(gen, ClientStream(gen));
        }
        auto check = [&]()
        {
            for (const BrokerAction& a : broker.TakeActions())
            {
                ASSERT_EQ(closed.count(a.connection), 0u) << "action after Close";
                if (a.kind == BrokerAction::Kind::Close)
                {
                    ASSERT_FALSE(a.reason.empty());
                    closed.insert(a.connection);
                    ++closes;
                    continue;
                }
                ++sends;
                const DecodeResult d = Decode(a.packet.bytes);
                ASSERT_TRUE(d.ok) << d.error.reason;
                ASSERT_TRUE(ServerMaySend(TypeOf(d.packet)));
                ASSERT_EQ(a.packet.type, TypeOf(d.packet));
            }
            broker.TakeEvents();
        };
        // Interleave chunks of all streams, with time passing and timers firing.
        while (!pending.empty())
        {
            auto it = pending.begin();
            std::advance(it, gen.Uniform(0, static_cast<uint32_t>(pending.size() - 1)));
            Bytes& b = it->second;
            const size_t chunk = std::min<size_t>(b.size(), gen.Uniform(1, 30));
            broker.Receive(it->first, now, b.data(), chunk);
            b.erase(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(chunk));
            check();
            if (b.empty())
            {
                if (gen.Coin())
                {
                    broker.TransportClosed(it->first, now);
                    check();
                }
                pending.erase(it);
            }
            now += SecondsToNs(gen.Uniform(0, 1000) / 1000.0);
            if (const auto t = broker.NextTimer(); t && *t <= now)
            {
                broker.OnTimer(now);
                check();
            }
        }
        // Let every remaining deadline pass, then close what is left.
        for (int i = 0; i < 10 && broker.NextTimer(); ++i)
        {
            now = std::max(now, *broker.NextTimer());
            broker.OnTimer(now);
            check();
        }
        for (ConnectionId c = 1; c <= 6; ++c)
        {
            broker.TransportClosed(c, now);
        }
        check();
        ASSERT_EQ(broker.OpenConnections(), 0u);
        ASSERT_FALSE(broker.NextTimer().has_value());
        // Only persistent sessions (ids a..d) may remain.
        ASSERT_LE(broker.SessionCount(), 4u);
        for (const char* id : {"a", "b", "c", "d"})
        {
            if (const BrokerSession* s = broker.FindSession(id))
            {
                ASSERT_FALSE(s->IsClean());
                ASSERT_FALSE(s->connection.has_value());
            }
        }
    }
    EXPECT_GT(closes, 1000u);
    EXPECT_GT(sends, 1000u);
}

/// A server's side: CONNACK (usually accepting), then packets a server sends and others.
Bytes
ServerStream(PacketGenerator& gen)
{
    ConnackPacket ack;
    ack.returnCode = gen.Uniform(0, 5) == 0 ? static_cast<ConnectReturnCode>(gen.Uniform(1, 5))
                                            : ConnectReturnCode::Accepted;
    ack.sessionPresent = ack.returnCode == ConnectReturnCode::Accepted && gen.Coin();
    Bytes out = Encode(ack);
    const int n = static_cast<int>(gen.Uniform(0, 8));
    for (int i = 0; i < n; ++i)
    {
        Packet p;
        switch (gen.Uniform(0, 5))
        {
            case 0:
                p = gen.RandomPublish(20);
                break;
            case 1:
                p = PubackPacket{static_cast<uint16_t>(gen.Uniform(1, 4))};
                break;
            case 2:
                p = SubackPacket{static_cast<uint16_t>(gen.Uniform(1, 4)), {1}};
                break;
            case 3:
                p = PingrespPacket{};
                break;
            case 4:
                p = PubrelPacket{static_cast<uint16_t>(gen.Uniform(1, 4))};
                break;
            default:
                p = gen.RandomPacket();
                break;
        }
        const Bytes b = Encode(p);
        out.insert(out.end(), b.begin(), b.end());
    }
    return out;
}

TEST(MqttEndpointFuzz, MutatedServerStreamsNeverCrashTheClient)
{
    PacketGenerator gen(2718);
    size_t lost = 0;
    for (int round = 0; round < 3000; ++round)
    {
        ClientConfig cfg;
        cfg.clientId = "fuzz";
        cfg.cleanSession = gen.Coin();
        cfg.keepAliveSeconds = 1;
        cfg.pingResponseTimeout = SecondsToNs(1);
        cfg.retransmitTimeout = gen.Coin() ? SecondsToNs(1) : 0;
        cfg.maxPacketSize = 512;
        Client client(cfg);
        TimeNs now = 0;
        ASSERT_TRUE(client.Connect(now));
        client.Publish(now, "t", {1}, 1);
        client.Publish(now, "t", {2}, 0);
        const Bytes stream = Mutate(gen, ServerStream(gen));
        size_t pos = 0;
        while (pos < stream.size())
        {
            const size_t chunk = std::min<size_t>(stream.size() - pos, gen.Uniform(1, 20));
            client.Receive(now, stream.data() + pos, chunk);
            pos += chunk;
            if (client.GetState() == ClientState::Connected && gen.Uniform(0, 3) == 0)
            {
                client.Subscribe(now, {{"s", 1}});
            }
            now += SecondsToNs(0.3);
            if (const auto t = client.NextTimer(); t && *t <= now)
            {
                client.OnTimer(now);
            }
        }
        for (const OutgoingPacket& o : client.TakePackets())
        {
            const DecodeResult d = Decode(o.bytes);
            ASSERT_TRUE(d.ok) << d.error.reason;
        }
        for (const ClientEvent& e : client.TakeEvents())
        {
            if (e.kind == ClientEvent::Kind::ConnectionLost)
            {
                ASSERT_FALSE(e.reason.empty());
                ++lost;
            }
        }
        client.TransportClosed(now);
        ASSERT_EQ(client.GetState(), ClientState::Disconnected);
    }
    EXPECT_GT(lost, 1000u);
}

} // namespace
