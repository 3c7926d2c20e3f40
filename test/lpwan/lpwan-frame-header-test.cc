/*
 * The LPWAN frame format: header and FCS trailer sizes and byte layout, CRC-16/CCITT-FALSE,
 * and that the FCS catches a corrupted byte.
 */
#include "lpwan/lpwan-frame-header.h"

#include "ns3/packet.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace ns3;

namespace
{

std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> out(p->GetSize());
    p->CopyData(out.data(), out.size());
    return out;
}

} // namespace

TEST(LpwanFrameHeader, SizesAreAsDocumented)
{
    LpwanFrameHeader header;
    LpwanFcsTrailer trailer;
    EXPECT_EQ(header.GetSerializedSize(), 4u);
    EXPECT_EQ(LpwanFrameHeader::kSize, 4u);
    EXPECT_EQ(trailer.GetSerializedSize(), 2u);
    EXPECT_EQ(LpwanFcsTrailer::kSize, 2u);

    Ptr<Packet> p = Create<Packet>(10);
    p->AddHeader(header);
    trailer.CalcFcs(p);
    p->AddTrailer(trailer);
    EXPECT_EQ(p->GetSize(), 16u);
}

TEST(LpwanFrameHeader, ByteLayoutAndRoundTrip)
{
    const uint8_t payload[] = {0xde, 0xad};
    Ptr<Packet> p = Create<Packet>(payload, sizeof(payload));
    LpwanFrameHeader header;
    header.SetUplink(true);
    header.SetFrameType(LpwanFrameHeader::IPV4_DATA);
    header.SetStationAddress(0x1234);
    header.SetSequence(0x56);
    p->AddHeader(header);
    LpwanFcsTrailer fcs;
    fcs.CalcFcs(p);
    p->AddTrailer(fcs);

    std::vector<uint8_t> bytes = Bytes(p);
    ASSERT_EQ(bytes.size(), 8u);
    EXPECT_EQ(bytes[0], 0x81); // uplink bit + type 1
    EXPECT_EQ(bytes[1], 0x12); // short address, big endian
    EXPECT_EQ(bytes[2], 0x34);
    EXPECT_EQ(bytes[3], 0x56); // sequence
    EXPECT_EQ(bytes[4], 0xde);
    EXPECT_EQ(bytes[5], 0xad);
    uint16_t crc = LpwanFcsTrailer::Crc16Ccitt(bytes.data(), 6);
    EXPECT_EQ(bytes[6], crc >> 8); // FCS over header + payload, big endian
    EXPECT_EQ(bytes[7], crc & 0xff);

    LpwanFcsTrailer rxFcs;
    p->RemoveTrailer(rxFcs);
    EXPECT_EQ(rxFcs.GetFcs(), crc);
    EXPECT_TRUE(rxFcs.CheckFcs(p));
    LpwanFrameHeader rx;
    p->RemoveHeader(rx);
    EXPECT_TRUE(rx.IsUplink());
    EXPECT_EQ(rx.GetFrameType(), LpwanFrameHeader::IPV4_DATA);
    EXPECT_EQ(rx.GetStationAddress(), 0x1234);
    EXPECT_EQ(rx.GetSequence(), 0x56);
    EXPECT_EQ(p->GetSize(), 2u);

    LpwanFrameHeader down;
    down.SetUplink(false);
    EXPECT_EQ(down.GetFrameControl(), 0x01);
}

TEST(LpwanFrameHeader, Crc16CcittFalseCheckValue)
{
    const char* check = "123456789";
    EXPECT_EQ(LpwanFcsTrailer::Crc16Ccitt(reinterpret_cast<const uint8_t*>(check), 9), 0x29B1);
    EXPECT_EQ(LpwanFcsTrailer::Crc16Ccitt(nullptr, 0), 0xFFFF);
    // Continuing a CRC over a split buffer gives the same result.
    uint16_t half = LpwanFcsTrailer::Crc16Ccitt(reinterpret_cast<const uint8_t*>(check), 4);
    EXPECT_EQ(LpwanFcsTrailer::Crc16Ccitt(reinterpret_cast<const uint8_t*>(check) + 4, 5, half),
              0x29B1);
}

TEST(LpwanFrameHeader, FcsDetectsCorruption)
{
    std::vector<uint8_t> payload(40);
    for (std::size_t i = 0; i < payload.size(); ++i)
    {
        payload[i] = static_cast<uint8_t>(i * 7);
    }
    Ptr<Packet> frame = Create<Packet>(payload.data(), payload.size());
    frame->AddHeader(LpwanFrameHeader());
    LpwanFcsTrailer fcs;
    fcs.CalcFcs(frame);
    frame->AddTrailer(fcs);

    std::vector<uint8_t> bytes = Bytes(frame);
    for (std::size_t pos = 0; pos < bytes.size(); ++pos)
    {
        std::vector<uint8_t> bad = bytes;
        bad[pos] ^= 0x10;
        Ptr<Packet> corrupted = Create<Packet>(bad.data(), bad.size());
        LpwanFcsTrailer rx;
        corrupted->RemoveTrailer(rx);
        EXPECT_FALSE(rx.CheckFcs(corrupted)) << "flipped bit in byte " << pos;
    }
}
