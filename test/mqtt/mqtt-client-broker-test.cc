/*
 * Our MQTT client and broker together, in memory (mqtt-harness.h): connection, publication at
 * QoS 0 and 1 with PUBACK, routing to subscribers, per-topic counters and byte accounting,
 * keep alive over hours, a silent broker detected by the client and a silent client detected
 * by the broker (with its Will), DISCONNECT, QoS 1 redelivery with DUP = 1 on reconnection in
 * both directions, session takeover, retained messages, CONNACK refusals and the violations
 * that make the broker close a connection.
 */

#include "mqtt-harness.h"
#include "mqtt-test-util.h"
#include "protocols/mqtt/mqtt-codec.h"

#include <gtest/gtest.h>

namespace
{

using namespace lpwan::mqtt;
using lpwan::SecondsToNs;
using mqtttest::Harness;
using mqtttest::Hex;
using Kind = ClientEvent::Kind;

ClientConfig
Config(const std::string& id, bool clean = true, uint16_t keepAlive = 0)
{
    ClientConfig c;
    c.clientId = id;
    c.cleanSession = clean;
    c.keepAliveSeconds = keepAlive;
    return c;
}

Bytes
Text(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

void
SubscribeAndWait(Harness& net, const std::string& name, std::vector<Subscription> subs)
{
    ASSERT_TRUE(net[name].client->Subscribe(net.now, std::move(subs)).ok);
    net.Pump();
    ASSERT_EQ(net.EventsOf(name, Kind::Subscribed).size(), 1u);
}

TEST(MqttClientBroker, DevicePublishesQos0AndQos1ToTheServer)
{
    Harness net;
    net.Add("server", Config("server"));
    net.Add("dev", Config("dev"));
    net.Open("server");
    net.Open("dev");
    ASSERT_EQ(net["dev"].client->GetState(), ClientState::Connected);
    SubscribeAndWait(net, "server", {{"meters/#", 1}});
    EXPECT_EQ(net.EventsOf("server", Kind::Subscribed)[0].returnCodes, std::vector<uint8_t>{1});

    net.now = SecondsToNs(1);
    ASSERT_TRUE(net["dev"].client->Publish(net.now, "meters/dev", Text("v=1"), 0).ok);
    const RequestResult q1 = net["dev"].client->Publish(net.now, "meters/dev", Text("v=22"), 1);
    ASSERT_TRUE(q1.ok);
    net.Pump();

    const auto got = net.EventsOf("server", Kind::MessageReceived);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].message.payload, Text("v=1"));
    EXPECT_EQ(got[0].message.qos, 0);
    EXPECT_EQ(got[1].message.payload, Text("v=22"));
    EXPECT_EQ(got[1].message.qos, 1);
    EXPECT_FALSE(got[1].message.retain);

    const auto acked = net.EventsOf("dev", Kind::Published);
    ASSERT_EQ(acked.size(), 1u);
    EXPECT_EQ(acked[0].packetId, q1.packetId);
    EXPECT_EQ(acked[0].transmissions, 1u);

    const TopicCounters* tc = net.broker.GetTopicCounters("meters/dev");
    ASSERT_NE(tc, nullptr);
    EXPECT_EQ(tc->messages, 2u);
    EXPECT_EQ(tc->payloadBytes, 7u);
    // Each PUBLISH: 1 type + 1 length + 2 + 10 topic (+ 2 packet id for QoS 1) + payload.
    EXPECT_EQ(tc->packetBytes, (14u + 3u) + (16u + 4u));
    const auto received = net.BrokerEventsOf(BrokerEvent::Kind::MessageReceived);
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].clientId, "dev");
    EXPECT_EQ(received[1].packetBytes - received[1].message.payload.size(),
              PublishHeaderSize(received[1].message));
    EXPECT_EQ(net.broker.GetCounters().connectionsAccepted, 2u);
}

