// What an ns-3 user expects of a simulation program, held for lpwan-run: ns-3 attribute
// overrides on the command line (--ns3::Type::Attribute=value) that win over scenario keys,
// are checked before the run and recorded in summary.json; NS_LOG prints the project's
// components' logs and changes no trace.
#include "attribute-overrides.h"
#include "scenario-runner.h"
#include "support/shell-command.h"

#include "ns3/string.h"
#include "ns3/type-id.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace ns3;

namespace
{

struct Result
{
    int status = -1;
    std::string stderrText;
};

/// lpwan-run with an environment prefix and arguments; stderr captured, stdout discarded.
Result
RunLpwan(const std::string& env, const std::string& args)
{
    const lpwantest::ShellResult r = lpwantest::RunShellCommand(
        env + " " + std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-run --scenario-dir "
        + LPWAN_SOURCE_DIR + "/scenarios " + args + " 2>&1 >/dev/null");
    return Result{r.status, r.output};
}

std::string
OutDir(const std::string& name)
{
    const std::string dir = std::string(LPWAN_BINARY_DIR) + "/test-output/ns3-habits/" + name;
    std::filesystem::remove_all(dir);
    return dir;
}

std::string
Read(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

nlohmann::json
Summary(const std::string& dir)
{
    return nlohmann::json::parse(Read(dir + "/summary.json"));
}

const std::string kSmallCell = "default --set devices.count=3 --set simulation.duration_s=7200";

std::string
DefaultOf(const std::string& type, const std::string& attribute)
{
    TypeId tid = TypeId::LookupByName(type);
    TypeId::AttributeInformation info;
    EXPECT_TRUE(tid.LookupAttributeByName(attribute, &info));
    return info.initialValue->SerializeToString(info.checker);
}

} // namespace

TEST(LpwanRunNs3Habits, AttributeOverrideWinsOverTheScenarioAndIsRecorded)
{
    // The cell sets T3324 from nbiot.t3324_s on every UE; the override sets it after that.
    const std::string plain = OutDir("plain");
    const std::string shorter = OutDir("t3324");
    ASSERT_EQ(RunLpwan("", kSmallCell + " --out " + plain).status, 0);
    const Result r
        = RunLpwan("", kSmallCell + " --ns3::NbIotUeNetDevice::T3324=5s --out " + shorter);
    ASSERT_EQ(r.status, 0) << r.stderrText;
    const nlohmann::json a = Summary(plain);
    const nlohmann::json b = Summary(shorter);
    EXPECT_FALSE(a.contains("ns3_attributes"));
    EXPECT_EQ(b["ns3_attributes"]["ns3::NbIotUeNetDevice::T3324"]["value"], "5s");
    EXPECT_EQ(b["ns3_attributes"]["ns3::NbIotUeNetDevice::T3324"]["objects_at_start"], 3);
    // Each report's idle period after the release is 5 s instead of the scenario's.
    const double reports = b["messages"]["sent"].get<double>();
    const double saved = a["energy"]["state_time_s"]["idle"].get<double>()
                         - b["energy"]["state_time_s"]["idle"].get<double>();
    const double scenarioT3324 = a["parameters"]["nbiot.t3324_s"].get<double>();
    EXPECT_NEAR(saved, reports * (scenarioT3324 - 5), 1e-6);
    EXPECT_EQ(a["messages"]["delivered"], b["messages"]["delivered"]);
}

TEST(LpwanRunNs3Habits, BadOverridesAreOneLineErrorsBeforeTheRun)
{
    const std::pair<const char*, const char*> cases[] = {
        {"--ns3::Foo::Bar=1", "--ns3::Foo::Bar=1: no ns-3 type 'ns3::Foo'"},
        {"--ns3::NbIotUeNetDevice::Nope=1",
         "--ns3::NbIotUeNetDevice::Nope=1: ns3::NbIotUeNetDevice has no attribute 'Nope'"},
        // ns-3's own Time parser would abort the program here.
        {"--ns3::NbIotUeNetDevice::T3324=abc",
         "--ns3::NbIotUeNetDevice::T3324=abc: 'abc' is not a valid ns3::TimeValue for "
         "ns3::NbIotUeNetDevice::T3324"},
        {"--ns3::NbIotUeNetDevice::T3324",
         "--ns3::NbIotUeNetDevice::T3324: needs a value (--ns3::Type::Attribute=value)"},
        {"--ns3::RngRun=3",
         "--ns3::RngRun=3: is not --ns3::Type::Attribute=value (global "
         "values are not taken: the seed and run are --seed and --run)"},
    };
    for (const auto& [argument, message] : cases)
    {
        const Result r = RunLpwan("", std::string(argument) + " --check");
        EXPECT_EQ(r.status, 2) << argument;
        EXPECT_EQ(r.stderrText, std::string("lpwan-run: ") + message + "\n");
    }
}

TEST(LpwanRunNs3Habits, DefaultsComeBackAfterARun)
{
    // Several runs share a process (tests, sweeps' workers): one run's override must not
    // become the next run's default.
    const std::string before = DefaultOf("ns3::NbIotUeNetDevice", "T3324");
    ScenarioConfig config;
    config.Set("devices.count", "2", "test", 1);
    config.Set("simulation.duration_s", "3600", "test", 1);
    config.Set("link.kind", "nbiot", "test", 1);
    config.Set("trace.progress", "false", "test", 1);
    ScenarioRunner runner(config, OutDir("restore"));
    runner.SetAttributeOverrides({ParseAttributeOverride("--ns3::NbIotUeNetDevice::T3324=7s")});
    const RunOutcome outcome = runner.Run();
    EXPECT_EQ(outcome.summary["ns3_attributes"]["ns3::NbIotUeNetDevice::T3324"]["value"], "7s");
    EXPECT_EQ(DefaultOf("ns3::NbIotUeNetDevice", "T3324"), before);
}

TEST(LpwanRunNs3Habits, NsLogPrintsReportsAndChangesNoTrace)
{
    const std::string quiet = OutDir("quiet");
    const std::string logged = OutDir("logged");
    ASSERT_EQ(RunLpwan("", kSmallCell + " --out " + quiet).status, 0);
    const Result r = RunLpwan("NS_LOG='MessageLedger=level_info|prefix_time:MeterApp=level_info'",
                              kSmallCell + " --out " + logged);
    ASSERT_EQ(r.status, 0) << r.stderrText;
    for (const char* line :
         {"s report 1 of device", "delivered to the server after",
          "completed: response 2.04, 0 retransmissions", ": report 1 sent (plain CoAP)"})
    {
        EXPECT_NE(r.stderrText.find(line), std::string::npos) << line << "\n" << r.stderrText;
    }
    EXPECT_EQ(Read(quiet + "/summary.json"), Read(logged + "/summary.json"));
    EXPECT_EQ(Read(quiet + "/messages.csv"), Read(logged + "/messages.csv"));
}
