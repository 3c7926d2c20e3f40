// Runs small scenarios in-process for the end-to-end tests.
#ifndef LPWAN_TEST_SCENARIO_RUN_FIXTURE_H
#define LPWAN_TEST_SCENARIO_RUN_FIXTURE_H

#include "scenario-config.h"
#include "scenario-runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lpwantest
{

/// A small, quick scenario: 20 meters reporting every 10 minutes for 2 hours.
inline ns3::ScenarioConfig
SmallScenario(const std::vector<std::string>& overrides = {})
{
    ns3::ScenarioConfig c;
    for (const char* o : {"devices.count=20", "traffic.interval_s=600",
                          "simulation.duration_s=7200", "trace.progress=false"})
    {
        c.ApplyOverride(o);
    }
    for (const auto& o : overrides)
    {
        c.ApplyOverride(o);
    }
    c.ValidateRelations();
    return c;
}

/// A fresh output directory under the build tree, named after the test.
inline std::string
OutDir(const std::string& name)
{
    std::string dir = std::string(LPWAN_BINARY_DIR) + "/test-output/" + name;
    std::filesystem::remove_all(dir);
    return dir;
}

inline ns3::RunOutcome
RunScenario(const ns3::ScenarioConfig& c, const std::string& outDir)
{
    ns3::ScenarioRunner runner(c, outDir);
    return runner.Run();
}

inline std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// messages.csv as rows of fields (header included).
inline std::vector<std::vector<std::string>>
ReadCsv(const std::string& path)
{
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
    {
        std::vector<std::string> fields;
        std::stringstream ss(line);
        std::string f;
        while (std::getline(ss, f, ','))
        {
            fields.push_back(f);
        }
        if (!line.empty() && line.back() == ',')
        {
            fields.emplace_back();
        }
        rows.push_back(fields);
    }
    return rows;
}

/// Index of a named column in a CSV header row (a test failure if there is none).
inline size_t
ColumnIndex(const std::vector<std::string>& header, const std::string& name)
{
    for (size_t i = 0; i < header.size(); ++i)
    {
        if (header[i] == name)
        {
            return i;
        }
    }
    ADD_FAILURE() << "no column " << name;
    return 0;
}

} // namespace lpwantest

#endif
