// The programs around topologies: lpwan-run refuses a broken topology file with one line
// naming the file and the node (exit status 2), and analysis/exposure_table.py (./lpwan
// exposure) prints the four architectures' exposure table.
#include "support/shell-command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace
{

using Result = lpwantest::ShellResult;

Result
RunCommand(const std::string& cmd)
{
    return lpwantest::RunShellCommand(cmd);
}

std::string
OutputDir(const std::string& name)
{
    std::string dir = std::string(LPWAN_BINARY_DIR) + "/test-output/" + name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

/// The cells of a Markdown table row.
std::vector<std::string>
Cells(const std::string& line)
{
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    std::getline(ss, cell, '|'); // before the first bar
    while (std::getline(ss, cell, '|'))
    {
        cell.erase(0, cell.find_first_not_of(' '));
        cell.erase(cell.find_last_not_of(' ') + 1);
        cells.push_back(cell);
    }
    return cells;
}

} // namespace

TEST(TopologyCli, BrokenTopologyFileExitsWithOneLineNamingFileAndNode)
{
    std::string dir = OutputDir("topology-cli");
    std::string dot = dir + "/typo.dot";
    std::ofstream(dot) << "graph {\n  s [role=server];\n  gw [role=gateway, devices=2];\n"
                          "  gw -- s [kind=p2p, delay=\"20 ms\"];\n}\n";
    std::string yaml = dir + "/typo.yaml";
    std::ofstream(yaml) << "name: typo\ntopology:\n  file: typo.dot\n";
    // The file is found next to the scenario.
    Result r = RunCommand(std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-run " + yaml + " --out " + dir
                          + "/out 2>&1 >/dev/null");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.output, "lpwan-run: " + yaml + ":3: topology.file: " + dot
                            + ": edge 'gw' -- 's': delay='20 ms' is not a duration of 0 or more "
                              "(seconds, or with s, ms, us, ns)\n");
}

TEST(TopologyCli, ExposureTableComparesTheFourArchitectures)
{
    std::string dir = OutputDir("exposure-table");
    Result r
        = RunCommand("/usr/bin/python3 " + std::string(LPWAN_SOURCE_DIR)
                     + "/analysis/exposure_table.py --lpwan-run " + LPWAN_BINARY_DIR
                     + "/bin/lpwan-run --scenario-dir " + LPWAN_SOURCE_DIR + "/scenarios --out "
                     + dir + " --set simulation.duration_s=3600 2>/dev/null");
    ASSERT_EQ(r.status, 0) << r.output;
    std::map<std::string, std::vector<std::string>> rows;
    std::stringstream ss(r.output);
    std::string line;
    while (std::getline(ss, line))
    {
        auto cells = Cells(line);
        if (cells.size() == 11 && cells[0] != "---")
        {
            rows[cells[0]] = cells;
        }
    }
    ASSERT_EQ(rows.size(), 5u) << r.output; // the header and four architectures
    // Columns: 2 reports via adversary, 3 payload read, 5 changes accepted / detected.
    const auto& hop = rows["hop-by-hop DTLS"];
    EXPECT_NE(hop[2], "0");
    EXPECT_EQ(hop[3], hop[2]);
    EXPECT_EQ(hop[5], hop[2] + " / 0");
    for (const char* oscore : {"end-to-end OSCORE", "OSCORE inside hop-by-hop DTLS"})
    {
        const auto& row = rows[oscore];
        EXPECT_EQ(row[2], hop[2]) << oscore;
        EXPECT_EQ(row[3], "0") << oscore;
        EXPECT_EQ(row[5], "0 / " + hop[2]) << oscore;
    }
    EXPECT_TRUE(std::filesystem::exists(dir + "/exposure.md"));
    EXPECT_TRUE(std::filesystem::exists(dir + "/exposure.csv"));
}
