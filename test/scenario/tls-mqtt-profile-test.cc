// Simulated runs with the tls-mqtt profile: MQTT 3.1.1 over TLS 1.2 over ns-3 TCP. Each device
// keeps one connection; every byte on the air is attributed to its layer although TCP cuts the
// stream where it likes; TCP recovers loss; a lost NAT binding costs a reconnection with an
// abbreviated handshake unless keep-alive holds the binding open; a hopeless link fails
// cleanly.
#include "scenario-run-fixture.h"

#include <gtest/gtest.h>

using namespace lpwantest;

namespace
{

uint64_t
U(const nlohmann::json& v)
{
    return v.get<uint64_t>();
}

/// Loss-free run: the bytes of each layer on the air equal what the endpoints wrote.
void
ExpectExactLayerBytes(const nlohmann::json& s, uint64_t payloadBytes)
{
    const auto& total = s["bytes"]["by_layer_total"];
    const auto& mqtt = s["mqtt"];
    const uint64_t sent = s["messages"]["sent"];
    EXPECT_EQ(U(total["app"]), sent * payloadBytes);
    // MQTT layer: every byte both MQTT endpoints wrote, except the reports' payload.
    EXPECT_EQ(U(total["coap"]),
              U(mqtt["bytes_sent"]) - sent * payloadBytes + U(mqtt["broker"]["bytes_sent"]));
    // One IPv4 header (20 bytes) per frame: every frame is a TCP segment.
    EXPECT_EQ(U(total["ip"]), 20 * U(s["frames"]["on_air"]));
    // At least a 20-byte TCP header per segment.
    EXPECT_GE(U(total["transport"]), 20 * U(s["frames"]["on_air"]));
    EXPECT_GT(U(total["security"]), 0u);
    EXPECT_EQ(U(s["bytes"]["on_air_total"]), U(total["app"]) + U(total["coap"])
                                                 + U(total["security"]) + U(total["transport"])
                                                 + U(total["ip"]) + U(total["radio"]));
}

} // namespace

TEST(TlsMqttProfile, OneConnectionPerDeviceCarriesEveryReport)
{
    std::string dir = OutDir("tls-mqtt-once");
    auto out = RunScenario(SmallScenario({"security.profile=tls-mqtt", "link.loss=0"}), dir);
    const auto& s = out.summary;
    const uint64_t devices = s["devices"];
    const uint64_t sent = s["messages"]["sent"];
    ASSERT_GT(sent, devices);
    EXPECT_EQ(U(s["messages"]["delivered"]), sent);
    EXPECT_EQ(U(s["messages"]["completions"]["response"]), sent); // every PUBACK came
    EXPECT_EQ(U(s["mqtt"]["connections_opened"]), devices);
    EXPECT_EQ(U(s["mqtt"]["publishes_sent"]), sent);
    EXPECT_EQ(U(s["mqtt"]["publish_retransmissions"]), 0u);
    EXPECT_EQ(U(s["mqtt"]["broker"]["messages_received"]), sent);
    // "meters/N" and "meters/NN": 14 or 15 bytes of MQTT per PUBLISH.
    EXPECT_GE(s["mqtt"]["header_bytes_per_publish"].get<double>(), 14.0);
    EXPECT_LE(s["mqtt"]["header_bytes_per_publish"].get<double>(), 15.0);
    EXPECT_FALSE(s.contains("coap"));
    const auto& h = s["handshakes"];
    EXPECT_EQ(U(h["started"]), devices);
    EXPECT_EQ(U(h["completed"]), devices);
    EXPECT_EQ(U(h["full"]), devices);
    // TLS 1.2 PSK: ClientHello / ServerHello..Done / ClientKeyExchange..Finished /
    // ChangeCipherSpec..Finished: two round trips.
    EXPECT_DOUBLE_EQ(h["round_trips_per_handshake"].get<double>(), 2.0);
    EXPECT_EQ(U(s["retransmissions"]["total"]), 0u);
    ExpectExactLayerBytes(s, 50);

    // Per message: the first report of each device waited for the connection and owns its
    // handshake (TCP's SYN exchange, TLS, MQTT CONNECT/CONNACK); the others own none.
    auto rows = ReadCsv(dir + "/messages.csv");
    size_t hs = ColumnIndex(rows[0], "handshake");
    size_t hsBytes = ColumnIndex(rows[0], "handshake_air_bytes");
    size_t protocol = ColumnIndex(rows[0], "protocol");
    size_t requestApp = ColumnIndex(rows[0], "request_app_bytes");
    uint64_t full = 0;
    uint64_t handshakeAir = 0;
    for (size_t i = 1; i < rows.size(); ++i)
    {
        EXPECT_EQ(rows[i][protocol], "mqtt+tls");
        EXPECT_EQ(rows[i][requestApp], "50"); // the request is the PUBLISH's segment
        full += rows[i][hs] == "full" ? 1 : 0;
        handshakeAir += std::stoull(rows[i][hsBytes]);
    }
    EXPECT_EQ(full, devices);
    EXPECT_EQ(handshakeAir, U(h["on_air_bytes_total"]));
}

