#include "link-accounting.h"

#include "lpwan/lpwan-channel.h"
#include "lpwan/lpwan-frame-header.h"
#include "nbiot/nbiot-channel.h"
#include "nbiot/nbiot-frame.h"

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
    ConnectTraces(channel, ledger, &LinkAccounting::Classify);
}

void
LinkAccounting::AttachNbIot(Ptr<NbIotChannel> cell, Ptr<MessageLedger> ledger)
{
    ConnectTraces(cell, ledger, &LinkAccounting::ClassifyNbIot);
}

void
LinkAccounting::ConnectTraces(Ptr<Object> channel, Ptr<MessageLedger> ledger, Classifier classify)
{
    m_ledger = ledger;
    m_classify = std::move(classify);
    channel->TraceConnectWithoutContext("FrameTxBegin",
                                        MakeCallback(&LinkAccounting::FrameTxBegin, this));
    channel->TraceConnectWithoutContext("FrameLost",
                                        MakeCallback(&LinkAccounting::FrameLost, this));
}

LayerBytes
LinkAccounting::Classify(Ptr<const Packet> frame, const MessageTag* tag)
{
    Ptr<Packet> copy = frame->Copy();
    uint32_t frameSize = copy->GetSize();
    LpwanFrameHeader mac;
    copy->RemoveHeader(mac);
    return ClassifyIp(copy, frameSize, tag);
}

LayerBytes
LinkAccounting::ClassifyNbIot(Ptr<const Packet> frame, const MessageTag* tag)
{
    NbIotLayerTag layers;
    if (frame->PeekPacketTag(layers))
    {
        return layers.layers;
    }
    return NbIotFrame::Layers(frame);
}

LayerBytes
LinkAccounting::ClassifyIp(Ptr<Packet> copy, uint32_t frameSize, const MessageTag* tag)
{
    LayerBytes b;
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
    // The tag describes the whole UDP payload. A fragmented datagram carries the CoAP (and
    // security) header in its first fragment; later fragments carry payload only.
    if (!firstFragment)
    {
        b.app = payload;
        return b;
    }
    SplitPayload(b, payload, tag, !ip.IsLastFragment());
    return b;
}

void
LinkAccounting::SplitPayload(LayerBytes& b, uint32_t payload, const MessageTag* tag, bool fragment)
{
    if (tag == nullptr)
    {
        b.app = payload;
        return;
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
}

void
LinkAccounting::FrameTxBegin(Ptr<const Packet> frame, uint32_t station, bool uplink, Time duration)
{
    (uplink ? m_uplinkAirtime : m_downlinkAirtime) += duration;
    MessageTag tag;
    bool tagged = frame->PeekPacketTag(tag);
    if (m_ledger)
    {
        m_ledger->RecordAirFrame(tagged ? &tag : nullptr,
                                 m_classify(frame, tagged ? &tag : nullptr));
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
