#include "link-accounting.h"

#include "lpwan/lpwan-channel.h"
#include "lpwan/lpwan-frame-header.h"
#include "nbiot/nbiot-channel.h"
#include "nbiot/nbiot-frame.h"
#include "stream-bytes-tag.h"

#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/tcp-header.h"
#include "ns3/tcp-l4-protocol.h"
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
    if (ip.GetProtocol() == TcpL4Protocol::PROT_NUMBER && firstFragment && tag == nullptr)
    {
        // A TCP segment: its header, then stream bytes labelled by StreamBytesTags (the
        // message they belong to is left to ClassifyTcp where a frame is one segment).
        copy->RemoveHeader(ip);
        TcpHeader tcp;
        uint32_t tcpSize = copy->RemoveHeader(tcp);
        if (tcpSize > 0 && tcpSize <= payload)
        {
            b.transport = tcpSize;
            for (const auto& [id, part] : SumStreamTags(copy, payload - tcpSize))
            {
                b.app += part.bytes.app;
                b.coap += part.bytes.coap;
                b.security += part.bytes.security;
            }
            return b;
        }
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
    if (!tagged)
    {
        std::vector<std::pair<MessageTag, LayerBytes>> parts = ClassifyTcp(frame, uplink, true);
        if (!parts.empty())
        {
            if (m_ledger)
            {
                m_ledger->RecordAirFrameParts(parts);
            }
            return;
        }
    }
    if (m_ledger)
    {
        m_ledger->RecordAirFrame(tagged ? &tag : nullptr,
                                 m_classify(frame, tagged ? &tag : nullptr));
    }
}

bool
LinkAccounting::IsTcpRetransmission(const FlowKey& flow, uint32_t seq, uint32_t length,
                                    uint8_t flags)
{
    const bool syn = flags & TcpHeader::SYN;
    const bool fin = flags & TcpHeader::FIN;
    if (flags & TcpHeader::RST)
    {
        m_tcpSent.erase(flow);
        return false;
    }
    uint32_t span = length + (syn ? 1 : 0) + (fin ? 1 : 0);
    if (span == 0)
    {
        return false; // a pure ACK repeats nothing
    }
    uint32_t end = seq + span;
    auto it = m_tcpSent.find(flow);
    bool repeated = false;
    if (it == m_tcpSent.end())
    {
        m_tcpSent[flow] = end;
    }
    else if (syn && it->second != end)
    {
        m_tcpSent[flow] = end; // a new connection on the same ports
    }
    else if (static_cast<int32_t>(end - it->second) <= 0)
    {
        repeated = true;
    }
    else
    {
        it->second = end;
    }
    if (fin)
    {
        m_tcpSent.erase(flow); // the flow's sequence space ends (memory stays bounded)
    }
    return repeated;
}

std::map<uint64_t, LinkAccounting::StreamPart>
LinkAccounting::SumStreamTags(Ptr<const Packet> stream, uint32_t length)
{
    // The bytes by message (ordered by message id: deterministic); unlabelled ones as app.
    std::map<uint64_t, StreamPart> byMessage;
    uint64_t tagged = 0;
    ByteTagIterator it = stream->GetByteTagIterator();
    while (it.HasNext())
    {
        ByteTagIterator::Item item = it.Next();
        if (item.GetTypeId() != StreamBytesTag::GetTypeId())
        {
            continue;
        }
        int64_t start = std::max<int64_t>(0, item.GetStart());
        int64_t end = std::min<int64_t>(length, item.GetEnd());
        if (end <= start)
        {
            continue;
        }
        StreamBytesTag t;
        item.GetTag(t);
        StreamPart& part = byMessage[t.messageId];
        uint64_t n = static_cast<uint64_t>(end - start);
        switch (t.layer)
        {
            case StreamBytesTag::Layer::App:
                part.bytes.app += n;
                break;
            case StreamBytesTag::Layer::Protocol:
                part.bytes.coap += n;
                break;
            case StreamBytesTag::Layer::Security:
                part.bytes.security += n;
                break;
        }
        part.handshake = part.handshake || t.handshake;
        tagged += n;
    }
    if (tagged < length)
    {
        byMessage[MessageTag::kNoMessage].bytes.app += length - tagged;
    }
    return byMessage;
}

