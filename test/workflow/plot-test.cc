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
                         + ": neither a sweep directory (runs.csv) nor a run directory "
                           "(summary.json)\n");
}
