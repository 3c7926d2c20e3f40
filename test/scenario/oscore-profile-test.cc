// Simulated runs with security.profile=oscore: every exchange is protected end to end, the
// OSCORE bytes form their own layer, and the counters say what the endpoints verified.
#include "scenario-run-fixture.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace lpwantest;

TEST(OscoreProfile, EveryExchangeIsProtectedAndVerified)
{
    auto out = RunScenario(SmallScenario({"security.profile=oscore"}), OutDir("oscore-profile"));
    const auto& s = out.summary;
    EXPECT_EQ(s["security"]["profile"], "oscore");
    const uint64_t sent = s["messages"]["sent"];
    const uint64_t delivered = s["messages"]["delivered"];
    EXPECT_GT(sent, 200u);
    EXPECT_EQ(delivered + s["messages"]["lost"].get<uint64_t>(), sent);

    const auto& o = s["oscore"];
    // Each report is protected once (retransmissions repeat the same bytes)...
    EXPECT_EQ(o["requests_protected"], sent);
    // ...and the server verifies exactly the reports it delivers: CoAP deduplicates
    // retransmissions before OSCORE sees them, so nothing looks like a replay.
    EXPECT_EQ(o["server_received"]["verified"], delivered);
    EXPECT_EQ(o["server_received"]["verified"], o["responses_protected"]);
    for (const char* bad : {"replayed", "forged", "undecryptable", "malformed", "not_oscore"})
    {
        EXPECT_EQ(o["server_received"][bad], 0) << bad;
        EXPECT_EQ(o["devices_received"][bad], 0) << bad;
    }
    EXPECT_EQ(o["devices_received"]["verified"], s["messages"]["completions"]["response"]);

    // Response without Partial IV: empty OSCORE option (1) + inner code (1) + tag (8) and the
    // payload marker of the ciphertext (1) (RFC 8613 section 6 and C.7).
    EXPECT_DOUBLE_EQ(o["overhead_bytes"]["per_response"].get<double>(), 11.0);
    // Request: at least option header, flags, 1-byte Partial IV, inner code and the tag.
    EXPECT_GE(o["overhead_bytes"]["per_request"].get<double>(), 12.0);
    EXPECT_GT(s["bytes"]["by_layer"]["security"].get<double>(), 0.0);
}

TEST(OscoreProfile, PerMessageSecurityBytesMatchTheReportedOverhead)
{
    std::string dir = OutDir("oscore-profile-csv");
    auto out = RunScenario(SmallScenario({"security.profile=oscore"}), dir);
    auto rows = ReadCsv(dir + "/messages.csv");
    ASSERT_GT(rows.size(), 1u);
    size_t protocol = ColumnIndex(rows[0], "protocol");
    size_t requestSecurity = ColumnIndex(rows[0], "request_security_bytes");
    double sum = 0;
    for (size_t i = 1; i < rows.size(); ++i)
    {
        EXPECT_EQ(rows[i][protocol], "coap+oscore");
        sum += std::stod(rows[i][requestSecurity]);
    }
    double mean = sum / static_cast<double>(rows.size() - 1);
    EXPECT_NEAR(mean, out.summary["oscore"]["overhead_bytes"]["per_request"].get<double>(), 1e-9);
}

TEST(OscoreProfile, CostsMoreBytesThanNoSecurityOnTheSameLink)
{
    auto none = RunScenario(SmallScenario({"link.loss=0", "coap.ack_timeout_s=4"}),
                            OutDir("oscore-vs-none-none"));
    auto oscore = RunScenario(
        SmallScenario({"link.loss=0", "coap.ack_timeout_s=4", "security.profile=oscore"}),
        OutDir("oscore-vs-none-oscore"));
    const auto& n = none.summary["bytes"]["by_layer"];
    const auto& o = oscore.summary["bytes"]["by_layer"];
    EXPECT_EQ(n["security"], 0.0);
    // Lossless: one request and one response per report, so the difference per delivered
    // report is exactly one request's plus one response's OSCORE overhead.
    const auto& ov = oscore.summary["oscore"]["overhead_bytes"];
    double expected = ov["per_request"].get<double>() + ov["per_response"].get<double>();
    EXPECT_NEAR(o["security"].get<double>() + o["coap"].get<double>() - n["coap"].get<double>(),
                expected, 1e-6);
    EXPECT_DOUBLE_EQ(o["app"].get<double>(), n["app"].get<double>());
    EXPECT_GT(oscore.summary["bytes"]["on_air_per_delivered_message"].get<double>(),
              none.summary["bytes"]["on_air_per_delivered_message"].get<double>());
}
