/*
 * The MQTT client against a scripted server: the test writes the server's bytes by hand and
 * checks every byte and event the client produces -- the CONNECT, publication order around
 * the CONNACK, packet identifiers, PUBACK latency, keep alive (PINGREQ after KeepAlive idle
 * seconds, loss without PINGRESP), the CONNACK timeout, refusals, redelivery with DUP = 1 on
 * reconnection with CleanSession = 0, what a clean session drops, the optional timer-based
 * retransmission, QoS 1 and QoS 2 reception, SUBSCRIBE, byte accounting, and the violations
 * that end a connection.
 */

#include "mqtt-test-util.h"
#include "protocols/mqtt/mqtt-client.h"
#include "protocols/mqtt/mqtt-codec.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace
{

using namespace lpwan::mqtt;
using lpwan::SecondsToNs;
using mqtttest::Hex;
using mqtttest::ToHex;
using Kind = ClientEvent::Kind;

ClientConfig
Config(const std::string& id = "dev1", bool clean = true, uint16_t keepAlive = 0)
{
    ClientConfig c;
    c.clientId = id;
    c.cleanSession = clean;
    c.keepAliveSeconds = keepAlive;
    return c;
}

void
Feed(Client& client, TimeNs now, const std::string& hex)
{
    const Bytes b = Hex(hex);
    client.Receive(now, b.data(), b.size());
}

void
Establish(Client& client, TimeNs now, bool sessionPresent = false)
{
    ASSERT_TRUE(client.Connect(now));
    client.TakePackets();
    Feed(client, now, sessionPresent ? "20 02 01 00" : "20 02 00 00");
    ASSERT_EQ(client.GetState(), ClientState::Connected);
    ASSERT_EQ(client.TakeEvents().size(), 1u); // Connected
}

TEST(MqttClient, ConnectWritesTheConnectAndConnackEstablishes)
{
    ClientConfig cfg = Config("dev1", true, 10);
    cfg.connackTimeout = SecondsToNs(5);
    Client client(cfg);
    EXPECT_EQ(client.GetState(), ClientState::Disconnected);
    EXPECT_FALSE(client.NextTimer().has_value());
    ASSERT_TRUE(client.Connect(SecondsToNs(1)));
    EXPECT_FALSE(client.Connect(SecondsToNs(1))); // already connecting
    EXPECT_EQ(ToHex(client.TakeBytes()), "10 10 00 04 4d 51 54 54 04 02 00 0a 00 04 64 65 76 31");
    EXPECT_EQ(client.GetState(), ClientState::Connecting);
    EXPECT_EQ(client.NextTimer(), SecondsToNs(6));

    Feed(client, SecondsToNs(2), "20 02 00 00");
    EXPECT_EQ(client.GetState(), ClientState::Connected);
    const auto events = client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Kind::Connected);
    EXPECT_FALSE(events[0].sessionPresent);
    // Keep alive counts from the last packet sent: the CONNECT at 1 s.
    EXPECT_EQ(client.NextTimer(), SecondsToNs(11));
}

TEST(MqttClient, MessagesPublishedBeforeConnackGoOutInOrderAfterIt)
{
    Client client(Config());
    ASSERT_TRUE(client.Connect(0));
    client.TakePackets();
    EXPECT_TRUE(client.Publish(1, "a", {'1'}, 0).ok);
    const RequestResult q1 = client.Publish(2, "a", {'2'}, 1);
    ASSERT_TRUE(q1.ok);
    EXPECT_EQ(q1.packetId, 1);
    EXPECT_TRUE(client.Publish(3, "a", {'3'}, 0).ok);
    EXPECT_FALSE(client.HasOutput()); // waiting for the CONNACK
    EXPECT_EQ(client.PendingMessages(), 3u);

    Feed(client, 10, "20 02 00 00");
    EXPECT_EQ(ToHex(client.TakeBytes()),
              "30 04 00 01 61 31"
              " 32 06 00 01 61 00 01 32"
              " 30 04 00 01 61 33");
    EXPECT_EQ(client.PendingMessages(), 1u); // the QoS 1 one, until its PUBACK

    Feed(client, 110, "40 02 00 01");
    auto events = client.TakeEvents();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, Kind::Published);
    EXPECT_EQ(events[1].packetId, 1);
    EXPECT_EQ(events[1].latency, 108); // from Publish() at t = 2
    EXPECT_EQ(events[1].transmissions, 1u);
    EXPECT_EQ(client.PendingMessages(), 0u);
}

