#include "link-accounting.h"

#include "lpwan/lpwan-channel.h"
#include "lpwan/lpwan-frame-header.h"

#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/udp-header.h"
#include "ns3/udp-l4-protocol.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LinkAccounting");
NS_OBJECT_ENSURE_REGISTERED(LinkAccounting);

TypeId
LinkAccounting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::LinkAccounting")
                            .SetParent<Object>()
                            .SetGroupName("LpwanSec")
                            .AddConstructor<LinkAccounting>();
    return tid;
}

void
LinkAccounting::DoDispose()
{
    m_ledger = nullptr;
    Object::DoDispose();
}

void
LinkAccounting::Attach(Ptr<LpwanChannel> channel, Ptr<MessageLedger> ledger)
{
    m_ledger = ledger;
    channel->TraceConnectWithoutContext("FrameTxBegin",
                                        MakeCallback(&LinkAccounting::FrameTxBegin, this));
    channel->TraceConnectWithoutContext("FrameLost",
                                        MakeCallback(&LinkAccounting::FrameLost, this));
}

LayerBytes
LinkAccounting::Classify(Ptr<const Packet> frame, const MessageTag* tag)
{
    LayerBytes b;
    Ptr<Packet> copy = frame->Copy();
    uint32_t frameSize = copy->GetSize();
    LpwanFrameHeader mac;
    copy->RemoveHeader(mac);
    Ipv4Header ip;
    if (copy->PeekHeader(ip) == 0)
    {
        b.radio = frameSize;
        return b;
    }
    uint32_t ipPacket = ip.GetSerializedSize() + ip.GetPayloadSize();
    b.radio = frameSize > ipPacket ? frameSize - ipPacket : 0;
    b.ip = ip.GetSerializedSize();
    uint32_t payload = ip.GetPayloadSize();
    bool firstFragment = ip.GetFragmentOffset() == 0;
    if (ip.GetProtocol() == UdpL4Protocol::PROT_NUMBER && firstFragment && payload >= 8)
    {
        b.transport = 8;
        payload -= 8;
    }
    if (tag == nullptr)
    {
        b.app = payload;
        return b;
    }
    // The tag describes the whole UDP payload. A fragmented datagram carries the CoAP (and
    // security) header in its first fragment; later fragments carry payload only.
    bool fragment = !firstFragment || !ip.IsLastFragment();
    if (!firstFragment)
    {
        b.app = payload;
        return b;
    }
    uint64_t coap = std::min<uint64_t>(tag->coapBytes, payload);
    uint64_t security = std::min<uint64_t>(tag->securityBytes, payload - coap);
    b.coap = coap;
    b.security = security;
    b.app = payload - coap - security;
    if (!fragment && b.app != tag->appBytes)
    {
        NS_LOG_WARN("frame payload " << payload << " does not match its tag (app " << tag->appBytes
                                     << ")");
    }
    return b;
}

void
LinkAccounting::FrameTxBegin(Ptr<const Packet> frame, uint32_t station, bool uplink, Time duration)
{
    (uplink ? m_uplinkAirtime : m_downlinkAirtime) += duration;
    MessageTag tag;
    bool tagged = frame->PeekPacketTag(tag);
    if (m_ledger)
    {
        m_ledger->RecordAirFrame(tagged ? &tag : nullptr, Classify(frame, tagged ? &tag : nullptr));
    }
}

void
LinkAccounting::FrameLost(Ptr<const Packet> frame, uint32_t station, bool uplink,
                          std::string reason)
{
    ++m_lossesByReason[reason];
    MessageTag tag;
    bool tagged = frame->PeekPacketTag(tag);
    if (m_ledger)
    {
        m_ledger->RecordAirFrameLost(tagged ? &tag : nullptr);
    }
}

} // namespace ns3
