// analysis/messages_report.py on a cell: the reports' own bytes per delivered report plus the
// signalling that belongs to no report add up to summary.json's figure, and the report says so
// (it used to print a smaller figure than the summary without saying why).
#include "workflow-test-util.h"

#include <gtest/gtest.h>

#include <regex>

using namespace workflow_test;

TEST(WorkflowMessagesReport, ReportBytesPlusSignallingAreTheSummarysFigure)
{
    ScratchDir dir("messages-report");
    const std::string out = dir / "run";
    const Finished run
        = RunProgram(Runner(),
                     {"--scenario-dir", SourcePath("scenarios"), "default", "--set",
                      "devices.count=10", "--set", "simulation.duration_s=7200", "--out", out},
                     dir / "run");
    ASSERT_EQ(run.status, 0) << run.err;
    const Finished f
        = RunProgram(kPython, {SourcePath("analysis/messages_report.py"), out}, dir / "report");
    ASSERT_EQ(f.status, 0) << f.err;
    std::smatch own;
    std::smatch all;
    ASSERT_TRUE(std::regex_search(f.out, own,
                                  std::regex(R"(on-air bytes per delivered message: ([0-9.]+))")))
        << f.out;
    ASSERT_TRUE(std::regex_search(
        f.out, all,
        std::regex(
            R"(\(([0-9]+) bytes of signalling, ([0-9.]+) per delivered report\): ([0-9.]+) )")))
        << f.out;
    EXPECT_GT(std::stod(all[1].str()), 0) << "a cell's random access and RRC belong to no report";
    EXPECT_NEAR(std::stod(own[1].str()) + std::stod(all[2].str()), std::stod(all[3].str()), 0.11);
    const std::string summary = ReadText(out + "/summary.json");
    EXPECT_NE(summary.find("\"unattributed_total\": " + all[1].str()), std::string::npos);
}