TEST(MqttClientBroker, KeepAliveHoldsTheConnectionForHours)
{
    Harness net;
    net.Add("dev", Config("dev", true, 60));
    net.Open("dev");
    net.Advance(SecondsToNs(3600));
    EXPECT_EQ(net["dev"].client->GetState(), ClientState::Connected);
    EXPECT_TRUE(net.broker.IsOpen(net["dev"].connection));
    // One PINGREQ per idle minute, each answered.
    EXPECT_EQ(net["dev"].client->GetCounters().pingsSent, 60u);
    EXPECT_TRUE(net.EventsOf("dev", Kind::ConnectionLost).empty());
}

TEST(MqttClientBroker, ClientDetectsASilentBroker)
{
    Harness net;
    ClientConfig cfg = Config("dev", true, 60);
    cfg.pingResponseTimeout = SecondsToNs(10);
    net.Add("dev", cfg);
    net.Open("dev");
    net["dev"].dropToClient = true; // the broker's bytes no longer arrive
    net.Advance(SecondsToNs(100));
    const auto lost = net.EventsOf("dev", Kind::ConnectionLost);
    ASSERT_EQ(lost.size(), 1u);
    EXPECT_NE(lost[0].reason.find("no PINGRESP"), std::string::npos);
    EXPECT_EQ(net["dev"].client->GetState(), ClientState::Disconnected);
    // PINGREQ at 60 s, loss at 70 s; the harness then closed the stream at the broker.
    EXPECT_FALSE(net.broker.IsOpen(net["dev"].connection));
}

TEST(MqttClientBroker, BrokerClosesASilentClientAfterOneAndAHalfKeepAlivesAndPublishesItsWill)
{
    Harness net;
    net.Add("server", Config("server"));
    ClientConfig cfg = Config("dev", true, 10);
    cfg.will = Will{"status/dev", Text("offline"), 1, false};
    cfg.pingResponseTimeout = SecondsToNs(100);
    net.Add("dev", cfg);
    net.Open("server");
    SubscribeAndWait(net, "server", {{"status/+", 1}});
    net.Open("dev");
    net["dev"].dropToBroker = true; // the device's bytes no longer arrive

    net.Advance(SecondsToNs(14.9));
    EXPECT_TRUE(net.broker.IsOpen(net["dev"].connection));
    net.Advance(SecondsToNs(15));
    EXPECT_FALSE(net.broker.IsOpen(net["dev"].connection));
    EXPECT_EQ(net.broker.GetCounters().keepAliveExpirations, 1u);
    ASSERT_FALSE(net.closeReasons.empty());
    EXPECT_NE(net.closeReasons.back().find("keep alive expired"), std::string::npos);

    const auto will = net.EventsOf("server", Kind::MessageReceived);
    ASSERT_EQ(will.size(), 1u);
    EXPECT_EQ(will[0].message.topic, "status/dev");
    EXPECT_EQ(will[0].message.payload, Text("offline"));
    EXPECT_EQ(will[0].message.qos, 1);
    // The device learns it from the transport.
    const auto lost = net.EventsOf("dev", Kind::ConnectionLost);
    ASSERT_EQ(lost.size(), 1u);
    EXPECT_NE(lost[0].reason.find("transport closed"), std::string::npos);
}

TEST(MqttClientBroker, DisconnectIsGracefulAndDiscardsTheWill)
{
    Harness net;
    net.Add("server", Config("server"));
    ClientConfig cfg = Config("dev", true, 10);
    cfg.will = Will{"status/dev", Text("offline"), 0, false};
    net.Add("dev", cfg);
    net.Open("server");
    SubscribeAndWait(net, "server", {{"status/#", 0}});
    net.Open("dev");
    net["dev"].client->Disconnect(net.now);
    net.Pump();
    EXPECT_FALSE(net.broker.IsOpen(net["dev"].connection));
    EXPECT_TRUE(net.EventsOf("server", Kind::MessageReceived).empty());
    const auto closed = net.BrokerEventsOf(BrokerEvent::Kind::ConnectionClosed);
    ASSERT_EQ(closed.size(), 1u);
    EXPECT_TRUE(closed[0].graceful);
    EXPECT_EQ(closed[0].clientId, "dev");
    EXPECT_TRUE(net.EventsOf("dev", Kind::ConnectionLost).empty());
    EXPECT_EQ(net.broker.SessionCount(), 1u); // the server's; the device's clean one is gone
}

