// ./lpwan sweep interrupted and started again: the example sweep of security profile × loss ×
// 5 seeds (scenarios/sweeps/profiles-loss.yaml, shrunk with --set to tiny runs) is stopped
// by SIGTERM, or killed outright, part-way through, then resumed with the same command.
// Every run must finish exactly once (a wrapper around lpwan-run logs each invocation), no
// run may outlive the sweep, and the tables must be complete and equal to those of a sweep
// that was never interrupted.
#include "workflow-test-util.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <set>
#include <thread>

using namespace workflow_test;

namespace
{

const std::string kSweep = SourcePath("scenarios/sweeps/profiles-loss.yaml");
const int kPoints = 16; // 4 profiles × 4 loss rates
const int kSeeds = 5;

/// lpwan-run behind a script that appends its command line to log first.
std::string
LoggingRunner(const ScratchDir& dir, const std::string& log)
{
    const std::string path = dir / "lpwan-run-logged";
    WriteText(path, "#!/bin/sh\necho \"$*\" >> " + Quote(log) + "\nexec " + Quote(Runner())
                        + " \"$@\"\n");
    fs::permissions(path, fs::perms::owner_all);
    return path;
}

std::vector<std::string>
SweepArgs(const std::string& out, const std::string& runner)
{
    return {SourcePath("analysis/sweep.py"),
            kSweep,
            "--jobs",
            "2",
            "--out",
            out,
            "--lpwan-run",
            runner,
            "--set",
            "devices.count=3",
            "--set",
            "simulation.duration_s=1800"};
}

int
CountSubstring(const std::string& text, const std::string& needle)
{
    int n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    {
        ++n;
    }
    return n;
}

/// Starts the sweep, waits for `finishedBefore` runs to finish, sends signal; returns the
/// sweep's exit status.
int
InterruptSweep(const std::string& out, const std::string& runner, const std::string& prefix,
               int signal, int finishedBefore)
{
    interop_test::ChildProcess sweep(kPython, SweepArgs(out, runner), prefix);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (CountSubstring(sweep.Stderr(), " done: ") < finishedBefore
           && std::chrono::steady_clock::now() < deadline)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    sweep.Signal(signal);
    const int status = sweep.Wait(30).value_or(-1);
    if (status != 128 + signal)
    {
        ADD_FAILURE() << "sweep exit status " << status << "\n" << sweep.Stderr();
    }
    return status;
}

/// Waits (up to timeoutS) until no process mentions text; true when none does.
bool
NoProcessLeft(const std::string& text, double timeoutS = 5)
{
    for (int i = 0; i < timeoutS * 100; ++i)
    {
        if (ProcessesMentioning(text) == 0)
        {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

/// The run directories below out/runs that hold a completion marker.
std::set<std::string>
CompletedRuns(const std::string& out)
{
    std::set<std::string> dirs;
    for (const auto& marker : FindFiles(out + "/runs", "complete.json"))
    {
        dirs.insert(fs::path(marker).parent_path().string());
    }
    return dirs;
}

void
ExpectCompleteTables(const std::string& out)
{
    const auto runs = ReadCsv(out + "/runs.csv");
    ASSERT_EQ(runs.size(), static_cast<size_t>(kPoints * kSeeds));
    std::set<std::pair<std::string, std::string>> seen;
    std::map<std::string, int> perPoint;
    for (const auto& r : runs)
    {
        EXPECT_TRUE(seen.insert({r.at("point"), r.at("seed")}).second)
            << r.at("point") << " seed " << r.at("seed") << " twice";
        ++perPoint[r.at("point")];
        EXPECT_TRUE(fs::exists(out + "/" + r.at("dir_in_sweep") + "/summary.json"))
            << r.at("dir_in_sweep");
        EXPECT_TRUE(fs::exists(out + "/" + r.at("dir_in_sweep") + "/messages.csv"))
            << r.at("dir_in_sweep");
        EXPECT_EQ(std::stoi(r.at("messages.sent")),
                  std::stoi(r.at("messages.delivered")) + std::stoi(r.at("messages.lost")));
        EXPECT_EQ(r.at("point"), "security.profile=" + r.at("security.profile")
                                     + ",link.loss=" + r.at("link.loss"));
    }
    EXPECT_EQ(perPoint.size(), static_cast<size_t>(kPoints));
    const auto points = ReadCsv(out + "/points.csv");
    ASSERT_EQ(points.size(), static_cast<size_t>(kPoints));
    for (const auto& p : points)
    {
        EXPECT_EQ(p.at("runs"), std::to_string(kSeeds));
        EXPECT_EQ(perPoint[p.at("point")], kSeeds);
        EXPECT_FALSE(p.at("bytes.on_air_per_delivered_message.mean").empty());
        EXPECT_FALSE(p.at("bytes.on_air_per_delivered_message.ci95").empty());
        EXPECT_GT(std::stod(p.at("messages.sent.mean")), 0);
    }
}

} // namespace

TEST(WorkflowSweep, SigtermMidwayThenResumeRunsEveryRunExactlyOnce)
{
    ScratchDir dir("sweep-sigterm");
    const std::string log = dir / "invocations.log";
    const std::string runner = LoggingRunner(dir, log);
    const std::string out = dir / "sweep";

    InterruptSweep(out, runner, dir / "first", SIGTERM, 3);
    EXPECT_TRUE(NoProcessLeft(out)) << "a run outlived the interrupted sweep";
    const std::set<std::string> before = CompletedRuns(out);
    EXPECT_GE(before.size(), 3u);
    EXPECT_LT(before.size(), static_cast<size_t>(kPoints * kSeeds)) << "not interrupted";
    EXPECT_FALSE(fs::exists(out + "/runs.csv")) << "tables of an unfinished sweep";

    const Finished resumed = RunProgram(kPython, SweepArgs(out, runner), dir / "second");
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_NE(resumed.err.find(std::to_string(before.size()) + " of 80 runs already finished"),
              std::string::npos)
        << resumed.err;

    // Each run directory: lpwan-run ran for it once, or twice when the first one was stopped
    // before it finished; never again once it had finished.
    const std::string invocations = ReadText(log);
    const std::set<std::string> after = CompletedRuns(out);
    EXPECT_EQ(after.size(), static_cast<size_t>(kPoints * kSeeds));
    for (const auto& runDir : after)
    {
        const int n = CountSubstring(invocations, "--out " + runDir + " ");
        if (before.count(runDir))
        {
            EXPECT_EQ(n, 1) << runDir << " finished before the interruption, yet ran " << n;
        }
        else
        {
            EXPECT_GE(n, 1) << runDir;
            EXPECT_LE(n, 2) << runDir;
        }
    }
    ExpectCompleteTables(out);

    // Resuming lost and changed nothing: the tables equal an uninterrupted sweep's.
    const std::string reference = dir / "reference";
    const Finished straight
        = RunProgram(kPython, SweepArgs(reference, Runner()), dir / "reference");
    ASSERT_EQ(straight.status, 0) << straight.err;
    EXPECT_EQ(ReadText(out + "/runs.csv"), ReadText(reference + "/runs.csv"));
    EXPECT_EQ(ReadText(out + "/points.csv"), ReadText(reference + "/points.csv"));

    // A third start finds everything finished and runs nothing.
    const size_t invocationsBefore = Lines(ReadText(log)).size();
    const Finished again = RunProgram(kPython, SweepArgs(out, runner), dir / "third");
    ASSERT_EQ(again.status, 0) << again.err;
    const auto lines = Lines(ReadText(log));
    for (size_t i = invocationsBefore; i < lines.size(); ++i)
    {
        EXPECT_EQ(lines[i].find("--out"), std::string::npos) << "ran again: " << lines[i];
    }
}

TEST(WorkflowSweep, KilledSweepTakesItsRunsAlongAndResumes)
{
    // Runs of about 1.5 s each, so that one which outlived the sweep would still be there.
    ScratchDir dir("sweep-sigkill");
    const std::string file = dir / "slow.yaml";
    WriteText(file,
              "set:\n  devices.count: 150\n  simulation.duration_s: 3600\n"
              "grid:\n  security.profile: [dtls-ecdhe]\nseeds: 2\n");
    const std::string out = dir / "sweep";
    const std::vector<std::string> args{SourcePath("analysis/sweep.py"),
                                        file,
                                        "--jobs",
                                        "2",
                                        "--out",
                                        out,
                                        "--lpwan-run",
                                        Runner()};
    {
        interop_test::ChildProcess sweep(kPython, args, dir / "first");
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (FindFiles(out + "/runs", "lpwan-run.log").size() < 2
               && std::chrono::steady_clock::now() < deadline)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ASSERT_EQ(ProcessesMentioning(out + "/runs/"), 2) << "both runs should be running";
        sweep.Signal(SIGKILL); // cannot be caught: the runs die through PR_SET_PDEATHSIG
        EXPECT_EQ(sweep.Wait(10).value_or(-1), 128 + SIGKILL);
    }
    EXPECT_TRUE(NoProcessLeft(out, 0.5)) << "a run outlived the killed sweep";
    EXPECT_TRUE(CompletedRuns(out).empty());

    const Finished resumed = RunProgram(kPython, args, dir / "second");
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_EQ(CompletedRuns(out).size(), 2u);
    const auto runs = ReadCsv(out + "/runs.csv");
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].at("seed"), "1");
    EXPECT_EQ(runs[1].at("seed"), "2");
    for (const auto& r : runs)
    {
        EXPECT_GT(std::stoi(r.at("messages.sent")), 0);
        EXPECT_GT(std::stoi(r.at("handshakes.completed")), 0);
    }
}
