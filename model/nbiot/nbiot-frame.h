/*
 * What an NB-IoT / LTE-M cell puts on the air for one upper-layer packet or signalling message:
 * a layer-2/3 header, the payload, and a trailer. These bytes are the "radio" layer of the
 * byte accounting, so their sizes follow the real protocol overheads:
 *
 *   +------------------+----------+--------------+---------------------+--------------------+
 *   | MAC subheader    | RLC AM   | L3 overhead  | payload             | trailer            |
 *   | LCID, 15-bit L   | header   | (per LCID)   | IPv4 packet, NIDD   | per extra segment: |
 *   | 3 bytes          | 2 bytes  | 0..22 bytes  | datagram or an RRC/ | MAC+RLC 5 bytes;   |
 *   |                  | (not on  |              | NAS message body    | per TB: CRC-24A    |
 *   |                  |  CCCH)   |              |                     | 3 bytes            |
 *   +------------------+----------+--------------+---------------------+--------------------+
 *
 * L3 overhead by logical channel (TS 36.321 6.2.1, TS 36.323, TS 24.301):
 *  - CCCH (LCID 0, Msg3/Msg4 of random access): RLC transparent mode, no PDCP: 0 bytes and no
 *    RLC header.
 *  - SRB1 signalling (LCID 1): PDCP header, 1 byte.
 *  - SRB1 carrying the first uplink packet of a control-plane (CP) connection inside
 *    RRCConnectionSetupComplete (Msg5): PDCP 1 + RRC 8 + NAS Control Plane Service Request
 *    with its ESM data container 13 = 22 bytes.
 *  - SRB1bis control-plane data (LCID 3, "data over NAS", CIoT CP optimisation): PDCP 1 +
 *    RRC UL/DLInformationTransfer 2 + NAS security header 6 + ESM DATA TRANSPORT 5 = 14 bytes.
 *  - DRB (LCID 4, user plane): PDCP data header with 7-bit SN, 1 byte.
 * The L3 bytes are sized, not encoded field by field (they are zeros apart from the PDCP
 * sequence number); the MAC subheader, RLC header and CRC are real encodings.
 *
 * A payload longer than one transport block (TBS) is segmented by RLC: each further segment
 * costs a MAC subheader and an RLC header (5 bytes), each TB a CRC-24A (TS 36.212 5.1.1),
 * computed over that TB's bytes. The trailer carries these bytes.
 */
#ifndef NBIOT_FRAME_H
#define NBIOT_FRAME_H

#include "stats/layer-bytes.h"

#include "ns3/header.h"
#include "ns3/packet.h"
#include "ns3/tag.h"
#include "ns3/trailer.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/// Logical channel of a frame (the MAC LCID) and what it carries.
enum class NbIotChannelKind : uint8_t
{
    CCCH = 0,           ///< Msg3 / Msg4 of random access (RRC setup/resume request, setup/resume)
    SRB1 = 1,           ///< RRC signalling after setup (complete, security, release, NAS)
    SRB1_MSG5_DATA = 2, ///< RRCConnectionSetupComplete with the first CP uplink packet
    SRB1BIS_DATA = 3,   ///< control-plane data over NAS (IP or non-IP)
    DRB = 4,            ///< user-plane data radio bearer
};

/**
 * \brief MAC subheader + RLC AM header + the L3 overhead of the logical channel.
 */
class NbIotFrameHeader : public Header
{
  public:
    NbIotFrameHeader();

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    void SetKind(NbIotChannelKind kind);
    NbIotChannelKind GetKind() const;
    /// The payload is a non-IP (NIDD) datagram rather than an IPv4 packet.
    void SetNonIp(bool nonIp);
    bool IsNonIp() const;
    /// The payload is a signalling message body (RRC/NAS), not user data.
    void SetSignalling(bool signalling);
    bool IsSignalling() const;
    /// Length of the payload that follows the header (15 bits).
    void SetPayloadLength(uint16_t length);
    uint16_t GetPayloadLength() const;
    /// RLC sequence number (10 bits).
    void SetSequence(uint16_t sn);
    uint16_t GetSequence() const;

    /// Size of the header for a kind (MAC 3 + RLC 2 unless CCCH + L3 overhead).
    static uint32_t SizeOf(NbIotChannelKind kind);

