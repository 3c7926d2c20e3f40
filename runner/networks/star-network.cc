// The generic LPWAN star (link.kind=lpwan): one shared lossy, high-latency medium between the
// gateway and its devices (model/lpwan, the link.* keys).
#include "gateway-network.h"
#include "lpwan-link-helper.h"
#include "lpwan/lpwan-channel.h"
#include "radio-subnets.h"

#include "ns3/core-module.h"
#include "ns3/network-module.h"

namespace ns3
{

namespace
{

class StarNetwork : public GatewayNetwork
{
  public:
    using GatewayNetwork::GatewayNetwork;

    void Attach(Ptr<LinkAccounting> accounting, Ptr<MessageLedger> ledger) override
    {
        accounting->Attach(DynamicCast<LpwanChannel>(m_radio.Get(0)->GetChannel()), ledger);
    }

    void AssignLinkStreams() override
    {
        m_link.AssignStreams(m_radio, 0);
    }

    uint32_t GetRadioCount() const override
    {
        return 1;
    }

    void AddRadioOutage(uint32_t radio, Time start, Time duration) override
    {
        DynamicCast<LpwanChannel>(m_radio.Get(0)->GetChannel())->AddOutage(start, duration);
    }

    std::vector<uint32_t> GetDevicesServedBy(uint32_t radio) const override
    {
        std::vector<uint32_t> served(m_radio.GetN() - 1); // m_radio: the gateway, then devices
        for (uint32_t i = 0; i < served.size(); ++i)
        {
            served[i] = i;
        }
        return served;
    }

  protected:
    void InstallRadio(Ptr<Node> gateway, NodeContainer devices) override
    {
        const ScenarioConfig& c = m_config;
        m_link.SetChannelAttribute(
            "UplinkDataRate",
            DataRateValue(DataRate(static_cast<uint64_t>(c.GetReal("link.uplink_rate_bps")))));
        m_link.SetChannelAttribute(
            "DownlinkDataRate",
            DataRateValue(DataRate(static_cast<uint64_t>(c.GetReal("link.downlink_rate_bps")))));
        m_link.SetChannelAttribute("Delay", TimeValue(Seconds(c.GetReal("link.delay_s"))));
        m_link.SetChannelAttribute("LossProbability", DoubleValue(c.GetReal("link.loss")));
        m_link.SetChannelAttribute(
            "Medium", StringValue(c.GetText("link.medium") == "aloha" ? "Aloha" : "Scheduled"));
        m_link.SetDeviceAttribute("Mtu", UintegerValue(c.GetInteger("link.mtu")));
        m_link.SetDeviceAttribute("TxQueueSize", UintegerValue(c.GetInteger("link.queue_packets")));
        m_radio = m_link.Install(gateway, devices);
    }

    void AssignRadioAddresses() override
    {
        std::optional<Ipv4Mask> mask = RadioSubnetMask(m_radio.GetN() - 1, 1);
        NS_ABORT_MSG_UNLESS(mask, "StarNetwork: " << m_radio.GetN() - 1
                                                  << " devices do not fit 10.0.0.0/8 "
                                                     "(ValidateScenario refuses this)");
        m_link.AssignIpv4(m_radio, kRadioNetworkBase, *mask);
    }

    Ptr<NetDevice> GetAirDevice() const override
    {
        return m_radio.Get(0);
    }

  private:
    LpwanLinkHelper m_link;
    NetDeviceContainer m_radio; ///< the gateway's device first, then the devices'
};

} // namespace

std::unique_ptr<RunNetwork>
MakeStarNetwork(const ScenarioConfig& c)
{
    return std::make_unique<StarNetwork>(c);
}

} // namespace ns3
