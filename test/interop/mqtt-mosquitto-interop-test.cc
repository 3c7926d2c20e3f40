/*
 * Our sans-I/O MQTT client, over real TCP (PosixTcpMqttClient), against Debian's mosquitto
 * 2.0 broker and its command-line clients: independent implementations of MQTT 3.1.1.
 *   - a QoS 1 PUBLISH from our client is acknowledged by mosquitto and reaches a live
 *     mosquitto_sub subscription (which had its SUBACK before we published);
 *   - a retained QoS 1 message reaches a mosquitto_sub that subscribes afterwards;
 *   - our client subscribes, receives mosquitto_pub's QoS 1 message and acknowledges it, and
 *     its PINGREQ is answered;
 *   - a QoS 1 message whose PUBACK our client never read is sent again with DUP = 1 after a
 *     reconnection with CleanSession = 0, and mosquitto's own log shows the DUP flag.
 * Each test starts its own mosquitto on 127.0.0.1 on a free port with a temporary
 * configuration (listener PORT 127.0.0.1, allow_anonymous true); every child process is
 * killed on every path (child-process.h). Skipped only when mosquitto is not installed.
 */

#include "interop/mosquitto-broker.h"
#include "interop/spawned-process.h"
#include "posix/posix-tcp-mqtt-client.h"
#include "protocols/mqtt/mqtt-client.h"

#include <gtest/gtest.h>

#include <memory>

