/*
 * Generators for the common topology shapes. Every generated topology is validated; its
 * links carry no parameters, so the scenario's link.* (LPWAN radio), nbiot.* (cells) and
 * backhaul.* (p2p) keys apply.
 * Names are fixed so that scenarios can name nodes (adversary.nodes):
 *
 *  star      devices gw-d1..gw-dD -- gw (gateway) -- server: the shape of the default
 *            scenario, as a topology
 *  gateways  G gateways gw1..gwG, each with D devices gwK-d1..gwK-dD, joined by p2p links to
 *            one router "core", itself joined to "server"
 *  chain     a multi-hop chain: server -- gw1 -- gw2 -- ... -- gwG (p2p), each gateway with D
 *            devices; devices of gwK reach the server through gwK-1, ..., gw1
 *  cellular  an NB-IoT access network: G cells cell1..cellG (eNBs of the NB-IoT model, built
 *            by TopologyHelper as real cells) with D devices each over nbiot radio links,
 *            joined to the core router "core" (the EPC), then to the platform gateway
 *            "platform" (an IoT platform front-end: under hop-by-hop security, or with
 *            topology.gateway_proxy, it terminates the devices' DTLS / CoAP hop) and the cloud
 *            "server"
 */
#ifndef LPWAN_TOPOLOGY_GENERATORS_H
#define LPWAN_TOPOLOGY_GENERATORS_H

#include "topology-census.h"
#include "topology.h"

#include <string>

namespace ns3
{
namespace topology
{

Topology MakeStar(uint32_t devices);
Topology MakeGateways(uint32_t gateways, uint32_t devicesPerGateway);
Topology MakeChain(uint32_t gateways, uint32_t devicesPerGateway);
Topology MakeCellular(uint32_t cells, uint32_t devicesPerCell);

/// By name: "star", "gateways", "chain" or "cellular" (star ignores `hubs`). Throws
/// TopologyError for another name or zero hubs or devices. check, when given, sees the
/// topology's census (GeneratorCensus) before anything is built.
Topology Generate(const std::string& name, uint32_t hubs, uint32_t devicesPerHub,
                  const CensusCheck& check = nullptr);

/// The size of what Generate(name, hubs, devicesPerHub) makes, without making it.
TopologyCensus GeneratorCensus(const std::string& name, uint32_t hubs, uint32_t devicesPerHub);

} // namespace topology
} // namespace ns3

#endif // LPWAN_TOPOLOGY_GENERATORS_H
