#include "nbiot-helper.h"

#include "ns3/abort.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NbIotHelper");

NbIotHelper::NbIotHelper()
  : m_antennaGainDb(0)
  , m_fixedLossDb(0)
  , m_fixedLoss(false)
{
    m_channelFactory.SetTypeId("ns3::NbIotChannel");
    m_ueFactory.SetTypeId("ns3::NbIotUeNetDevice");
}

void
NbIotHelper::SetChannelAttribute(std::string name, const AttributeValue& value)
{
    m_channelFactory.Set(name, value);
}

void
NbIotHelper::SetUeAttribute(std::string name, const AttributeValue& value)
{
    m_ueFactory.Set(name, value);
}

void
NbIotHelper::SetPropagationLossModel(Ptr<PropagationLossModel> model)
{
    m_propagation = model;
}

void
NbIotHelper::SetAdditionalLoss(Ptr<RandomVariableStream> loss)
{
    m_additionalLoss = loss;
}

void
NbIotHelper::SetAntennaGainDb(double gain)
{
    m_antennaGainDb = gain;
}

void
NbIotHelper::SetFixedCouplingLoss(double db)
{
    m_fixedLoss = true;
    m_fixedLossDb = db;
}

Ptr<NbIotChannel>
NbIotHelper::AddCell(Ptr<Node> enbNode, const Vector& position)
{
    Cell cell;
    cell.channel = m_channelFactory.Create<NbIotChannel>();
    cell.enb = CreateObject<NbIotEnbNetDevice>();
    enbNode->AddDevice(cell.enb);
    cell.enb->Attach(cell.channel);
    Ptr<ConstantPositionMobilityModel> where = CreateObject<ConstantPositionMobilityModel>();
    where->SetPosition(position);
    cell.position = where;
    m_cells.push_back(cell);
    return cell.channel;
}

NetDeviceContainer
NbIotHelper::GetEnbDevices() const
{
    NetDeviceContainer c;
    for (const auto& cell : m_cells)
    {
        c.Add(cell.enb);
    }
    return c;
}

std::size_t
NbIotHelper::GetNCells() const
{
    return m_cells.size();
}

double
NbIotHelper::PathCouplingLossDb(Ptr<Node> ue, std::size_t cell) const
{
    if (m_fixedLoss)
    {
        return m_fixedLossDb;
    }
    NS_ABORT_MSG_UNLESS(m_propagation, "NbIotHelper: no propagation loss model");
    Ptr<MobilityModel> mobility = ue->GetObject<MobilityModel>();
    NS_ABORT_MSG_UNLESS(mobility, "NbIotHelper: UE node " << ue->GetId() << " has no position");
    double rx = m_propagation->CalcRxPower(0.0, m_cells.at(cell).position, mobility);
    return -rx - m_antennaGainDb;
}

NetDeviceContainer
NbIotHelper::InstallUes(NodeContainer ues)
{
    NS_ABORT_MSG_IF(m_cells.empty(), "NbIotHelper::InstallUes: add a cell first");
    NetDeviceContainer devices;
    for (auto it = ues.Begin(); it != ues.End(); ++it)
    {
        std::size_t best = 0;
        double bestLoss = std::numeric_limits<double>::infinity();
        for (std::size_t c = 0; c < m_cells.size(); ++c)
        {
            double loss = PathCouplingLossDb(*it, c);
            if (loss < bestLoss)
            {
                bestLoss = loss;
                best = c;
            }
        }
        if (!m_fixedLoss && m_additionalLoss)
        {
            bestLoss += m_additionalLoss->GetValue();
        }
        Ptr<NbIotUeNetDevice> ue = m_ueFactory.Create<NbIotUeNetDevice>();
        ue->SetCouplingLossDb(std::max(0.0, bestLoss));
        (*it)->AddDevice(ue);
        ue->Attach(m_cells[best].channel);
        m_ues.push_back(ue);
        devices.Add(ue);
    }
    return devices;
}

Ipv4InterfaceContainer
NbIotHelper::AssignIpv4(Ipv4Address base, Ipv4Mask mask)
{
    const uint32_t hostMask = ~mask.Get();
    auto addInterface = [&mask](Ptr<NetDevice> dev, Ipv4Address address)
    {
        Ptr<Ipv4> ipv4 = dev->GetNode()->GetObject<Ipv4>();
        NS_ABORT_MSG_UNLESS(ipv4, "NbIotHelper::AssignIpv4: node " << dev->GetNode()->GetId()
                                                                   << " has no Internet stack");
        int32_t interface = ipv4->GetInterfaceForDevice(dev);
        if (interface == -1)
        {
            interface = ipv4->AddInterface(dev);
        }
        ipv4->AddAddress(interface, Ipv4InterfaceAddress(address, mask));
        ipv4->SetMetric(interface, 1);
        ipv4->SetUp(interface);
        return std::make_pair(ipv4, static_cast<uint32_t>(interface));
    };

    std::vector<uint32_t> nextHost(m_cells.size(), 2);
    std::vector<Ipv4Address> enbAddress(m_cells.size());
    for (std::size_t c = 0; c < m_cells.size(); ++c)
    {
        uint32_t net = (base.Get() & mask.Get()) + static_cast<uint32_t>(c) * (hostMask + 1);
        enbAddress[c] = Ipv4Address(net + 1);
        addInterface(m_cells[c].enb, enbAddress[c]);
    }
    Ipv4InterfaceContainer container;
    Ipv4StaticRoutingHelper routingHelper;
    for (const auto& ue : m_ues)
    {
        std::size_t c = 0;
        while (m_cells[c].channel != ue->GetNbIotChannel())
        {
            ++c;
        }
        uint32_t net = (base.Get() & mask.Get()) + static_cast<uint32_t>(c) * (hostMask + 1);
        NS_ABORT_MSG_IF(nextHost[c] + 1 > hostMask,
                        "NbIotHelper::AssignIpv4: cell " << c << " has too many UEs for the mask");
        Ipv4Address address(net + nextHost[c]++);
        auto iface = addInterface(ue, address);
        m_cells[c].channel->AddUeAddress(address, ue);
        Ptr<Ipv4StaticRouting> routing = routingHelper.GetStaticRouting(iface.first);
        NS_ABORT_MSG_UNLESS(routing, "NbIotHelper::AssignIpv4: UE node without static routing");
        routing->SetDefaultRoute(enbAddress[c], iface.second);
        container.Add(iface.first, iface.second);
    }
    return container;
}

int64_t
NbIotHelper::AssignStreams(int64_t stream)
{
    int64_t current = stream;
    for (const auto& ue : m_ues)
    {
        current += ue->AssignStreams(current);
    }
    return current - stream;
}

void
NbIotHelper::EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                                bool explicitFilename)
{
    Ptr<NbIotNetDevice> device = nd->GetObject<NbIotNetDevice>();
    if (!device)
    {
        return;
    }
    PcapHelper pcapHelper;
    std::string filename
        = explicitFilename ? prefix : pcapHelper.GetFilenameFromDevice(prefix, device);
    Ptr<PcapFileWrapper> file = pcapHelper.CreateFile(filename, std::ios::out, PcapHelper::DLT_RAW);
    pcapHelper.HookDefaultSink<NbIotNetDevice>(device, promiscuous ? "PromiscSniffer" : "Sniffer",
                                               file);
}

} // namespace ns3
