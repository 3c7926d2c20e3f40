/*
 * The shape the star and the cells share: the devices reach a gateway over a radio network,
 * the gateway reaches the server over a point-to-point backhaul (backhaul.* keys). The radio
 * network is the subclass's: the generic LPWAN star (star-network.h) or NB-IoT / LTE-M cells
 * whose base stations sit on the gateway node (cell-network.h).
 */
#ifndef LPWAN_GATEWAY_NETWORK_H
#define LPWAN_GATEWAY_NETWORK_H

#include "run-network.h"

#include "ns3/internet-module.h"

namespace ns3
{

class GatewayNetwork : public RunNetwork
{
  public:
    explicit GatewayNetwork(const ScenarioConfig& c)
      : m_config(c)
    {
    }

    void Build() override;

    Ptr<Node> GetServerNode() const override
    {
        return m_server;
    }

    std::optional<Ipv4Address> GetServerBindAddress() const override
    {
        return std::nullopt;
    }

    Ipv4Address GetServerAddress() const override
    {
        return m_backhaulIfs.GetAddress(1);
    }

    NodeContainer GetDeviceNodes() const override
    {
        return m_devices;
    }

    void ConfigureDevices(MeterAppHelper& meters) const override;
    void CaptureTraces(RawIpPcapHelper& pcap, const std::string& outDir) override;
    double GetPathDrainS() const override;

    void Summarize(nlohmann::json& summary, const std::string& outDir) override {}

    bool HasBackhaul() const override
    {
        return true;
    }

    void AddBackhaulOutage(Time start, Time duration) override;

  protected:
    /// The radio network between the gateway and the devices (before the Internet stacks).
    virtual void InstallRadio(Ptr<Node> gateway, NodeContainer devices) = 0;
    /// Its addresses and routes (after the Internet stacks).
    virtual void AssignRadioAddresses() = 0;
    /// The gateway's radio device whose packets gateway-air.pcap shows.
    virtual Ptr<NetDevice> GetAirDevice() const = 0;

    const ScenarioConfig& m_config;

  private:
    Ptr<Node> m_server;
    Ptr<Node> m_gateway;
    NodeContainer m_devices;
    NetDeviceContainer m_backhaulDevices;
    Ipv4InterfaceContainer m_backhaulIfs;
    uint32_t m_serverInterface = 0;
};

} // namespace ns3

#endif // LPWAN_GATEWAY_NETWORK_H