TEST(TlsMqttProfile, ByteTagsFollowTheStreamThroughTcpSegmentation)
{
    // 300-byte reports in 64-byte segments: every PUBLISH spans several segments, some
    // segments carry the end of one TLS record and the start of the next.
    auto out = RunScenario(SmallScenario({"security.profile=tls-mqtt", "link.loss=0",
                                          "traffic.payload_bytes=300", "tcp.segment_size=64"}),
                           OutDir("tls-mqtt-segments"));
    const auto& s = out.summary;
    EXPECT_EQ(U(s["messages"]["delivered"]), U(s["messages"]["sent"]));
    EXPECT_GT(U(s["frames"]["on_air"]), 5 * U(s["messages"]["sent"]));
    ExpectExactLayerBytes(s, 300);
}

TEST(TlsMqttProfile, TcpRecoversLossAndCountsRetransmittedSegments)
{
    auto out = RunScenario(SmallScenario({"security.profile=tls-mqtt", "link.loss=0.15"}),
                           OutDir("tls-mqtt-loss"));
    const auto& s = out.summary;
    EXPECT_EQ(U(s["messages"]["delivered"]), U(s["messages"]["sent"]));
    EXPECT_GT(U(s["retransmissions"]["total"]), 0u);
    EXPECT_GT(s["latency_s"]["p95"].get<double>(), s["latency_s"]["p50"].get<double>());
    // TCP, not TLS, repeats what was lost: TLS never retransmits a flight over a stream.
    EXPECT_EQ(U(s["handshakes"]["retransmitted_flights"]["total"]), 0u);
}

TEST(TlsMqttProfile, ALostNatBindingCostsAReconnectionWithAnAbbreviatedHandshake)
{
    // Reports every 600 s, no keep-alive, NAT bindings forgotten after 120 s: every report
    // after the first needs a new connection.
    for (bool resumption : {true, false})
    {
        auto out = RunScenario(
            SmallScenario({"security.profile=tls-mqtt", "link.loss=0", "mqtt.keep_alive_s=0",
                           "link.nat_binding_timeout_s=120",
                           std::string("tls.resumption=") + (resumption ? "true" : "false")}),
            OutDir(std::string("tls-mqtt-nat-") + (resumption ? "resumed" : "full")));
        const auto& s = out.summary;
        const uint64_t sent = s["messages"]["sent"];
        const uint64_t devices = s["devices"];
        const auto& h = s["handshakes"];
        EXPECT_EQ(U(s["messages"]["delivered"]), sent);
        EXPECT_EQ(U(h["nat_rebindings"]), sent - devices);
        EXPECT_EQ(U(s["mqtt"]["connections_opened"]), sent);
        EXPECT_EQ(U(h["completed"]), sent);
        EXPECT_EQ(U(h["abbreviated"]), resumption ? sent - devices : 0u);
        EXPECT_EQ(U(h["full"]), resumption ? devices : sent);
        EXPECT_EQ(U(s["mqtt"]["pings_sent"]), 0u);
    }
}

TEST(TlsMqttProfile, KeepAliveHoldsTheNatBindingAtTheCostOfPings)
{
    auto out
        = RunScenario(SmallScenario({"security.profile=tls-mqtt", "link.loss=0",
                                     "mqtt.keep_alive_s=100", "link.nat_binding_timeout_s=120"}),
                      OutDir("tls-mqtt-keepalive"));
    const auto& s = out.summary;
    const uint64_t devices = s["devices"];
    EXPECT_EQ(U(s["handshakes"]["nat_rebindings"]), 0u);
    EXPECT_EQ(U(s["mqtt"]["connections_opened"]), devices);
    // Reports every 600 s, a PINGREQ after each 100 s of silence.
    EXPECT_GE(U(s["mqtt"]["pings_sent"]), 4 * U(s["messages"]["sent"]));
}