namespace
{

using namespace lpwan::mqtt;
using interop::ChildProcess;
using interop::FindExecutable;
using interop::Mosquitto;
using interop::ReadFile;
using lpwan::PosixTcpMqttClient;
using lpwan::SecondsToNs;
using Kind = ClientEvent::Kind;

class MqttInterop : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        const std::string binary = FindExecutable(interop::kMosquittoPaths);
        if (binary.empty())
        {
            GTEST_SKIP() << "mosquitto is not installed (Debian: apt-get install mosquitto "
                            "mosquitto-clients)";
        }
        std::string why;
        ASSERT_TRUE(broker.Start(binary, &why)) << why;
    }

    /// mosquitto_sub / mosquitto_pub, or skip the test.
    std::string Tool(const std::string& name)
    {
        return FindExecutable({"/usr/bin/" + name, "/usr/local/bin/" + name});
    }

    /// A client id that no other run on this machine uses at the same time.
    static std::string Id(const std::string& name)
    {
        return "lpwan-" + name + "-" + std::to_string(getpid());
    }

    /// Polls until an event of kind arrives (returned) or 5 s pass or the stream closes.
    static std::optional<ClientEvent> WaitFor(PosixTcpMqttClient& driver, Kind kind,
                                              std::vector<ClientEvent>* seen = nullptr)
    {
        const lpwan::TimeNs end = driver.Now() + SecondsToNs(5);
        while (driver.Now() < end)
        {
            for (ClientEvent& e : driver.Poll(end))
            {
                if (seen != nullptr)
                {
                    seen->push_back(e);
                }
                if (e.kind == kind)
                {
                    return e;
                }
                if (e.kind == Kind::ConnectionLost)
                {
                    ADD_FAILURE() << "connection lost: " << e.reason;
                    return std::nullopt;
                }
            }
            if (!driver.IsOpen())
            {
                break;
            }
        }
        return std::nullopt;
    }

    /// Waits until the file contains text (5 s at most).
    static bool WaitForText(const std::string& path, const std::string& text)
    {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < end)
        {
            if (ReadFile(path).find(text) != std::string::npos)
            {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    static ClientConfig Config(const std::string& id, bool clean = true)
    {
        ClientConfig c;
        c.clientId = id;
        c.cleanSession = clean;
        c.keepAliveSeconds = 30;
        return c;
    }

    Mosquitto broker;
};

Bytes
Text(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

TEST_F(MqttInterop, OurQos1PublishIsAcknowledgedAndReachesALiveMosquittoSub)
{
    const std::string subTool = Tool("mosquitto_sub");
    if (subTool.empty())
    {
        GTEST_SKIP() << "mosquitto_sub is not installed (apt-get install mosquitto-clients)";
    }
    const std::string topic = "lpwan/interop/" + std::to_string(getpid()) + "/meter1";
    const std::string subOut = broker.File("sub.out");
    const std::string subId = Id("mosquitto-sub");
    // -d prints the exchange; the SUBACK in the broker's (unbuffered) log says when the
    // subscription is in place.
    ChildProcess sub({subTool, "-d", "-i", subId, "-h", "127.0.0.1", "-p",
                      std::to_string(broker.Port()), "-t", topic, "-q", "1", "-C", "1", "-W", "10"},
                     subOut);
    ASSERT_TRUE(WaitForText(broker.LogPath(), "Sending SUBACK to " + subId)) << broker.Log();

    const std::string id = Id("meter1");
    Client client(Config(id));
    PosixTcpMqttClient driver(client);
    driver.Open("127.0.0.1", broker.Port());
    const auto connected = WaitFor(driver, Kind::Connected);
    ASSERT_TRUE(connected.has_value()) << broker.Log();
    EXPECT_FALSE(connected->sessionPresent);

    const RequestResult r = client.Publish(driver.Now(), topic, Text("reading=42"), 1);
    ASSERT_TRUE(r.ok) << r.error;
    const auto acked = WaitFor(driver, Kind::Published);
    ASSERT_TRUE(acked.has_value()) << broker.Log();
    EXPECT_EQ(acked->packetId, r.packetId);
    EXPECT_EQ(acked->transmissions, 1u);

    ASSERT_EQ(sub.Wait(std::chrono::seconds(5)), std::optional<int>(0)) << ReadFile(subOut);
    const std::string out = ReadFile(subOut);
    EXPECT_NE(out.find("received PUBLISH (d0, q1, r0, m1, '" + topic + "', ... (10 bytes))"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("\nreading=42\n"), std::string::npos) << out;

    client.Disconnect(driver.Now());
    driver.Poll(driver.Now());
    EXPECT_FALSE(driver.IsOpen());
    EXPECT_TRUE(WaitForText(broker.LogPath(), "Received DISCONNECT from " + id)) << broker.Log();
    const std::string log = broker.Log();
    EXPECT_NE(log.find("Received PUBLISH from " + id + " (d0, q1, r0, m"
                       + std::to_string(r.packetId) + ", '" + topic + "', ... (10 bytes))"),
              std::string::npos)
        << log;
}

TEST_F(MqttInterop, RetainedQos1MessageReachesALaterMosquittoSub)
{
    const std::string subTool = Tool("mosquitto_sub");
    if (subTool.empty())
    {
        GTEST_SKIP() << "mosquitto_sub is not installed (apt-get install mosquitto-clients)";
    }
    const std::string topic = "lpwan/interop/" + std::to_string(getpid()) + "/state";
    Client client(Config(Id("state")));
    PosixTcpMqttClient driver(client);
    driver.Open("127.0.0.1", broker.Port());
    ASSERT_TRUE(WaitFor(driver, Kind::Connected).has_value()) << broker.Log();
    ASSERT_TRUE(client.Publish(driver.Now(), topic, Text("valve=open"), 1, true).ok);
    ASSERT_TRUE(WaitFor(driver, Kind::Published).has_value()) << broker.Log();

    const std::string subOut = broker.File("retained.out");
    ChildProcess sub({subTool, "-v", "-h", "127.0.0.1", "-p", std::to_string(broker.Port()), "-t",
                      topic, "-C", "1", "-W", "5"},
                     subOut);
    ASSERT_EQ(sub.Wait(std::chrono::seconds(6)), std::optional<int>(0)) << ReadFile(subOut);
    EXPECT_EQ(ReadFile(subOut), topic + " valve=open\n");
}

TEST_F(MqttInterop, OurSubscriberReceivesAndAcknowledgesMosquittoPubQos1)
{
    const std::string pubTool = Tool("mosquitto_pub");
    if (pubTool.empty())
    {
        GTEST_SKIP() << "mosquitto_pub is not installed (apt-get install mosquitto-clients)";
    }
    const std::string topic = "lpwan/interop/" + std::to_string(getpid()) + "/cmd";
    const std::string id = Id("sub");
    Client client(Config(id));
    PosixTcpMqttClient driver(client);
    driver.Open("127.0.0.1", broker.Port());
    ASSERT_TRUE(WaitFor(driver, Kind::Connected).has_value()) << broker.Log();
    // Two filters, one SUBACK; they do not overlap (mosquitto sends one copy per matching
    // subscription, which section 3.3.5 allows).
    ASSERT_TRUE(client.Subscribe(driver.Now(), {{topic, 1}, {topic + "/other/#", 0}}).ok);
    const auto subscribed = WaitFor(driver, Kind::Subscribed);
    ASSERT_TRUE(subscribed.has_value()) << broker.Log();
    EXPECT_EQ(subscribed->returnCodes, (std::vector<uint8_t>{1, 0}));

    ChildProcess pub({pubTool, "-h", "127.0.0.1", "-p", std::to_string(broker.Port()), "-t", topic,
                      "-q", "1", "-m", "open valve 3"},
                     broker.File("pub.out"));
    ASSERT_EQ(pub.Wait(std::chrono::seconds(5)), std::optional<int>(0))
        << ReadFile(broker.File("pub.out"));

    const auto got = WaitFor(driver, Kind::MessageReceived);
    ASSERT_TRUE(got.has_value()) << broker.Log();
    EXPECT_EQ(got->message.topic, topic);
    EXPECT_EQ(got->message.payload, Text("open valve 3"));
    EXPECT_EQ(got->message.qos, 1);
    EXPECT_FALSE(got->message.dup);
    EXPECT_FALSE(got->message.retain);
    EXPECT_TRUE(WaitForText(broker.LogPath(), "Received PUBACK from " + id)) << broker.Log();

    // An explicit PINGREQ is answered.
    ASSERT_TRUE(client.Ping(driver.Now()));
    const lpwan::TimeNs end = driver.Now() + SecondsToNs(5);
    while (client.IsPingOutstanding() && driver.IsOpen() && driver.Now() < end)
    {
        driver.Poll(end);
    }
    EXPECT_FALSE(client.IsPingOutstanding());
    EXPECT_EQ(client.GetState(), ClientState::Connected);
}

TEST_F(MqttInterop, UnacknowledgedQos1IsResentWithDupAfterReconnectingWithASession)
{
    const std::string id = Id("dup");
    const std::string topic = "lpwan/interop/" + std::to_string(getpid()) + "/dup";
    Client client(Config(id, false));
    PosixTcpMqttClient driver(client);
    driver.Open("127.0.0.1", broker.Port());
    ASSERT_TRUE(WaitFor(driver, Kind::Connected).has_value()) << broker.Log();

    // Write the PUBLISH and drop the connection before reading mosquitto's PUBACK.
    const RequestResult r = client.Publish(driver.Now(), topic, Text("t=21.5"), 1);
    ASSERT_TRUE(r.ok);
    driver.Flush();
    driver.Close();
    client.TransportClosed(driver.Now());
    ASSERT_EQ(client.GetState(), ClientState::Disconnected);
    const std::vector<ClientEvent> lost = client.TakeEvents();
    ASSERT_EQ(lost.size(), 1u);
    EXPECT_EQ(lost[0].kind, Kind::ConnectionLost);
    EXPECT_EQ(client.PendingMessages(), 1u); // CleanSession = 0 keeps it

    driver.Open("127.0.0.1", broker.Port());
    const auto connected = WaitFor(driver, Kind::Connected);
    ASSERT_TRUE(connected.has_value()) << broker.Log();
    EXPECT_TRUE(connected->sessionPresent); // mosquitto kept the session
    const auto acked = WaitFor(driver, Kind::Published);
    ASSERT_TRUE(acked.has_value()) << broker.Log();
    EXPECT_EQ(acked->packetId, r.packetId);
    EXPECT_EQ(acked->transmissions, 2u);
    EXPECT_EQ(client.GetCounters().publishRetransmissions, 1u);
    // mosquitto saw the second copy with DUP = 1 and the same packet identifier.
    EXPECT_TRUE(WaitForText(broker.LogPath(), "Received PUBLISH from " + id + " (d1, q1, r0, m"
                                                  + std::to_string(r.packetId) + ", '" + topic))
        << broker.Log();
    client.Disconnect(driver.Now());
    driver.Poll(driver.Now());
}

} // namespace
