// security.profile=oscore-dtls, layered security added as one profile file: OSCORE from end to
// end inside DTLS runs on the generic star, on an NB-IoT cell and on a topology, and on a
// topology whose gateways terminate DTLS a compromised gateway reads nothing (unlike dtls-psk).
#include "topology/topology-run-fixture.h"

#include <gtest/gtest.h>

using namespace lpwantest;

namespace
{

/// Both layers ran: every report OSCORE-protected, DTLS handshakes completed, reports delivered.
void
ExpectBothLayers(const nlohmann::json& s)
{
    EXPECT_EQ(s["security"]["profile"], "oscore-dtls");
    const uint64_t sent = s["messages"]["sent"];
    const uint64_t delivered = s["messages"]["delivered"];
    EXPECT_GT(sent, 0u);
    EXPECT_GT(delivered, sent / 2);
    EXPECT_EQ(s["oscore"]["requests_protected"], sent);
    EXPECT_EQ(s["oscore"]["server_received"]["verified"], delivered);
    EXPECT_EQ(s["handshakes"]["protocol"], "dtls");
    EXPECT_GT(s["handshakes"]["completed"].get<uint64_t>(), 0u);
}

} // namespace

TEST(OscoreDtlsProfile, RunsOnTheStar)
{
    auto s = RunScenario(SmallScenario({"security.profile=oscore-dtls", "link.kind=lpwan"}),
                         OutDir("oscore-dtls-star"))
                 .summary;
    ExpectBothLayers(s);
    // Each layer's bytes: more security bytes per report than OSCORE or DTLS alone.
    auto alone = [](const std::string& profile)
    {
        return RunScenario(SmallScenario({"security.profile=" + profile, "link.kind=lpwan"}),
                           OutDir("oscore-dtls-star-" + profile))
            .summary["bytes"]["by_layer"]["security"]
            .get<double>();
    };
    const double layered = s["bytes"]["by_layer"]["security"].get<double>();
    EXPECT_GT(layered, alone("oscore"));
    EXPECT_GT(layered, alone("dtls-psk"));
}

TEST(OscoreDtlsProfile, RunsOnANbIotCellWithEnergy)
{
    auto s = RunScenario(SmallScenario({"security.profile=oscore-dtls", "link.kind=nbiot",
                                        "devices.count=5", "coap.ack_timeout_s=10"}),
                         OutDir("oscore-dtls-cell"))
                 .summary;
    ExpectBothLayers(s);
    EXPECT_GT(s["energy"]["total_j"].get<double>(), 0.0);
    EXPECT_GT(s["battery_life_years"]["mean"].get<double>(), 0.0);
}

TEST(OscoreDtlsProfile, ACompromisedTerminatingGatewayReadsNothing)
{
    auto exposure = [](const std::string& profile)
    {
        return RunScenario(
                   Campus({"security.profile=" + profile, "security.architecture=hop-by-hop",
                           "adversary.nodes=gw2", "adversary.capabilities=eavesdrop,modify"}),
                   OutDir("oscore-dtls-campus-" + profile))
            .summary;
    };
    auto layered = exposure("oscore-dtls");
    ExpectBothLayers(layered);
    EXPECT_GT(layered["exposure"]["messages_seen"].get<uint64_t>(), 0u);
    EXPECT_EQ(layered["exposure"]["plaintext"]["messages"], 0u);
    EXPECT_GT(layered["exposure"]["modifications"]["detected"].get<uint64_t>(), 0u);
    EXPECT_EQ(layered["exposure"]["modifications"]["accepted"], 0u);
    EXPECT_TRUE(layered["exposure"]["prediction"]["matches"].get<bool>());

    // DTLS alone ends at the gateway: the adversary there reads the reports.
    auto dtls = exposure("dtls-psk");
    EXPECT_GT(dtls["exposure"]["plaintext"]["messages"].get<uint64_t>(), 0u);
}
