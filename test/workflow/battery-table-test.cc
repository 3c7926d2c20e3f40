// ./lpwan battery-table (analysis/battery_life_table.py): the 3GPP evaluation cases are run on
// a cell at the case's coupling loss and set beside the reference figures, each marked with its
// source; deeper coverage shortens battery life; a bad option is an error before any run.
#include "workflow-test-util.h"

#include <gtest/gtest.h>

using namespace workflow_test;

namespace
{

std::vector<std::string>
TableArgs(const std::string& out, const std::vector<std::string>& extra)
{
    return TableScriptArgs("analysis/battery_life_table.py", out, extra);
}

} // namespace

TEST(WorkflowBatteryTable, ReferenceFiguresCarryTheirSourceAndCoverageShortensLife)
{
    ScratchDir dir("battery-table");
    const std::string out = dir / "out";
    const Finished f = RunProgram(
        kPython,
        TableArgs(out, {"--devices", "2", "--cases", "200B_2h,50B_1d", "--losses", "144,164"}),
        dir / "table", 300);
    ASSERT_EQ(f.status, 0) << f.err;

    const auto rows = ReadCsv(out + "/battery-life.csv");
    ASSERT_EQ(rows.size(), 4u);
    std::map<std::string, double> years;
    for (const auto& r : rows)
    {
        const std::string key = r.at("case") + "@" + r.at("coupling_loss_db");
        years[key] = std::stod(r.at("battery_life_years.mean"));
        EXPECT_EQ(r.at("messages.delivered"), r.at("messages.sent"))
            << key << ": every report of the evaluation case is delivered";
        if (r.at("coupling_loss_db") == "164")
        {
            // The two figures quoted from the 3GPP study by a citable source.
            EXPECT_EQ(r.at("ce"), "ce2");
            EXPECT_EQ(r.at("reference_source"), "sauter");
            EXPECT_DOUBLE_EQ(std::stod(r.at("reference_years")),
                             r.at("case") == "200B_2h" ? 1.7 : 18.1);
        }
        else
        {
            EXPECT_EQ(r.at("ce"), "ce0");
            EXPECT_EQ(r.at("reference_years"), "") << "no reference figure is at hand for " << key;
        }
    }
    EXPECT_LT(years.at("200B_2h@164"), years.at("200B_2h@144"));
    EXPECT_LT(years.at("50B_1d@164"), years.at("50B_1d@144"));
    // Fewer, smaller reports last longer.
    EXPECT_LT(years.at("200B_2h@164"), years.at("50B_1d@164"));

    const std::string md = ReadText(out + "/battery-life.md");
    EXPECT_NE(md.find("1.7 (sauter)"), std::string::npos) << md;
    EXPECT_NE(md.find("From GSM to LTE-Advanced Pro and 5G"), std::string::npos) << md;
    EXPECT_NE(md.find("online.flipbuilder.com"), std::string::npos) << "where to read it: " << md;
    EXPECT_NE(md.find("for 1.7 years"), std::string::npos) << "the quote itself: " << md;
}

TEST(WorkflowBatteryTable, LteMBeyondItsCoverageHasNoBatteryLifeAndNoNbIotReference)
{
    // LTE-M reaches 156 dB: at 164 dB the meter delivers nothing, which is no battery life to
    // compare; and TR 45.820's NB-IoT figures are not set beside LTE-M at all.
    ScratchDir dir("battery-table-ltem");
    const std::string out = dir / "out";
    const Finished f = RunProgram(kPython,
                                  TableArgs(out, {"--devices", "1", "--cases", "50B_2h", "--losses",
                                                  "144,164", "--set", "link.kind=ltem"}),
                                  dir / "table", 120);
    ASSERT_EQ(f.status, 0) << f.err;
    const auto rows = ReadCsv(out + "/battery-life.csv");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].at("ce"), "ce0");
    EXPECT_GT(std::stod(rows[0].at("battery_life_years.mean")), 0.0);
    EXPECT_EQ(rows[1].at("ce"), "out_of_coverage");
    EXPECT_EQ(rows[1].at("battery_life_years.mean"), "");
    EXPECT_EQ(rows[1].at("messages.delivered"), "0");
    EXPECT_NE(rows[1].at("messages.sent"), "0");
    for (const auto& r : rows)
    {
        EXPECT_EQ(r.at("reference_years"), "");
    }
}

TEST(WorkflowBatteryTable, UnknownCaseIsAnErrorBeforeAnyRun)
{
    ScratchDir dir("battery-table-bad");
    const std::string out = dir / "out";
    const Finished f = RunProgram(kPython, TableArgs(out, {"--cases", "50B_3h"}), dir / "table");
    EXPECT_EQ(f.status, 2);
    EXPECT_NE(
        f.err.find("--cases: unknown case '50B_3h' (known: 50B_2h, 200B_1d, 200B_2h, 50B_1d)"),
        std::string::npos)
        << f.err;
    EXPECT_FALSE(fs::exists(out));
}

// A reference figure must say where to read it: one whose source lacks a citation, an address
// or the quoted sentence is refused before any run (no figure written from memory again).
TEST(WorkflowBatteryTable, AReferenceWithoutItsSourceIsRefused)
{
    ScratchDir dir("battery-table-unsourced");
    const std::string out = dir / "out";
    const std::string references = dir / "references.json";
    WriteText(references, R"({
  "document": "3GPP TR 45.820",
  "sources": {"memory": {"citation": "recalled", "where": "", "quote": ""}},
  "coupling_loss_inferred": "",
  "years": {"50B_2h": {"144": {"years": 22.4, "source": "memory"}}}
})");
    const Finished f = RunProgram(
        kPython,
        TableArgs(out, {"--cases", "50B_2h", "--losses", "144", "--reference", references}),
        dir / "table");
    EXPECT_EQ(f.status, 2) << f.err;
    EXPECT_NE(
        f.err.find("years.50B_2h.144 names source 'memory' without citation, where and quote"),
        std::string::npos)
        << f.err;
    EXPECT_FALSE(fs::exists(out + "/battery-life.csv"));
}
