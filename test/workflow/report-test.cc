// ./lpwan report (analysis/report.py): one page that names a protocol and says why, with battery
// life per profile, coverage level, NAT and reporting interval (mean and 5th percentile with
// intervals over the seeds, and relative to no security), the five dimensions, the exposure to
// a compromised gateway and the assumptions; headless Chromium opens it and renders it.
#include "workflow-test-util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

using namespace workflow_test;

namespace
{

const char* kChromium = "/usr/bin/chromium";

std::string
ChromiumFlags(const std::string& profileDir)
{
    return "--headless --no-sandbox --disable-gpu --disable-background-networking "
           "--disable-component-update --disable-sync --no-first-run --disable-quic "
           "--user-data-dir="
           + Quote(profileDir);
}

/// analysis/report.py with the built lpwan-run and the catalogue, then extra.
std::vector<std::string>
ReportArgs(const std::vector<std::string>& extra)
{
    std::vector<std::string> args{SourcePath("analysis/report.py"), "--lpwan-run", Runner(),
                                  "--scenario-dir", SourcePath("scenarios")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

} // namespace

TEST(WorkflowReport, NamesAProtocolWithReasonsAndOpensInChromium)
{
    ScratchDir dir("report");
    const std::string out = dir / "report";
    const Finished f = RunProgram(kPython,
                                  ReportArgs({"--seeds", "2", "--profiles", "oscore,dtls-psk",
                                              "--set", "devices.count=3", "--out", out}),
                                  dir / "run", 600);
    ASSERT_EQ(f.status, 0) << f.err;
    EXPECT_EQ(f.out, out + "/report.html\n");

    const auto data = nlohmann::json::parse(ReadText(out + "/report.json"));
    // OSCORE is the end-to-end profile here, and no condition run changes that.
    EXPECT_EQ(data["recommendation"], "oscore");
    EXPECT_EQ(data["scenario"].size(), 3u);  // none (the baseline), oscore, dtls-psk
    EXPECT_EQ(data["coverage"].size(), 18u); // × CE0..CE2 × no NAT / 120 s NAT
    EXPECT_EQ(data["interval"].size(), 6u);  // × hourly / daily
    EXPECT_EQ(data["runs"], (3 + 18 + 6) * 2);
    for (const auto& r : data["coverage"])
    {
        EXPECT_EQ(r["seeds"], 2);
        EXPECT_GT(r["battery_life_years.mean"].get<double>(), 0);
        EXPECT_LE(r["battery_life_years.p5"].get<double>(),
                  r["battery_life_years.mean"].get<double>() * 1.0001);
        if (r["security.profile"] == "none")
        {
            EXPECT_DOUBLE_EQ(r["battery_life_years.mean.relative_to_none"].get<double>(), 1.0);
        }
        // Behind the NAT every DTLS report pays a handshake; OSCORE's context survives it.
        if (r["security.profile"] == "dtls-psk" && r["nat"] == "NAT 120 s")
        {
            EXPECT_LT(r["battery_life_years.mean.relative_to_none"].get<double>(), 0.8);
        }
        if (r["security.profile"] == "oscore")
        {
            EXPECT_GT(r["battery_life_years.mean.relative_to_none"].get<double>(), 0.8);
        }
    }
    EXPECT_EQ(data["assumptions"]["energy.session_lifetime_days"], 30.0);

    const std::string md = ReadText(out + "/report.md");
    for (const char* part :
         {"**Recommendation: OSCORE** (oscore).", "**When the answer changes**",
          "## Battery life per coverage level and NAT", "## Five dimensions per report",
          "## Exposure to a compromised gateway", "| end-to-end OSCORE | 0 | 0 |", "## Assumptions",
          "| energy.session_lifetime_days | 30.0 |", "A session or OSCORE context lives 30 days"})
    {
        EXPECT_NE(md.find(part), std::string::npos) << part;
    }
    // Every figure the page shows is there.
    const std::string page = ReadText(out + "/report.html");
    const std::regex img("<img src='([^']+)'");
    int images = 0;
    for (auto it = std::sregex_iterator(page.begin(), page.end(), img);
         it != std::sregex_iterator(); ++it)
    {
        const std::string png = ReadText(out + "/" + (*it)[1].str());
        EXPECT_EQ(png.compare(0, 8, "\x89PNG\r\n\x1a\n"), 0) << (*it)[1].str();
        ++images;
    }
    EXPECT_EQ(images, 3); // battery by coverage, bytes by layer, energy by state

    // Chromium parses the page (the DOM it builds has the recommendation and the tables) and
    // renders it.
    const Finished dom
        = Shell(std::string(kChromium) + " " + ChromiumFlags(dir / "chromium-dom") + " --dump-dom "
                    + Quote("file://" + out + "/report.html") + " 2>/dev/null",
                dir / "dom", 120);
    ASSERT_EQ(dom.status, 0) << dom.err;
    EXPECT_NE(dom.out.find("id=\"recommendation\""), std::string::npos) << dom.out.substr(0, 500);
    EXPECT_NE(dom.out.find("<strong>Recommendation: OSCORE</strong>"), std::string::npos);
    size_t rows = 0;
    for (size_t at = dom.out.find("<tr>"); at != std::string::npos;
         at = dom.out.find("<tr>", at + 1))
    {
        ++rows;
    }
    EXPECT_GE(rows, 20u) << "the tables are in the DOM";
    const std::string shot = dir / "report.png";
    const Finished s = Shell(std::string(kChromium) + " " + ChromiumFlags(dir / "chromium-shot")
                                 + " --window-size=1280,2000 --screenshot=" + Quote(shot) + " "
                                 + Quote("file://" + out + "/report.html") + " 2>/dev/null",
                             dir / "shot", 120);
    ASSERT_EQ(s.status, 0) << s.err;
    const std::string png = ReadText(shot);
    EXPECT_GT(png.size(), 20000u) << "a rendered page, not a blank one";

    // ./lpwan plot takes the report's directory (its runs of the scenario).
    const Finished p = RunProgram(
        kPython, {SourcePath("analysis/plot.py"), out, "--out", dir / "plot"}, dir / "plot");
    ASSERT_EQ(p.status, 0) << p.err;
    EXPECT_TRUE(fs::exists(dir / "plot/bytes_by_layer.png"));
}

TEST(WorkflowReport, UnknownProfileIsRefusedBeforeAnyRun)
{
    ScratchDir dir("report-bad");
    const Finished f = RunProgram(
        kPython, ReportArgs({"--profiles", "oscore,dtls13", "--out", dir / "out"}), dir / "run");
    EXPECT_EQ(f.status, 2);
    EXPECT_NE(f.err.find("--profiles: unknown dtls13"), std::string::npos) << f.err;
    EXPECT_FALSE(fs::exists(dir / "out/sweeps"));
}

TEST(WorkflowReport, AScenarioWithoutEnergyModelIsRefusedWithTheReason)
{
    // The report ranks by battery life; the generic star has no energy model.
    ScratchDir dir("report-star");
    const Finished f
        = RunProgram(kPython,
                     ReportArgs({"lpwan-star", "--seeds", "2", "--profiles", "oscore", "--set",
                                 "devices.count=2", "--no-exposure", "--out", dir / "out"}),
                     dir / "run", 120);
    EXPECT_EQ(f.status, 1);
    EXPECT_NE(f.err.find("report: lpwan-star runs on link.kind=lpwan, which has no energy model"),
              std::string::npos)
        << f.err;
    EXPECT_FALSE(fs::exists(dir / "out/report.html"));
}
