// NB-IoT frames: header sizes and encodings, the CRC-24A, transport-block segmentation with its
// per-layer attribution, NIDD header stripping, coverage levels and the cell's bookkeeping.
#include "nbiot/nbiot-channel.h"
#include "nbiot/nbiot-frame.h"
#include "nbiot/nbiot-nidd-tag.h"
#include "nbiot/nbiot-radio-profile.h"
#include "stats/link-accounting.h"
#include "stats/message-tag.h"

#include "ns3/ipv4-header.h"
#include "ns3/simulator.h"
#include "ns3/udp-header.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace ns3;

namespace
{

/// An IPv4/UDP packet with `payload` bytes and a MessageTag splitting them.
Ptr<Packet>
UdpPacket(uint32_t payload, uint16_t coap, uint16_t security)
{
    std::vector<uint8_t> bytes(payload);
    for (uint32_t i = 0; i < payload; ++i)
    {
        bytes[i] = static_cast<uint8_t>(i * 7 + 1);
    }
    Ptr<Packet> p = Create<Packet>(bytes.data(), payload);
    UdpHeader udp;
    udp.SetSourcePort(40000);
    udp.SetDestinationPort(5683);
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(Ipv4Address("10.0.0.2"));
    ip.SetDestination(Ipv4Address("10.255.0.2"));
    ip.SetProtocol(17);
    ip.SetPayloadSize(payload + 8);
    ip.SetTtl(64);
    p->AddHeader(ip);
    MessageTag tag;
    tag.messageId = 7;
    tag.coapBytes = coap;
    tag.securityBytes = security;
    tag.appBytes = static_cast<uint16_t>(payload - coap - security);
    p->AddPacketTag(tag);
    return p;
}

std::vector<uint8_t>
BytesOf(Ptr<const Packet> p)
{
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

} // namespace

TEST(NbIotFrame, HeaderSizesFollowTheLogicalChannel)
{
    // MAC subheader 3, RLC AM 2 (not on CCCH), then the L3 overhead of the channel.
    EXPECT_EQ(NbIotFrameHeader::SizeOf(NbIotChannelKind::CCCH), 3u);
    EXPECT_EQ(NbIotFrameHeader::SizeOf(NbIotChannelKind::SRB1), 6u);
    EXPECT_EQ(NbIotFrameHeader::SizeOf(NbIotChannelKind::DRB), 6u);
    EXPECT_EQ(NbIotFrameHeader::SizeOf(NbIotChannelKind::SRB1BIS_DATA), 19u);
    EXPECT_EQ(NbIotFrameHeader::SizeOf(NbIotChannelKind::SRB1_MSG5_DATA), 27u);
}

TEST(NbIotFrame, HeaderRoundTrip)
{
    NbIotFrameHeader h;
    h.SetKind(NbIotChannelKind::SRB1BIS_DATA);
    h.SetNonIp(true);
    h.SetPayloadLength(1234);
    h.SetSequence(517);
    Ptr<Packet> p = Create<Packet>(10);
    p->AddHeader(h);
    EXPECT_EQ(p->GetSize(), 10u + 19u);
    NbIotFrameHeader back;
    EXPECT_EQ(p->RemoveHeader(back), 19u);
    EXPECT_EQ(back.GetKind(), NbIotChannelKind::SRB1BIS_DATA);
    EXPECT_TRUE(back.IsNonIp());
    EXPECT_FALSE(back.IsSignalling());
    EXPECT_EQ(back.GetPayloadLength(), 1234);
    EXPECT_EQ(back.GetSequence(), 517);
}

TEST(NbIotFrame, Crc24aCheckValue)
{
    // CRC-24/LTE-A catalogue check value over "123456789".
    const char* check = "123456789";
    EXPECT_EQ(NbIotFrameTrailer::Crc24a(reinterpret_cast<const uint8_t*>(check), 9), 0xcde703u);
}

TEST(NbIotFrame, TransportBlocksAndTrailer)
{
    EXPECT_EQ(NbIotFrameTrailer::TransportBlocksFor(122, 125), 1u); // fits with its CRC
    EXPECT_EQ(NbIotFrameTrailer::TransportBlocksFor(123, 125), 2u);
    EXPECT_EQ(NbIotFrameTrailer::SizeFor(1), 3u);
    EXPECT_EQ(NbIotFrameTrailer::SizeFor(3), 3u * 3 + 5u * 2);
    // SizeOf agrees with a built frame.
    for (uint32_t payload : {0u, 50u, 116u, 117u, 300u, 1200u})
    {
        Ptr<Packet> body = Create<Packet>(payload);
        Ptr<Packet> frame = NbIotFrame::Build(body, 0, NbIotChannelKind::DRB, false, 3, 125);
        EXPECT_EQ(frame->GetSize(), NbIotFrame::SizeOf(payload, NbIotChannelKind::DRB, 125))
            << payload;
    }
}

TEST(NbIotFrame, SegmentsCarryEveryByteOnceAndSplitTheLayers)
{
    for (uint32_t payload : {40u, 90u, 400u, 1100u})
    {
        for (auto kind : {NbIotChannelKind::DRB, NbIotChannelKind::SRB1BIS_DATA})
        {
            Ptr<Packet> ip = UdpPacket(payload, 12, payload > 100 ? 29 : 0);
            Ptr<Packet> frame = NbIotFrame::Build(ip, 0, kind, false, 1, 85);
            LayerBytes whole = NbIotFrame::Layers(frame);
            EXPECT_EQ(whole.Total(), frame->GetSize());
            EXPECT_EQ(whole.ip, 20u);
            EXPECT_EQ(whole.transport, 8u);
            EXPECT_EQ(whole.coap, 12u);
            std::vector<NbIotTransportBlock> tbs = NbIotFrame::Segment(frame, 85);
            LayerBytes sum;
            uint32_t bytes = 0;
            for (const auto& tb : tbs)
            {
                EXPECT_LE(tb.packet->GetSize(), 85u);
                EXPECT_EQ(tb.layers.Total(), tb.packet->GetSize());
                // The accounting reads the TB's own split and its message.
                EXPECT_EQ(LinkAccounting::ClassifyNbIot(tb.packet, nullptr).Total(),
                          tb.packet->GetSize());
                MessageTag tag;
                EXPECT_TRUE(tb.packet->PeekPacketTag(tag));
                EXPECT_EQ(tag.messageId, 7u);
                sum += tb.layers;
                bytes += tb.packet->GetSize();
            }
            EXPECT_EQ(bytes, frame->GetSize());
            EXPECT_EQ(sum.app, whole.app);
            EXPECT_EQ(sum.coap, whole.coap);
            EXPECT_EQ(sum.security, whole.security);
            EXPECT_EQ(sum.transport, whole.transport);
            EXPECT_EQ(sum.ip, whole.ip);
            EXPECT_EQ(sum.radio, whole.radio);
        }
    }
}

TEST(NbIotFrame, SignallingIsAllRadio)
{
    Ptr<Packet> frame = NbIotFrame::Build(nullptr, 26, NbIotChannelKind::CCCH, false, 0, 125);
    EXPECT_EQ(frame->GetSize(), 3u + 26u + 3u);
    LayerBytes b = NbIotFrame::Layers(frame);
    EXPECT_EQ(b.radio, frame->GetSize());
    EXPECT_EQ(b.Total(), b.radio);
}

// Regression (found by the nbiot-frame fuzz target): the transport blocks of an uplink
// signalling message left its body out of their layers, so the bytes of Msg3/Msg5 on the air
// were undercounted in bytes.by_layer.radio.
TEST(NbIotFrame, SegmentedSignallingIsAllRadioInEveryBlock)
{
    for (uint32_t body : {0u, 7u, 26u, 200u})
    {
        for (auto kind : {NbIotChannelKind::CCCH, NbIotChannelKind::SRB1})
        {
            Ptr<Packet> frame = NbIotFrame::Build(nullptr, body, kind, false, 0, 40);
            uint64_t radio = 0;
            for (const auto& tb : NbIotFrame::Segment(frame, 40))
            {
                EXPECT_EQ(tb.layers.Total(), tb.packet->GetSize());
                EXPECT_EQ(tb.layers.radio, tb.packet->GetSize());
                EXPECT_EQ(LinkAccounting::ClassifyNbIot(tb.packet, nullptr).radio,
                          tb.packet->GetSize());
                radio += tb.layers.radio;
            }
            EXPECT_EQ(radio, frame->GetSize()) << body;
        }
    }
}

TEST(NbIotNidd, StripAndRestoreAreExactInverses)
{
    Ptr<Packet> p = UdpPacket(61, 10, 0);
    std::vector<uint8_t> original = BytesOf(p);
    ASSERT_TRUE(NbIotNidd::Strip(p));
    EXPECT_EQ(p->GetSize(), 61u); // no IP, no UDP on the air
    Ptr<Packet> frame = NbIotFrame::Build(p, 0, NbIotChannelKind::SRB1BIS_DATA, true, 0, 125);
    LayerBytes b = NbIotFrame::Layers(frame);
    EXPECT_EQ(b.ip, 0u);
    EXPECT_EQ(b.transport, 0u);
    EXPECT_EQ(b.coap, 10u);
    EXPECT_EQ(b.app, 51u);
    ASSERT_TRUE(NbIotNidd::Restore(p));
    EXPECT_EQ(BytesOf(p), original);
    MessageTag tag;
    EXPECT_TRUE(p->PeekPacketTag(tag)); // the accounting's tag survives
}

TEST(NbIotNidd, NonUdpPacketsKeepTheirHeaders)
{
    Ptr<Packet> p = Create<Packet>(30);
    Ipv4Header ip;
    ip.SetProtocol(6);
    ip.SetPayloadSize(30);
    p->AddHeader(ip);
    EXPECT_FALSE(NbIotNidd::Strip(p));
    EXPECT_EQ(p->GetSize(), 50u);
    EXPECT_FALSE(NbIotNidd::Restore(p));
}

TEST(NbIotProfile, CoverageLevelsFollowTheMaximumCouplingLoss)
{
    NbIotRadioProfile nb = NbIotRadioProfile::NbIot();
    EXPECT_EQ(nb.LevelOf(120), 0u);
    EXPECT_EQ(nb.LevelOf(144), 0u);
    EXPECT_EQ(nb.LevelOf(144.01), 1u);
    EXPECT_EQ(nb.LevelOf(154), 1u);
    EXPECT_EQ(nb.LevelOf(164), 2u);
    EXPECT_EQ(nb.LevelOf(164.5), kNbIotCeLevels); // out of coverage
    NbIotRadioProfile m = NbIotRadioProfile::LteM();
    EXPECT_EQ(m.LevelOf(150), 1u);
    EXPECT_EQ(m.LevelOf(156), 2u);
    EXPECT_EQ(m.LevelOf(160), kNbIotCeLevels); // NB-IoT reaches further than LTE-M
    // Deeper coverage: slower, longer random access and control delays.
    for (uint32_t l = 1; l < kNbIotCeLevels; ++l)
    {
        EXPECT_LT(nb.ce[l].ulRateBps, nb.ce[l - 1].ulRateBps);
        EXPECT_LT(nb.ce[l].dlRateBps, nb.ce[l - 1].dlRateBps);
        EXPECT_GT(nb.ce[l].preambleS, nb.ce[l - 1].preambleS);
        EXPECT_GT(nb.ce[l].controlDelayS, nb.ce[l - 1].controlDelayS);
    }
    EXPECT_THROW(NbIotRadioProfile::ByName("lora"), std::invalid_argument);
}

TEST(NbIotChannel, PreambleCollisionsAreCountedPerOccasion)
{
    Ptr<NbIotChannel> cell = CreateObject<NbIotChannel>();
    auto [index, at] = cell->NextRaOccasion(0, Seconds(0.05));
    EXPECT_EQ(at, Seconds(0.08)); // CE0 occasions every 80 ms, strictly after now
    EXPECT_EQ(index, 1u);
    cell->RegisterPreamble(0, index, 5);
    cell->RegisterPreamble(0, index, 6);
    cell->RegisterPreamble(0, index, 5);
    EXPECT_TRUE(cell->PreambleCollided(0, index, 5));
    EXPECT_FALSE(cell->PreambleCollided(0, index, 6));
    // The next occasion starts from zero.
    cell->RegisterPreamble(0, index + 1, 5);
    EXPECT_FALSE(cell->PreambleCollided(0, index + 1, 5));
    cell->Dispose();
}

TEST(NbIotChannel, SingleToneTransmissionsShareTheUplinkCarrier)
{
    // NB-IoT's uplink carrier is 12 subcarriers: twelve single-tone (CE2) transport blocks go
    // side by side, the thirteenth waits; a full-carrier one needs all twelve free.
    Ptr<NbIotChannel> cell = CreateObject<NbIotChannel>();
    for (int i = 0; i < 12; ++i)
    {
        EXPECT_EQ(cell->Reserve(true, Seconds(1), Seconds(5), 1), Seconds(1)) << i;
    }
    EXPECT_EQ(cell->Reserve(true, Seconds(1), Seconds(5), 1), Seconds(6));
    EXPECT_EQ(cell->Reserve(true, Seconds(2), Seconds(1), 3), Seconds(6)); // three of the 11 free
    EXPECT_EQ(cell->Reserve(true, Seconds(0), Seconds(1), 12), Seconds(11));
    EXPECT_EQ(cell->Reserve(false, Seconds(1), Seconds(1)), Seconds(1)); // the downlink is apart
    // Busy time counts the carrier's share: (13 x 5 x 1 + 1 x 3 + 1 x 12) unit-seconds / 12.
    EXPECT_NEAR(cell->GetUplinkBusyS(), 80.0 / 12, 1e-6); // nanosecond steps
    cell->Dispose();

    // LTE-M CE mode B: 2 of the narrowband's 6 PRBs, so three transmissions at once.
    Ptr<NbIotChannel> ltem = CreateObject<NbIotChannel>();
    ltem->SetProfile(NbIotRadioProfile::LteM());
    const uint32_t prbs = NbIotRadioProfile::LteM().ce[2].ulUnitsPerTb;
    EXPECT_EQ(prbs, 2u);
    for (int i = 0; i < 3; ++i)
    {
        EXPECT_EQ(ltem->Reserve(true, Seconds(1), Seconds(2), prbs), Seconds(1)) << i;
    }
    EXPECT_EQ(ltem->Reserve(true, Seconds(1), Seconds(2), prbs), Seconds(3));
    ltem->Dispose();
}

TEST(NbIotChannel, SharedChannelIsReservedFirstComeFirstServed)
{
    Ptr<NbIotChannel> cell = CreateObject<NbIotChannel>();
    EXPECT_EQ(cell->Reserve(true, Seconds(1), Seconds(2)), Seconds(1));
    EXPECT_EQ(cell->Reserve(true, Seconds(1.5), Seconds(1)), Seconds(3));    // waits
    EXPECT_EQ(cell->Reserve(false, Seconds(1.5), Seconds(1)), Seconds(1.5)); // other direction
    EXPECT_EQ(cell->Reserve(true, Seconds(10), Seconds(1)), Seconds(10));
    EXPECT_DOUBLE_EQ(cell->GetUplinkBusyS(), 4.0);
    EXPECT_DOUBLE_EQ(cell->GetDownlinkBusyS(), 1.0);
    cell->Dispose();
}
