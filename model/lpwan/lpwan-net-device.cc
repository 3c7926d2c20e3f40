#include "lpwan-net-device.h"

#include "lpwan-frame-header.h"

#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LpwanNetDevice");

NS_OBJECT_ENSURE_REGISTERED(LpwanNetDevice);

namespace
{

uint16_t
ShortAddressOf(const Mac16Address& address)
{
    uint8_t buf[2];
    address.CopyTo(buf);
    return static_cast<uint16_t>((buf[0] << 8) | buf[1]);
}

Mac16Address
Mac16AddressOf(uint16_t shortAddress)
{
    uint8_t buf[2]
        = {static_cast<uint8_t>(shortAddress >> 8), static_cast<uint8_t>(shortAddress & 0xff)};
    Mac16Address address;
    address.CopyFrom(buf);
    return address;
}

} // namespace

TypeId
LpwanNetDevice::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::LpwanNetDevice")
              .SetParent<NetDevice>()
              .SetGroupName("Lpwan")
              .AddConstructor<LpwanNetDevice>()
              .AddAttribute("Role",
                            "Gateway or Station; set before the device is attached to a channel.",
                            EnumValue(LpwanNetDevice::STATION),
                            MakeEnumAccessor(&LpwanNetDevice::SetRole, &LpwanNetDevice::GetRole),
                            MakeEnumChecker(LpwanNetDevice::GATEWAY, "Gateway",
                                            LpwanNetDevice::STATION, "Station"))
              .AddAttribute("Mtu",
                            "The largest IPv4 packet the device sends (LPWAN overhead excluded).",
                            UintegerValue(1280),
                            MakeUintegerAccessor(&LpwanNetDevice::SetMtu, &LpwanNetDevice::GetMtu),
                            MakeUintegerChecker<uint16_t>(68))
              .AddAttribute(
                  "TxQueueSize", "How many packets the transmit FIFO holds; more are dropped.",
                  UintegerValue(100), MakeUintegerAccessor(&LpwanNetDevice::m_txQueueSize),
                  MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("ReceiveErrorModel",
                            "Applied to received frames: a corrupt frame gets one bit flipped "
                            "and fails its FCS check.",
                            PointerValue(),
                            MakePointerAccessor(&LpwanNetDevice::m_receiveErrorModel),
                            MakePointerChecker<ErrorModel>())
              .AddTraceSource("MacTx", "An IPv4 packet was accepted for transmission.",
                              MakeTraceSourceAccessor(&LpwanNetDevice::m_macTxTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("MacTxDrop",
                              "An IPv4 packet was dropped before transmission (queue full, no "
                              "route, too large, not IPv4, no channel).",
                              MakeTraceSourceAccessor(&LpwanNetDevice::m_macTxDropTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("MacRx", "An IPv4 packet was received and handed up.",
                              MakeTraceSourceAccessor(&LpwanNetDevice::m_macRxTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PhyTxBegin",
                              "A frame (with LPWAN header and FCS) starts transmission.",
                              MakeTraceSourceAccessor(&LpwanNetDevice::m_phyTxBeginTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PhyTxEnd", "A frame (with LPWAN header and FCS) ends transmission.",
                              MakeTraceSourceAccessor(&LpwanNetDevice::m_phyTxEndTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PhyRxEnd",
                              "A frame (with LPWAN header and FCS) was received with a good FCS.",
                              MakeTraceSourceAccessor(&LpwanNetDevice::m_phyRxEndTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PhyRxDrop",
                              "A received frame (with LPWAN header and FCS) failed its FCS.",
                              MakeTraceSourceAccessor(&LpwanNetDevice::m_phyRxDropTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("Sniffer",
                              "An IPv4 packet (no LPWAN header) sent or received by this device.",
                              MakeTraceSourceAccessor(&LpwanNetDevice::m_snifferTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PromiscSniffer",
                              "An IPv4 packet (no LPWAN header) sent or received by this device "
                              "(the channel delivers no frames addressed to others).",
                              MakeTraceSourceAccessor(&LpwanNetDevice::m_promiscSnifferTrace),
                              "ns3::Packet::TracedCallback");
    return tid;
}

LpwanNetDevice::LpwanNetDevice()
  : m_role(STATION)
  , m_ifIndex(0)
  , m_address(Mac16AddressOf(0xffff))
  , m_mtu(1280)
  , m_txQueueSize(100)
  , m_txBusy(false)
  , m_sequence(0)
{
    NS_LOG_FUNCTION(this);
}

LpwanNetDevice::~LpwanNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
LpwanNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_channel = nullptr;
    m_node = nullptr;
    m_txQueue.clear();
    m_receiveErrorModel = nullptr;
    m_rxCallback.Nullify();
    m_promiscRxCallback.Nullify();
    NetDevice::DoDispose();
}

void
LpwanNetDevice::SetRole(Role role)
{
    NS_LOG_FUNCTION(this << role);
    NS_ABORT_MSG_IF(m_channel && role != m_role,
                    "LpwanNetDevice: the role cannot change once attached to a channel");
    m_role = role;
}

LpwanNetDevice::Role
LpwanNetDevice::GetRole() const
{
    return m_role;
}

bool
LpwanNetDevice::IsGateway() const
{
    return m_role == GATEWAY;
}

void
LpwanNetDevice::Attach(Ptr<LpwanChannel> channel)
{
    NS_LOG_FUNCTION(this << channel);
    NS_ABORT_MSG_IF(m_channel, "LpwanNetDevice: already attached to a channel");
    NS_ABORT_MSG_UNLESS(channel, "LpwanNetDevice::Attach: null channel");
    m_channel = channel;
    channel->Attach(this);
    m_linkChangeCallbacks();
}

Ptr<LpwanChannel>
LpwanNetDevice::GetLpwanChannel() const
{
    return m_channel;
}

uint16_t
LpwanNetDevice::GetShortAddress() const
{
    return ShortAddressOf(m_address);
}

void
LpwanNetDevice::SetReceiveErrorModel(Ptr<ErrorModel> em)
{
    NS_LOG_FUNCTION(this << em);
    m_receiveErrorModel = em;
}

uint32_t
LpwanNetDevice::GetTxQueueLength() const
{
    return static_cast<uint32_t>(m_txQueue.size());
}

int64_t
LpwanNetDevice::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Transmission

bool
LpwanNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    uint32_t selfNodeId = m_node ? m_node->GetId() : LpwanChannel::kNoStation;
    if (!m_channel || protocolNumber != kIpv4ProtocolNumber || packet->GetSize() > m_mtu)
    {
        NS_LOG_LOGIC("dropped: no channel, not IPv4 or larger than the MTU");
        m_macTxDropTrace(packet);
        return false;
    }

    TxItem item{packet, nullptr};
    if (IsGateway())
    {
        Ipv4Header ip;
        if (packet->GetSize() >= ip.GetSerializedSize())
        {
            packet->PeekHeader(ip);
            item.destination = m_channel->LookupStation(ip.GetDestination());
        }
        if (!item.destination)
        {
            NS_LOG_LOGIC("dropped: no station for " << ip.GetDestination());
            DropBeforeAir(packet, LpwanChannel::kNoStation, nullptr, "no-route");
            return false;
        }
    }
    else if (!m_channel->GetGateway())
    {
        NS_LOG_LOGIC("dropped: the channel has no gateway");
        DropBeforeAir(packet, selfNodeId, nullptr, "no-route");
        return false;
    }

    if (m_txQueue.size() >= m_txQueueSize)
    {
        NS_LOG_LOGIC("dropped: transmit queue full");
        DropBeforeAir(packet, IsGateway() ? item.destination->GetNode()->GetId() : selfNodeId,
                      item.destination, "queue");
        return false;
    }

    m_macTxTrace(packet);
    m_txQueue.push_back(item);
    if (!IsGateway() && m_channel->GetMedium() == LpwanChannel::SCHEDULED)
    {
        m_channel->RequestUplink(this);
    }
    else if (!m_txBusy)
    {
        StartTransmission();
    }
    return true;
}

bool
LpwanNetDevice::SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                         uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << source << dest << protocolNumber);
    m_macTxDropTrace(packet);
    return false;
}

Ptr<Packet>
LpwanNetDevice::MakeFrame(Ptr<const Packet> packet, uint16_t stationAddress)
{
    Ptr<Packet> frame = packet->Copy();
    LpwanFrameHeader header;
    header.SetUplink(!IsGateway());
    header.SetFrameType(LpwanFrameHeader::IPV4_DATA);
    header.SetStationAddress(stationAddress);
    header.SetSequence(m_sequence);
    frame->AddHeader(header);
    LpwanFcsTrailer fcs;
    fcs.CalcFcs(frame);
    frame->AddTrailer(fcs);
    return frame;
}

void
LpwanNetDevice::DropBeforeAir(Ptr<Packet> packet, uint32_t stationNodeId,
                              Ptr<LpwanNetDevice> destination, const std::string& reason)
{
    m_macTxDropTrace(packet);
    // The channel reports the frame that would have been sent (short address 0xffff when
    // there is no destination station); it never went on the air.
    uint16_t stationAddress = !IsGateway()  ? GetShortAddress()
                              : destination ? destination->GetShortAddress()
                                            : 0xffff;
    m_channel->NotifyFrameLost(MakeFrame(packet, stationAddress), stationNodeId, !IsGateway(),
                               reason);
}

void
LpwanNetDevice::StartTransmission()
{
    NS_LOG_FUNCTION(this);
    NS_ASSERT_MSG(!m_txQueue.empty(), "LpwanNetDevice: medium granted with nothing to send");
    TxItem item = m_txQueue.front();
    m_txQueue.pop_front();
    m_txBusy = true;

    m_snifferTrace(item.packet);
    m_promiscSnifferTrace(item.packet);

    Ptr<LpwanNetDevice> receiver = IsGateway() ? item.destination : m_channel->GetGateway();
    uint16_t stationAddress = IsGateway() ? receiver->GetShortAddress() : GetShortAddress();
    Ptr<Packet> frame = MakeFrame(item.packet, stationAddress);
    ++m_sequence;

    m_phyTxBeginTrace(frame);
    m_channel->TransmitStart(this, frame, receiver);
}

void
LpwanNetDevice::TransmitComplete(Ptr<const Packet> frame)
{
    NS_LOG_FUNCTION(this << frame);
    m_phyTxEndTrace(frame);
    m_txBusy = false;
    bool grantedByChannel = !IsGateway() && m_channel->GetMedium() == LpwanChannel::SCHEDULED;
    if (!grantedByChannel && !m_txQueue.empty())
    {
        StartTransmission();
    }
}

// ---------------------------------------------------------------------------------------------
// Reception

void
LpwanNetDevice::ReceiveFrame(Ptr<Packet> frame, uint32_t stationNodeId, bool uplink)
{
    NS_LOG_FUNCTION(this << frame << stationNodeId << uplink);
    if (!m_channel)
    {
        return; // disposed while the frame was in flight
    }
    Ptr<Packet> packet = frame->Copy();
    if (m_receiveErrorModel && m_receiveErrorModel->IsCorrupt(packet))
    {
        // Corrupt the real bytes: flip the lowest bit of the middle byte. CRC-16 detects
        // every single-bit error, so the FCS check below fails.
        std::vector<uint8_t> bytes(packet->GetSize());
        packet->CopyData(bytes.data(), bytes.size());
        bytes[bytes.size() / 2] ^= 0x01;
        packet = Create<Packet>(bytes.data(), bytes.size());
    }

    LpwanFcsTrailer fcs;
    packet->RemoveTrailer(fcs);
    if (!fcs.CheckFcs(packet))
    {
        NS_LOG_LOGIC("FCS mismatch: frame dropped");
        m_phyRxDropTrace(frame);
        m_channel->NotifyFrameLost(frame, stationNodeId, uplink, "fcs");
        return;
    }
    m_phyRxEndTrace(frame);
    m_channel->NotifyFrameRxEnd(frame, stationNodeId, uplink);

    LpwanFrameHeader header;
    packet->RemoveHeader(header);
    NS_ASSERT(header.IsUplink() == uplink);
    Mac16Address from
        = uplink ? Mac16AddressOf(header.GetStationAddress()) : m_channel->GetGateway()->m_address;

    m_snifferTrace(packet);
    m_promiscSnifferTrace(packet);
    m_macRxTrace(packet);
    if (!m_promiscRxCallback.IsNull())
    {
        m_promiscRxCallback(this, packet, kIpv4ProtocolNumber, from, m_address,
                            NetDevice::PACKET_HOST);
    }
    if (!m_rxCallback.IsNull())
    {
        m_rxCallback(this, packet, kIpv4ProtocolNumber, from);
    }
}

// ---------------------------------------------------------------------------------------------
// NetDevice boilerplate

void
LpwanNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
LpwanNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
LpwanNetDevice::GetChannel() const
{
    return m_channel;
}

void
LpwanNetDevice::SetAddress(Address address)
{
    NS_LOG_FUNCTION(this << address);
    m_address = Mac16Address::ConvertFrom(address);
}

Address
LpwanNetDevice::GetAddress() const
{
    return m_address;
}

bool
LpwanNetDevice::SetMtu(const uint16_t mtu)
{
    NS_LOG_FUNCTION(this << mtu);
    m_mtu = mtu;
    return true;
}

uint16_t
LpwanNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
LpwanNetDevice::IsLinkUp() const
{
    return m_channel != nullptr;
}

void
LpwanNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChangeCallbacks.ConnectWithoutContext(callback);
}

bool
LpwanNetDevice::IsBroadcast() const
{
    return true;
}

Address
LpwanNetDevice::GetBroadcast() const
{
    return Mac16Address::GetBroadcast();
}

bool
LpwanNetDevice::IsMulticast() const
{
    return false;
}

Address
LpwanNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    NS_LOG_FUNCTION(this << multicastGroup);
    return Mac16Address::GetBroadcast();
}

Address
LpwanNetDevice::GetMulticast(Ipv6Address addr) const
{
    NS_LOG_FUNCTION(this << addr);
    return Mac16Address::GetBroadcast();
}

bool
LpwanNetDevice::IsBridge() const
{
    return false;
}

bool
LpwanNetDevice::IsPointToPoint() const
{
    return false;
}

Ptr<Node>
LpwanNetDevice::GetNode() const
{
    return m_node;
}

void
LpwanNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
LpwanNetDevice::NeedsArp() const
{
    return false;
}

void
LpwanNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
LpwanNetDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    m_promiscRxCallback = cb;
}

bool
LpwanNetDevice::SupportsSendFrom() const
{
    return false;
}

} // namespace ns3
