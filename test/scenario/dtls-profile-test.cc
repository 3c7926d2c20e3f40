// Simulated runs with the DTLS profiles: every device handshakes before its first report, the
// handshake's cost is counted per message and in summary.json, a lost NAT binding costs a new
// (abbreviated) handshake, and a link too lossy for a handshake fails it cleanly.
#include "scenario-run-fixture.h"

#include <gtest/gtest.h>

using namespace lpwantest;

TEST(DtlsProfile, EveryDeviceHandshakesOnceWithoutNat)
{
    for (const char* profile : {"dtls-psk", "dtls-ecdhe"})
    {
        std::string dir = OutDir(std::string("dtls-once-") + profile);
        auto out = RunScenario(SmallScenario({std::string("security.profile=") + profile}), dir);
        const auto& s = out.summary;
        const uint64_t devices = s["devices"];
        const auto& h = s["handshakes"];
        EXPECT_EQ(h["started"], devices) << profile;
        EXPECT_EQ(h["completed"], devices) << profile;
        EXPECT_EQ(h["full"], devices) << profile;
        EXPECT_EQ(h["abbreviated"], 0) << profile;
        EXPECT_EQ(h["hello_verify_requests"], devices) << profile;
        // A full handshake with a cookie exchange: HelloVerifyRequest, then two round trips.
        EXPECT_DOUBLE_EQ(h["round_trips_per_handshake"].get<double>(), 3.0) << profile;
        EXPECT_GT(s["bytes"]["by_layer"]["security"].get<double>(), 29.0) << profile;
        EXPECT_EQ(s["messages"]["delivered"].get<uint64_t>()
                      + s["messages"]["lost"].get<uint64_t>(),
                  s["messages"]["sent"].get<uint64_t>());

        // Per message: exactly one report per device waited for a full handshake and carries
        // its flights; the others carry none.
        auto rows = ReadCsv(dir + "/messages.csv");
        size_t hs = ColumnIndex(rows[0], "handshake");
        size_t hsBytes = ColumnIndex(rows[0], "handshake_air_bytes");
        size_t protocol = ColumnIndex(rows[0], "protocol");
        uint64_t full = 0;
        uint64_t handshakeAir = 0;
        for (size_t i = 1; i < rows.size(); ++i)
        {
            EXPECT_EQ(rows[i][protocol], "coaps");
            if (rows[i][hs] == "full")
            {
                ++full;
                EXPECT_GT(std::stoull(rows[i][hsBytes]), 0u);
            }
            else
            {
                EXPECT_EQ(rows[i][hs], "none");
            }
            handshakeAir += std::stoull(rows[i][hsBytes]);
        }
        EXPECT_EQ(full, devices) << profile;
        EXPECT_EQ(handshakeAir, h["on_air_bytes_total"].get<uint64_t>()) << profile;
    }
}

TEST(DtlsProfile, CertificatesCostMoreThanPreSharedKeys)
{
    auto psk = RunScenario(SmallScenario({"security.profile=dtls-psk", "link.loss=0"}),
                           OutDir("dtls-cost-psk"));
    auto ecdhe = RunScenario(SmallScenario({"security.profile=dtls-ecdhe", "link.loss=0"}),
                             OutDir("dtls-cost-ecdhe"));
    double pskBytes = psk.summary["handshakes"]["bytes_per_handshake"];
    double ecdheBytes = ecdhe.summary["handshakes"]["bytes_per_handshake"];
    EXPECT_GT(ecdheBytes, 2 * pskBytes);
}

TEST(DtlsProfile, ALostNatBindingCostsAnAbbreviatedHandshakePerReport)
{
    // Reports every 600 s, NAT bindings forgotten after 120 s: every report after the first
    // finds its binding gone and resumes the session.
    auto out = RunScenario(SmallScenario({"security.profile=dtls-psk", "link.loss=0",
                                          "link.nat_binding_timeout_s=120"}),
                           OutDir("dtls-nat"));
    const auto& s = out.summary;
    const uint64_t sent = s["messages"]["sent"];
    const uint64_t devices = s["devices"];
    const auto& h = s["handshakes"];
    EXPECT_EQ(h["full"], devices);
    EXPECT_EQ(h["abbreviated"], sent - devices);
    EXPECT_EQ(h["nat_rebindings"], sent - devices);
    EXPECT_EQ(s["messages"]["delivered"], sent);

    auto noResume
        = RunScenario(SmallScenario({"security.profile=dtls-psk", "link.loss=0",
                                     "link.nat_binding_timeout_s=120", "dtls.resumption=false"}),
                      OutDir("dtls-nat-noresume"));
    EXPECT_EQ(noResume.summary["handshakes"]["full"], sent);
    EXPECT_GT(noResume.summary["bytes"]["on_air_per_delivered_message"].get<double>(),
              s["bytes"]["on_air_per_delivered_message"].get<double>());
}

TEST(DtlsProfile, LossyLinkRetransmitsFlightsAndHopelessLinkFailsCleanly)
{
    auto lossy = RunScenario(SmallScenario({"security.profile=dtls-psk", "link.loss=0.2",
                                            "dtls.handshake_timeout_min_s=4"}),
                             OutDir("dtls-lossy"));
    const auto& h = lossy.summary["handshakes"];
    EXPECT_GT(h["retransmitted_flights"]["total"].get<uint64_t>(), 0u);
    EXPECT_GT(h["completed"].get<uint64_t>(), 0u);

    auto hopeless = RunScenario(SmallScenario({"security.profile=dtls-psk", "link.loss=0.95",
                                               "dtls.handshake_timeout_max_s=16"}),
                                OutDir("dtls-hopeless"));
    const auto& s = hopeless.summary;
    EXPECT_GT(s["handshakes"]["failed"].get<uint64_t>(), 0u);
    EXPECT_GT(s["messages"]["completions"]["handshake-failed"].get<uint64_t>(), 0u);
    EXPECT_EQ(s["messages"]["delivered"].get<uint64_t>() + s["messages"]["lost"].get<uint64_t>(),
              s["messages"]["sent"].get<uint64_t>());
    EXPECT_EQ(s["messages"]["completions"].value("in-flight", 0), 0)
        << "every report must end: delivered, timed out or its handshake failed";
}
