/*
 * The memory a run will need, estimated from the scenario's size before anything is built,
 * and the limit it is held against. ValidateScenario refuses a scenario whose estimate is
 * above the limit with one line naming the key (or topology file) that makes it large, so
 * that keys each within their range cannot multiply into a run that exhausts the machine
 * (topology.gateways=1000 with devices.count=60000 used to grow to 4.6 GB during --check).
 *
 * The figures are fitted to the peak resident memory real runs report (perf.json
 * peak_memory_mib); see memory-estimate.cc for the runs and the fit. Each security profile
 * gives its own cost per device (SecurityProfile::GetDeviceMemoryKiB).
 */
#ifndef LPWAN_MEMORY_ESTIMATE_H
#define LPWAN_MEMORY_ESTIMATE_H

#include "scenario-config.h"
#include "topology/topology-census.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ns3
{

class SecurityProfile;

/// What a run's memory grows with.
struct RunSize
{
    uint64_t devices = 0;         ///< every device
    uint64_t cellularDevices = 0; ///< of those, in NB-IoT / LTE-M cells
    uint64_t hubs = 0;            ///< gateways and cells
    bool topology = false;        ///< a topology run (its graph and routes cost per device)
    double reports = 0;           ///< reports the devices send (each keeps a latency figure)
};

/// The estimate, in MiB, and its largest parts (to name the key that causes it).
struct MemoryEstimate
{
    double totalMiB = 0;
    double devicesMiB = 0; ///< devices and hubs
    double reportsMiB = 0;
};

/// The memory limit and where it comes from (for the message).
struct MemoryLimit
{
    double mib = 0;
    std::string source;

    /// MemAvailable of /proc/meminfo (else the physical memory, sysconf), lowered to the
    /// cgroup's memory.max when the process runs under one.
    static MemoryLimit OfThisMachine();
    /// A limit given on the command line (lpwan-run --memory-limit MiB).
    static MemoryLimit Given(double mib, const std::string& source);
};

MemoryEstimate EstimateRunMemory(const RunSize& size, const SecurityProfile& profile);

/// The size of the scenario's run on the built-in star or cells (no topology).
RunSize BuiltInNetworkSize(const ScenarioConfig& c);
/// The size of a topology run from the topology's census.
RunSize TopologyRunSize(const ScenarioConfig& c, const topology::TopologyCensus& census);

/// Checks a run of this size against the limit: nullopt when it fits, else the reason
/// ("60000000 devices would need about ... MiB of memory; ..."), with what (e.g. "60000000
/// devices (1000 gateways x devices.count 60000)") describing the size. Sets *estimate.
std::optional<std::string> CheckRunMemory(const ScenarioConfig& c, const RunSize& size,
                                          const std::string& what, const MemoryLimit& limit,
                                          MemoryEstimate* estimate);

} // namespace ns3

#endif // LPWAN_MEMORY_ESTIMATE_H
