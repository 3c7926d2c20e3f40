#include "nbiot-net-device.h"

#include "nbiot-nidd-tag.h"
#include "nbiot-ue-net-device.h"

#include "ns3/abort.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NbIotNetDevice");
NS_OBJECT_ENSURE_REGISTERED(NbIotNetDevice);
NS_OBJECT_ENSURE_REGISTERED(NbIotEnbNetDevice);

TypeId
NbIotNetDevice::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::NbIotNetDevice")
              .SetParent<NetDevice>()
              .SetGroupName("NbIot")
              .AddAttribute("Mtu", "The largest IPv4 packet the device sends.", UintegerValue(1280),
                            MakeUintegerAccessor(&NbIotNetDevice::SetMtu, &NbIotNetDevice::GetMtu),
                            MakeUintegerChecker<uint16_t>(68))
              .AddTraceSource("MacTx", "An IPv4 packet was accepted for transmission.",
                              MakeTraceSourceAccessor(&NbIotNetDevice::m_macTxTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("MacTxDrop", "An IPv4 packet was dropped before the air.",
                              MakeTraceSourceAccessor(&NbIotNetDevice::m_macTxDropTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("MacRx", "An IPv4 packet was received and handed up.",
                              MakeTraceSourceAccessor(&NbIotNetDevice::m_macRxTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("Sniffer", "An IPv4 packet sent or received by this device.",
                              MakeTraceSourceAccessor(&NbIotNetDevice::m_snifferTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PromiscSniffer", "An IPv4 packet sent or received by this device.",
                              MakeTraceSourceAccessor(&NbIotNetDevice::m_promiscSnifferTrace),
                              "ns3::Packet::TracedCallback");
    return tid;
}

NbIotNetDevice::NbIotNetDevice()
  : m_ifIndex(0)
  , m_mtu(1280)
{
}

NbIotNetDevice::~NbIotNetDevice() = default;

void
NbIotNetDevice::DoDispose()
{
    m_channel = nullptr;
    m_node = nullptr;
    m_rxCallback.Nullify();
    m_promiscRxCallback.Nullify();
    NetDevice::DoDispose();
}

Ptr<NbIotChannel>
NbIotNetDevice::GetNbIotChannel() const
{
    return m_channel;
}

void
NbIotNetDevice::DeliverUp(Ptr<Packet> packet, const Address& from)
{
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

void
NbIotNetDevice::DropBeforeAir(Ptr<Packet> packet, uint32_t ueNodeId, bool uplink,
                              const std::string& reason)
{
    m_macTxDropTrace(packet);
    if (m_channel)
    {
        m_channel->NotifyFrameLost(packet, ueNodeId, uplink, reason);
    }
}

void
NbIotNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
NbIotNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
NbIotNetDevice::GetChannel() const
{
    return m_channel;
}

void
NbIotNetDevice::SetAddress(Address address)
{
    m_address = Mac16Address::ConvertFrom(address);
}

Address
NbIotNetDevice::GetAddress() const
{
    return m_address;
}

bool
NbIotNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
NbIotNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
NbIotNetDevice::IsLinkUp() const
{
    return m_channel != nullptr;
}

void
NbIotNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChangeCallbacks.ConnectWithoutContext(callback);
}

bool
NbIotNetDevice::IsBroadcast() const
{
    return true;
}

Address
NbIotNetDevice::GetBroadcast() const
{
    return Mac16Address::GetBroadcast();
}

bool
NbIotNetDevice::IsMulticast() const
{
    return false;
}

Address
NbIotNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac16Address::GetBroadcast();
}

Address
NbIotNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac16Address::GetBroadcast();
}

bool
NbIotNetDevice::IsBridge() const
{
    return false;
}

bool
NbIotNetDevice::IsPointToPoint() const
{
    return false;
}

bool
NbIotNetDevice::SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                         uint16_t protocolNumber)
{
    m_macTxDropTrace(packet);
    return false;
}

Ptr<Node>
NbIotNetDevice::GetNode() const
{
    return m_node;
}

void
NbIotNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
NbIotNetDevice::NeedsArp() const
{
    return false;
}

void
NbIotNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
NbIotNetDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    m_promiscRxCallback = cb;
}

bool
NbIotNetDevice::SupportsSendFrom() const
{
    return false;
}

// ---------------------------------------------------------------------------------------------
// Base station

TypeId
NbIotEnbNetDevice::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NbIotEnbNetDevice")
                            .SetParent<NbIotNetDevice>()
                            .SetGroupName("NbIot")
                            .AddConstructor<NbIotEnbNetDevice>();
    return tid;
}

NbIotEnbNetDevice::NbIotEnbNetDevice() = default;
NbIotEnbNetDevice::~NbIotEnbNetDevice() = default;

void
NbIotEnbNetDevice::Attach(Ptr<NbIotChannel> channel)
{
    NS_ABORT_MSG_IF(m_channel, "NbIotEnbNetDevice: already attached");
    m_channel = channel;
    m_address = Mac16Address("00:00");
    channel->AttachEnb(this);
    m_linkChangeCallbacks();
}

bool
NbIotEnbNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << protocolNumber);
    if (!m_channel || protocolNumber != kIpv4ProtocolNumber || packet->GetSize() > m_mtu)
    {
        m_macTxDropTrace(packet);
        return false;
    }
    Ipv4Header ip;
    Ptr<NbIotUeNetDevice> ue;
    if (packet->GetSize() >= 20 && packet->PeekHeader(ip) > 0)
    {
        ue = m_channel->LookupUe(ip.GetDestination());
    }
    if (!ue)
    {
        DropBeforeAir(packet, UINT32_MAX, false, "no-route");
        return false;
    }
    if (m_channel->IsDown())
    {
        DropBeforeAir(packet, ue->GetNode()->GetId(), false, "cell-down");
        return false;
    }
    m_macTxTrace(packet);
    m_snifferTrace(packet);
    m_promiscSnifferTrace(packet);
    Ptr<Packet> copy = packet->Copy();
    if (ue->IsNidd())
    {
        NbIotNidd::Strip(copy);
    }
    // Through the core network to the base station, then into the UE's downlink queue (in the
    // UE node's context, where all its radio events run).
    Simulator::ScheduleWithContext(ue->GetNode()->GetId(), m_channel->GetCoreDelay(),
                                   &NbIotUeNetDevice::EnqueueDownlink, ue, copy);
    return true;
}

void
NbIotEnbNetDevice::ReceiveFromUe(Ptr<Packet> packet, Ptr<NbIotUeNetDevice> ue)
{
    Mac16Address from = Mac16Address::ConvertFrom(ue->GetAddress());
    Simulator::ScheduleWithContext(m_node->GetId(), m_channel->GetCoreDelay(),
                                   &NbIotEnbNetDevice::ForwardUp, this, packet, from);
}

void
NbIotEnbNetDevice::ForwardUp(Ptr<Packet> packet, Mac16Address from)
{
    if (!m_channel)
    {
        return;
    }
    NbIotNidd::Restore(packet);
    DeliverUp(packet, from);
}

} // namespace ns3