TEST(MqttClientBroker, UnacknowledgedQos1IsRedeliveredWithDupOnReconnection)
{
    Harness net;
    net.Add("server", Config("server"));
    net.Add("dev", Config("dev", false));
    net.Open("server");
    SubscribeAndWait(net, "server", {{"meters/dev", 1}});
    net.Open("dev");
    net["dev"].dropToClient = true; // the PUBACK will be lost
    net.now = SecondsToNs(1);
    ASSERT_TRUE(net["dev"].client->Publish(net.now, "meters/dev", Text("42"), 1).ok);
    net.Pump();
    EXPECT_EQ(net.broker.GetTopicCounters("meters/dev")->messages, 1u);
    EXPECT_TRUE(net.EventsOf("dev", Kind::Published).empty());

    net.now = SecondsToNs(2);
    net.Cut("dev");
    net["dev"].dropToClient = false;
    net.now = SecondsToNs(3);
    net.Open("dev");

    const auto connected = net.EventsOf("dev", Kind::Connected);
    ASSERT_EQ(connected.size(), 2u);
    EXPECT_TRUE(connected[1].sessionPresent);
    // The redelivered PUBLISH carried DUP = 1 and the original identifier.
    const OutgoingPacket& resent = net["dev"].sent.back();
    ASSERT_EQ(resent.type, PacketType::Publish);
    EXPECT_TRUE(resent.retransmission);
    const DecodeResult d = Decode(resent.bytes);
    ASSERT_TRUE(d.ok);
    EXPECT_TRUE(std::get<PublishPacket>(d.packet).dup);
    EXPECT_EQ(std::get<PublishPacket>(d.packet).packetId, 1);

    const auto acked = net.EventsOf("dev", Kind::Published);
    ASSERT_EQ(acked.size(), 1u);
    EXPECT_EQ(acked[0].transmissions, 2u);
    EXPECT_EQ(acked[0].latency, SecondsToNs(2));
    const TopicCounters* tc = net.broker.GetTopicCounters("meters/dev");
    EXPECT_EQ(tc->messages, 2u); // at least once: the server sees it twice
    EXPECT_EQ(tc->duplicates, 1u);
    // DUP is not propagated to subscribers [MQTT-3.3.1-3].
    for (const ClientEvent& e : net.EventsOf("server", Kind::MessageReceived))
    {
        EXPECT_FALSE(e.message.dup);
    }
}

TEST(MqttClientBroker, BrokerQueuesForAnOfflinePersistentSubscriberAndRedeliversInOrder)
{
    Harness net;
    net.Add("cmd", Config("cmd"));
    net.Add("dev", Config("dev", false));
    net.Open("cmd");
    net.Open("dev");
    SubscribeAndWait(net, "dev", {{"cmd/dev", 1}});
    net["dev"].dropToClient = true; // the first command's PUBLISH is lost in flight
    net["cmd"].client->Publish(net.now, "cmd/dev", Text("c1"), 1);
    net.Pump();
    net.Cut("dev");
    net["dev"].dropToClient = false;
    net["cmd"].client->Publish(net.now, "cmd/dev", Text("c2"), 1);
    net["cmd"].client->Publish(net.now, "cmd/dev", Text("c3"), 1);
    net["cmd"].client->Publish(net.now, "cmd/dev", Text("c4"), 0); // QoS 0: not stored
    net.Pump();
    const BrokerSession* s = net.broker.FindSession("dev");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->InflightCount(), 1u);
    EXPECT_EQ(s->QueuedCount(), 2u);

    net.Open("dev");
    const auto got = net.EventsOf("dev", Kind::MessageReceived);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].message.payload, Text("c1"));
    EXPECT_TRUE(got[0].message.dup); // it was sent before
    EXPECT_EQ(got[1].message.payload, Text("c2"));
    EXPECT_FALSE(got[1].message.dup);
    EXPECT_EQ(got[2].message.payload, Text("c3"));
    EXPECT_EQ(s->InflightCount(), 0u); // all PUBACKed
    EXPECT_EQ(s->QueuedCount(), 0u);
}

