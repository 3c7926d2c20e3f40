// Faults inside scenarios (faults.* keys, runner/faults/): a device reboot and a server restart
// cost each profile what its protocols really need to recover -- no more handshakes than devices
// that lost their session, OSCORE through RFC 8613 Appendix B (B.1.1 restored sequence numbers,
// B.2 re-derivation, B.1.2 Echo) -- and nothing replayed is accepted, as the server's own
// verdicts show. Without a fault, summary.json has no faults section (the golden traces check
// that the rest is unchanged).
#include "fault-expectations.h"
#include "faults/fault-plan.h"
#include "profiles/profile-registry.h"
#include "scenario-run-fixture.h"
#include "scenario-validation.h"

#include <gtest/gtest.h>

#include <set>

using namespace lpwantest;

namespace
{

/// 20 meters every 10 min for 2 h on a loss-free star: every count below is exact.
ns3::RunOutcome
RunFault(const std::string& name, const std::vector<std::string>& overrides)
{
    std::vector<std::string> all = {"link.loss=0"};
    all.insert(all.end(), overrides.begin(), overrides.end());
    return RunScenario(SmallScenario(all), OutDir("fault-" + name));
}

const std::vector<std::string> kReboot
    = {"faults.device_reboot_at_s=3600", "faults.device_reboot_fraction=0.5",
       "faults.device_boot_s=10"};
const std::vector<std::string> kRestart = {"faults.server_restart_at_s=3600"};

std::vector<std::string>
With(std::vector<std::string> a, const std::vector<std::string>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

} // namespace

TEST(Faults, NoFaultNoSection)
{
    auto out = RunFault("none", {"security.profile=oscore"});
    EXPECT_FALSE(out.summary.contains("faults"));
}

TEST(Faults, AFaultAfterTheReportsEndIsAnErrorNamingItsKey)
{
    ns3::ScenarioConfig c = SmallScenario({"faults.server_restart_at_s=7200"});
    try
    {
        ns3::ValidateScenario(c);
        FAIL() << "accepted a fault at the end of the run";
    }
    catch (const ns3::ScenarioError& e)
    {
        EXPECT_NE(std::string(e.what()).find("faults.server_restart_at_s"), std::string::npos)
            << e.what();
    }
}

TEST(Faults, ASharePicksDevicesEvenlyWithoutRandomDraws)
{
    EXPECT_EQ(ns3::PickDevices(6, 0.5), (std::vector<uint32_t>{1, 3, 5}));
    EXPECT_EQ(ns3::PickDevices(4, 1.0), (std::vector<uint32_t>{0, 1, 2, 3}));
    EXPECT_EQ(ns3::PickDevices(3, 0.01), (std::vector<uint32_t>{0})); // at least one
    EXPECT_EQ(ns3::PickDevices(10, 0.25).size(), 2u);
}

TEST(Faults, ThePlanListsConfiguredFaultsInTimeOrder)
{
    ns3::ScenarioConfig c
        = SmallScenario({"faults.server_restart_at_s=1000", "faults.server_downtime_s=30",
                         "faults.device_reboot_at_s=2000", "faults.device_reboot_fraction=0.2"});
    const ns3::FaultPlan plan = ns3::FaultPlanOf(c);
    ASSERT_EQ(plan.size(), 2u);
    EXPECT_EQ(plan[0].kind, "server-restart");
    EXPECT_EQ(plan[0].durationS, 30);
    EXPECT_EQ(plan[1].kind, "device-reboot");
    EXPECT_EQ(plan[1].atKey, "faults.device_reboot_at_s");
    EXPECT_DOUBLE_EQ(plan[1].fraction, 0.2);
    EXPECT_TRUE(ns3::FaultPlanOf(SmallScenario()).empty());
}

TEST(Faults, OscoreRebootWithoutStoredSequenceNumbersRederivesAContext)
{
    auto out = RunFault(
        "oscore-b2",
        With({"security.profile=oscore", "faults.persist_sequence_numbers=false"}, kReboot));
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    EXPECT_EQ(f["hit"]["devices"].get<uint64_t>(), 10u);
    // Appendix B.2: each rebooted device runs one re-derivation (request #1 answered by a
    // protected 4.01 carrying R2), and no Echo is needed.
    EXPECT_EQ(f["recovery_traffic"]["rederivations"].get<uint64_t>(), 10u) << f.dump();
    EXPECT_EQ(f["recovery_traffic"]["echo_challenges"].get<uint64_t>(), 0u);
    // The server never saw a Partial IV again under the old keys.
    EXPECT_EQ(out.summary["oscore"]["server_received"]["replayed"].get<uint64_t>(), 0u)
        << out.summary["oscore"].dump();
}

TEST(Faults, OscoreRebootWithStoredSequenceNumbersResumesBeyondThem)
{
    auto out = RunFault(
        "oscore-b11",
        With({"security.profile=oscore", "faults.persist_sequence_numbers=true"}, kReboot));
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    // Appendix B.1.1: nothing to negotiate, nothing rejected.
    EXPECT_EQ(f["recovery_traffic"]["rederivations"].get<uint64_t>(), 0u);
    EXPECT_EQ(f["recovery_traffic"]["unauthorized_4_01"].get<uint64_t>(), 0u);
    EXPECT_EQ(out.summary["oscore"]["server_received"]["replayed"].get<uint64_t>(), 0u);
    EXPECT_EQ(f["recovery_traffic"]["handshakes"].get<uint64_t>(), 0u);
}

TEST(Faults, ANaiveDeviceThatReusesItsSequenceNumbersIsStoppedByTheReplayWindow)
{
    auto out = RunFault(
        "oscore-naive",
        With({"security.profile=oscore", "faults.naive_sequence_numbers=true"}, kReboot));
    const auto& f = OnlyFault(out);
    // The reused Partial IVs are refused as replays (4.01), so reports are lost until the
    // device's numbers pass those the server saw; nothing is accepted twice.
    const uint64_t replays = out.summary["oscore"]["server_received"]["replayed"];
    EXPECT_GT(replays, 0u);
    EXPECT_EQ(f["recovery_traffic"]["unauthorized_4_01"].get<uint64_t>(), replays);
    EXPECT_GT(f["reports"]["lost_from_fault"].get<uint64_t>(), 0u);
    EXPECT_EQ(f["accepted_from_fault"]["replayed_or_forged"].get<uint64_t>(), 0u) << f.dump();
    EXPECT_EQ(f["recovery_traffic"]["rederivations"].get<uint64_t>(), 0u);
}

TEST(Faults, OscoreServerRestartChallengesEachDeviceWithEcho)
{
    // Without security, a CON retransmission that crosses the restart (the first copy was
    // accepted before it, the new CoAP endpoint has no deduplication state) is accepted again:
    // the audit counts it from the server's verdicts.
    auto plain = RunFault("none-restart", With({"security.profile=none"}, kRestart));
    const uint64_t crossing
        = OnlyFault(plain)["accepted_from_fault"]["reports_twice"].get<uint64_t>();
    EXPECT_GE(crossing, 1u) << OnlyFault(plain).dump();

    auto out = RunFault("oscore-b12", With({"security.profile=oscore"}, kRestart));
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    EXPECT_EQ(f["hit"]["devices"].get<uint64_t>(), 20u);
    // Appendix B.1.2: the first request of each device after the restart is challenged, and
    // so is the same crossing retransmission (its Partial IV would have been a replay): one
    // challenge per device plus one per crossing copy, none of them accepted twice.
    EXPECT_EQ(f["recovery_traffic"]["echo_challenges"].get<uint64_t>(), 20u + crossing) << f.dump();
    EXPECT_EQ(f["recovery_traffic"]["rederivations"].get<uint64_t>(), 0u);
    EXPECT_EQ(out.summary["messages"]["delivered"], out.summary["messages"]["sent"]);
}

TEST(Faults, DtlsPaysOneHandshakePerRebootedDevice)
{
    auto out = RunFault("dtls-reboot", With({"security.profile=dtls-psk"}, kReboot));
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    EXPECT_EQ(f["recovery_traffic"]["handshakes"].get<uint64_t>(), 10u) << f.dump();
}

TEST(Faults, DtlsPaysOneHandshakePerDeviceAfterAServerRestart)
{
    auto out = RunFault("dtls-restart", With({"security.profile=dtls-psk"}, kRestart));
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    // Each device notices when its next report times out, then handshakes once.
    EXPECT_EQ(f["recovery_traffic"]["handshakes"].get<uint64_t>(), 20u) << f.dump();
}

TEST(Faults, EdhocRunsAgainAfterARebootAndAfterAServerRestart)
{
    auto reboot = RunFault("edhoc-reboot", With({"security.profile=edhoc-oscore"}, kReboot));
    const auto& r = OnlyFault(reboot);
    ExpectRecoveredSafely(r);
    EXPECT_EQ(r["recovery_traffic"]["handshakes"].get<uint64_t>(), 10u) << r.dump();

    auto restart = RunFault("edhoc-restart", With({"security.profile=edhoc-oscore"}, kRestart));
    const auto& s = OnlyFault(restart);
    ExpectRecoveredSafely(s);
    // Every device's next report gets 4.01 (context not found), then EDHOC runs once.
    EXPECT_EQ(s["recovery_traffic"]["handshakes"].get<uint64_t>(), 20u) << s.dump();
    EXPECT_GE(s["recovery_traffic"]["unauthorized_4_01"].get<uint64_t>(), 20u);
}

TEST(Faults, EdhocDevicesThatKeepNoSequenceNumberStillRunEdhocAgain)
{
    // faults.persist_sequence_numbers concerns pre-shared contexts: EDHOC contexts are
    // derived afresh, and the server keeps verifying them (not through the B.2 store).
    auto out = RunFault(
        "edhoc-no-persist",
        With({"security.profile=edhoc-oscore", "faults.persist_sequence_numbers=false"}, kReboot));
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    EXPECT_EQ(f["recovery_traffic"]["handshakes"].get<uint64_t>(), 10u) << f.dump();
    EXPECT_EQ(f["recovery_traffic"]["rederivations"].get<uint64_t>(), 0u);
    EXPECT_EQ(f["reports"]["lost_from_fault"].get<uint64_t>(), 0u);
}

TEST(Faults, TlsMqttReconnectsAfterARebootAndAfterAServerRestart)
{
    auto reboot = RunFault("mqtt-reboot", With({"security.profile=tls-mqtt"}, kReboot));
    const auto& r = OnlyFault(reboot);
    ExpectRecoveredSafely(r);
    EXPECT_EQ(r["recovery_traffic"]["mqtt_connections"].get<uint64_t>(), 10u) << r.dump();

    auto restart = RunFault("mqtt-restart", With({"security.profile=tls-mqtt"}, kRestart));
    const auto& s = OnlyFault(restart);
    ExpectRecoveredSafely(s);
    EXPECT_EQ(s["recovery_traffic"]["mqtt_connections"].get<uint64_t>(), 20u) << s.dump();
}

TEST(Faults, RebootedDevicesLoseOnlyTheReportsDueWhileTheyBoot)
{
    // A boot longer than the jitter window catches reports; they are recorded as lost.
    auto out = RunFault("boot", With({"security.profile=none", "faults.device_boot_s=600"},
                                     {"faults.device_reboot_at_s=3600"}));
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    const auto rows
        = ReadCsv(std::string(LPWAN_BINARY_DIR) + "/test-output/fault-boot/messages.csv");
    ASSERT_GT(rows.size(), 1u);
    const size_t completion = ColumnIndex(rows[0], "completion");
    uint64_t rebooting = 0;
    for (size_t i = 1; i < rows.size(); ++i)
    {
        rebooting += rows[i][completion] == "device-rebooting";
    }
    EXPECT_GT(rebooting, 0u);
    EXPECT_EQ(f["reports"]["lost_from_fault"].get<uint64_t>(), rebooting);
}

// Each fault scenario of the catalogue runs with every profile of the registry.
class FaultScenario : public testing::TestWithParam<std::string>
{
};

TEST_P(FaultScenario, RunsWithEveryProfile)
{
    for (const ns3::SecurityProfile* p : ns3::GetSecurityProfiles())
    {
        ns3::ScenarioConfig c = ns3::ScenarioConfig::FromFile(
            std::string(LPWAN_SOURCE_DIR) + "/scenarios/" + GetParam() + ".yaml");
        c.ApplyOverride("security.profile=" + p->GetName());
        c.ApplyOverride("trace.progress=false");
        auto out = RunScenario(c, OutDir("fault-catalogue-" + GetParam() + "-" + p->GetName()));
        ASSERT_TRUE(out.summary.contains("faults")) << p->GetName();
        const auto& f = out.summary["faults"].at(0);
        EXPECT_TRUE(f["fired"].get<bool>()) << p->GetName();
        EXPECT_EQ(f["accepted_from_fault"]["replayed_or_forged"].get<uint64_t>(), 0u)
            << GetParam() << " " << p->GetName() << ": " << f.dump();
        EXPECT_GT(f["recovery_s"]["recovered_devices"].get<uint64_t>(), 0u)
            << GetParam() << " " << p->GetName() << ": " << f.dump();
    }
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultScenario,
                         testing::Values("fault-device-reboot", "fault-server-restart",
                                         "fault-backhaul-outage", "fault-cell-outage"),
                         [](const testing::TestParamInfo<std::string>& info)
                         {
                             std::string id;
                             for (char ch : info.param)
                             {
                                 id += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                             }
                             return id;
                         });
