/*
 * The LPWAN link's frame format: a 4-byte MAC header before the IPv4 packet and a 2-byte
 * frame check sequence after it. These 6 bytes are the "radio" layer overhead that the
 * simulator puts on the air and accounts for every frame.
 *
 *   +--------------+-----------------------+----------+--------------+-----------+
 *   | frame control| station short address | sequence |  IPv4 packet |    FCS    |
 *   |    1 byte    |  2 bytes, big endian  |  1 byte  |  (payload)   |  2 bytes  |
 *   +--------------+-----------------------+----------+--------------+-----------+
 *
 * Frame control: bit 7 is the direction (1 = uplink, station to gateway; 0 = downlink),
 * bits 0..3 the frame type (1 = IPv4 data, the only type the link sends), bits 4..6 reserved
 * (zero). The station short address names the station in both directions: the sender of an
 * uplink frame, the receiver of a downlink frame (as LoRaWAN's DevAddr or an NB-IoT C-RNTI do).
 * The sequence number is a modulo-256 counter of the transmitting device.
 *
 * The FCS is CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no
 * final XOR; check value 0x29B1 over "123456789") computed over every byte of the frame before
 * it (header and payload), written big endian.
 */
#ifndef LPWAN_FRAME_HEADER_H
#define LPWAN_FRAME_HEADER_H

#include "ns3/header.h"
#include "ns3/packet.h"
#include "ns3/trailer.h"

#include <cstddef>
#include <cstdint>

namespace ns3
{

/**
 * \brief The 4-byte MAC header of an LPWAN frame (see the file comment for the layout).
 */
class LpwanFrameHeader : public Header
{
  public:
    /// Frame types (bits 0..3 of the frame control byte).
    enum FrameType : uint8_t
    {
        IPV4_DATA = 1, ///< the payload is one IPv4 packet
    };

    /// Serialized size in bytes.
    static constexpr uint32_t kSize = 4;

    LpwanFrameHeader();

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    /// \param uplink true for a station-to-gateway frame
    void SetUplink(bool uplink);
    /// \return true for a station-to-gateway frame
    bool IsUplink() const;
    /// \param type the frame type (4 bits)
    void SetFrameType(FrameType type);
    /// \return the frame type
    FrameType GetFrameType() const;
    /// \param address the station short address (sender of uplink, receiver of downlink)
    void SetStationAddress(uint16_t address);
    /// \return the station short address
    uint16_t GetStationAddress() const;
    /// \param seq the sequence number
    void SetSequence(uint8_t seq);
    /// \return the sequence number
    uint8_t GetSequence() const;
    /// \return the frame control byte as it goes on the air
    uint8_t GetFrameControl() const;

  private:
    bool m_uplink;
    FrameType m_type;
    uint16_t m_stationAddress;
    uint8_t m_sequence;
};

/**
 * \brief The 2-byte frame check sequence that ends an LPWAN frame: CRC-16/CCITT-FALSE over the
 * frame bytes before it.
 *
 * Usage: build the frame (header + payload), call CalcFcs(frame), AddTrailer. At reception,
 * RemoveTrailer, then CheckFcs(frame) over what remains.
 */
class LpwanFcsTrailer : public Trailer
{
  public:
    /// Serialized size in bytes.
    static constexpr uint32_t kSize = 2;

    LpwanFcsTrailer();

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator end) const override;
    uint32_t Deserialize(Buffer::Iterator end) override;
    void Print(std::ostream& os) const override;

    /**
     * Compute the FCS over all bytes of a frame (without its trailer) and store it.
     * \param frame the frame the trailer will be added to
     */
    void CalcFcs(Ptr<const Packet> frame);
    /**
     * \param frame a received frame whose trailer has been removed
     * \return true if the stored FCS matches the CRC of the frame's bytes
     */
    bool CheckFcs(Ptr<const Packet> frame) const;
    /// \param fcs the FCS value to store
    void SetFcs(uint16_t fcs);
    /// \return the stored FCS value
    uint16_t GetFcs() const;

    /**
     * CRC-16/CCITT-FALSE: polynomial 0x1021, MSB first, no reflection, no final XOR.
     * \param data the bytes
     * \param len how many
     * \param crc the initial value (0xFFFF), or the result of a previous call to continue it
     * \return the CRC
     */
    static uint16_t Crc16Ccitt(const uint8_t* data, std::size_t len, uint16_t crc = 0xFFFF);

  private:
    static uint16_t CrcOfPacket(Ptr<const Packet> frame);

    uint16_t m_fcs;
};

} // namespace ns3

#endif // LPWAN_FRAME_HEADER_H