  private:
    NbIotChannelKind m_kind;
    bool m_nonIp;
    bool m_signalling;
    uint16_t m_length;
    uint16_t m_sequence;
};

/**
 * \brief Per-TB CRC-24A and the MAC/RLC headers of further RLC segments.
 */
class NbIotFrameTrailer : public Trailer
{
  public:
    NbIotFrameTrailer();

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator end) const override;
    uint32_t Deserialize(Buffer::Iterator end) override;
    void Print(std::ostream& os) const override;

    /**
     * Segment the frame (header + payload, without trailer) into transport blocks of at most
     * tbsBytes and compute the trailer: CRC-24A per TB and 5 header bytes per extra segment.
     * \param frame header + payload
     * \param tbsBytes largest transport block
     */
    void Compute(Ptr<const Packet> frame, uint32_t tbsBytes);
    /// Number of transport blocks the frame occupies.
    uint32_t GetTransportBlocks() const;

    /// Transport blocks needed for bytes (header + payload) with this TBS.
    static uint32_t TransportBlocksFor(uint32_t bytes, uint32_t tbsBytes);
    /// Trailer size for a number of transport blocks.
    static uint32_t SizeFor(uint32_t transportBlocks);
    /// CRC-24A (TS 36.212 5.1.1, generator 0x1864CFB) over data.
    static uint32_t Crc24a(const uint8_t* data, size_t len);
    /// Bytes of the CRC-24A each transport block carries.
    static constexpr uint32_t kCrcBytes = 3;

  private:
    std::vector<uint8_t> m_bytes;
    uint32_t m_blocks;
};

/// One transport block of a frame as it goes on the air: its bytes (segment header, the
/// frame bytes it carries, its CRC) and how they divide into layers.
struct NbIotTransportBlock
{
    Ptr<Packet> packet; ///< carries the frame's packet tags and an NbIotLayerTag
    LayerBytes layers;
};

/**
 * \brief Packet tag on a transport block: its bytes per layer, so that the accounting need not
 * parse a segment that starts in the middle of a frame.
 */
class NbIotLayerTag : public Tag
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    LayerBytes layers;
};

/// Builds frames and sizes them without building them.
struct NbIotFrame
{
    /**
     * \param payload the IPv4 packet, NIDD datagram, or nullptr for a signalling frame
     * \param signallingBytes body size of a signalling message (payload == nullptr)
     * \param kind logical channel
     * \param nonIp payload is a NIDD datagram
     * \param sequence RLC sequence number
     * \param tbsBytes transport block size
     * \return header + payload (a copy, keeping its packet tags) + trailer
     */
    static Ptr<Packet> Build(Ptr<const Packet> payload, uint32_t signallingBytes,
                             NbIotChannelKind kind, bool nonIp, uint16_t sequence,
                             uint32_t tbsBytes);
    /// Total on-air size of a frame with this payload size, without building it.
    static uint32_t SizeOf(uint32_t payloadBytes, NbIotChannelKind kind, uint32_t tbsBytes);
    /**
     * The MAC PDU bytes of a transport block of tbBytes on the air: all but its CRC-24A. The
     * profiles' rates are MAC-layer rates (the physical layer's CRC and coding are inside
     * them), so a transport block's air time is MacPduBytes(size) * 8 / rate.
     */
    static uint32_t MacPduBytes(uint32_t tbBytes);

    /**
     * Bytes per layer of a whole frame: signalling is all radio; a NIDD payload has no IP or
     * transport bytes and divides by the sender's MessageTag (if any); an IPv4 payload as
     * LinkAccounting::ClassifyIp. Radio = header + trailer.
     */
    static LayerBytes Layers(Ptr<const Packet> frame);

    /**
     * Cut a frame into its transport blocks. TB k carries the next (TBS - 3 - (k ? 5 : 0))
     * bytes of header + payload, the segment header of TB k (k > 0) and its CRC. The layers of
     * the frame's bytes are laid out in the order radio header, IP, transport, CoAP, security,
     * application; each TB is attributed the layers of the bytes it carries.
     */
    static std::vector<NbIotTransportBlock> Segment(Ptr<const Packet> frame, uint32_t tbsBytes);
};

} // namespace ns3

#endif // NBIOT_FRAME_H
