/*
 * LpwanLinkHelper: builds an LPWAN star (one gateway, many stations, one LpwanChannel),
 * numbers it with IPv4 and routes the stations through the gateway. All work is O(n) in the
 * number of stations; nothing per packet depends on n.
 *
 *   LpwanLinkHelper lpwan;
 *   lpwan.SetChannelAttribute("Delay", TimeValue(Seconds(1)));
 *   NetDeviceContainer devs = lpwan.Install(gatewayNode, stationNodes); // gateway first
 *   InternetStackHelper().Install(...);
 *   lpwan.AssignIpv4(devs, "10.1.0.0", "255.255.0.0");
 *   lpwan.EnablePcap("lpwan", devs.Get(0)); // DLT_RAW: the IPv4 packets, no LPWAN header
 *
 * Do not use Ipv4GlobalRoutingHelper::PopulateRoutingTables on large LPWAN stars: global
 * routing treats the channel as one broadcast network and its cost grows with the square of
 * the number of stations. AssignIpv4 installs the static routes the star needs.
 */
#ifndef LPWAN_LINK_HELPER_H
#define LPWAN_LINK_HELPER_H

#include "lpwan/lpwan-channel.h"
#include "lpwan/lpwan-net-device.h"

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-interface-container.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/trace-helper.h"

#include <string>

namespace ns3
{

/**
 * \brief Installs LpwanNetDevices on a gateway and its stations, sharing one LpwanChannel.
 */
class LpwanLinkHelper : public PcapHelperForDevice
{
  public:
    LpwanLinkHelper();
    ~LpwanLinkHelper() override = default;

    /**
     * \param name an attribute of ns3::LpwanChannel
     * \param value its value for channels created by Install
     */
    void SetChannelAttribute(std::string name, const AttributeValue& value);
    /**
     * \param name an attribute of ns3::LpwanNetDevice (Role is set by Install)
     * \param value its value for devices created by Install
     */
    void SetDeviceAttribute(std::string name, const AttributeValue& value);

    /**
     * Create a channel, a gateway device on the gateway node and a station device on each
     * station node, all attached to the channel.
     * \param gateway the gateway node
     * \param stations the station nodes
     * \return the devices, the gateway's first, then the stations' in container order
     */
    NetDeviceContainer Install(Ptr<Node> gateway, NodeContainer stations);

    /**
     * Add IPv4 interfaces and addresses to LPWAN devices (the nodes need an Internet stack):
     * the gateway gets the first host address of the network (network + 1), the stations the
     * following ones (network + 2, + 3, ...) in container order, whether or not the gateway is
     * in the container (so stations added in a second call need another network). Each station's
     * address is registered with the channel (AddStationAddress) and each station gets a static
     * default route to the gateway. No queue disc is installed: the devices have their own transmit
     * FIFO. \param devices LPWAN devices of one channel; its gateway must be among them, or already
     *        have an address
     * \param network the network number
     * \param mask the network mask
     * \return the interfaces, in the order of devices
     */
    Ipv4InterfaceContainer AssignIpv4(NetDeviceContainer devices, Ipv4Address network,
                                      Ipv4Mask mask);

    /**
     * Assign fixed random variable streams to the devices' channel(s) and devices.
     * \param devices LPWAN devices
     * \param stream first stream index to use
     * \return the number of streams assigned
     */
    int64_t AssignStreams(NetDeviceContainer devices, int64_t stream);

  private:
    void EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                            bool explicitFilename) override;

    ObjectFactory m_channelFactory;
    ObjectFactory m_deviceFactory;
};

} // namespace ns3

#endif // LPWAN_LINK_HELPER_H
