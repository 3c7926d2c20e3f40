// ./lpwan plot on a sweep directory and on a run directory writes its PNG figures and an
// index.html that shows them with the parameters; figures whose keys are not in the results
// (energy, exposure: later issues) are left out with a note, not a crash.
#include "workflow-test-util.h"

#include <gtest/gtest.h>

using namespace workflow_test;

namespace
{

const char* kSweep
    = "scenario: lpwan-star\n" // the generic link, whose frame loss is swept
      "set:\n"
      "  devices.count: 3\n"
      "  simulation.duration_s: 3600\n"
      "  traffic.jitter_s: 0\n"
      "grid:\n"
      "  security.profile: [none, oscore]\n"
      "  link.loss: [0.0, 0.2]\n"
      "  traffic.interval_s: [600, 1200]\n"
      "seeds: 2\n";

bool
IsPng(const std::string& path)
{
    const std::string bytes = ReadText(path);
    return bytes.size() > 1000 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

Finished
Plot(const std::vector<std::string>& args, const std::string& prefix)
{
    std::vector<std::string> all{SourcePath("analysis/plot.py")};
    all.insert(all.end(), args.begin(), args.end());
    return RunProgram(kPython, all, prefix);
}

/// The page shows each figure, and says why each missing one is missing.
void
ExpectPage(const std::string& figures, const std::vector<std::string>& pngs,
           const std::vector<std::string>& notes)
{
    const std::string page = ReadText(figures + "/index.html");
    for (const auto& png : pngs)
    {
        EXPECT_TRUE(IsPng(figures + "/" + png)) << png;
        EXPECT_NE(page.find("<img src='" + png + "'"), std::string::npos) << png;
    }
    for (const auto& note : notes)
    {
        EXPECT_NE(page.find(note), std::string::npos) << note;
    }
}

} // namespace

TEST(WorkflowPlot, SweepAndRunDirectories)
{
    ScratchDir dir("plot");
    WriteText(dir / "plot.yaml", kSweep);
    const std::string sweep = dir / "sweep";
    const Finished s = RunProgram(kPython,
                                  {SourcePath("analysis/sweep.py"), dir / "plot.yaml", "--out",
                                   sweep, "--lpwan-run", Runner()},
                                  dir / "sweep");
    ASSERT_EQ(s.status, 0) << s.err;

    const Finished p = Plot({sweep}, dir / "plot-sweep");
    ASSERT_EQ(p.status, 0) << p.err;
    const std::string figures = sweep + "/figures";
    ExpectPage(figures,
               {"bytes_by_layer.png", "latency_distribution.png", "retransmissions_vs_loss.png"},
               {"battery_life_years.* in summary.json (the NB-IoT/energy issue)",
                "exposure.* in summary.json", "energy.* in summary.json"});
    const std::string page = ReadText(figures + "/index.html");
    EXPECT_NE(page.find("<code>link.loss</code> (0.0, 0.2)"), std::string::npos);
    EXPECT_NE(page.find("devices.count"), std::string::npos); // a fixed parameter
    EXPECT_NE(page.find("security.profile: [none, oscore]"), std::string::npos); // the file
    EXPECT_EQ(Lines(p.out).back(), figures + "/index.html");

    // One run: no loss axis to plot against, said so on the page.
    const std::string run = sweep + "/runs/security.profile=oscore,link.loss=0.2,"
                                    "traffic.interval_s=600/seed-1";
    const Finished r = Plot({run, "--out", dir / "run-figures"}, dir / "plot-run");
    ASSERT_EQ(r.status, 0) << r.err;
    ExpectPage(dir / "run-figures", {"bytes_by_layer.png", "latency_distribution.png"},
               {"needs a sweep over link.loss (two values or more)"});
    EXPECT_FALSE(fs::exists(dir / "run-figures/retransmissions_vs_loss.png"));

    // The battery-life figure and the exposure table, which wait for later issues' keys,
    // drawn once the columns exist. Synthetic columns added to a copy of runs.csv: this
    // exercises the plotting code only, it is not a result.
    const std::string later = dir / "later";
    fs::create_directories(later);
    fs::copy_file(sweep + "/sweep.json", later + "/sweep.json");
    const Finished add
        = RunProgram(kPython,
                     {"-c",
                      "import pandas as pd, sys\n"
                      "r = pd.read_csv(sys.argv[1] + '/runs.csv')\n"
                      "r['dir_in_sweep'] = sys.argv[1] + '/' + r['dir_in_sweep']\n"
                      "r['battery_life_years.mean'] = 1000 / r['traffic.interval_s']\n"
                      "r['exposure.payload_read'] = 0\n"
                      "r.to_csv(sys.argv[2] + '/runs.csv', index=False)\n",
                      sweep, later},
                     dir / "synthetic");
    ASSERT_EQ(add.status, 0) << add.err;
    const Finished l = Plot({later}, dir / "plot-later");
    ASSERT_EQ(l.status, 0) << l.err;
    ExpectPage(later + "/figures", {"battery_life_vs_traffic_interval_s.png"},
               {"Exposure (mean per parameter point)", "payload_read"});
}

TEST(WorkflowPlot, NeitherRunNorSweepDirectory)
{
    ScratchDir dir("plot-bad");
    const Finished f = Plot({dir.Path()}, dir / "plot");
    EXPECT_EQ(f.status, 2);
    EXPECT_EQ(f.err, "lpwan plot: " + dir.Path()
                         + ": neither a sweep directory (runs.csv), a comparison "
                           "(comparison.csv) nor a run directory (summary.json)\n");
}

TEST(WorkflowPlot, ComparisonDirectoryOnACellWithReadablePage)
{
    // ./lpwan compare's directory (one run per profile) is drawn like a sweep over
    // security.profile: bytes and energy by radio state per profile on one y scale, the key
    // figures under readable names (battery and energy among them), figures before parameters.
    ScratchDir dir("plot-compare");
    const std::string out = dir / "compare";
    const Finished c
        = RunProgram(kPython,
                     TableScriptArgs("analysis/compare_profiles.py", out,
                                     {"default", "--profiles", "none,oscore", "--set",
                                      "devices.count=3", "--set", "simulation.duration_s=7200"}),
                     dir / "compare", 300);
    ASSERT_EQ(c.status, 0) << c.err;
    const Finished p = Plot({out}, dir / "plot");
    ASSERT_EQ(p.status, 0) << p.err;
    ExpectPage(out + "/figures",
               {"bytes_by_layer.png", "energy_by_state.png", "latency_distribution.png"}, {});
    const std::string page = ReadText(out + "/figures/index.html");
    EXPECT_NE(page.find("lpwan-sec comparison"), std::string::npos);
    EXPECT_NE(page.find("<td>OSCORE</td>"), std::string::npos) << "profiles by their names";
    for (const char* header :
         {"<th>security profile</th>", "<th>energy per delivered report [J]</th>",
          "<th>battery life, mean over devices [years]</th>",
          "<th>battery life, 5th percentile of devices [years]</th>"})
    {
        EXPECT_NE(page.find(header), std::string::npos) << header;
    }
    EXPECT_EQ(page.find("<th>battery_life_years.mean</th>"), std::string::npos)
        << "raw key names are not headers";
    EXPECT_LT(page.find("<img src='bytes_by_layer.png'"), page.find("<h2>Parameters</h2>"))
        << "the page opens with its figures";
    EXPECT_NE(page.find("overflow-x:auto"), std::string::npos) << "wide tables scroll";
}

TEST(WorkflowPlot, StyleKeepsColoursAndBounds)
{
    // One colour and marker per profile in every figure (an unknown profile too, by its name);
    // error bars stop at a quantity's bounds; keys read as labels with units.
    ScratchDir dir("plot-style");
    const std::string script = R"(
import sys
sys.path.insert(0, sys.argv[1])
import figure_style as s
assert s.profile_style("oscore") == s.profile_style("oscore")
colours = [s.profile_style(p)[0] for p in s.PROFILE_ORDER]
assert len(set(colours)) == len(colours), colours
assert s.profile_style("dtls13-psk") == s.profile_style("dtls13-psk")
assert s.ordered_profiles(["tls-mqtt", "zz", "oscore", "none"]) == ["none", "oscore", "tls-mqtt", "zz"]
below, above = s.clipped_yerr("messages.delivery_ratio", [0.999, 1.0, 0.5], [0.01, 0.02, 0.1])
assert all(m + a <= 1.0 + 1e-12 for m, a in zip([0.999, 1.0, 0.5], above)), above
assert below == [0.01, 0.02, 0.1], below
assert s.clipped_yerr("latency_s.p95", [1.0], [float("nan")]) == [[0.0], [0.0]]
assert s.label("nbiot.coupling_loss_db") == "coupling loss [dB]"
assert s.label("foo.wait_s") == "foo.wait [s]", s.label("foo.wait_s")
assert s.value_label("security.profile", "dtls-psk") == "DTLS 1.2 PSK"
assert s.value_label("link.loss", 0.2) == "frame loss on the link = 0.2"
assert s.spans_decades([14.8, 0.9]) and not s.spans_decades([14.8, 5.0])
print("ok")
)";
    const Finished f = RunProgram(kPython, {"-c", script, SourcePath("analysis")}, dir / "style");
    EXPECT_EQ(f.status, 0) << f.err;
    EXPECT_EQ(f.out, "ok\n");
}