TEST(MqttClientBroker, SecondConnectionWithTheSameClientIdTakesTheSessionOver)
{
    Harness net;
    net.Add("a", Config("same"));
    net.Add("b", Config("same"));
    net.Open("a");
    net.Open("b");
    EXPECT_FALSE(net["a"].open);
    EXPECT_EQ(net["a"].client->GetState(), ClientState::Disconnected);
    EXPECT_EQ(net["b"].client->GetState(), ClientState::Connected);
    ASSERT_FALSE(net.closeReasons.empty());
    EXPECT_NE(net.closeReasons[0].find("taken over"), std::string::npos);
}

TEST(MqttClientBroker, RetainedMessagesReachLaterSubscribersUntilDeleted)
{
    Harness net;
    net.Add("dev", Config("dev"));
    net.Add("late", Config("late"));
    net.Open("dev");
    net["dev"].client->Publish(net.now, "state/dev", Text("on"), 1, true);
    net.Pump();
    net.Open("late");
    SubscribeAndWait(net, "late", {{"state/+", 1}});
    auto got = net.EventsOf("late", Kind::MessageReceived);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(got[0].message.retain);
    EXPECT_EQ(got[0].message.payload, Text("on"));

    // A retained message with an empty payload deletes it and is forwarded normally.
    net["dev"].client->Publish(net.now, "state/dev", {}, 0, true);
    net.Pump();
    got = net.EventsOf("late", Kind::MessageReceived);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_FALSE(got[1].message.retain);
    net.Add("later", Config("later"));
    net.Open("later");
    SubscribeAndWait(net, "later", {{"state/#", 0}});
    EXPECT_TRUE(net.EventsOf("later", Kind::MessageReceived).empty());
}

TEST(MqttClientBroker, OverlappingSubscriptionsDeliverOnceAtTheHighestQos)
{
    Harness net;
    net.Add("sub", Config("sub"));
    net.Add("pub", Config("pub"));
    net.Open("sub");
    net.Open("pub");
    SubscribeAndWait(net, "sub", {{"a/+", 0}, {"a/#", 1}, {"a/b", 0}, {"#", 0}});
    net["pub"].client->Publish(net.now, "a/b", Text("x"), 1);
    net["pub"].client->Publish(net.now, "$SYS/x", Text("y"), 1); // '#' does not match '$'
    net.Pump();
    const auto got = net.EventsOf("sub", Kind::MessageReceived);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].message.qos, 1);
    // Granted QoS is capped at the broker's maximum (1).
    ASSERT_TRUE(net["sub"].client->Subscribe(net.now, {{"q2", 2}}).ok);
    net.Pump();
    EXPECT_EQ(net.EventsOf("sub", Kind::Subscribed).back().returnCodes, std::vector<uint8_t>{1});
}

TEST(MqttClientBroker, UnsubscribeStopsDelivery)
{
    Harness net;
    net.Add("sub", Config("sub"));
    net.Add("pub", Config("pub"));
    net.Open("sub");
    net.Open("pub");
    SubscribeAndWait(net, "sub", {{"t", 0}});
    ASSERT_TRUE(net["sub"].client->Unsubscribe(net.now, {"t"}).ok);
    net.Pump();
    EXPECT_EQ(net.EventsOf("sub", Kind::Unsubscribed).size(), 1u);
    net["pub"].client->Publish(net.now, "t", Text("x"), 0);
    net.Pump();
    EXPECT_TRUE(net.EventsOf("sub", Kind::MessageReceived).empty());
}

