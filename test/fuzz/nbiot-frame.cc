/*
 * Fuzz target nbiot-frame: NB-IoT frames (model/nbiot/nbiot-frame.*) around arbitrary payload
 * bytes, and arbitrary bytes read as a frame header.
 *
 * Input: byte 0 = logical channel (mod 5) and flags (0x20 non-IP, 0x40 signalling), bytes 1-2
 * = transport block size (32 .. 1032 bytes), bytes 3-4 = RLC sequence number, the rest = the
 * payload (an IPv4 packet or a NIDD datagram, as the device hands it down). Oracles: the frame
 * has SizeOf bytes; its header reads back what was built; the per-layer attribution
 * (Layers, which classifies the IPv4/UDP/TCP headers it finds in the payload) adds up to the
 * frame; the transport blocks (Segment) carry every byte once, add up to the attribution,
 * each ends in the CRC-24A of the rest; a header read from raw bytes writes back to bytes that
 * read the same.
 * Seeds: IPv4/UDP and IPv4/TCP packets, a NIDD datagram, an empty payload (files).
 */
#include "nbiot/nbiot-frame.h"

#include "fuzz-check.h"

#include "ns3/packet.h"

using namespace ns3;
using lpwan_fuzz::Bytes;

namespace
{

Bytes
BytesOf(Ptr<const Packet> p)
{
    Bytes b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

bool
SameLayers(const LayerBytes& a, const LayerBytes& b)
{
    return a.app == b.app && a.coap == b.coap && a.security == b.security
           && a.transport == b.transport && a.ip == b.ip && a.radio == b.radio;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 5)
    {
        return 0;
    }
    const auto kind = static_cast<NbIotChannelKind>(data[0] % 5);
    const bool nonIp = (data[0] & 0x20) != 0;
    const bool signalling = (data[0] & 0x40) != 0;
    const uint32_t tbs = 32 + ((uint32_t{data[1]} << 8 | data[2]) % 1001);
    const auto sequence = static_cast<uint16_t>(uint32_t{data[3]} << 8 | data[4]);
    const uint8_t* payload = data + 5;
    const size_t payloadSize = std::min<size_t>(size - 5, 2048); // an IP MTU and then some

    Ptr<Packet> frame;
    uint32_t built = 0;
    if (signalling)
    {
        frame = NbIotFrame::Build(nullptr, static_cast<uint32_t>(payloadSize), kind, false,
                                  sequence, tbs);
        built = static_cast<uint32_t>(payloadSize);
    }
    else
    {
        // An IPv4 payload comes from ns-3's stack: its Total Length is the packet's size and
        // it has no IPv4 options (0x45); nothing shorter than IPv4 + UDP headers is an IPv4
        // packet (such a payload goes as a NIDD datagram here).
        Bytes bytes(payload, payload + payloadSize);
        const bool ip = !nonIp && bytes.size() >= 28;
        if (ip)
        {
            bytes[0] = 0x45;
            bytes[2] = static_cast<uint8_t>(bytes.size() >> 8);
            bytes[3] = static_cast<uint8_t>(bytes.size() & 0xff);
            if (bytes[9] == 6)
            {
                // TCP: a whole header without options. (ns-3's own TcpHeader::Deserialize loops
                // forever on some malformed or cut options; the model only reads headers ns-3's
                // TCP wrote.)
                bytes.size() >= 40 ? void(bytes[32] = 0x50) : void(bytes[9] = 17);
            }
        }
        Ptr<Packet> p = Create<Packet>(bytes.data(), static_cast<uint32_t>(bytes.size()));
        frame = NbIotFrame::Build(p, 0, kind, !ip, sequence, tbs);
        built = static_cast<uint32_t>(payloadSize);
    }
    FUZZ_CHECK(frame->GetSize() == NbIotFrame::SizeOf(built, kind, tbs), "SizeOf");

    NbIotFrameHeader header;
    const uint32_t headerBytes = frame->PeekHeader(header);
    FUZZ_CHECK(headerBytes == NbIotFrameHeader::SizeOf(kind), "header size");
    FUZZ_CHECK(header.GetKind() == kind, "header kind");
    FUZZ_CHECK(header.GetPayloadLength() == built, "header payload length");

    const LayerBytes layers = NbIotFrame::Layers(frame);
    FUZZ_CHECK(layers.Total() == frame->GetSize(), "layers do not add up to the frame");

    const std::vector<NbIotTransportBlock> blocks = NbIotFrame::Segment(frame, tbs);
    FUZZ_CHECK(blocks.size() == NbIotFrameTrailer::TransportBlocksFor(headerBytes + built, tbs),
               "transport block count");
    uint64_t onAir = 0;
    LayerBytes sum;
    for (const NbIotTransportBlock& tb : blocks)
    {
        FUZZ_CHECK(tb.packet->GetSize() <= tbs, "a transport block above the TBS");
        FUZZ_CHECK(tb.layers.Total() == tb.packet->GetSize(), "a block's layers");
        const Bytes b = BytesOf(tb.packet);
        FUZZ_CHECK(b.size() >= 3, "a block without CRC");
        const uint32_t crc = NbIotFrameTrailer::Crc24a(b.data(), b.size() - 3);
        const uint32_t sent
            = uint32_t{b[b.size() - 3]} << 16 | uint32_t{b[b.size() - 2]} << 8 | b[b.size() - 1];
        FUZZ_CHECK(crc == sent, "a block's CRC-24A");
        onAir += tb.packet->GetSize();
        sum += tb.layers;
    }
    FUZZ_CHECK(onAir == frame->GetSize(), "the blocks do not carry the frame");
    FUZZ_CHECK(SameLayers(sum, layers), "the blocks' layers do not add up to the frame's");

    // Raw bytes read as a header (the longest header is 27 bytes).
    if (size >= 27)
    {
        Ptr<Packet> raw = Create<Packet>(data, 27);
        NbIotFrameHeader h;
        raw->RemoveHeader(h);
        Ptr<Packet> again = Create<Packet>();
        again->AddHeader(h);
        NbIotFrameHeader h2;
        again->PeekHeader(h2);
        FUZZ_CHECK(
            h2.GetKind() == h.GetKind() && h2.GetPayloadLength() == h.GetPayloadLength()
                && h2.IsNonIp() == h.IsNonIp() && h2.IsSignalling() == h.IsSignalling()
                && (h.GetKind() == NbIotChannelKind::CCCH || h2.GetSequence() == h.GetSequence()),
            "header round trip");
    }
    return 0;
}
