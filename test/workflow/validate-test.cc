// ./lpwan validate (analysis/validate.py): every published figure in validation/references.json
// is measured by the probes or the RFC vector tests and is inside its tolerance or a documented
// known deviation; a row that leaves its tolerance makes validate fail and names the row.
#include "workflow-test-util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

using namespace workflow_test;

namespace
{

std::string
BinDir()
{
    return std::string(LPWAN_BINARY_DIR) + "/bin";
}

Finished
Validate(const ScratchDir& dir, const std::string& references, const std::string& out)
{
    return RunProgram(kPython,
                      {SourcePath("analysis/validate.py"), "--bin-dir", BinDir(), "--references",
                       references, "--out", out},
                      dir / "validate", 600);
}

} // namespace

TEST(WorkflowValidate, EveryRowIsInsideItsToleranceOrAKnownDeviation)
{
    ScratchDir dir("validate");
    const std::string out = dir / "out";
    const Finished f = Validate(dir, SourcePath("validation/references.json"), out);
    EXPECT_EQ(f.status, 0) << f.out << f.err;

    const auto references
        = nlohmann::json::parse(ReadText(SourcePath("validation/references.json")));
    const auto rows = ReadCsv(out + "/validation.csv");
    ASSERT_EQ(rows.size(), references["rows"].size() + references["vectors"].size());
    std::set<std::string> seen;
    for (const auto& r : rows)
    {
        seen.insert(r.at("id"));
        const std::string& status = r.at("status");
        EXPECT_TRUE(status == "pass" || status == "known deviation")
            << r.at("id") << ": " << status << " (model " << r.at("model") << ", reference "
            << r.at("reference") << ")";
        EXPECT_FALSE(r.at("source").empty()) << r.at("id");
        EXPECT_FALSE(r.at("location").empty()) << r.at("id");
        if (status == "known deviation")
        {
            EXPECT_FALSE(r.at("deviation").empty()) << r.at("id");
        }
        if (r.at("tolerance") == "exact" && r.at("group") != "vectors")
        {
            EXPECT_TRUE(status == "pass" || !r.at("deviation").empty()) << r.at("id");
        }
    }
    for (const auto& ref : references["rows"])
    {
        EXPECT_TRUE(seen.count(ref["id"].get<std::string>())) << ref["id"];
    }
    EXPECT_TRUE(std::filesystem::exists(out + "/validation.md"));
    EXPECT_TRUE(std::filesystem::exists(out + "/validation.png"));
}

// The same measurements against a reference moved by one byte: the row is out of tolerance,
// validate exits 1 and names it.
TEST(WorkflowValidate, ARowOutsideItsToleranceFailsAndIsNamed)
{
    ScratchDir dir("validate-off");
    auto references = nlohmann::json::parse(ReadText(SourcePath("validation/references.json")));
    nlohmann::json kept = nlohmann::json::array();
    for (auto row : references["rows"])
    {
        if (row["id"] == "overhead.oscore.response")
        {
            row["reference"] = row["reference"].get<int>() + 1;
            kept.push_back(row);
        }
    }
    ASSERT_EQ(kept.size(), 1u);
    references["rows"] = kept;
    references["vectors"] = nlohmann::json::array();
    const std::string path = dir / "references.json";
    WriteText(path, references.dump(1));

    const Finished f = Validate(dir, path, dir / "out");
    EXPECT_EQ(f.status, 1) << f.out << f.err;
    EXPECT_NE(f.err.find("overhead.oscore.response: out of tolerance"), std::string::npos) << f.err;
    const auto rows = ReadCsv(dir / "out" + "/validation.csv");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("status"), "out of tolerance");
}

TEST(WorkflowValidate, AReferencesFileThatIsNotJsonIsOneError)
{
    ScratchDir dir("validate-bad");
    const std::string path = dir / "references.json";
    WriteText(path, "{ not json");
    const Finished f = Validate(dir, path, dir / "out");
    EXPECT_EQ(f.status, 2);
    EXPECT_NE(f.err.find(path), std::string::npos) << f.err;
}
