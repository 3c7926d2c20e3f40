// ./lpwan capacity (analysis/capacity.py): per profile, the largest device count a cell
// carries within the delivery and latency bounds. On a loaded cell (a report every 20 s) the
// search's invariants hold: the capacity passed, the first failing count is within the
// resolution above it and failed for the reason the table gives, every count above a failing
// one that was tried failed too, and a bad option is one error before any run.
#include "workflow-test-util.h"

#include <gtest/gtest.h>

#include <map>

using namespace workflow_test;

namespace
{

std::vector<std::string>
CapacityArgs(const std::string& out, const std::vector<std::string>& extra)
{
    return TableScriptArgs("analysis/capacity.py", out, extra);
}

} // namespace

TEST(WorkflowCapacity, BisectionBracketsTheCapacityOfALoadedCell)
{
    ScratchDir dir("capacity");
    const std::string out = dir / "out";
    const Finished f = RunProgram(
        kPython,
        CapacityArgs(out, {"default", "--profiles", "none,oscore", "--set", "traffic.interval_s=20",
                           "--set", "traffic.jitter_s=5", "--set", "nbiot.cell_radius_m=1000",
                           "--duration-s", "200", "--start", "25", "--max-devices", "3200",
                           "--max-p95-s", "30"}),
        dir / "capacity", 600);
    ASSERT_EQ(f.status, 0) << f.err;
    const auto rows = ReadCsv(out + "/capacity.csv");
    ASSERT_EQ(rows.size(), 2u);
    const auto runs = ReadCsv(out + "/capacity-runs.csv");
    for (const auto& r : rows)
    {
        const std::string& profile = r.at("profile");
        ASSERT_FALSE(r.at("capacity_devices").empty()) << profile << ": " << r.at("capacity");
        ASSERT_FALSE(r.at("first_failing_devices").empty()) << profile << ": " << r.at("capacity");
        const long lo = std::stol(r.at("capacity_devices"));
        const long hi = std::stol(r.at("first_failing_devices"));
        EXPECT_GT(hi, lo) << profile;
        EXPECT_LE(hi - lo, std::max(1L, static_cast<long>(lo * 0.05))) << profile;
        EXPECT_FALSE(r.at("failed_because").empty()) << profile;
        // Every run of this profile: passed below or at the capacity, failed at or above the
        // first failing count (the search is consistent with a monotone load).
        std::map<long, bool> passed;
        for (const auto& run : runs)
        {
            if (run.at("profile") == profile)
            {
                passed[std::stol(run.at("devices"))] = run.at("passed") == "True";
            }
        }
        EXPECT_TRUE(passed.at(lo)) << profile;
        EXPECT_FALSE(passed.at(hi)) << profile;
        for (const auto& [devices, ok] : passed)
        {
            EXPECT_EQ(ok, devices <= lo) << profile << " at " << devices;
        }
    }
    EXPECT_TRUE(std::filesystem::exists(out + "/capacity.md"));
    EXPECT_TRUE(std::filesystem::exists(out + "/capacity.png"));
}

TEST(WorkflowCapacity, ABadOptionIsOneErrorBeforeAnyRun)
{
    ScratchDir dir("capacity-bad");
    const std::string out = dir / "out";
    Finished f = RunProgram(kPython, CapacityArgs(out, {"--profiles", "oscore,nope"}),
                            dir / "bad-profile", 60);
    EXPECT_EQ(f.status, 1);
    EXPECT_NE(f.err.find("unknown profile(s) nope"), std::string::npos) << f.err;
    f = RunProgram(kPython, CapacityArgs(out, {"--set", "devices.count=0"}), dir / "bad-set", 60);
    EXPECT_NE(f.status, 0);
    EXPECT_NE(f.err.find("devices.count"), std::string::npos) << f.err;
    EXPECT_FALSE(std::filesystem::exists(out + "/runs"));
}