TEST(MqttClientBroker, ConnackRefusals)
{
    BrokerConfig cfg;
    cfg.allowAnonymous = false;
    cfg.passwords = {{"meter", "secret"}};
    Harness net(cfg);
    ClientConfig good = Config("g");
    good.userName = "meter";
    good.password = Text("secret");
    ClientConfig wrong = good;
    wrong.clientId = "w";
    wrong.password = Text("guess");
    ClientConfig anonymous = Config("a");
    net.Add("good", good);
    net.Add("wrong", wrong);
    net.Add("anonymous", anonymous);
    net.Open("good");
    net.Open("wrong");
    net.Open("anonymous");
    EXPECT_EQ(net["good"].client->GetState(), ClientState::Connected);
    const auto w = net.EventsOf("wrong", Kind::ConnectionLost);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].refusal, ConnectReturnCode::BadUserNameOrPassword);
    const auto a = net.EventsOf("anonymous", Kind::ConnectionLost);
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].refusal, ConnectReturnCode::NotAuthorized);
    EXPECT_EQ(net.broker.GetCounters().connectionsRefused, 2u);
}

/// Feeds hand-written bytes to a fresh broker connection; returns the broker's actions.
std::vector<BrokerAction>
RawSession(Broker& broker, const std::vector<std::string>& chunks)
{
    const ConnectionId c = broker.Open(0);
    for (const std::string& hex : chunks)
    {
        const Bytes b = Hex(hex);
        broker.Receive(c, 0, b.data(), b.size());
    }
    return broker.TakeActions();
}

const std::string kConnect = "10 0d 00 04 4d 51 54 54 04 02 00 00 00 01 63"; // client "c"

TEST(MqttClientBroker, BrokerAnswersRefusalsAndClosesOnViolations)
{
    struct Case
    {
        std::vector<std::string> chunks;
        std::string connack; ///< hex of the CONNACK expected first, or "" for none
        std::string reason;  ///< substring of the close reason
    };

    const std::vector<Case> cases = {
        // MQTT 5.0 CONNECT: CONNACK 0x01 [MQTT-3.1.2-2].
        {{"10 0e 00 04 4d 51 54 54 05 02 00 00 00 00 01 63"}, "20 02 00 01", "level 5"},
        // MQTT 3.1: unknown protocol name, closed without CONNACK.
        {{"10 0e 00 06 4d 51 49 73 64 70 03 02 00 00 00 00"}, "", "MQIsdp"},
        // Empty client id with CleanSession = 0: CONNACK 0x02 [MQTT-3.1.3-8].
        {{"10 0c 00 04 4d 51 54 54 04 00 00 00 00 00"}, "20 02 00 02", "identifier"},
        {{"c0 00"}, "", "before CONNECT"},
        {{"30 03 00 01 74"}, "", "before CONNECT"},
        {{kConnect, kConnect}, "20 02 00 00", "second CONNECT"},
        {{kConnect, "20 02 00 00"}, "20 02 00 00", "CONNACK is sent by servers only"},
        {{kConnect, "d0 00"}, "20 02 00 00", "PINGRESP is sent by servers only"},
        {{kConnect, "50 02 00 01"}, "20 02 00 00", "PUBREC for a QoS 2 message"},
        {{kConnect, "80 06 00 01 00 01 61 00"}, "20 02 00 00", "reserved flag bits"},
        {{kConnect, "82 02 00 01"}, "20 02 00 00", "no topic filter"},
        {{kConnect, "30 05 00 03 61 2f 23"}, "20 02 00 00", "wildcard"},
        {{"10 0c 00 04 4d 51 54 54 04 03 00 00 00 00"}, "", "reserved connect flag"},
    };
    for (const Case& c : cases)
    {
        Broker broker;
        const std::vector<BrokerAction> actions = RawSession(broker, c.chunks);
        ASSERT_FALSE(actions.empty()) << c.chunks[0];
        size_t i = 0;
        if (!c.connack.empty())
        {
            ASSERT_EQ(actions[0].kind, BrokerAction::Kind::Send) << c.chunks[0];
            EXPECT_EQ(mqtttest::ToHex(actions[0].packet.bytes), c.connack) << c.chunks[0];
            i = 1;
        }
        ASSERT_EQ(actions.size(), i + 1) << c.chunks.back();
        EXPECT_EQ(actions[i].kind, BrokerAction::Kind::Close);
        EXPECT_NE(actions[i].reason.find(c.reason), std::string::npos)
            << c.chunks.back() << ": " << actions[i].reason;
        EXPECT_EQ(broker.OpenConnections(), 0u);
    }
}