TEST(TlsMqttProfile, QosZeroIsFireAndForget)
{
    auto out
        = RunScenario(SmallScenario({"security.profile=tls-mqtt", "link.loss=0", "mqtt.qos=0"}),
                      OutDir("tls-mqtt-qos0"));
    const auto& s = out.summary;
    const uint64_t sent = s["messages"]["sent"];
    EXPECT_EQ(U(s["messages"]["completions"]["sent"]), sent);
    EXPECT_EQ(U(s["messages"]["delivered"]), sent);
    // No packet identifier at QoS 0: two bytes less per PUBLISH.
    EXPECT_GE(s["mqtt"]["header_bytes_per_publish"].get<double>(), 12.0);
    EXPECT_LE(s["mqtt"]["header_bytes_per_publish"].get<double>(), 13.0);
}

TEST(TlsMqttProfile, CertificatesCostMoreThanPreSharedKeys)
{
    auto psk = RunScenario(SmallScenario({"security.profile=tls-mqtt", "link.loss=0"}),
                           OutDir("tls-mqtt-psk"));
    auto ecdhe = RunScenario(SmallScenario({"security.profile=tls-mqtt", "link.loss=0",
                                            "tls.authentication=certificates"}),
                             OutDir("tls-mqtt-ecdhe"));
    EXPECT_EQ(ecdhe.summary["messages"]["delivered"], ecdhe.summary["messages"]["sent"]);
    EXPECT_GT(ecdhe.summary["handshakes"]["bytes_per_handshake"].get<double>(),
              2 * psk.summary["handshakes"]["bytes_per_handshake"].get<double>());
}

TEST(TlsMqttProfile, AHopelessLinkFailsConnectionsCleanly)
{
    auto out = RunScenario(
        SmallScenario({"security.profile=tls-mqtt", "link.loss=0.8", "devices.count=5"}),
        OutDir("tls-mqtt-hopeless"));
    const auto& s = out.summary;
    EXPECT_EQ(U(s["messages"]["delivered"]) + U(s["messages"]["lost"]), U(s["messages"]["sent"]));
    EXPECT_GT(U(s["messages"]["lost"]), 0u);
    EXPECT_GT(U(s["handshakes"]["failed"]), 0u);
    EXPECT_GT(U(s["mqtt"]["connections_opened"]), U(s["devices"]));
}

TEST(TlsMqttProfile, ScenarioErrorsNameTheKey)
{
    ns3::ScenarioConfig c;
    c.ApplyOverride("security.profile=tls-mqtt");
    c.ApplyOverride("traffic.payload_bytes=2");
    try
    {
        c.ValidateRelations();
        FAIL() << "a 2-byte payload was accepted";
    }
    catch (const ns3::ScenarioError& e)
    {
        EXPECT_NE(std::string(e.what()).find("traffic.payload_bytes"), std::string::npos);
    }
    ns3::ScenarioConfig t;
    t.ApplyOverride("security.profile=tls-mqtt");
    t.ApplyOverride("mqtt.topic=meters/+/{device}");
    EXPECT_THROW(t.ValidateRelations(), ns3::ScenarioError);
}

TEST(TlsMqttProfile, ClosingConnectionsOverALossyLinkStaysBounded)
{
    // Every report reconnects (NAT expiry) over a lossy link: connections end in every state
    // TCP can lose a FIN or an ACK in. The frames on the air stay proportional to the reports
    // (ns-3 3.37 retransmits a FIN forever when both ends close and the last frames are lost;
    // only the server closes, see TlsTcpConnection).
    for (int run = 1; run <= 3; ++run)
    {
        auto out
            = RunScenario(SmallScenario({"security.profile=tls-mqtt", "link.loss=0.2",
                                         "mqtt.keep_alive_s=0", "link.nat_binding_timeout_s=120",
                                         "simulation.run=" + std::to_string(run)}),
                          OutDir("tls-mqtt-closing-" + std::to_string(run)));
        const auto& s = out.summary;
        EXPECT_LT(U(s["frames"]["on_air"]), 40 * U(s["messages"]["sent"])) << "run " << run;
        EXPECT_EQ(U(s["messages"]["delivered"]), U(s["messages"]["sent"])) << "run " << run;
    }
}
