/*
 * Counts every frame the LPWAN link puts on the air, splitting its real bytes into layers:
 * radio (the link's header and trailer), IP (the IPv4 header as found in the frame), transport
 * (the UDP or TCP header), and the payload split into application payload, CoAP (or MQTT) and
 * security: for UDP by the sender's MessageTag, for TCP by the StreamBytesTags on the segment's
 * bytes (one segment may carry parts of several messages). A TCP segment without payload (SYN,
 * pure ACK, FIN) belongs to the device's handshake owner while one exists, else to no message;
 * a data segment that repeats sequence space already sent is counted as a retransmission. The
 * totals and the per-message figures go to the MessageLedger.
 */
#ifndef LPWAN_LINK_ACCOUNTING_H
#define LPWAN_LINK_ACCOUNTING_H

#include "layer-bytes.h"
#include "message-ledger.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ns3
{

class LpwanChannel;
class NbIotChannel;

class LinkAccounting : public Object
{
  public:
    static TypeId GetTypeId();

    /// Splits a frame into layer bytes; tag is the sender's MessageTag, or null.
    typedef std::function<LayerBytes(Ptr<const Packet> frame, const MessageTag* tag)> Classifier;

    /// Hooks the channel's FrameTxBegin and FrameLost trace sources.
    void Attach(Ptr<LpwanChannel> channel, Ptr<MessageLedger> ledger);
    /// The same for an NB-IoT / LTE-M cell (call once per cell; frames per ClassifyNbIot).
    void AttachNbIot(Ptr<NbIotChannel> cell, Ptr<MessageLedger> ledger);

    /// Splits one frame (LPWAN header + IP packet + LPWAN trailer) into layer bytes.
    static LayerBytes Classify(Ptr<const Packet> frame, const MessageTag* tag);
    /// Splits what an NB-IoT cell puts on the air: a transport block carries its layers in an
    /// NbIotLayerTag; a whole frame is split by NbIotFrame::Layers.
    static LayerBytes ClassifyNbIot(Ptr<const Packet> frame, const MessageTag* tag);

    /// Splits a frame that carries a TCP segment into one part per message (see the class
    /// comment); empty when the frame is not a TCP segment.
    /// track: follow the flow's sequence space (once per transmitted frame).
    std::vector<std::pair<MessageTag, LayerBytes>> ClassifyTcp(Ptr<const Packet> frame, bool uplink,
                                                               bool track);

    /// Frames lost by the link, by reason ("loss", "collision", "queue", ...).
    const std::map<std::string, uint64_t>& GetLossesByReason() const
    {
        return m_lossesByReason;
    }

    /// Seconds the uplink / downlink spent transmitting (airtime).
    double GetUplinkAirtime() const
    {
        return m_uplinkAirtime.GetSeconds();
    }

    double GetDownlinkAirtime() const
    {
        return m_downlinkAirtime.GetSeconds();
    }

    /// The layers of an IPv4 packet at the start of packet, in a frame of frameSize bytes.
    static LayerBytes ClassifyIp(Ptr<Packet> packet, uint32_t frameSize, const MessageTag* tag);
    /// Splits a UDP payload by the tag into app, CoAP and security bytes.
    static void SplitPayload(LayerBytes& b, uint32_t payload, const MessageTag* tag, bool fragment);

  private:
    void ConnectTraces(Ptr<Object> channel, Ptr<MessageLedger> ledger, Classifier classify);
    void DoDispose() override;
    void FrameTxBegin(Ptr<const Packet> frame, uint32_t station, bool uplink, Time duration);
    void FrameLost(Ptr<const Packet> frame, uint32_t station, bool uplink, std::string reason);

    /// Highest sequence number sent plus one, per TCP flow (for retransmissions).
    struct FlowKey
    {
        uint32_t src;
        uint32_t dst;
        uint16_t srcPort;
        uint16_t dstPort;

        bool operator<(const FlowKey& o) const
        {
            return std::tie(src, dst, srcPort, dstPort)
                   < std::tie(o.src, o.dst, o.srcPort, o.dstPort);
        }
    };

    /// One message's bytes in a piece of a TCP stream.
    struct StreamPart
    {
        LayerBytes bytes;
        bool handshake = false;
    };

    /// Sums the StreamBytesTags over the first `length` bytes of a stream piece, by message.
    static std::map<uint64_t, StreamPart> SumStreamTags(Ptr<const Packet> stream, uint32_t length);

    /// Whether a TCP segment repeats what its flow already sent (and remembers it).
    bool IsTcpRetransmission(const FlowKey& flow, uint32_t seq, uint32_t length, uint8_t flags);

    Ptr<MessageLedger> m_ledger;
    std::map<FlowKey, uint32_t> m_tcpSent;
    Classifier m_classify;
    std::map<std::string, uint64_t> m_lossesByReason;
    Time m_uplinkAirtime;
    Time m_downlinkAirtime;
};

} // namespace ns3

#endif // LPWAN_LINK_ACCOUNTING_H
