/*
 * NbIotHelper: builds NB-IoT (or LTE-M) cells and camps UEs on them.
 *
 *   NbIotHelper nbiot;
 *   nbiot.SetChannelAttribute("Profile", StringValue("nbiot"));
 *   nbiot.SetPropagationLossModel(CreateObject<OkumuraHataPropagationLossModel>());
 *   nbiot.AddCell(gatewayNode, Vector(0, 0, 30));          // one NbIotChannel + base station
 *   NetDeviceContainer ues = nbiot.InstallUes(meterNodes);  // each to its best cell
 *   InternetStackHelper().Install(...);
 *   nbiot.AssignIpv4(Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.0.0"));
 *
 * Coupling loss of a UE to a cell = the propagation model's loss between the UE node's
 * MobilityModel and the cell's position + an additional loss drawn once per UE (building
 * penetration, shadowing) - the antenna gains; or a fixed value for every UE
 * (SetFixedCouplingLoss). A UE camps on the cell with the smallest coupling loss (O(cells) per
 * UE at install time). Cell k's addresses are base + k * 2^16 (one /16 per cell by default):
 * the base station takes host 1, its UEs 2, 3, ... with a default route to it.
 */
#ifndef NBIOT_HELPER_H
#define NBIOT_HELPER_H

#include "nbiot/nbiot-channel.h"
#include "nbiot/nbiot-net-device.h"
#include "nbiot/nbiot-ue-net-device.h"

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-interface-container.h"
#include "ns3/mobility-model.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/random-variable-stream.h"
#include "ns3/trace-helper.h"
#include "ns3/vector.h"

#include <vector>

namespace ns3
{

class NbIotHelper : public PcapHelperForDevice
{
  public:
    NbIotHelper();
    ~NbIotHelper() override = default;

    void SetChannelAttribute(std::string name, const AttributeValue& value);
    void SetUeAttribute(std::string name, const AttributeValue& value);
    /// Loss model between UEs and cells (default: none — set it or a fixed coupling loss).
    void SetPropagationLossModel(Ptr<PropagationLossModel> model);
    /// Loss added to each UE once (e.g. indoor penetration + shadowing), in dB. It is drawn at
    /// InstallUes: fix its stream before (AssignStreams comes too late for it).
    void SetAdditionalLoss(Ptr<RandomVariableStream> loss);
    /// Sum of base-station and device antenna gains, subtracted from the loss (dB).
    void SetAntennaGainDb(double gain);
    /// Every UE gets this coupling loss to every cell, whatever the positions.
    void SetFixedCouplingLoss(double db);

    /// A cell: a channel and a base station device on enbNode, radiating from position.
    Ptr<NbIotChannel> AddCell(Ptr<Node> enbNode, const Vector& position);
    /// Base station devices, in AddCell order.
    NetDeviceContainer GetEnbDevices() const;
    std::size_t GetNCells() const;

    /// A UE device on every node, camped on its best cell. Nodes need a MobilityModel unless
    /// a fixed coupling loss is set. Returns the UE devices in node order.
    NetDeviceContainer InstallUes(NodeContainer ues);
    /// The coupling loss of a UE node to cell i (dB), without the additional loss.
    double PathCouplingLossDb(Ptr<Node> ue, std::size_t cell) const;

    /**
     * IPv4 for every cell (the nodes need an Internet stack): cell k uses network
     * base + k * (size of mask's host part + 1).
     * \return the UEs' interfaces, in InstallUes order
     */
    Ipv4InterfaceContainer AssignIpv4(Ipv4Address base, Ipv4Mask mask);

    /// One stream per UE (stream + i, in InstallUes order).
    int64_t AssignStreams(int64_t stream);

  private:
    void EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                            bool explicitFilename) override;

    ObjectFactory m_channelFactory;
    ObjectFactory m_ueFactory;
    Ptr<PropagationLossModel> m_propagation;
    Ptr<RandomVariableStream> m_additionalLoss;
    double m_antennaGainDb;
    double m_fixedLossDb;
    bool m_fixedLoss;

    struct Cell
    {
        Ptr<NbIotChannel> channel;
        Ptr<NbIotEnbNetDevice> enb;
        Ptr<MobilityModel> position;
    };

    std::vector<Cell> m_cells;
    std::vector<Ptr<NbIotUeNetDevice>> m_ues;
};

} // namespace ns3

#endif // NBIOT_HELPER_H
