// Pinned traces of the catalogue: each case of golden-traces.tsv runs through lpwan-run (seed 1,
// shortened where the scenario is long) and the SHA-256 of its summary.json, messages.csv and
// energy.csv must equal the recorded ones. This is what keeps a refactor honest: a change that
// moves one byte of one trace fails here. An intended change is recorded with
//   LPWAN_GOLDEN_UPDATE=1 build/bin/lpwan-scenario-tests --gtest_filter='CatalogueGoldenTable*'
// and each difference is explained in the commit.
#include <gtest/gtest.h>
#include <mbedtls/sha256.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace
{

const char* const kTable = LPWAN_SOURCE_DIR "/test/scenario/golden-traces.tsv";
const char* const kTraces[] = {"summary.json", "messages.csv", "energy.csv"};

struct GoldenCase
{
    std::string name;
    std::string args;
    std::vector<std::string> hashes; ///< one per kTraces entry once recorded
};

std::vector<std::string>
SplitTabs(const std::string& line)
{
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, '\t'))
    {
        fields.push_back(f);
    }
    return fields;
}

/// The table's comment lines (kept when it is rewritten) and its cases.
std::vector<GoldenCase>
ReadTable(std::vector<std::string>* comments = nullptr)
{
    std::vector<GoldenCase> cases;
    std::ifstream in(kTable);
    std::string line;
    while (std::getline(in, line))
    {
        if (line.empty() || line[0] == '#')
        {
            if (comments)
            {
                comments->push_back(line);
            }
            continue;
        }
        std::vector<std::string> f = SplitTabs(line);
        GoldenCase c;
        c.name = f.at(0);
        c.args = f.at(1);
        c.hashes.assign(f.begin() + 2, f.end());
        cases.push_back(c);
    }
    return cases;
}

std::string
Sha256OfFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return "-";
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    std::array<unsigned char, 32> digest{};
    mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                       digest.data(), 0);
    std::string hex;
    char buf[3];
    for (unsigned char b : digest)
    {
        std::snprintf(buf, sizeof buf, "%02x", b);
        hex += buf;
    }
    return hex;
}

/// Runs one case; returns the hashes of its traces, or an empty vector if lpwan-run failed.
std::vector<std::string>
RunCase(const GoldenCase& c, std::string* error)
{
    const std::string out = std::string(LPWAN_BINARY_DIR) + "/test-output/golden/" + c.name;
    std::filesystem::remove_all(out);
    // From the scenarios folder, with relative paths: the traces name the topology files they
    // read, and must not depend on where the repository is checked out.
    const std::string cmd = std::string("cd ") + LPWAN_SOURCE_DIR + "/scenarios && "
                            + LPWAN_BINARY_DIR + "/bin/lpwan-run --scenario-dir . " + c.args
                            + " --set trace.progress=false --seed 1 --out " + out + " >/dev/null 2>"
                            + out + ".stderr";
    std::filesystem::create_directories(out);
    int status = std::system(cmd.c_str());
    if (status != 0)
    {
        std::ifstream err(out + ".stderr");
        std::stringstream ss;
        ss << err.rdbuf();
        *error = "lpwan-run failed (" + std::to_string(status) + "): " + ss.str();
        return {};
    }
    std::vector<std::string> hashes;
    for (const char* trace : kTraces)
    {
        hashes.push_back(Sha256OfFile(out + "/" + trace));
    }
    return hashes;
}

class CatalogueGolden : public testing::TestWithParam<GoldenCase>
{
};

TEST_P(CatalogueGolden, TracesAreByteIdentical)
{
    const GoldenCase& c = GetParam();
    ASSERT_EQ(c.hashes.size(), std::size(kTraces))
        << c.name << ": no recorded hashes (record them with LPWAN_GOLDEN_UPDATE=1)";
    std::string error;
    std::vector<std::string> now = RunCase(c, &error);
    ASSERT_FALSE(now.empty()) << error;
    for (size_t i = 0; i < now.size(); ++i)
    {
        EXPECT_EQ(now[i], c.hashes[i])
            << c.name << ": " << kTraces[i] << " changed (traces in " << LPWAN_BINARY_DIR
            << "/test-output/golden/" << c.name << ")";
    }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, CatalogueGolden, testing::ValuesIn(ReadTable()),
                         [](const testing::TestParamInfo<GoldenCase>& info)
                         {
                             std::string id;
                             for (char ch : info.param.name)
                             {
                                 id += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                             }
                             return id;
                         });

/// Not a check: with LPWAN_GOLDEN_UPDATE=1 it reruns every case and rewrites the table.
TEST(CatalogueGoldenTable, UpdateWhenAsked)
{
    if (std::getenv("LPWAN_GOLDEN_UPDATE") == nullptr)
    {
        GTEST_SKIP() << "set LPWAN_GOLDEN_UPDATE=1 to record the traces' hashes";
    }
    std::vector<std::string> comments;
    std::vector<GoldenCase> cases = ReadTable(&comments);
    std::ostringstream table;
    for (const auto& line : comments)
    {
        table << line << '\n';
    }
    for (const GoldenCase& c : cases)
    {
        std::string error;
        std::vector<std::string> hashes = RunCase(c, &error);
        ASSERT_FALSE(hashes.empty()) << c.name << ": " << error;
        table << c.name << '\t' << c.args;
        for (const auto& h : hashes)
        {
            table << '\t' << h;
        }
        table << '\n';
    }
    std::ofstream(kTable, std::ios::trunc) << table.str();
}

} // namespace
