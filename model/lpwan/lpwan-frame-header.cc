#include "lpwan-frame-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <array>
#include <iomanip>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LpwanFrameHeader");

NS_OBJECT_ENSURE_REGISTERED(LpwanFrameHeader);
NS_OBJECT_ENSURE_REGISTERED(LpwanFcsTrailer);

namespace
{

constexpr uint8_t kDirectionUplinkBit = 0x80;
constexpr uint8_t kFrameTypeMask = 0x0f;

/// Byte-wise lookup table for CRC-16/CCITT (polynomial 0x1021, MSB first).
constexpr std::array<uint16_t, 256>
MakeCrcTable()
{
    std::array<uint16_t, 256> table{};
    for (uint32_t byte = 0; byte < 256; ++byte)
    {
        uint16_t crc = static_cast<uint16_t>(byte << 8);
        for (int bit = 0; bit < 8; ++bit)
        {
            crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                                 : static_cast<uint16_t>(crc << 1);
        }
        table[byte] = crc;
    }
    return table;
}

constexpr std::array<uint16_t, 256> kCrcTable = MakeCrcTable();

} // namespace

// ---------------------------------------------------------------------------------------------
// LpwanFrameHeader

LpwanFrameHeader::LpwanFrameHeader()
  : m_uplink(true)
  , m_type(IPV4_DATA)
  , m_stationAddress(0)
  , m_sequence(0)
{
}

TypeId
LpwanFrameHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::LpwanFrameHeader")
                            .SetParent<Header>()
                            .SetGroupName("Lpwan")
                            .AddConstructor<LpwanFrameHeader>();
    return tid;
}

TypeId
LpwanFrameHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
LpwanFrameHeader::GetSerializedSize() const
{
    return kSize;
}

void
LpwanFrameHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(GetFrameControl());
    start.WriteHtonU16(m_stationAddress);
    start.WriteU8(m_sequence);
}

uint32_t
LpwanFrameHeader::Deserialize(Buffer::Iterator start)
{
    uint8_t fc = start.ReadU8();
    m_uplink = (fc & kDirectionUplinkBit) != 0;
    m_type = static_cast<FrameType>(fc & kFrameTypeMask);
    m_stationAddress = start.ReadNtohU16();
    m_sequence = start.ReadU8();
    return kSize;
}

void
LpwanFrameHeader::Print(std::ostream& os) const
{
    os << (m_uplink ? "uplink" : "downlink") << " type=" << static_cast<uint32_t>(m_type)
       << " station=" << m_stationAddress << " seq=" << static_cast<uint32_t>(m_sequence);
}

void
LpwanFrameHeader::SetUplink(bool uplink)
{
    m_uplink = uplink;
}

bool
LpwanFrameHeader::IsUplink() const
{
    return m_uplink;
}

void
LpwanFrameHeader::SetFrameType(FrameType type)
{
    NS_ABORT_MSG_IF((type & ~kFrameTypeMask) != 0, "LPWAN frame type has 4 bits");
    m_type = type;
}

LpwanFrameHeader::FrameType
LpwanFrameHeader::GetFrameType() const
{
    return m_type;
}

void
LpwanFrameHeader::SetStationAddress(uint16_t address)
{
    m_stationAddress = address;
}

uint16_t
LpwanFrameHeader::GetStationAddress() const
{
    return m_stationAddress;
}

void
LpwanFrameHeader::SetSequence(uint8_t seq)
{
    m_sequence = seq;
}

uint8_t
LpwanFrameHeader::GetSequence() const
{
    return m_sequence;
}

uint8_t
LpwanFrameHeader::GetFrameControl() const
{
    return static_cast<uint8_t>((m_uplink ? kDirectionUplinkBit : 0) | (m_type & kFrameTypeMask));
}

// ---------------------------------------------------------------------------------------------
// LpwanFcsTrailer

LpwanFcsTrailer::LpwanFcsTrailer()
  : m_fcs(0)
{
}

TypeId
LpwanFcsTrailer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::LpwanFcsTrailer")
                            .SetParent<Trailer>()
                            .SetGroupName("Lpwan")
                            .AddConstructor<LpwanFcsTrailer>();
    return tid;
}

TypeId
LpwanFcsTrailer::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
LpwanFcsTrailer::GetSerializedSize() const
{
    return kSize;
}

void
LpwanFcsTrailer::Serialize(Buffer::Iterator end) const
{
    Buffer::Iterator i = end;
    i.Prev(kSize);
    i.WriteHtonU16(m_fcs);
}

uint32_t
LpwanFcsTrailer::Deserialize(Buffer::Iterator end)
{
    Buffer::Iterator i = end;
    i.Prev(kSize);
    m_fcs = i.ReadNtohU16();
    return kSize;
}

void
LpwanFcsTrailer::Print(std::ostream& os) const
{
    os << "fcs=0x" << std::hex << std::setw(4) << std::setfill('0') << m_fcs << std::dec;
}

uint16_t
LpwanFcsTrailer::Crc16Ccitt(const uint8_t* data, std::size_t len, uint16_t crc)
{
    for (std::size_t i = 0; i < len; ++i)
    {
        crc = static_cast<uint16_t>((crc << 8) ^ kCrcTable[((crc >> 8) ^ data[i]) & 0xff]);
    }
    return crc;
}

uint16_t
LpwanFcsTrailer::CrcOfPacket(Ptr<const Packet> frame)
{
    std::vector<uint8_t> bytes(frame->GetSize());
    frame->CopyData(bytes.data(), bytes.size());
    return Crc16Ccitt(bytes.data(), bytes.size());
}

void
LpwanFcsTrailer::CalcFcs(Ptr<const Packet> frame)
{
    m_fcs = CrcOfPacket(frame);
}

bool
LpwanFcsTrailer::CheckFcs(Ptr<const Packet> frame) const
{
    return CrcOfPacket(frame) == m_fcs;
}

void
LpwanFcsTrailer::SetFcs(uint16_t fcs)
{
    m_fcs = fcs;
}

uint16_t
LpwanFcsTrailer::GetFcs() const
{
    return m_fcs;
}

} // namespace ns3
