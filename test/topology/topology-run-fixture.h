// Small topology scenarios run in-process, and their per-device exposure file.
#ifndef LPWAN_TEST_TOPOLOGY_RUN_FIXTURE_H
#define LPWAN_TEST_TOPOLOGY_RUN_FIXTURE_H

#include "scenario-validation.h"
#include "scenario/scenario-run-fixture.h"

#include <map>
#include <string>
#include <vector>

namespace lpwantest
{

/// A topology file shipped in scenarios/topologies/.
inline std::string
TopologyFile(const std::string& name)
{
    return std::string(LPWAN_SOURCE_DIR) + "/scenarios/topologies/" + name;
}

/// One hour of reports every 10 minutes over a lossless radio, plus the overrides.
inline ns3::ScenarioConfig
TopologyScenario(const std::vector<std::string>& overrides)
{
    ns3::ScenarioConfig c;
    for (const char* o : {"traffic.interval_s=600", "simulation.duration_s=3600",
                          "trace.progress=false", "link.loss=0", "coap.ack_timeout_s=4"})
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

/// The campus topology (three gateways, gw2 and gw3 behind the router agg) with overrides.
inline ns3::ScenarioConfig
Campus(std::vector<std::string> overrides)
{
    overrides.insert(overrides.begin(), "topology.file=" + TopologyFile("campus.dot"));
    return TopologyScenario(overrides);
}

/// The ScenarioError message of a configuration (validated as a run validates it, topology
/// included), "" if it validates.
inline std::string
ConfigError(const std::vector<std::string>& overrides)
{
    try
    {
        ns3::ScenarioConfig c;
        c.ApplyOverride("trace.progress=false");
        for (const auto& o : overrides)
        {
            c.ApplyOverride(o);
        }
        ns3::ValidateScenario(c);
    }
    catch (const ns3::ScenarioError& e)
    {
        return e.what();
    }
    return "";
}

/// exposure-devices.csv by device name: predicted_payload_exposed and plaintext_reports_read.
struct DeviceExposureRow
{
    bool predicted = false;
    uint64_t reportsRead = 0;
    std::string hub;
};

inline std::map<std::string, DeviceExposureRow>
ReadDeviceExposure(const std::string& dir)
{
    auto rows = ReadCsv(dir + "/exposure-devices.csv");
    std::map<std::string, DeviceExposureRow> out;
    if (rows.empty())
    {
        ADD_FAILURE() << "no exposure-devices.csv in " << dir;
        return out;
    }
    size_t name = ColumnIndex(rows[0], "name");
    size_t hub = ColumnIndex(rows[0], "hub");
    size_t predicted = ColumnIndex(rows[0], "predicted_payload_exposed");
    size_t read = ColumnIndex(rows[0], "plaintext_reports_read");
    for (size_t i = 1; i < rows.size(); ++i)
    {
        DeviceExposureRow r;
        r.predicted = rows[i][predicted] == "1";
        r.reportsRead = std::stoull(rows[i][read]);
        r.hub = rows[i][hub];
        out[rows[i][name]] = r;
    }
    return out;
}

} // namespace lpwantest

#endif
