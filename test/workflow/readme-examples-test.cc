// The sweep-from-a-script examples of docs/sweeps.md: the guide quotes the two files exactly,
// and both run as written (the guide's command, from the repository root) with LPWAN_RUN
// naming the built runner and SWEEP_OUT a scratch directory; what they print agrees with
// the summary.json of every run they made.
#include "workflow-test-util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

using namespace workflow_test;

namespace
{

nlohmann::json
Summary(const std::string& runDir)
{
    return nlohmann::json::parse(ReadText(runDir + "/summary.json"));
}

void
ExpectGuideQuotes(const std::string& file, const std::string& language)
{
    const std::string readme = ReadText(SourcePath("docs/sweeps.md"));
    const std::string body = ReadText(SourcePath(file));
    ASSERT_FALSE(body.empty()) << file;
    EXPECT_NE(readme.find("```" + language + "\n" + body + "```\n"), std::string::npos)
        << "docs/sweeps.md does not quote " << file << " exactly";
    EXPECT_NE(readme.find(file), std::string::npos);
}

std::string
InRepository(const std::string& out, const std::string& command)
{
    return "cd " + Quote(SourcePath("")) + " && LPWAN_RUN=" + Quote(Runner())
           + " SWEEP_OUT=" + Quote(out) + " " + command;
}

} // namespace

TEST(WorkflowReadme, PythonExampleRunsAsQuoted)
{
    ExpectGuideQuotes("examples/sweep_from_python.py", "python");
    ScratchDir dir("readme-python");
    const std::string out = dir / "runs";
    const Finished f
        = Shell(InRepository(out, "python3 examples/sweep_from_python.py"), dir / "example");
    ASSERT_EQ(f.status, 0) << f.err;

    const std::regex line(R"((\S+) at (\d+) dB: (\S+) bytes per delivered report, (\d+)/(\d+) )"
                          R"(delivered, latency p95 (\S+) s, battery (\S+) years)");
    const auto lines = Lines(f.out);
    ASSERT_EQ(lines.size(), 9u) << f.out; // 3 profiles × 3 coupling losses
    for (const auto& l : lines)
    {
        std::smatch m;
        ASSERT_TRUE(std::regex_match(l, m, line)) << l;
        const auto s = Summary(out + "/" + m[1].str() + "-" + m[2].str() + "dB");
        EXPECT_EQ(s["security"]["profile"], m[1].str());
        EXPECT_DOUBLE_EQ(s["parameters"]["nbiot.coupling_loss_db"].get<double>(),
                         std::stod(m[2].str()));
        EXPECT_NEAR(s["bytes"]["on_air_per_delivered_message"].get<double>(), std::stod(m[3].str()),
                    0.05);
        EXPECT_EQ(s["messages"]["delivered"].get<long>(), std::stol(m[4].str()));
        EXPECT_EQ(s["messages"]["sent"].get<long>(), std::stol(m[5].str()));
        EXPECT_NEAR(s["battery_life_years"]["mean"].get<double>(), std::stod(m[7].str()), 0.05);
        EXPECT_EQ(s["devices"].get<long>(), 10);
    }
}

TEST(WorkflowReadme, ShellLoopExampleRunsAsQuoted)
{
    ExpectGuideQuotes("examples/sweep_loop.sh", "sh");
    ScratchDir dir("readme-shell");
    const std::string out = dir / "runs";
    const std::string csv = dir / "loop.csv";
    const Finished f
        = Shell(InRepository(out, "examples/sweep_loop.sh > " + Quote(csv)), dir / "example");
    ASSERT_EQ(f.status, 0) << f.err;

    const auto rows = ReadCsv(csv);
    ASSERT_EQ(rows.size(), 9u) << ReadText(csv); // 3 intervals × 3 seeds
    for (const auto& r : rows)
    {
        const auto s
            = Summary(out + "/interval-" + r.at("traffic.interval_s") + "/seed-" + r.at("seed"));
        EXPECT_EQ(s["seed"].get<long>(), std::stol(r.at("seed")));
        EXPECT_DOUBLE_EQ(s["parameters"]["traffic.interval_s"].get<double>(),
                         std::stod(r.at("traffic.interval_s")));
        EXPECT_EQ(s["messages"]["sent"].get<long>(), std::stol(r.at("messages.sent")));
        EXPECT_EQ(s["messages"]["delivered"].get<long>(), std::stol(r.at("messages.delivered")));
        EXPECT_DOUBLE_EQ(s["latency_s"]["p95"].get<double>(), std::stod(r.at("latency_s.p95")));
    }
}
