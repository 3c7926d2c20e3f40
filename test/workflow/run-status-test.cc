// A run directory says whether its run finished: run-status reads "running" from the start and
// "complete" once every trace is written. A run killed on the way keeps "running", and the
// tools that read run directories (./lpwan plot here) refuse it instead of plotting half a run.
#include "workflow-test-util.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>

using namespace workflow_test;

TEST(WorkflowRunStatus, AFinishedRunIsMarkedComplete)
{
    ScratchDir dir("run-status-done");
    const Finished run
        = RunProgram(Runner(),
                     {"--scenario-dir", SourcePath("scenarios"), "lpwan-star", "--set",
                      "devices.count=3", "--set", "simulation.duration_s=3600", "--set",
                      "trace.progress=false", "--out", dir / "run"},
                     dir / "run");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(ReadText(dir / "run/run-status"), "complete\n");
}

TEST(WorkflowRunStatus, AKilledRunIsMarkedAndPlotRefusesIt)
{
    ScratchDir dir("run-status-killed");
    const std::string out = dir / "killed";
    // 10,000 meters for a day: a run of many seconds, killed a moment after it started.
    interop_test::ChildProcess run(Runner(),
                                   {"--scenario-dir", SourcePath("scenarios"), "nbiot-dense-cell",
                                    "--set", "trace.progress=false", "--out", out},
                                   dir / "killed-run");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!fs::exists(out + "/run-status") && std::chrono::steady_clock::now() < deadline)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    run.Signal(SIGKILL);
    run.Wait(10);
    ASSERT_EQ(ReadText(out + "/run-status"), "running\n");

    const Finished plot = RunProgram(kPython, {SourcePath("analysis/plot.py"), out}, dir / "plot");
    EXPECT_EQ(plot.status, 2);
    EXPECT_EQ(plot.err, "lpwan plot: " + out
                            + ": the run did not finish (run-status says 'running'); run it "
                              "again\n");
}
