// End-to-end invariants of simulated runs: conservation of messages, monotone effects of loss,
// byte accounting that adds up, and the keys ../shared/CLI.md promises.
#include "scenario-run-fixture.h"

#include <gtest/gtest.h>

using namespace lpwantest;

TEST(SimulationInvariants, SummaryHasTheContractKeys)
{
    std::string dir = OutDir("contract-keys");
    auto out = RunScenario(SmallScenario(), dir);
    const auto& s = out.summary;
    for (const char* key : {"seed", "run", "devices"})
    {
        ASSERT_TRUE(s.contains(key)) << key;
        EXPECT_TRUE(s[key].is_number()) << key;
    }
    EXPECT_EQ(s["security"]["profile"], "none");
    for (const char* key : {"sent", "delivered", "lost"})
    {
        EXPECT_TRUE(s["messages"][key].is_number()) << key;
    }
    EXPECT_TRUE(s["retransmissions"]["total"].is_number());
    for (const char* key : {"mean", "p50", "p95"})
    {
        EXPECT_TRUE(s["latency_s"][key].is_number()) << key;
    }
    EXPECT_TRUE(s["bytes"]["on_air_per_delivered_message"].is_number());
    for (const char* layer : {"app", "coap", "security", "transport", "ip", "radio"})
    {
        EXPECT_TRUE(s["bytes"]["by_layer"][layer].is_number()) << layer;
    }
    for (const char* file : {"summary.json", "messages.csv", "perf.json"})
    {
        EXPECT_TRUE(std::filesystem::exists(dir + "/" + file)) << file;
    }
}

TEST(SimulationInvariants, DeliveredPlusLostEqualsSent)
{
    for (const char* loss : {"0", "0.1", "0.5", "0.9"})
    {
        auto out = RunScenario(SmallScenario({std::string("link.loss=") + loss}),
                               OutDir(std::string("conservation-") + loss));
        const auto& m = out.summary["messages"];
        EXPECT_GT(m["sent"].get<uint64_t>(), 200u);
        EXPECT_EQ(m["delivered"].get<uint64_t>() + m["lost"].get<uint64_t>(),
                  m["sent"].get<uint64_t>())
            << "loss " << loss;
    }
}

TEST(SimulationInvariants, LosslessLinkNeedsNoRetransmission)
{
    // ACK_TIMEOUT above the round trip (2 x 1 s + transmission times): nothing fires early.
    auto out
        = RunScenario(SmallScenario({"link.loss=0", "coap.ack_timeout_s=4"}), OutDir("lossless"));
    const auto& s = out.summary;
    EXPECT_EQ(s["messages"]["lost"], 0);
    EXPECT_EQ(s["retransmissions"]["total"], 0);
    EXPECT_EQ(s["messages"]["delivered"], s["messages"]["sent"]);
    // One-way: 1 s delay + (50 app + 4 CoAP header + 4 token + 2 Uri-Path + 1 marker + 8 UDP +
    // 20 IP + radio) bytes at 20 kbit/s, plus the backhaul: a little above 1 s.
    EXPECT_GT(s["latency_s"]["p50"].get<double>(), 1.0);
    EXPECT_LT(s["latency_s"]["p95"].get<double>(), 1.1);
}

TEST(SimulationInvariants, MoreLossMeansMoreRetransmissionsAndLatency)
{
    auto low
        = RunScenario(SmallScenario({"link.loss=0.05", "coap.ack_timeout_s=4"}), OutDir("loss-low"))
              .summary;
    auto high
        = RunScenario(SmallScenario({"link.loss=0.3", "coap.ack_timeout_s=4"}), OutDir("loss-high"))
              .summary;
    EXPECT_GT(high["retransmissions"]["total"].get<uint64_t>(),
              low["retransmissions"]["total"].get<uint64_t>());
    EXPECT_GT(high["latency_s"]["mean"].get<double>(), low["latency_s"]["mean"].get<double>());
    EXPECT_GT(high["bytes"]["on_air_per_delivered_message"].get<double>(),
              low["bytes"]["on_air_per_delivered_message"].get<double>());
    EXPECT_LE(high["messages"]["delivered"].get<uint64_t>(),
              low["messages"]["delivered"].get<uint64_t>());
}

