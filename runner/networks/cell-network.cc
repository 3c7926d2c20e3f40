// NB-IoT or LTE-M cells (link.kind=nbiot|ltem): base stations on the gateway node, which is
// also the core network's gateway; every device has an energy model (nbiot-topology.h).
#include "gateway-network.h"
#include "nbiot-topology.h"
#include "nbiot/nbiot-channel.h"
#include "nbiot/nbiot-net-device.h"

namespace ns3
{

namespace
{

class CellNetwork : public GatewayNetwork
{
  public:
    using GatewayNetwork::GatewayNetwork;

    void Attach(Ptr<LinkAccounting> accounting, Ptr<MessageLedger> ledger) override
    {
        AttachNbIotAccounting(m_cells, accounting, ledger);
    }

    void AssignLinkStreams() override
    {
        AssignNbIotStreams(m_cells, 500'000'001);
    }

    NetDeviceContainer GetEnergyDevices() const override
    {
        return m_cells.ues;
    }

    void Summarize(nlohmann::json& summary, const std::string& outDir) override
    {
        summary["nbiot"] = NbIotSummary(m_config, m_cells);
    }

    uint32_t GetRadioCount() const override
    {
        return m_cells.enbs.GetN();
    }

    void AddRadioOutage(uint32_t radio, Time start, Time duration) override
    {
        CellOf(radio)->AddOutage(start, duration);
    }

    std::vector<uint32_t> GetDevicesServedBy(uint32_t radio) const override
    {
        Ptr<NbIotChannel> cell = CellOf(radio);
        std::vector<uint32_t> served;
        for (uint32_t i = 0; i < m_cells.ues.GetN(); ++i)
        {
            if (DynamicCast<NbIotNetDevice>(m_cells.ues.Get(i))->GetNbIotChannel() == cell)
            {
                served.push_back(i);
            }
        }
        return served;
    }

  protected:
    void InstallRadio(Ptr<Node> gateway, NodeContainer devices) override
    {
        m_cells = BuildNbIotNetwork(m_config, gateway, devices);
    }

    void AssignRadioAddresses() override
    {
        AssignNbIotAddresses(m_cells);
    }

    Ptr<NetDevice> GetAirDevice() const override
    {
        return m_cells.enbs.Get(0);
    }

  private:
    Ptr<NbIotChannel> CellOf(uint32_t radio) const
    {
        return DynamicCast<NbIotNetDevice>(m_cells.enbs.Get(radio))->GetNbIotChannel();
    }

    NbIotNetwork m_cells;
};

} // namespace

std::unique_ptr<RunNetwork>
MakeCellNetwork(const ScenarioConfig& c)
{
    return std::make_unique<CellNetwork>(c);
}

} // namespace ns3
