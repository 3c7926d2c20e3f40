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
 */
#ifndef LPWAN_NBIOT_TOPOLOGY_H
#define LPWAN_NBIOT_TOPOLOGY_H

#include "nbiot-helper.h"
#include "scenario-config.h"

#include "ns3/net-device-container.h"
#include "ns3/node-container.h"

#include <nlohmann/json.hpp>

#include <memory>

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

} // namespace ns3

#endif // LPWAN_NBIOT_TOPOLOGY_H
