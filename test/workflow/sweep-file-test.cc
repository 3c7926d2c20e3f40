// Bad sweep files: one clear line naming the sweep file, the line and the key, exit status
// 2, and no run started (a wrapper around lpwan-run logs every invocation with --out).
// Also: the catalogue's scenarios and example sweeps all validate.
#include "workflow-test-util.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <utility>

using namespace workflow_test;

namespace
{

struct BadSweep
{
    const char* name;
    const char* text;
    const char* error; ///< what follows "lpwan sweep: FILE"
};

const BadSweep kBadSweeps[] = {
    {"unknown_parameter",
     "scenario: default\ngrid:\n  security.profile: [none, oscore]\n  link.los: [0.1, 0.2]\n",
     ":4: link.los: unknown parameter (lpwan-run --list-keys lists them all)"},
    {"empty_value_list", "grid:\n  security.profile: [none]\n  link.loss: []\nseeds: 5\n",
     ":3: link.loss: empty value list"},
    {"nested_unknown_parameter", "grid:\n  link:\n    speed: [1, 2]\n",
     ":3: link.speed: unknown parameter (lpwan-run --list-keys lists them all)"},
    {"wrong_type", "grid:\n  devices.count: [10, ten]\n",
     ":2: devices.count: expected an integer, got 'ten'"},
    {"unknown_profile", "grid:\n  security.profile: [none, dtls-rsa]\n",
     ":2: security.profile: expected one of "
     "none|oscore|dtls-psk|dtls-ecdhe|tls-mqtt|edhoc-oscore|oscore-dtls|tls13-mqtt|dtls13-psk|"
     "dtls13-ecdhe, "
     "got 'dtls-rsa'"},
    {"not_a_list", "grid:\n  link.loss: 0.1\n",
     ":2: link.loss: expected a list of values (write [0.1] for a single one)"},
    {"out_of_range",
     "scenario: lpwan-star\nset:\n  devices.count: 3\ngrid:\n  link.loss: [0.1, 1.5]\n",
     ":5: link.loss: 1.5 is out of range [0, 1]"},
    // The default scenario is an NB-IoT cell: the generic link's frame loss means nothing there.
    {"generic_link_key_on_a_cell", "grid:\n  link.loss: [0.1, 0.2]\n",
     ":2: link.loss: applies to the generic LPWAN link only, not to link.kind=nbiot (set at "
     "SCENARIOS/default.yaml:25); a cell's losses come from nbiot.bler and the coverage level "
     "(nbiot.coupling_loss_db, nbiot.cell_radius_m), its delays from the coverage level "
     "(docs/nbiot.md)"},
    {"fixed_and_swept", "set:\n  link.loss: 0.1\ngrid:\n  link.loss: [0.2, 0.3]\n",
     ":4: link.loss: also under set: (FILE:2); a key is fixed or swept, not both"},
    {"empty_cases", "cases: []\n", ":1: cases: empty value list"},
    {"empty_seeds", "grid:\n  link.loss: [0.1]\nseeds: []\n", ":3: seeds: empty value list"},
    {"unknown_sweep_key", "grid:\n  link.loss: [0.1]\nseed: 4\n",
     ":3: seed: unknown sweep key (expected one of scenario, set, grid, cases, seeds)"},
    {"missing_scenario", "scenario: no-such-scenario\n",
     ":1: scenario: no-such-scenario: no such scenario file (nor SCENARIOS/no-such-scenario.yaml)"},
};

// ctest names the cases by this.
void
PrintTo(const BadSweep& bad, std::ostream* os)
{
    *os << bad.name;
}

class WorkflowBadSweep : public ::testing::TestWithParam<BadSweep>
{
};

std::string
Replace(std::string text, const std::string& from, const std::string& to)
{
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at))
    {
        text.replace(at, from.size(), to);
        at += to.size();
    }
    return text;
}

} // namespace

