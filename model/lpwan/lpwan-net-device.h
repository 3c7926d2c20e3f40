/*
 * LpwanNetDevice: a gateway's or a battery device's (station's) interface on an LpwanChannel.
 *
 * - Carries IPv4 only (protocol 0x0800); NeedsArp() is false, so no ARP ever goes on the air:
 *   ns-3's Ipv4Interface sends to GetBroadcast() and the IPv4 header is already on the packet.
 * - A station always sends to the gateway. The gateway finds the destination station from the
 *   packet's IPv4 destination address through the channel's hash map
 *   (LpwanChannel::AddStationAddress); an unknown destination is dropped (MacTxDrop, and the
 *   channel's FrameLost with reason "no-route").
 * - Each frame is LpwanFrameHeader + IPv4 packet + LpwanFcsTrailer (6 bytes of overhead). The
 *   receiver checks the FCS over the real bytes and drops the frame on mismatch (PhyRxDrop,
 *   FrameLost "fcs"). Packets handed up carry protocol 0x0800 and no LPWAN header or trailer.
 * - A bounded transmit FIFO (TxQueueSize packets; overflow → MacTxDrop, and the channel's
 *   FrameLost with reason "queue"). Packets larger than the Mtu, packets that are not IPv4 and
 *   packets sent before the device is attached are dropped (MacTxDrop only).
 *
 * Trace sources: MacTx (packet accepted for transmission), MacTxDrop, MacRx (packet handed
 * up), Sniffer and PromiscSniffer (the IPv4 packet without LPWAN header or trailer, sent or
 * received: suitable for DLT_RAW PCAP), PhyTxBegin, PhyTxEnd, PhyRxEnd, PhyRxDrop (the whole
 * frame with header and trailer).
 */
#ifndef LPWAN_NET_DEVICE_H
#define LPWAN_NET_DEVICE_H

#include "lpwan-channel.h"

#include "ns3/error-model.h"
#include "ns3/mac16-address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>

namespace ns3
{

/**
 * \brief A NetDevice on an LpwanChannel, in the role of the gateway or of a station.
 */
class LpwanNetDevice : public NetDevice
{
  public:
    /// The device's role on the star.
    enum Role
    {
        GATEWAY, ///< the hub: receives the uplink, sends the downlink
        STATION, ///< a battery device: sends uplink to the gateway
    };

    /// The only network protocol carried (IPv4).
    static constexpr uint16_t kIpv4ProtocolNumber = 0x0800;

    static TypeId GetTypeId();

    LpwanNetDevice();
    ~LpwanNetDevice() override;

    /**
     * \param role GATEWAY or STATION; set it before Attach
     */
    void SetRole(Role role);
    /// \return the role
    Role GetRole() const;
    /// \return true if the role is GATEWAY
    bool IsGateway() const;

    /**
     * Attach to a channel (once). The channel assigns the short address.
     * \param channel the channel
     */
    void Attach(Ptr<LpwanChannel> channel);
    /// \return the channel, or null
    Ptr<LpwanChannel> GetLpwanChannel() const;
    /// \return the 16-bit short address carried in the frame header
    uint16_t GetShortAddress() const;

    /// \param em error model applied to received frames; a corrupt frame gets one bit flipped,
    ///           and fails its FCS
    void SetReceiveErrorModel(Ptr<ErrorModel> em);
    /// \return the number of packets waiting in the transmit FIFO (not counting the one on air)
    uint32_t GetTxQueueLength() const;

    /**
     * The device draws no random numbers of its own (the channel draws the losses); an
     * error model given with SetReceiveErrorModel is not covered. Present for the helper.
     * \param stream first stream index to use
     * \return the number of streams assigned (0)
     */
    int64_t AssignStreams(int64_t stream);

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
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
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

  private:
    friend class LpwanChannel;

    /// A packet waiting for the air, with its destination station (gateway only).
    struct TxItem
    {
        Ptr<Packet> packet;
        Ptr<LpwanNetDevice> destination;
    };

    /// Build a frame (header + packet + FCS) around a copy of an IPv4 packet.
    Ptr<Packet> MakeFrame(Ptr<const Packet> packet, uint16_t stationAddress);
    /// Send the head of the transmit FIFO (called when the device may use the medium).
    void StartTransmission();
    /// The channel finished serializing our frame.
    void TransmitComplete(Ptr<const Packet> frame);
    /// A frame arrives from the channel (after serialization and delay).
    void ReceiveFrame(Ptr<Packet> frame, uint32_t stationNodeId, bool uplink);
    /// Drop a packet before it reaches the air.
    void DropBeforeAir(Ptr<Packet> packet, uint32_t stationNodeId, Ptr<LpwanNetDevice> destination,
                       const std::string& reason);

    Role m_role;
    Ptr<LpwanChannel> m_channel;
    Ptr<Node> m_node;
    uint32_t m_ifIndex;
    Mac16Address m_address;
    uint16_t m_mtu;
    uint32_t m_txQueueSize;
    std::deque<TxItem> m_txQueue;
    bool m_txBusy;
    uint8_t m_sequence;
    Ptr<ErrorModel> m_receiveErrorModel;

    NetDevice::ReceiveCallback m_rxCallback;
    NetDevice::PromiscReceiveCallback m_promiscRxCallback;

    TracedCallback<Ptr<const Packet>> m_macTxTrace;
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace;
    TracedCallback<Ptr<const Packet>> m_macRxTrace;
    TracedCallback<Ptr<const Packet>> m_phyTxBeginTrace;
    TracedCallback<Ptr<const Packet>> m_phyTxEndTrace;
    TracedCallback<Ptr<const Packet>> m_phyRxEndTrace;
    TracedCallback<Ptr<const Packet>> m_phyRxDropTrace;
    TracedCallback<Ptr<const Packet>> m_snifferTrace;
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace;
    TracedCallback<> m_linkChangeCallbacks;
};

} // namespace ns3

#endif // LPWAN_NET_DEVICE_H