std::vector<std::pair<MessageTag, LayerBytes>>
LinkAccounting::ClassifyTcp(Ptr<const Packet> frame, bool uplink, bool track)
{
    std::vector<std::pair<MessageTag, LayerBytes>> parts;
    Ptr<Packet> copy = frame->Copy();
    uint32_t frameSize = copy->GetSize();
    LpwanFrameHeader mac;
    copy->RemoveHeader(mac);
    Ipv4Header ip;
    if (copy->PeekHeader(ip) == 0 || ip.GetProtocol() != TcpL4Protocol::PROT_NUMBER
        || ip.GetFragmentOffset() != 0 || !ip.IsLastFragment())
    {
        return parts;
    }
    copy->RemoveHeader(ip);
    TcpHeader tcp;
    uint32_t tcpSize = copy->RemoveHeader(tcp);
    if (tcpSize == 0 || tcpSize > ip.GetPayloadSize())
    {
        return parts;
    }
    uint32_t payload = ip.GetPayloadSize() - tcpSize;
    uint32_t ipPacket = ip.GetSerializedSize() + ip.GetPayloadSize();

    std::map<uint64_t, StreamPart> byMessage = SumStreamTags(copy, payload);

    const uint8_t flags = tcp.GetFlags();
    bool retransmission = false;
    if (track)
    {
        FlowKey flow{ip.GetSource().Get(), ip.GetDestination().Get(), tcp.GetSourcePort(),
                     tcp.GetDestinationPort()};
        retransmission
            = IsTcpRetransmission(flow, tcp.GetSequenceNumber().GetValue(), payload, flags);
    }
    if (byMessage.empty())
    {
        // No payload: connection set-up and tear-down, and acknowledgements. While a report
        // waits for its connection, they are part of what it costs.
        Ipv4Address device = uplink ? ip.GetSource() : ip.GetDestination();
        uint64_t owner
            = m_ledger ? m_ledger->GetHandshakeOwner(device.Get()) : MessageTag::kNoMessage;
        StreamPart& part = byMessage[owner];
        part.handshake = owner != MessageTag::kNoMessage || (flags & TcpHeader::SYN);
    }
    // The headers go with the message that has most of the payload.
    auto largest = byMessage.begin();
    for (auto i = byMessage.begin(); i != byMessage.end(); ++i)
    {
        if (i->second.bytes.Total() > largest->second.bytes.Total())
        {
            largest = i;
        }
    }
    largest->second.bytes.radio = frameSize > ipPacket ? frameSize - ipPacket : 0;
    largest->second.bytes.ip = ip.GetSerializedSize();
    largest->second.bytes.transport = tcpSize;
    for (const auto& [id, part] : byMessage)
    {
        MessageTag tag;
        tag.messageId = id;
        tag.uplink = uplink;
        tag.retransmission = retransmission;
        tag.handshake = part.handshake;
        parts.emplace_back(tag, part.bytes);
    }
    return parts;
}

void
LinkAccounting::FrameLost(Ptr<const Packet> frame, uint32_t station, bool uplink,
                          std::string reason)
{
    ++m_lossesByReason[reason];
    MessageTag tag;
    bool tagged = frame->PeekPacketTag(tag);
    if (!tagged)
    {
        std::vector<std::pair<MessageTag, LayerBytes>> parts = ClassifyTcp(frame, uplink, false);
        if (!parts.empty())
        {
            tag = parts.front().first;
            tagged = true;
        }
    }
    if (m_ledger)
    {
        m_ledger->RecordAirFrameLost(tagged ? &tag : nullptr);
    }
}

} // namespace ns3
