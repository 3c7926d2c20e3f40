/*
 * The cellular variant of a scenario's radio network (link.kind = nbiot or ltem): NB-IoT or
 * LTE-M cells whose base stations sit on the gateway node (base station + core network), the
 * meters placed around them and camped on their best cell, and the figures the run reports
 * about the cells (summary.json "nbiot").
 *
 * Placement: nbiot.cells cells on a line, nbiot.inter_site_distance_m apart; meter i is drawn
 * uniformly in a disc of nbiot.cell_radius_m around cell (i mod cells). Coupling loss: the
 * propagation model's loss to each cell + a per-meter building penetration loss
 * (nbiot.penetration_loss_db) and log-normal shadowing (nbiot.shadowing_db) - the antenna
 * gains (nbiot.antenna_gain_db); or nbiot.coupling_loss_db for every meter when it is > 0.
 *
 * The same nbiot.* keys configure the cells of a topology (hubs with nbiot or ltem radio
 * links, helper/topology-helper.h): ConfigureNbIotHelper sets up every cell's NbIotHelper on
 * both paths; TopologyCellParamsOf passes it, with the placement keys, to TopologyHelper.
 */
#ifndef LPWAN_NBIOT_TOPOLOGY_H
#define LPWAN_NBIOT_TOPOLOGY_H

#include "nbiot-helper.h"
#include "scenario-config.h"
#include "topology-helper.h"

#include "ns3/net-device-container.h"
#include "ns3/node-container.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace ns3
{

class LinkAccounting;
class MessageLedger;

struct NbIotNetwork
{
    std::shared_ptr<NbIotHelper> helper;
    NetDeviceContainer enbs; ///< base stations (on the gateway node), one per cell
    NetDeviceContainer ues;  ///< one per meter, in meter order
};

/// True when link.kind selects a cellular network.
bool IsCellularLink(const ScenarioConfig& c);

/**
 * Sets an NbIotHelper's channel and UE attributes and its coupling loss from the nbiot.* keys
 * (link.mtu and link.queue_packets for the UEs), for cells of technology "nbiot" or "ltem".
 * additionalLoss: the per-UE building penetration + shadowing draw to use; null: a new one on
 * its fixed stream. Returns the one set (null with nbiot.coupling_loss_db > 0, which replaces
 * propagation and additional loss).
 */
Ptr<RandomVariableStream> ConfigureNbIotHelper(const ScenarioConfig& c,
                                               const std::string& technology, NbIotHelper& h,
                                               Ptr<RandomVariableStream> additionalLoss);

/// TopologyHelper's cells from the nbiot.* keys: ConfigureNbIotHelper for every cell (one
/// additional-loss draw shared by all), nbiot.inter_site_distance_m, nbiot.enb_height_m and
/// nbiot.cell_radius_m for the placement. c must outlive the TopologyHelper's Install.
TopologyCellParams TopologyCellParamsOf(const ScenarioConfig& c);

/// Cells on the gateway node and a UE on every device node (before the Internet stack).
NbIotNetwork BuildNbIotNetwork(const ScenarioConfig& c, Ptr<Node> gateway, NodeContainer devices);

/// Addresses and routes (after the Internet stack): cell k uses 10.k.0.0/16.
void AssignNbIotAddresses(NbIotNetwork& net);

/// Fixed random streams: one per UE from `stream` on (and the placement's).
void AssignNbIotStreams(NbIotNetwork& net, int64_t stream);

/// Byte accounting of every cell's frames.
void AttachNbIotAccounting(NbIotNetwork& net, Ptr<LinkAccounting> accounting,
                           Ptr<MessageLedger> ledger);

/// summary.json "nbiot": coverage levels, random access, connections, retransmissions, queues.
nlohmann::json NbIotSummary(const ScenarioConfig& c, const NbIotNetwork& net);
/// The same, for cells of the given technology ("nbiot", "ltem", or "nbiot+ltem"); only
/// net.enbs and net.ues are read.
nlohmann::json NbIotSummary(const std::string& technology, const NbIotNetwork& net);

} // namespace ns3

#endif // LPWAN_NBIOT_TOPOLOGY_H