TEST(MqttClientBroker, NothingAfterARefusedConnectIsProcessed)
{
    Broker broker;
    // CONNECT with MQTT 5.0 level followed, in the same bytes, by a PUBLISH.
    const auto actions
        = RawSession(broker, {"10 0e 00 04 4d 51 54 54 05 02 00 00 00 00 01 63 30 03 00 01 74"});
    ASSERT_EQ(actions.size(), 2u);
    EXPECT_EQ(actions[1].kind, BrokerAction::Kind::Close);
    EXPECT_EQ(broker.GetCounters().publishesReceived, 0u); // [MQTT-3.1.4-5]
}

TEST(MqttClientBroker, ConnectionWithoutConnectIsClosedAfterTheTimeout)
{
    BrokerConfig cfg;
    cfg.connectTimeout = SecondsToNs(5);
    Broker broker(cfg);
    const ConnectionId c = broker.Open(SecondsToNs(1));
    EXPECT_EQ(broker.NextTimer(), SecondsToNs(6));
    broker.OnTimer(SecondsToNs(5));
    EXPECT_TRUE(broker.IsOpen(c));
    broker.OnTimer(SecondsToNs(6));
    EXPECT_FALSE(broker.IsOpen(c));
    const auto actions = broker.TakeActions();
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_NE(actions[0].reason.find("no CONNECT"), std::string::npos);
    EXPECT_FALSE(broker.NextTimer().has_value());
}

TEST(MqttClientBroker, BrokerReceivesQos2OnceWithMethodB)
{
    Broker broker;
    auto actions
        = RawSession(broker, {kConnect, "34 06 00 01 74 00 05 78", "3c 06 00 01 74 00 05 78",
                              "62 02 00 05", "34 06 00 01 74 00 05 79"});
    std::vector<std::string> sent;
    for (const BrokerAction& a : actions)
    {
        sent.push_back(mqtttest::ToHex(a.packet.bytes));
    }
    EXPECT_EQ(sent, (std::vector<std::string>{"20 02 00 00", "50 02 00 05", "50 02 00 05",
                                              "70 02 00 05", "50 02 00 05"}));
    EXPECT_EQ(broker.GetCounters().messagesReceived, 2u); // x once, then y as new
    EXPECT_EQ(broker.GetTopicCounters("t")->duplicates, 1u);
}

TEST(MqttClientBroker, ServerApplicationPublishesToADevice)
{
    Harness net;
    net.Add("dev", Config("dev"));
    net.Open("dev");
    SubscribeAndWait(net, "dev", {{"cmd/dev", 1}});
    PublishPacket cmd;
    cmd.topic = "cmd/dev";
    cmd.payload = Text("reboot");
    cmd.qos = 1;
    EXPECT_TRUE(net.broker.Publish(net.now, cmd));
    cmd.topic = "bad/#";
    EXPECT_FALSE(net.broker.Publish(net.now, cmd));
    net.Pump();
    const auto got = net.EventsOf("dev", Kind::MessageReceived);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].message.payload, Text("reboot"));
}

} // namespace
