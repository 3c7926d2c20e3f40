#include "memory-estimate.h"

#include "profiles/profile-registry.h"
#include "profiles/security-profile.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace ns3
{

namespace
{

// Fitted to the peak resident memory (perf.json peak_memory_mib, getrusage's ru_maxrss) of
// Release runs with one report per device, measured with
//
//   build/bin/lpwan-run scenarios/lpwan-star.yaml --set security.profile=P
//       --set devices.count=N --set simulation.duration_s=3600 --out DIR
//
// for N = 250, 1000 and 4000 and every profile P, the same on scenarios/default.yaml (an
// NB-IoT cell) and with --set topology.generator=gateways --set topology.gateways=4
// --set devices.count=N/4. Peaks in MiB (star / NB-IoT cell / 4 gateways):
//
//   profile        N=1000                N=4000
//   none           49.5 /  53.9 /  58.2  111.4 / 128.3 / 138.2
//   oscore         51.4 /  56.2 /  60.2  117.8 / 137.1 / 144.3
//   edhoc-oscore   54.0 /  58.2 /  62.9  127.2 / 155.0 / 154.0
//   dtls-psk      126.5 / 134.7 / 135.3  417.0 / 320.9 / 444.0
//   dtls-ecdhe    117.5 / 125.6 / 143.1  297.8 / 326.1 / 474.3
//   tls-mqtt      142.9 / 130.5 / 152.3  480.2 / 408.6 / 508.0
//   oscore-dtls   128.0 / 138.7 / 137.1  423.0 / 325.7 / 450.0
//
// Slopes between 1,000 and 4,000 devices, KiB per device (star / cell / gateways):
//
//   none 21.1 / 25.4 / 27.3          oscore 22.7 / 27.6 / 28.7
//   edhoc-oscore 25.0 / 33.0 / 31.1  dtls-psk 99.2 / 63.6 / 105.4
//   dtls-ecdhe 61.5 / 68.4 / 113.0   oscore-dtls 100.7 / 63.8 / 106.8
//   tls-mqtt 115.1 / 94.9 / 121.4
//
// A profile's figure (SecurityProfile::GetDeviceMemoryKiB) is near its star slope, the DTLS
// profiles' one figure between their runs (their peak grows with the handshake flights queued
// on a congested star); a cell and a topology add the figures below. With them the estimate
// of every run above is 0.84 to 1.27 times its measured peak. One device: 24.4 MiB
// (--set devices.count=1). Hubs: topology.generator=gateways with topology.gateways=250 and
// 1000, devices.count=1: 40.8 and 87.9 MiB, 65 KiB per gateway and its device (about 35 of
// them the device's). Reports: 10 devices, --set
// traffic.interval_s=10 --set link.loss=0 --set simulation.duration_s=100000 and 1000000:
// 27.3 and 47.9 MiB for 100,000 and 1,000,000 reports, 24 bytes a report.

/// A run of one device, whatever its profile.
constexpr double kBaseMiB = 25;
/// Added per device in an NB-IoT / LTE-M cell (its UE, energy model, coverage figures):
/// 4,000 devices without security, 128.3 MiB in a cell and 111.4 on the star.
constexpr double kCellularDeviceKiB = 4;
/// Added per device of a topology run (the graph, its routes, the hub's per-device state):
/// 1,000 devices without security, 58.2 MiB behind four gateways and 49.5 on the star.
constexpr double kTopologyDeviceKiB = 10;
/// Per gateway or cell (node, stack, links, routes): 65 KiB per gateway with its device.
constexpr double kHubKiB = 30;
/// Per report: the latency kept for the percentiles (a double, in a vector that doubles).
constexpr double kReportBytes = 24;

double
MemAvailableMiB()
{
    std::ifstream in("/proc/meminfo");
    std::string key;
    double kib = 0;
    std::string unit;
    while (in >> key >> kib >> unit)
    {
        if (key == "MemAvailable:")
        {
            return kib / 1024;
        }
    }
    return 0;
}

} // namespace

MemoryLimit
MemoryLimit::OfThisMachine()
{
    MemoryLimit limit;
    limit.mib = MemAvailableMiB();
    limit.source
        = "available on this machine (MemAvailable; lpwan-run --memory-limit sets another limit)";
    if (limit.mib <= 0)
    {
        const long pages = sysconf(_SC_PHYS_PAGES);
        const long pageSize = sysconf(_SC_PAGE_SIZE);
        limit.mib = pages > 0 && pageSize > 0
                        ? static_cast<double>(pages) * static_cast<double>(pageSize) / 1048576
                        : 0;
        limit.source = "of physical memory";
    }
    // A container's own limit (cgroup v2) when it is lower.
    std::ifstream cgroup("/sys/fs/cgroup/memory.max");
    double bytes = 0;
    if (cgroup >> bytes && bytes > 0 && (limit.mib <= 0 || bytes / 1048576 < limit.mib))
    {
        limit.mib = bytes / 1048576;
        limit.source = "allowed by the cgroup (memory.max)";
    }
    return limit;
}

MemoryLimit
MemoryLimit::Given(double mib, const std::string& source)
{
    return MemoryLimit{mib, source};
}

MemoryEstimate
EstimateRunMemory(const RunSize& size, const SecurityProfile& profile)
{
    const double deviceKiB
        = profile.GetDeviceMemoryKiB() + (size.topology ? kTopologyDeviceKiB : 0);
    MemoryEstimate e;
    e.devicesMiB = (static_cast<double>(size.devices) * deviceKiB
                    + static_cast<double>(size.cellularDevices) * kCellularDeviceKiB
                    + static_cast<double>(size.hubs) * kHubKiB)
                   / 1024;
    e.reportsMiB = size.reports * kReportBytes / 1048576;
    e.totalMiB = kBaseMiB + e.devicesMiB + e.reportsMiB;
    return e;
}

static double
Reports(const ScenarioConfig& c, uint64_t devices)
{
    // The first report of each device in [0, interval), then one per interval.
    const double perDevice
        = std::floor(c.GetReal("simulation.duration_s") / c.GetReal("traffic.interval_s")) + 1;
    return perDevice * static_cast<double>(devices);
}

RunSize
BuiltInNetworkSize(const ScenarioConfig& c)
{
    RunSize s;
    s.devices = static_cast<uint64_t>(c.GetInteger("devices.count"));
    const bool cellular = c.GetText("link.kind") != "lpwan";
    s.cellularDevices = cellular ? s.devices : 0;
    s.hubs = cellular ? static_cast<uint64_t>(c.GetInteger("nbiot.cells")) : 1;
    s.reports = Reports(c, s.devices);
    return s;
}

RunSize
TopologyRunSize(const ScenarioConfig& c, const topology::TopologyCensus& census)
{
    RunSize s;
    s.devices = census.devices;
    s.cellularDevices = census.cellularDevices;
    s.hubs = census.hubs;
    s.topology = true;
    s.reports = Reports(c, s.devices);
    return s;
}

std::optional<std::string>
CheckRunMemory(const ScenarioConfig& c, const RunSize& size, const std::string& what,
               const MemoryLimit& limit, MemoryEstimate* estimate)
{
    const MemoryEstimate e = EstimateRunMemory(size, GetSecurityProfile(c));
    if (estimate != nullptr)
    {
        *estimate = e;
    }
    if (e.totalMiB <= limit.mib)
    {
        return std::nullopt;
    }
    std::ostringstream os;
    os.precision(0);
    os << std::fixed << what << " would need about " << e.totalMiB << " MiB of memory with "
       << c.GetText("security.profile") << " (" << e.devicesMiB << " MiB for the devices, "
       << e.reportsMiB << " MiB for " << std::setprecision(3) << std::defaultfloat << size.reports
       << " reports' figures), more than the " << std::setprecision(0) << std::fixed << limit.mib
       << " MiB " << limit.source;
    return os.str();
}

} // namespace ns3