TEST(SimulationInvariants, MessageRowsAddUpToTheSummary)
{
    std::string dir = OutDir("rows-add-up");
    auto s = RunScenario(SmallScenario({"link.loss=0.2"}), dir).summary;
    auto rows = ReadCsv(dir + "/messages.csv");
    ASSERT_GT(rows.size(), 1u);
    const auto& header = rows[0];
    size_t outcome = ColumnIndex(header, "outcome");
    size_t airTotal = ColumnIndex(header, "air_total_bytes");
    size_t app = ColumnIndex(header, "request_app_bytes");
    size_t retx = ColumnIndex(header, "retransmissions");
    uint64_t delivered = 0;
    uint64_t air = 0;
    uint64_t retransmissions = 0;
    for (size_t i = 1; i < rows.size(); ++i)
    {
        ASSERT_EQ(rows[i].size(), header.size()) << "row " << i;
        delivered += rows[i][outcome] == "delivered";
        air += std::stoull(rows[i][airTotal]);
        retransmissions += std::stoull(rows[i][retx]);
        EXPECT_EQ(rows[i][app], "50") << "row " << i;
    }
    EXPECT_EQ(rows.size() - 1, s["messages"]["sent"].get<uint64_t>());
    EXPECT_EQ(delivered, s["messages"]["delivered"].get<uint64_t>());
    EXPECT_EQ(retransmissions, s["retransmissions"]["requests"].get<uint64_t>());
    EXPECT_EQ(air + s["bytes"]["unattributed_total"].get<uint64_t>(),
              s["bytes"]["on_air_total"].get<uint64_t>());
    // Per-layer figures add up to the per-message total.
    double sum = 0;
    for (const auto& [layer, v] : s["bytes"]["by_layer"].items())
    {
        sum += v.get<double>();
    }
    EXPECT_NEAR(sum, s["bytes"]["on_air_per_delivered_message"].get<double>(), 1e-6);
}

TEST(SimulationInvariants, RequestBytesPerLayerComeFromTheRealEncoding)
{
    std::string dir = OutDir("request-layers");
    RunScenario(SmallScenario({"link.loss=0"}), dir);
    auto rows = ReadCsv(dir + "/messages.csv");
    ASSERT_GT(rows.size(), 1u);
    const auto& h = rows[0];
    const auto& r = rows[1];
    EXPECT_EQ(r[ColumnIndex(h, "request_app_bytes")], "50");
    // 4 header + 4 token + 2 (Uri-Path "r") + 1 payload marker
    EXPECT_EQ(r[ColumnIndex(h, "request_coap_bytes")], "11");
    EXPECT_EQ(r[ColumnIndex(h, "request_security_bytes")], "0");
    EXPECT_EQ(r[ColumnIndex(h, "request_transport_bytes")], "8");
    EXPECT_EQ(r[ColumnIndex(h, "request_ip_bytes")], "20");
    EXPECT_GT(std::stoi(r[ColumnIndex(h, "request_radio_bytes")]), 0);
}

TEST(SimulationInvariants, NonConfirmableReportsAreNeverRetransmitted)
{
    auto s
        = RunScenario(SmallScenario({"traffic.type=non", "link.loss=0.2"}), OutDir("non")).summary;
    EXPECT_EQ(s["retransmissions"]["requests"], 0);
    EXPECT_LT(s["messages"]["delivered"].get<uint64_t>(), s["messages"]["sent"].get<uint64_t>());
}

TEST(SimulationInvariants, SeparateResponsesComplete)
{
    auto s = RunScenario(SmallScenario({"server.processing_delay_s=5", "link.loss=0"}),
                         OutDir("separate"))
                 .summary;
    EXPECT_EQ(s["messages"]["lost"], 0);
    EXPECT_EQ(s["messages"]["completions"]["response"], s["messages"]["sent"]);
}

TEST(SimulationInvariants, AlohaCollisionsLoseFrames)
{
    // 300 meters every 60 s on a slow uplink: overlapping transmissions are frequent.
    auto s = RunScenario(SmallScenario({"link.medium=aloha", "link.loss=0", "devices.count=300",
                                        "traffic.interval_s=60", "simulation.duration_s=600",
                                        "link.uplink_rate_bps=2000"}),
                         OutDir("aloha"))
                 .summary;
    EXPECT_GT(s["frames"]["lost_by_reason"]["collision"].get<uint64_t>(), 0u);
    EXPECT_GT(s["retransmissions"]["total"].get<uint64_t>(), 0u);
}
