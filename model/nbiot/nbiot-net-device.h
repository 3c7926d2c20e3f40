/*
 * NetDevices of an NB-IoT / LTE-M cell (NbIotChannel):
 *
 *  - NbIotNetDevice: what both ends share — IPv4 only (protocol 0x0800), no ARP (NeedsArp()
 *    false: the IPv4 header already names the destination), a 16-bit address standing for the
 *    C-RNTI, and the usual trace sources (MacTx, MacTxDrop, MacRx, Sniffer, PromiscSniffer with
 *    the IPv4 packet, suitable for raw-IP PCAP).
 *  - NbIotEnbNetDevice: the base station together with the core network's gateway (P-GW /
 *    SCEF). Downlink IPv4 packets are routed to the UE by destination address (O(1) hash map);
 *    for a NIDD UE the IPv4/UDP headers are removed before the air (nbiot-nidd-tag.h).
 *    Uplink packets from UEs are handed to the node's IPv4 stack after the core delay.
 *  - NbIotUeNetDevice (nbiot-ue-net-device.h): the device's radio with its RRC state machine.
 */
#ifndef NBIOT_NET_DEVICE_H
#define NBIOT_NET_DEVICE_H

#include "nbiot-channel.h"

#include "ns3/mac16-address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>

namespace ns3
{

class NbIotNetDevice : public NetDevice
{
  public:
    static constexpr uint16_t kIpv4ProtocolNumber = 0x0800;

    static TypeId GetTypeId();
    NbIotNetDevice();
    ~NbIotNetDevice() override;

    /// The cell this device belongs to.
    Ptr<NbIotChannel> GetNbIotChannel() const;

    // NetDevice
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsBridge() const override;
    bool IsPointToPoint() const override;
    bool SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  protected:
    void DoDispose() override;
    /// Hand an IPv4 packet to the node's stack (after the sniffers and MacRx).
    void DeliverUp(Ptr<Packet> packet, const Address& from);
    /// A packet that never reached the air: MacTxDrop, and the cell's FrameLost with reason.
    void DropBeforeAir(Ptr<Packet> packet, uint32_t ueNodeId, bool uplink,
                       const std::string& reason);

    Ptr<NbIotChannel> m_channel;
    Ptr<Node> m_node;
    uint32_t m_ifIndex;
    Mac16Address m_address;
    uint16_t m_mtu;

    NetDevice::ReceiveCallback m_rxCallback;
    NetDevice::PromiscReceiveCallback m_promiscRxCallback;
    TracedCallback<Ptr<const Packet>> m_macTxTrace;
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace;
    TracedCallback<Ptr<const Packet>> m_macRxTrace;
    TracedCallback<Ptr<const Packet>> m_snifferTrace;
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace;
    TracedCallback<> m_linkChangeCallbacks;
};

class NbIotUeNetDevice;

class NbIotEnbNetDevice : public NbIotNetDevice
{
  public:
    static TypeId GetTypeId();
    NbIotEnbNetDevice();
    ~NbIotEnbNetDevice() override;

    /// Becomes the base station of this cell.
    void Attach(Ptr<NbIotChannel> channel);

    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;

    /// An uplink packet from a UE survived the air (called by the UE at the end of the frame).
    void ReceiveFromUe(Ptr<Packet> packet, Ptr<NbIotUeNetDevice> ue);

  private:
    void ForwardUp(Ptr<Packet> packet, Mac16Address from);
};

} // namespace ns3

#endif // NBIOT_NET_DEVICE_H