TEST(MqttClient, PacketIdentifiersAreDistinctAndReusedOnlyWhenFree)
{
    Client client(Config());
    Establish(client, 0);
    EXPECT_EQ(client.Publish(0, "t", {}, 1).packetId, 1);
    EXPECT_EQ(client.Publish(0, "t", {}, 1).packetId, 2);
    EXPECT_EQ(client.Subscribe(0, {{"s", 1}}).packetId, 3);
    EXPECT_EQ(client.Publish(0, "t", {}, 0).packetId, 0);
    Feed(client, 0, "40 02 00 01"); // id 1 is free again, but the counter moves on
    EXPECT_EQ(client.Publish(0, "t", {}, 1).packetId, 4);
    // A PUBACK for an identifier not in flight is counted and ignored.
    Feed(client, 0, "40 02 00 09");
    EXPECT_EQ(client.GetCounters().unmatchedAcks, 1u);
    EXPECT_EQ(client.GetState(), ClientState::Connected);
}

TEST(MqttClient, AllIdentifiersInUseRefusesTheNextQos1Message)
{
    Client client(Config("p", false));
    for (int i = 0; i < 65535; ++i)
    {
        ASSERT_TRUE(client.Publish(0, "t", {}, 1).ok) << i;
    }
    const RequestResult r = client.Publish(0, "t", {}, 1);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("65535"), std::string::npos);
    EXPECT_TRUE(client.Publish(0, "t", {}, 0).ok); // QoS 0 needs no identifier
}

TEST(MqttClient, InvalidPublicationsAreRefusedWithAReason)
{
    Client client(Config());
    Establish(client, 0);
    EXPECT_FALSE(client.Publish(0, "a/+", {}, 0).ok);
    EXPECT_FALSE(client.Publish(0, "", {}, 0).ok);
    EXPECT_FALSE(client.Publish(0, "a", {}, 2).ok);
    EXPECT_FALSE(client.Publish(0, std::string("\xC0\x80"), {}, 0).ok);
    EXPECT_FALSE(client.Subscribe(0, {{"a/#/b", 0}}).ok);
    EXPECT_FALSE(client.Subscribe(0, {}).ok);
    EXPECT_FALSE(client.HasOutput());
    EXPECT_THROW(Client(Config("", false)), std::invalid_argument); // [MQTT-3.1.3-7]
}

TEST(MqttClient, KeepAliveSendsPingreqWhenIdleAndLosesTheConnectionWithoutPingresp)
{
    ClientConfig cfg = Config("k", true, 60);
    cfg.pingResponseTimeout = SecondsToNs(20);
    Client client(cfg);
    Establish(client, 0);
    EXPECT_EQ(client.NextTimer(), SecondsToNs(60));

    // Sending something postpones the ping.
    client.Publish(SecondsToNs(30), "t", {}, 0);
    client.TakePackets();
    EXPECT_EQ(client.NextTimer(), SecondsToNs(90));
    client.OnTimer(SecondsToNs(60)); // early: nothing
    EXPECT_FALSE(client.HasOutput());

    client.OnTimer(SecondsToNs(90));
    EXPECT_EQ(ToHex(client.TakeBytes()), "c0 00");
    EXPECT_EQ(client.NextTimer(), SecondsToNs(110));
    Feed(client, SecondsToNs(91), "d0 00");
    EXPECT_EQ(client.NextTimer(), SecondsToNs(150));

    client.OnTimer(SecondsToNs(150));
    EXPECT_EQ(ToHex(client.TakeBytes()), "c0 00");
    client.OnTimer(SecondsToNs(170)); // no PINGRESP within 20 s
    EXPECT_EQ(client.GetState(), ClientState::Disconnected);
    auto events = client.TakeEvents();
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().kind, Kind::ConnectionLost);
    EXPECT_NE(events.back().reason.find("no PINGRESP"), std::string::npos);
    EXPECT_FALSE(client.NextTimer().has_value());
    EXPECT_EQ(client.GetCounters().pingsSent, 2u);
}

TEST(MqttClient, KeepAliveZeroNeverPings)
{
    Client client(Config("k", true, 0));
    Establish(client, 0);
    EXPECT_FALSE(client.NextTimer().has_value());
    EXPECT_TRUE(client.Ping(5));
    EXPECT_FALSE(client.Ping(6)); // one outstanding
    EXPECT_EQ(ToHex(client.TakeBytes()), "c0 00");
}

