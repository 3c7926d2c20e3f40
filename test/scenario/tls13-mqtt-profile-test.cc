// Simulated runs with the tls13-mqtt profile: MQTT 3.1.1 over the project's TLS 1.3 core over
// ns-3 TCP, on the star and on an NB-IoT cell. Every report arrives; each application record
// costs what the TLS 1.3 record layer adds to it (5-byte header, 1-byte inner content type,
// 8-byte CCM-8 tag); one 1-RTT handshake per device; runs are reproducible byte for byte.
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

/// TLSCiphertext with TLS_AES_128_CCM_8_SHA256 (RFC 8446 section 5.2): header, content type, tag.
constexpr uint64_t kRecordOverhead = 5 + 1 + 8;

/// What every loss-free tls13-mqtt run must show, on any network. exactBytes: the link carries
/// each byte once, one frame per TCP segment (the star's generic link; an NB-IoT cell repeats
/// and segments at the radio, so its per-layer totals and rows are not the endpoints' bytes).
void
ExpectEveryReportOverOneHandshakePerDevice(const nlohmann::json& s, const std::string& dir,
                                           bool exactBytes)
{
    const uint64_t devices = s["devices"];
    const uint64_t sent = s["messages"]["sent"];
    ASSERT_GT(sent, devices);
    EXPECT_EQ(U(s["messages"]["delivered"]), sent);
    EXPECT_EQ(U(s["messages"]["completions"]["response"]), sent); // every PUBACK came
    EXPECT_EQ(U(s["mqtt"]["connections_opened"]), devices);
    EXPECT_EQ(U(s["mqtt"]["broker"]["messages_received"]), sent);
    const auto& h = s["handshakes"];
    EXPECT_EQ(U(h["started"]), devices);
    EXPECT_EQ(U(h["completed"]), devices);
    EXPECT_EQ(U(h["full"]), devices);
    EXPECT_EQ(U(h["failed"]), 0u);
    // ClientHello / ServerHello..Finished, then the client's Finished: one round trip.
    EXPECT_DOUBLE_EQ(h["round_trips_per_handshake"].get<double>(), 1.0);
    EXPECT_GT(h["bytes_per_handshake"].get<double>(), 0.0);
    auto rows = ReadCsv(dir + "/messages.csv");
    const size_t protocol = ColumnIndex(rows[0], "protocol");
    for (size_t i = 1; i < rows.size(); ++i)
    {
        EXPECT_EQ(rows[i][protocol], "mqtt+tls13");
    }
    if (!exactBytes)
    {
        return;
    }

    // The bytes of each layer on the air: app and MQTT exactly what the endpoints wrote.
    const auto& total = s["bytes"]["by_layer_total"];
    const uint64_t payload = 50;
    EXPECT_EQ(U(total["app"]), sent * payload);
    EXPECT_EQ(U(total["coap"]),
              U(s["mqtt"]["bytes_sent"]) - sent * payload + U(s["mqtt"]["broker"]["bytes_sent"]));
    EXPECT_EQ(U(s["bytes"]["on_air_total"]), U(total["app"]) + U(total["coap"])
                                                 + U(total["security"]) + U(total["transport"])
                                                 + U(total["ip"]) + U(total["radio"]));

    // A report that did not wait for the connection: its PUBLISH is one record, whose security
    // bytes are what TLS 1.3 adds (the broker's PUBACK is not counted in the report's row).
    const size_t hs = ColumnIndex(rows[0], "handshake");
    const size_t requestSecurity = ColumnIndex(rows[0], "request_security_bytes");
    uint64_t plain = 0;
    for (size_t i = 1; i < rows.size(); ++i)
    {
        if (rows[i][hs] == "full")
        {
            continue;
        }
        ++plain;
        EXPECT_EQ(std::stoull(rows[i][requestSecurity]), kRecordOverhead) << "row " << i;
    }
    EXPECT_EQ(plain, sent - devices);
}

} // namespace

TEST(Tls13MqttProfile, RunsOnTheStar)
{
    const std::string dir = OutDir("tls13-mqtt-star");
    auto s
        = RunScenario(
              SmallScenario({"security.profile=tls13-mqtt", "link.kind=lpwan", "link.loss=0"}), dir)
              .summary;
    ExpectEveryReportOverOneHandshakePerDevice(s, dir, true);
}

TEST(Tls13MqttProfile, RunsOnANbIotCellWithEnergy)
{
    const std::string dir = OutDir("tls13-mqtt-cell");
    auto s = RunScenario(SmallScenario(
                             {"security.profile=tls13-mqtt", "link.kind=nbiot", "devices.count=5"}),
                         dir)
                 .summary;
    ExpectEveryReportOverOneHandshakePerDevice(s, dir, false);
    EXPECT_GT(s["energy"]["total_j"].get<double>(), 0.0);
    EXPECT_GT(s["energy"]["mcu_j"].get<double>(), 0.0);
    EXPECT_GT(s["battery_life_years"]["mean"].get<double>(), 0.0);
    // The handshake's X25519, counted in the stack on every device: the key share and the
    // shared secret.
    auto energy = ReadCsv(dir + "/energy.csv");
    const size_t x25519 = ColumnIndex(energy[0], "x25519");
    for (size_t i = 1; i < energy.size(); ++i)
    {
        EXPECT_EQ(energy[i][x25519], "2") << "device row " << i;
    }
}

TEST(Tls13MqttProfile, TheServerCertificateAuthenticatesWithoutAPsk)
{
    const std::string dir = OutDir("tls13-mqtt-certificates");
    auto psk = RunScenario(SmallScenario({"security.profile=tls13-mqtt", "link.loss=0"}),
                           OutDir("tls13-mqtt-psk"))
                   .summary;
    auto certificates = RunScenario(SmallScenario({"security.profile=tls13-mqtt", "link.loss=0",
                                                   "tls.authentication=certificates"}),
                                    dir)
                            .summary;
    ExpectEveryReportOverOneHandshakePerDevice(certificates, dir, true);
    EXPECT_GT(certificates["handshakes"]["bytes_per_handshake"].get<double>(),
              psk["handshakes"]["bytes_per_handshake"].get<double>() + 300);
}

TEST(Tls13MqttProfile, TwoRunsAreByteIdentical)
{
    const std::vector<std::string> keys
        = {"security.profile=tls13-mqtt", "link.kind=nbiot", "devices.count=5"};
    const std::string a = OutDir("tls13-mqtt-determinism-a");
    const std::string b = OutDir("tls13-mqtt-determinism-b");
    RunScenario(SmallScenario(keys), a);
    RunScenario(SmallScenario(keys), b);
    for (const char* trace : {"summary.json", "messages.csv", "energy.csv"})
    {
        const std::string first = ReadFile(a + "/" + trace);
        EXPECT_FALSE(first.empty()) << trace;
        EXPECT_EQ(first, ReadFile(b + "/" + trace)) << trace;
    }
}

TEST(Tls13MqttProfile, TcpRecoversLossWithoutTlsRetransmissions)
{
    auto s = RunScenario(SmallScenario({"security.profile=tls13-mqtt", "link.loss=0.15"}),
                         OutDir("tls13-mqtt-loss"))
                 .summary;
    EXPECT_EQ(U(s["messages"]["delivered"]), U(s["messages"]["sent"]));
    EXPECT_GT(U(s["retransmissions"]["total"]), 0u);
    EXPECT_EQ(U(s["handshakes"]["retransmitted_flights"]["total"]), 0u);
}
