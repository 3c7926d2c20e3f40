/*
 * How large a topology is, known before it is built: from a generator's arguments, or from a
 * DOT file once read_graphviz has read it and before the devices its hubs generate
 * (devices=N) are made. The runner holds it against the machine's memory (a check that
 * throws), so that a topology too large to run is refused before it is allocated.
 */
#ifndef LPWAN_TOPOLOGY_CENSUS_H
#define LPWAN_TOPOLOGY_CENSUS_H

#include <cstdint>
#include <functional>

namespace ns3
{
namespace topology
{

struct TopologyCensus
{
    uint64_t devices = 0;         ///< declared and generated
    uint64_t cellularDevices = 0; ///< of those, on nbiot or ltem links (in cells)
    uint64_t hubs = 0;            ///< gateways and cells
    uint64_t nodes = 0;           ///< every node, devices included
    uint64_t links = 0;           ///< every link, devices' radio links included
};

/// Called with the census before the topology is built; throws to stop it (the exception
/// reaches the reader's caller unchanged).
using CensusCheck = std::function<void(const TopologyCensus&)>;

} // namespace topology
} // namespace ns3

#endif // LPWAN_TOPOLOGY_CENSUS_H