TEST(MqttClient, NoConnackWithinTheTimeoutLosesTheConnection)
{
    ClientConfig cfg = Config();
    cfg.connackTimeout = SecondsToNs(3);
    Client client(cfg);
    client.Connect(SecondsToNs(1));
    client.OnTimer(SecondsToNs(3));
    EXPECT_EQ(client.GetState(), ClientState::Connecting);
    client.OnTimer(SecondsToNs(4));
    EXPECT_EQ(client.GetState(), ClientState::Disconnected);
    const auto events = client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_NE(events[0].reason.find("no CONNACK"), std::string::npos);
    // It can connect again on a new stream.
    EXPECT_TRUE(client.Connect(SecondsToNs(5)));
}

TEST(MqttClient, RefusingConnackEndsTheConnectionAndLaterBytesAreIgnored)
{
    Client client(Config());
    client.Connect(0);
    client.TakePackets();
    Feed(client, 1, "20 02 00 05  d0 00");
    EXPECT_EQ(client.GetState(), ClientState::Disconnected);
    const auto events = client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Kind::ConnectionLost);
    ASSERT_TRUE(events[0].refusal.has_value());
    EXPECT_EQ(*events[0].refusal, ConnectReturnCode::NotAuthorized);
    EXPECT_NE(events[0].reason.find("not authorized"), std::string::npos);
    EXPECT_EQ(client.GetCounters().packetsReceived, 1u);
}

TEST(MqttClient, ViolationsEndTheConnectionWithAReason)
{
    const std::vector<std::pair<std::string, std::string>> afterConnack = {
        {"c0 00", "PINGREQ is sent by clients only"},
        {"10 0c 00 04 4d 51 54 54 04 02 00 00 00 00", "CONNECT is sent by clients only"},
        {"e0 00", "DISCONNECT is sent by clients only"},
        {"20 02 00 00", "a second CONNACK"},
        {"50 02 00 01", "PUBREC for a QoS 2 message"},
        {"70 02 00 01", "PUBCOMP for a QoS 2 message"},
        {"36 05 00 03 61 2f 62", "QoS 3"},
        {"30 04 00 02 61 2b", "wildcard"},
        {"d0 01 00", "Remaining Length 1"},
        {"90 04 00 01 00 01", "SUBACK with 2 return codes for 1 filters"},
    };
    for (const auto& [hex, reason] : afterConnack)
    {
        Client client(Config());
        Establish(client, 0);
        ASSERT_TRUE(client.Subscribe(0, {{"s", 0}}).ok); // id 1, for the SUBACK case
        client.TakePackets();
        Feed(client, 1, hex);
        EXPECT_EQ(client.GetState(), ClientState::Disconnected) << hex;
        const auto events = client.TakeEvents();
        ASSERT_FALSE(events.empty()) << hex;
        EXPECT_EQ(events.back().kind, Kind::ConnectionLost);
        EXPECT_NE(events.back().reason.find(reason), std::string::npos)
            << hex << ": " << events.back().reason;
    }
    // Anything but CONNACK first.
    Client client(Config());
    client.Connect(0);
    Feed(client, 1, "d0 00");
    EXPECT_EQ(client.GetState(), ClientState::Disconnected);
    EXPECT_NE(client.TakeEvents().back().reason.find("before CONNACK"), std::string::npos);
}

