// ./lpwan faults (analysis/fault_table.py): per fault and profile, the fault run beside its
// baseline at the same seed. On a small case: OSCORE recovers a server restart with one Echo
// challenge per device, DTLS pays one handshake per device, nothing replayed or forged is
// accepted, and a bad option is an error before any run.
#include "workflow-test-util.h"

#include <gtest/gtest.h>

using namespace workflow_test;

namespace
{

std::vector<std::string>
TableArgs(const std::string& out, const std::vector<std::string>& extra)
{
    return TableScriptArgs("analysis/fault_table.py", out, extra);
}

} // namespace

TEST(WorkflowFaultTable, ServerRestartCostsPerProfile)
{
    ScratchDir dir("fault-table");
    const std::string out = dir / "out";
    // A small case: 6 meters on the loss-free star, a report every 10 min for 2 h.
    const Finished f = RunProgram(
        kPython,
        TableArgs(out,
                  {"--profiles", "oscore,dtls-psk", "--faults", "server-restart", "--set",
                   "devices.count=6", "--set", "link.kind=lpwan", "--set", "link.loss=0", "--set",
                   "traffic.interval_s=600", "--set", "simulation.duration_s=7200", "--set",
                   "faults.server_restart_at_s=3600", "--set", "faults.server_downtime_s=0"}),
        dir / "table", 300);
    ASSERT_EQ(f.status, 0) << f.err;
    const auto rows = ReadCsv(out + "/faults.csv");
    ASSERT_EQ(rows.size(), 2u);
    for (const auto& r : rows)
    {
        EXPECT_EQ(r.at("fault"), "server-restart");
        EXPECT_EQ(r.at("devices_hit"), "6");
        EXPECT_EQ(r.at("never_recovered"), "0") << r.at("profile");
        EXPECT_EQ(r.at("replayed_or_forged_accepted"), "0") << r.at("profile");
        if (r.at("profile") == "oscore")
        {
            EXPECT_GE(std::stoi(r.at("echo_challenges")), 6);
            EXPECT_EQ(r.at("extra_handshakes"), "0");
        }
        else
        {
            // One full handshake per device after the restart, each after one report timed out.
            EXPECT_EQ(r.at("extra_handshakes"), "6");
            EXPECT_EQ(r.at("handshakes_from_fault"), "6");
        }
    }
    const std::string md = ReadText(out + "/faults.md");
    EXPECT_NE(md.find("| server-restart | oscore |"), std::string::npos) << md;
}

TEST(WorkflowFaultTable, AnUnknownFaultIsRefusedBeforeAnyRun)
{
    ScratchDir dir("fault-table-bad");
    const std::string out = dir / "out";
    const Finished f
        = RunProgram(kPython, TableArgs(out, {"--faults", "meteor-strike"}), dir / "table", 60);
    EXPECT_NE(f.status, 0);
    EXPECT_NE(f.err.find("meteor-strike"), std::string::npos) << f.err;
    EXPECT_FALSE(std::filesystem::exists(out));
}