TEST_P(WorkflowBadSweep, OneLineErrorBeforeAnyRun)
{
    const BadSweep& bad = GetParam();
    ScratchDir dir(std::string("bad-sweep-") + bad.name);
    const std::string file = dir / (std::string(bad.name) + ".yaml");
    WriteText(file, bad.text);
    const std::string log = dir / "invocations.log";
    const std::string runner = dir / "lpwan-run-logged";
    WriteText(runner, "#!/bin/sh\necho \"$*\" >> " + Quote(log) + "\nexec " + Quote(Runner())
                          + " \"$@\"\n");
    fs::permissions(runner, fs::perms::owner_all);
    const std::string out = dir / "out";

    const Finished f
        = RunProgram(kPython,
                     {SourcePath("analysis/sweep.py"), file, "--out", out, "--lpwan-run", runner,
                      "--scenario-dir", SourcePath("scenarios")},
                     dir / "sweep");
    EXPECT_EQ(f.status, 2);
    const std::string expected
        = Replace(Replace("lpwan sweep: " + file + bad.error + "\n", "FILE", file), "SCENARIOS",
                  SourcePath("scenarios"));
    EXPECT_EQ(f.err, expected);
    EXPECT_EQ(f.out, "");
    EXPECT_FALSE(fs::exists(out)) << "the sweep created its directory";
    EXPECT_EQ(ReadText(log).find("--out"), std::string::npos) << "a run started";
}

INSTANTIATE_TEST_SUITE_P(Files, WorkflowBadSweep, ::testing::ValuesIn(kBadSweeps),
                         [](const ::testing::TestParamInfo<BadSweep>& info)
                         {
                             return std::string(info.param.name);
                         });

TEST(WorkflowCatalogue, EveryScenarioPassesLpwanRunCheck)
{
    ScratchDir dir("catalogue");
    int scenarios = 0;
    for (const auto& e : fs::directory_iterator(SourcePath("scenarios")))
    {
        if (e.path().extension() != ".yaml")
        {
            continue;
        }
        ++scenarios;
        const Finished f = RunProgram(Runner(), {"--check", e.path().string()}, dir / "check");
        EXPECT_EQ(f.status, 0) << e.path() << ": " << f.err;
    }
    EXPECT_GE(scenarios, 5); // default + the catalogue
}

TEST(WorkflowCatalogue, EveryExampleSweepValidates)
{
    ScratchDir dir("catalogue-sweeps");
    const std::map<std::string, size_t> runsOf
        = {{"profiles-loss.yaml", 80}, {"trackers-nat.yaml", 36}, {"profiles-coverage.yaml", 36}};
    int sweeps = 0;
    for (const auto& e : fs::directory_iterator(SourcePath("scenarios/sweeps")))
    {
        ++sweeps;
        const Finished f = RunProgram(kPython,
                                      {SourcePath("analysis/sweep.py"), e.path().string(),
                                       "--check", "--lpwan-run", Runner(), "--out", dir / "unused"},
                                      dir / "check");
        EXPECT_EQ(f.status, 0) << e.path() << ": " << f.err;
        const auto expected = runsOf.find(e.path().filename().string());
        if (expected != runsOf.end())
        {
            EXPECT_EQ(Lines(f.out).size(), expected->second) << e.path();
        }
    }
    EXPECT_GE(sweeps, 3);
    EXPECT_FALSE(fs::exists(dir / "unused")) << "--check ran something";
}

// Issue 19: a sweep file must be a regular file of at most 1 MiB, like a scenario file: a FIFO
// would block the open, /dev/zero would grow without end.
TEST(WorkflowBadSweepFile, NotARegularFileOrTooLargeIsOneLineError)
{
    ScratchDir dir("bad-sweep-file");
    const std::string fifo = dir / "sweep.fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    const std::string large = dir / "large.yaml";
    WriteText(large, "# " + std::string((1u << 20) - 1, 'x') + "\n");
    const std::pair<std::string, std::string> cases[] = {
        {fifo, ": not a regular file (a sweep file must be one)"},
        {dir.Path(), ": not a regular file (a sweep file must be one)"},
        {"/dev/zero", ": not a regular file (a sweep file must be one)"},
        {large, ": 1048578 bytes: a sweep file may have at most 1048576 bytes (1 MiB)"},
    };
    for (const auto& [file, error] : cases)
    {
        const Finished f
            = RunProgram(kPython,
                         {SourcePath("analysis/sweep.py"), file, "--out", dir / "out",
                          "--lpwan-run", Runner(), "--scenario-dir", SourcePath("scenarios")},
                         dir / "sweep");
        EXPECT_EQ(f.status, 2) << file;
        EXPECT_EQ(f.err, "lpwan sweep: " + file + error + "\n");
        EXPECT_FALSE(fs::exists(dir / "out")) << file;
    }
}