TEST(MqttClient, PersistentSessionRedeliversUnacknowledgedMessagesWithDupInOrder)
{
    Client client(Config("meter", false));
    Establish(client, 0);
    ASSERT_EQ(client.Publish(1, "m", {'a'}, 1).packetId, 1);
    ASSERT_EQ(client.Publish(2, "m", {'b'}, 1).packetId, 2);
    ASSERT_EQ(client.Publish(3, "m", {'c'}, 1).packetId, 3);
    EXPECT_EQ(ToHex(client.TakeBytes()),
              "32 06 00 01 6d 00 01 61"
              " 32 06 00 01 6d 00 02 62"
              " 32 06 00 01 6d 00 03 63");
    Feed(client, 4, "40 02 00 02");
    client.TakeEvents();
    client.TransportClosed(5);
    auto events = client.TakeEvents();
    ASSERT_EQ(events.size(), 1u); // ConnectionLost; nothing dropped: the session persists
    EXPECT_EQ(events[0].kind, Kind::ConnectionLost);
    EXPECT_EQ(client.PendingMessages(), 2u);
    // A message published while disconnected waits too.
    ASSERT_EQ(client.Publish(6, "m", {'d'}, 1).packetId, 4);

    ASSERT_TRUE(client.Connect(10));
    EXPECT_EQ(ToHex(client.TakeBytes()),
              "10 11 00 04 4d 51 54 54 04 00 00 00 00 05 6d 65 74 65 72");
    Feed(client, 11, "20 02 01 00");
    // Same identifiers, original order, DUP = 1 (flags 1010) for those sent before; the new
    // one is a first transmission [MQTT-4.4.0-1, 4.6.0-1, 3.3.1-1].
    EXPECT_EQ(ToHex(client.TakeBytes()),
              "3a 06 00 01 6d 00 01 61"
              " 3a 06 00 01 6d 00 03 63"
              " 32 06 00 01 6d 00 04 64");
    EXPECT_EQ(client.GetCounters().publishRetransmissions, 2u);
    Feed(client, 20, "40 02 00 01  40 02 00 03  40 02 00 04");
    events = client.TakeEvents();
    ASSERT_EQ(events.size(), 4u);
    EXPECT_TRUE(events[0].sessionPresent);
    EXPECT_EQ(events[1].packetId, 1);
    EXPECT_EQ(events[1].transmissions, 2u);
    EXPECT_EQ(events[1].latency, 19);
    EXPECT_EQ(events[3].packetId, 4);
    EXPECT_EQ(events[3].transmissions, 1u);
}

TEST(MqttClient, CleanSessionDropsUnacknowledgedMessagesWhenTheConnectionEnds)
{
    Client client(Config("c", true));
    Establish(client, 0);
    client.Publish(1, "m", {'a'}, 1);
    client.TakePackets();
    client.TransportClosed(2);
    client.Publish(3, "m", {'b'}, 1); // never sent: kept
    auto events = client.TakeEvents();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, Kind::ConnectionLost);
    EXPECT_EQ(events[1].kind, Kind::PublishDropped);
    EXPECT_EQ(events[1].packetId, 1);
    EXPECT_EQ(events[1].message.payload, Bytes{'a'});
    EXPECT_EQ(client.PendingMessages(), 1u);

    Establish(client, 10);
    EXPECT_EQ(ToHex(client.TakeBytes()), "32 06 00 01 6d 00 02 62");
}

TEST(MqttClient, OptionalTimerRetransmissionResendsWithDup)
{
    ClientConfig cfg = Config("r", true, 0);
    cfg.retransmitTimeout = SecondsToNs(5);
    Client client(cfg);
    Establish(client, 0);
    EXPECT_FALSE(client.NextTimer().has_value());
    client.Publish(SecondsToNs(1), "m", {'x'}, 1);
    client.Publish(SecondsToNs(2), "m", {'y'}, 0);
    client.TakePackets();
    EXPECT_EQ(client.NextTimer(), SecondsToNs(6));
    client.OnTimer(SecondsToNs(6));
    EXPECT_EQ(ToHex(client.TakeBytes()), "3a 06 00 01 6d 00 01 78");
    EXPECT_EQ(client.NextTimer(), SecondsToNs(11));
    Feed(client, SecondsToNs(7), "40 02 00 01");
    const auto events = client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].transmissions, 2u);
    EXPECT_FALSE(client.NextTimer().has_value());
}

TEST(MqttClient, DefaultNeverRetransmitsOnTheSameConnection)
{
    Client client(Config("r", true, 0));
    Establish(client, 0);
    client.Publish(0, "m", {'x'}, 1);
    client.TakePackets();
    EXPECT_FALSE(client.NextTimer().has_value());
    client.OnTimer(SecondsToNs(1000));
    EXPECT_FALSE(client.HasOutput());
}

TEST(MqttClient, ReceivesQos0Qos1AndQos2Messages)
{
    Client client(Config());
    Establish(client, 0);
    // QoS 0, QoS 1 (id 7), QoS 2 (id 8) twice, then PUBREL 8.
    Feed(client, 1,
         "30 05 00 01 74 68 69"
         " 32 07 00 01 74 00 07 68 69"
         " 34 07 00 01 74 00 08 68 69"
         " 3c 07 00 01 74 00 08 68 69"
         " 62 02 00 08");
    EXPECT_EQ(ToHex(client.TakeBytes()), "40 02 00 07 50 02 00 08 50 02 00 08 70 02 00 08");
    const auto events = client.TakeEvents();
    ASSERT_EQ(events.size(), 3u); // the QoS 2 repeat is not delivered twice
    for (const ClientEvent& e : events)
    {
        EXPECT_EQ(e.kind, Kind::MessageReceived);
        EXPECT_EQ(e.message.topic, "t");
        EXPECT_EQ(e.message.payload, (Bytes{'h', 'i'}));
    }
    EXPECT_EQ(events[1].message.qos, 1);
    EXPECT_EQ(events[2].message.qos, 2);
    // After PUBCOMP the identifier is a new publication again.
    Feed(client, 2, "34 07 00 01 74 00 08 68 69");
    EXPECT_EQ(client.TakeEvents().size(), 1u);
}

TEST(MqttClient, SubscribeAndUnsubscribe)
{
    Client client(Config());
    EXPECT_FALSE(client.Subscribe(0, {{"a", 0}}).ok); // not connected
    Establish(client, 0);
    const RequestResult s = client.Subscribe(1, {{"a/b", 1}, {"c/d", 2}});
    ASSERT_TRUE(s.ok);
    EXPECT_EQ(ToHex(client.TakeBytes()), "82 0e 00 01 00 03 61 2f 62 01 00 03 63 2f 64 02");
    Feed(client, 2, "90 04 00 01 01 80");
    auto events = client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Kind::Subscribed);
    EXPECT_EQ(events[0].returnCodes, (std::vector<uint8_t>{1, 0x80}));

    const RequestResult u = client.Unsubscribe(3, {"a/b"});
    ASSERT_TRUE(u.ok);
    EXPECT_EQ(ToHex(client.TakeBytes()), "a2 07 00 02 00 03 61 2f 62");
    Feed(client, 4, "b0 02 00 02");
    events = client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Kind::Unsubscribed);
}

TEST(MqttClient, DisconnectWritesDisconnectAndEnds)
{
    Client client(Config());
    Establish(client, 0);
    client.Disconnect(1);
    EXPECT_EQ(ToHex(client.TakeBytes()), "e0 00");
    EXPECT_EQ(client.GetState(), ClientState::Disconnected);
    EXPECT_TRUE(client.TakeEvents().empty()); // a requested disconnection is no event
    client.Disconnect(2);
    EXPECT_FALSE(client.HasOutput());
    Feed(client, 3, "d0 00"); // ignored
    EXPECT_EQ(client.GetCounters().bytesReceived, 4u);
}

TEST(MqttClient, ByteAccountingSplitsPayloadFromMqttHeaders)
{
    Client client(Config("acc", true, 0));
    client.Connect(0);
    Feed(client, 0, "20 02 00 00");
    client.Publish(0, "meters/1", Bytes(100, 0x42), 1);
    client.Publish(0, "meters/1", Bytes(200, 0x43), 0);
    const auto packets = client.TakePackets();
    ASSERT_EQ(packets.size(), 3u);
    EXPECT_EQ(packets[0].type, PacketType::Connect);
    EXPECT_EQ(packets[0].payloadBytes, 0u);
    EXPECT_EQ(packets[1].type, PacketType::Publish);
    EXPECT_EQ(packets[1].payloadBytes, 100u);
    EXPECT_EQ(packets[1].HeaderBytes(), 1 + 1 + 10 + 2u); // type, length, topic, packet id
    EXPECT_EQ(packets[2].HeaderBytes(), 1 + 2 + 10u);     // 210 needs two length bytes
    for (const OutgoingPacket& p : packets)
    {
        if (p.type == PacketType::Publish)
        {
            EXPECT_EQ(PublishHeaderSize(p.bytes.data(), p.bytes.size()),
                      std::optional<size_t>(p.HeaderBytes()));
        }
    }
    const ClientCounters& c = client.GetCounters();
    EXPECT_EQ(c.publishPayloadBytesSent, 300u);
    EXPECT_EQ(c.publishHeaderBytesSent, 14u + 13u);
    EXPECT_EQ(c.controlBytesSent, packets[0].bytes.size());
    EXPECT_EQ(c.bytesSent,
              packets[0].bytes.size() + packets[1].bytes.size() + packets[2].bytes.size());
}

} // namespace
