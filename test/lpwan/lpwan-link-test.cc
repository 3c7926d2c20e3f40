/*
 * The LPWAN star link: timing (serialization + delay), addressing, loss, the Scheduled and
 * Aloha media, the FCS check, the transmit FIFO, forwarding through the gateway, the helper
 * and PCAP output. Each test builds a tiny network and runs it.
 */
#include "lpwan-link-helper.h"
#include "lpwan/lpwan-channel.h"
#include "lpwan/lpwan-frame-header.h"
#include "lpwan/lpwan-net-device.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint16_t kPort = 9;
constexpr uint32_t kIpUdpBytes = 20 + 8;
constexpr uint32_t kRadioBytes = LpwanFrameHeader::kSize + LpwanFcsTrailer::kSize;

/// A frame seen by one of the channel's trace sources.
struct FrameRecord
{
    Time at;
    uint32_t size;
    uint32_t station;
    bool uplink;
    Time duration;      // FrameTxBegin only
    std::string reason; // FrameLost only
};

/// A UDP datagram received by a listening socket.
struct Delivery
{
    Time at;
    uint32_t node;
    uint32_t size;
    Ipv4Address from;
};

/**
 * A gateway and n stations on one LPWAN channel, with Internet stacks, addresses in
 * 10.1.0.0/16 and the channel's trace sources recorded. Not copyable (callbacks hold this).
 */
class Star
{
  public:
    explicit Star(uint32_t nStations, LpwanLinkHelper lpwan = LpwanLinkHelper())
    {
        gatewayNode.Create(1);
        stations.Create(nStations);
        devices = lpwan.Install(gatewayNode.Get(0), stations);
        InternetStackHelper internet;
        internet.Install(gatewayNode);
        internet.Install(stations);
        interfaces = lpwan.AssignIpv4(devices, "10.1.0.0", "255.255.0.0");
        lpwan.AssignStreams(devices, 100);
        channel = Device(0)->GetLpwanChannel();

        channel->TraceConnectWithoutContext(
            "FrameTxBegin",
            Callback<void, Ptr<const Packet>, uint32_t, bool, Time>(
                [this](Ptr<const Packet> f, uint32_t station, bool uplink, Time duration)
                {
                    txBegin.push_back(
                        {Simulator::Now(), f->GetSize(), station, uplink, duration, ""});
                }));
        channel->TraceConnectWithoutContext(
            "FrameRxEnd",
            Callback<void, Ptr<const Packet>, uint32_t, bool>(
                [this](Ptr<const Packet> f, uint32_t station, bool uplink)
                {
                    rxEnd.push_back({Simulator::Now(), f->GetSize(), station, uplink, Time(), ""});
                }));
        channel->TraceConnectWithoutContext(
            "FrameLost",
            Callback<void, Ptr<const Packet>, uint32_t, bool, std::string>(
                [this](Ptr<const Packet> f, uint32_t station, bool uplink, std::string reason)
                {
                    lost.push_back(
                        {Simulator::Now(), f->GetSize(), station, uplink, Time(), reason});
                }));
    }

    Star(const Star&) = delete;
    Star& operator=(const Star&) = delete;

    Ptr<Node> Gateway() const
    {
        return gatewayNode.Get(0);
    }

    Ptr<Node> Station(uint32_t i) const
    {
        return stations.Get(i);
    }

    /// \param i 0 for the gateway, 1 + k for station k
    Ptr<LpwanNetDevice> Device(uint32_t i) const
    {
        return DynamicCast<LpwanNetDevice>(devices.Get(i));
    }

    Ipv4Address GatewayAddress() const
    {
        return interfaces.GetAddress(0);
    }

    Ipv4Address StationAddress(uint32_t i) const
    {
        return interfaces.GetAddress(1 + i);
    }

    /// Receive UDP datagrams on port 9 of a node.
    void Listen(Ptr<Node> node)
    {
        Ptr<Socket> socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
        socket->SetRecvCallback(Callback<void, Ptr<Socket>>(
            [this](Ptr<Socket> s)
            {
                Address from;
                while (Ptr<Packet> p = s->RecvFrom(from))
                {
                    deliveries.push_back({Simulator::Now(), s->GetNode()->GetId(), p->GetSize(),
                                          InetSocketAddress::ConvertFrom(from).GetIpv4()});
                }
            }));
        m_sockets.push_back(socket);
    }

    /// Send `count` UDP datagrams of `payload` bytes from a node at time t (same instant).
    void SendAt(Time t, Ptr<Node> from, Ipv4Address to, uint32_t payload, uint32_t count = 1)
    {
        Ptr<Socket>& socket = m_senders[from->GetId()];
        if (!socket)
        {
            socket = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
            socket->Bind();
        }
        Ptr<Socket> s = socket;
        Simulator::ScheduleWithContext(from->GetId(), t,
                                       [s, to, payload, count]()
                                       {
                                           for (uint32_t i = 0; i < count; ++i)
                                           {
                                               s->SendTo(Create<Packet>(payload), 0,
                                                         InetSocketAddress(to, kPort));
                                           }
                                       });
    }

    uint32_t CountLost(const std::string& reason) const
    {
        uint32_t n = 0;
        for (const auto& l : lost)
        {
            n += l.reason == reason ? 1 : 0;
        }
        return n;
    }

    NodeContainer gatewayNode;
    NodeContainer stations;
    NetDeviceContainer devices;
    Ipv4InterfaceContainer interfaces;
    Ptr<LpwanChannel> channel;
    std::vector<FrameRecord> txBegin;
    std::vector<FrameRecord> rxEnd;
    std::vector<FrameRecord> lost;
    std::vector<Delivery> deliveries;

  private:
    std::vector<Ptr<Socket>> m_sockets;
    std::map<uint32_t, Ptr<Socket>> m_senders;
};

/// Counts a device's packet trace source; the callback shares the counter with the test.
std::shared_ptr<uint32_t>
CountTrace(Ptr<Object> object, const std::string& name)
{
    auto counter = std::make_shared<uint32_t>(0);
    object->TraceConnectWithoutContext(name, Callback<void, Ptr<const Packet>>(
                                                 [counter](Ptr<const Packet>)
                                                 {
                                                     ++*counter;
                                                 }));
    return counter;
}

LpwanLinkHelper
HelperWith(const std::string& name, const AttributeValue& value)
{
    LpwanLinkHelper lpwan;
    lpwan.SetChannelAttribute(name, value);
    return lpwan;
}

class LpwanLinkTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(20240611);
        RngSeedManager::SetRun(1);
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }
};

} // namespace

TEST_F(LpwanLinkTest, UplinkArrivesAfterSerializationPlusDelay)
{
    Star star(2);
    star.Listen(star.Gateway());
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10);
    Simulator::Run();

    // 4 (LPWAN header) + 20 (IPv4) + 8 (UDP) + 10 (payload) + 2 (FCS) = 44 bytes
    // = 352 bits at 20 kbps = 17.6 ms, then the 1 s delay.
    const uint32_t frameBytes = kRadioBytes + kIpUdpBytes + 10;
    ASSERT_EQ(frameBytes, 44u);
    ASSERT_EQ(star.deliveries.size(), 1u);
    EXPECT_EQ(star.deliveries[0].at, Seconds(1) + MicroSeconds(17600) + Seconds(1));
    EXPECT_EQ(star.deliveries[0].node, star.Gateway()->GetId());
    EXPECT_EQ(star.deliveries[0].size, 10u);
    EXPECT_EQ(star.deliveries[0].from, star.StationAddress(0));

    ASSERT_EQ(star.txBegin.size(), 1u);
    EXPECT_EQ(star.txBegin[0].at, Seconds(1));
    EXPECT_EQ(star.txBegin[0].size, frameBytes);
    EXPECT_EQ(star.txBegin[0].station, star.Station(0)->GetId());
    EXPECT_TRUE(star.txBegin[0].uplink);
    EXPECT_EQ(star.txBegin[0].duration, MicroSeconds(17600));
    EXPECT_EQ(star.txBegin[0].duration, star.channel->GetTxTime(frameBytes, true));

    ASSERT_EQ(star.rxEnd.size(), 1u);
    EXPECT_EQ(star.rxEnd[0].at, star.deliveries[0].at);
    EXPECT_EQ(star.rxEnd[0].size, frameBytes);
    EXPECT_EQ(star.rxEnd[0].station, star.Station(0)->GetId());
    EXPECT_TRUE(star.rxEnd[0].uplink);
    EXPECT_TRUE(star.lost.empty());
}

TEST_F(LpwanLinkTest, RatesAndDelayAreAttributes)
{
    LpwanLinkHelper lpwan;
    lpwan.SetChannelAttribute("UplinkDataRate", DataRateValue(DataRate("5kbps")));
    lpwan.SetChannelAttribute("DownlinkDataRate", DataRateValue(DataRate("50kbps")));
    lpwan.SetChannelAttribute("Delay", TimeValue(MilliSeconds(300)));
    Star star(1, lpwan);
    star.Listen(star.Gateway());
    star.Listen(star.Station(0));
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 62);
    star.SendAt(Seconds(5), star.Gateway(), star.StationAddress(0), 62);
    Simulator::Run();

    // 96-byte frames: 768 bits at 5 kbps = 153.6 ms up, at 50 kbps = 15.36 ms down.
    ASSERT_EQ(star.deliveries.size(), 2u);
    EXPECT_EQ(star.deliveries[0].at, Seconds(1) + MicroSeconds(153600) + MilliSeconds(300));
    EXPECT_EQ(star.deliveries[1].at, Seconds(5) + MicroSeconds(15360) + MilliSeconds(300));
}

TEST_F(LpwanLinkTest, DownlinkReachesOnlyTheAddressedStation)
{
    Star star(3);
    for (uint32_t i = 0; i < 3; ++i)
    {
        star.Listen(star.Station(i));
    }
    std::vector<std::shared_ptr<uint32_t>> macRx;
    for (uint32_t i = 0; i < 4; ++i)
    {
        macRx.push_back(CountTrace(star.Device(i), "MacRx"));
    }
    star.SendAt(Seconds(1), star.Gateway(), star.StationAddress(1), 20);
    Simulator::Run();

    ASSERT_EQ(star.deliveries.size(), 1u);
    EXPECT_EQ(star.deliveries[0].node, star.Station(1)->GetId());
    EXPECT_EQ(star.deliveries[0].from, star.GatewayAddress());
    // 54-byte frame: 432 bits at 20 kbps = 21.6 ms.
    EXPECT_EQ(star.deliveries[0].at, Seconds(1) + MicroSeconds(21600) + Seconds(1));
    EXPECT_EQ(*macRx[0], 0u);
    EXPECT_EQ(*macRx[1], 0u);
    EXPECT_EQ(*macRx[2], 1u);
    EXPECT_EQ(*macRx[3], 0u);

    ASSERT_EQ(star.txBegin.size(), 1u);
    EXPECT_FALSE(star.txBegin[0].uplink);
    EXPECT_EQ(star.txBegin[0].station, star.Station(1)->GetId());
    ASSERT_EQ(star.rxEnd.size(), 1u);
    EXPECT_FALSE(star.rxEnd[0].uplink);
}

TEST_F(LpwanLinkTest, UnknownDownlinkDestinationIsDroppedWithTrace)
{
    Star star(2);
    auto macTxDrop = CountTrace(star.Device(0), "MacTxDrop");
    star.SendAt(Seconds(1), star.Gateway(), Ipv4Address("10.1.0.200"), 10);
    Simulator::Run();

    EXPECT_TRUE(star.txBegin.empty());
    EXPECT_EQ(*macTxDrop, 1u);
    ASSERT_EQ(star.lost.size(), 1u);
    EXPECT_EQ(star.lost[0].reason, "no-route");
    EXPECT_EQ(star.lost[0].station, LpwanChannel::kNoStation);
    EXPECT_FALSE(star.lost[0].uplink);
    EXPECT_EQ(star.lost[0].size, kRadioBytes + kIpUdpBytes + 10);
}

TEST_F(LpwanLinkTest, StationToStationGoesUpAndDownThroughTheGateway)
{
    Star star(2);
    star.Listen(star.Station(1));
    star.SendAt(Seconds(1), star.Station(0), star.StationAddress(1), 10);
    Simulator::Run();

    ASSERT_EQ(star.deliveries.size(), 1u);
    EXPECT_EQ(star.deliveries[0].node, star.Station(1)->GetId());
    EXPECT_EQ(star.deliveries[0].from, star.StationAddress(0));
    EXPECT_EQ(star.deliveries[0].at, Seconds(1) + 2 * (MicroSeconds(17600) + Seconds(1)));
    ASSERT_EQ(star.txBegin.size(), 2u);
    EXPECT_TRUE(star.txBegin[0].uplink);
    EXPECT_FALSE(star.txBegin[1].uplink);
}

namespace
{

/// Station 0 sends `n` datagrams 100 ms apart (no queueing); returns the indices delivered.
std::vector<uint32_t>
RunLossScenario(double lossProbability, uint32_t n, uint32_t* lostByLoss = nullptr)
{
    std::vector<uint32_t> delivered;
    {
        Star star(1, HelperWith("LossProbability", DoubleValue(lossProbability)));
        star.Listen(star.Gateway());
        for (uint32_t i = 0; i < n; ++i)
        {
            star.SendAt(Seconds(1) + MilliSeconds(100 * i), star.Station(0), star.GatewayAddress(),
                        10);
        }
        Simulator::Run();
        for (const auto& d : star.deliveries)
        {
            // sent at 1 s + 100 ms * i, delivered 1.0176 s later
            Time sent = d.at - MicroSeconds(17600) - Seconds(1);
            delivered.push_back(static_cast<uint32_t>((sent - Seconds(1)).GetMilliSeconds() / 100));
        }
        if (lostByLoss)
        {
            *lostByLoss = star.CountLost("loss");
        }
        EXPECT_EQ(star.txBegin.size(), n);
        EXPECT_EQ(star.rxEnd.size() + star.lost.size(), n);
    }
    Simulator::Destroy();
    return delivered;
}

} // namespace

TEST_F(LpwanLinkTest, LossZeroDeliversEverything)
{
    uint32_t lost = 99;
    EXPECT_EQ(RunLossScenario(0.0, 200, &lost).size(), 200u);
    EXPECT_EQ(lost, 0u);
}

TEST_F(LpwanLinkTest, LossOneDeliversNothing)
{
    uint32_t lost = 0;
    EXPECT_EQ(RunLossScenario(1.0, 200, &lost).size(), 0u);
    EXPECT_EQ(lost, 200u);
}

TEST_F(LpwanLinkTest, LossPointThreeDeliversAboutSeventyPercentDeterministically)
{
    uint32_t lost = 0;
    std::vector<uint32_t> first = RunLossScenario(0.3, 400, &lost);
    // Binomial(400, 0.7): mean 280, sd 9.2; accept +-4 sd.
    EXPECT_GE(first.size(), 243u);
    EXPECT_LE(first.size(), 317u);
    EXPECT_EQ(first.size() + lost, 400u);

    // Same seed and run: the very same frames are lost.
    std::vector<uint32_t> again = RunLossScenario(0.3, 400);
    EXPECT_EQ(first, again);

    // Another run number: another loss pattern.
    RngSeedManager::SetRun(2);
    std::vector<uint32_t> other = RunLossScenario(0.3, 400);
    EXPECT_NE(first, other);
}

TEST_F(LpwanLinkTest, ScheduledMediumSendsSimultaneousUplinksBackToBack)
{
    Star star(2, HelperWith("Medium", EnumValue(LpwanChannel::SCHEDULED)));
    star.Listen(star.Gateway());
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10);
    star.SendAt(Seconds(1), star.Station(1), star.GatewayAddress(), 10);
    Simulator::Run();

    const Time ser = MicroSeconds(17600);
    ASSERT_EQ(star.deliveries.size(), 2u);
    EXPECT_EQ(star.deliveries[0].at, Seconds(1) + ser + Seconds(1));
    EXPECT_EQ(star.deliveries[1].at, Seconds(1) + 2 * ser + Seconds(1));
    EXPECT_EQ(star.deliveries[0].from, star.StationAddress(0));
    EXPECT_EQ(star.deliveries[1].from, star.StationAddress(1));
    ASSERT_EQ(star.txBegin.size(), 2u);
    EXPECT_EQ(star.txBegin[0].at, Seconds(1));
    EXPECT_EQ(star.txBegin[1].at, Seconds(1) + ser);
    EXPECT_TRUE(star.lost.empty());
}

TEST_F(LpwanLinkTest, ScheduledMediumServesOneFifoAcrossStations)
{
    Star star(3, HelperWith("Medium", EnumValue(LpwanChannel::SCHEDULED)));
    star.Listen(star.Gateway());
    star.SendAt(Seconds(1), star.Station(2), star.GatewayAddress(), 10, 2);
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10);
    star.SendAt(Seconds(1) + MilliSeconds(1), star.Station(1), star.GatewayAddress(), 10);
    Simulator::Run();

    const Time ser = MicroSeconds(17600);
    ASSERT_EQ(star.deliveries.size(), 4u);
    std::vector<Ipv4Address> order;
    for (uint32_t i = 0; i < 4; ++i)
    {
        EXPECT_EQ(star.deliveries[i].at, Seconds(1) + (i + 1) * ser + Seconds(1));
        order.push_back(star.deliveries[i].from);
    }
    std::vector<Ipv4Address> expected = {star.StationAddress(2), star.StationAddress(2),
                                         star.StationAddress(0), star.StationAddress(1)};
    EXPECT_EQ(order, expected);
}

TEST_F(LpwanLinkTest, AlohaCollidesOverlappingUplinks)
{
    Star star(2, HelperWith("Medium", EnumValue(LpwanChannel::ALOHA)));
    star.Listen(star.Gateway());
    const Time ser = MicroSeconds(17600);
    // Simultaneous: both lost.
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10);
    star.SendAt(Seconds(1), star.Station(1), star.GatewayAddress(), 10);
    // Partial overlap: both lost.
    star.SendAt(Seconds(3), star.Station(1), star.GatewayAddress(), 10);
    star.SendAt(Seconds(3) + ser / 2, star.Station(0), star.GatewayAddress(), 10);
    // Alone: delivered.
    star.SendAt(Seconds(5), star.Station(0), star.GatewayAddress(), 10);
    Simulator::Run();

    ASSERT_EQ(star.deliveries.size(), 1u);
    EXPECT_EQ(star.deliveries[0].at, Seconds(5) + ser + Seconds(1));
    EXPECT_EQ(star.txBegin.size(), 5u);
    ASSERT_EQ(star.lost.size(), 4u);
    for (const auto& l : star.lost)
    {
        EXPECT_EQ(l.reason, "collision");
        EXPECT_TRUE(l.uplink);
    }
    EXPECT_EQ(star.lost[0].at, Seconds(1) + ser);
    EXPECT_EQ(star.lost[1].at, Seconds(1) + ser);
}

TEST_F(LpwanLinkTest, AlohaFramesThatOnlyTouchDoNotCollide)
{
    Star star(2, HelperWith("Medium", EnumValue(LpwanChannel::ALOHA)));
    star.Listen(star.Gateway());
    const Time ser = MicroSeconds(17600);
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10);
    star.SendAt(Seconds(1) + ser, star.Station(1), star.GatewayAddress(), 10);
    Simulator::Run();
    EXPECT_EQ(star.deliveries.size(), 2u);
    EXPECT_TRUE(star.lost.empty());
}

TEST_F(LpwanLinkTest, AlohaStationSendsItsOwnFramesOneAfterAnother)
{
    Star star(1, HelperWith("Medium", EnumValue(LpwanChannel::ALOHA)));
    star.Listen(star.Gateway());
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10, 3);
    Simulator::Run();
    const Time ser = MicroSeconds(17600);
    ASSERT_EQ(star.deliveries.size(), 3u);
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(star.deliveries[i].at, Seconds(1) + (i + 1) * ser + Seconds(1));
    }
}

TEST_F(LpwanLinkTest, DownlinkIsOneFrameAtATimeAndIndependentOfUplink)
{
    Star star(2, HelperWith("Medium", EnumValue(LpwanChannel::ALOHA)));
    star.Listen(star.Gateway());
    star.Listen(star.Station(0));
    star.Listen(star.Station(1));
    star.SendAt(Seconds(1), star.Gateway(), star.StationAddress(0), 10);
    star.SendAt(Seconds(1), star.Gateway(), star.StationAddress(1), 10);
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10);
    Simulator::Run();

    const Time ser = MicroSeconds(17600);
    ASSERT_EQ(star.deliveries.size(), 3u);
    std::map<uint32_t, Time> at;
    for (const auto& d : star.deliveries)
    {
        at[d.node] = d.at;
    }
    EXPECT_EQ(at[star.Gateway()->GetId()], Seconds(1) + ser + Seconds(1));
    EXPECT_EQ(at[star.Station(0)->GetId()], Seconds(1) + ser + Seconds(1));
    EXPECT_EQ(at[star.Station(1)->GetId()], Seconds(1) + 2 * ser + Seconds(1));
    EXPECT_TRUE(star.lost.empty());
}

TEST_F(LpwanLinkTest, FcsMismatchDropsTheFrame)
{
    Star star(1);
    star.Listen(star.Gateway());
    Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
    em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
    em->SetRate(1.0);
    star.Device(0)->SetReceiveErrorModel(em);
    auto phyRxDrop = CountTrace(star.Device(0), "PhyRxDrop");
    auto phyRxEnd = CountTrace(star.Device(0), "PhyRxEnd");
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10);
    Simulator::Run();

    EXPECT_TRUE(star.deliveries.empty());
    EXPECT_TRUE(star.rxEnd.empty());
    EXPECT_EQ(*phyRxDrop, 1u);
    EXPECT_EQ(*phyRxEnd, 0u);
    ASSERT_EQ(star.lost.size(), 1u);
    EXPECT_EQ(star.lost[0].reason, "fcs");
    EXPECT_EQ(star.lost[0].at, Seconds(1) + MicroSeconds(17600) + Seconds(1));
    EXPECT_EQ(star.lost[0].station, star.Station(0)->GetId());
}

TEST_F(LpwanLinkTest, FullTransmitQueueDropsAndTraces)
{
    LpwanLinkHelper lpwan;
    lpwan.SetDeviceAttribute("TxQueueSize", UintegerValue(2));
    Star star(1, lpwan);
    star.Listen(star.Gateway());
    auto macTxDrop = CountTrace(star.Device(1), "MacTxDrop");
    auto macTx = CountTrace(star.Device(1), "MacTx");
    // One goes on the air at once, two wait, two are dropped.
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10, 5);
    Simulator::Run();

    EXPECT_EQ(star.deliveries.size(), 3u);
    EXPECT_EQ(*macTx, 3u);
    EXPECT_EQ(*macTxDrop, 2u);
    EXPECT_EQ(star.CountLost("queue"), 2u);
    EXPECT_EQ(star.txBegin.size(), 3u);
}

TEST_F(LpwanLinkTest, PacketsHandedUpAreIpv4WithoutLpwanHeader)
{
    Star star(1);
    star.Listen(star.Gateway());
    std::vector<std::vector<uint8_t>> macRx;
    std::vector<uint32_t> phyRxSizes;
    uint16_t protocol = 0;
    star.Device(0)->TraceConnectWithoutContext("MacRx",
                                               Callback<void, Ptr<const Packet>>(
                                                   [&macRx](Ptr<const Packet> p)
                                                   {
                                                       std::vector<uint8_t> bytes(p->GetSize());
                                                       p->CopyData(bytes.data(), bytes.size());
                                                       macRx.push_back(bytes);
                                                   }));
    star.Device(0)->TraceConnectWithoutContext("PhyRxEnd",
                                               Callback<void, Ptr<const Packet>>(
                                                   [&phyRxSizes](Ptr<const Packet> p)
                                                   {
                                                       phyRxSizes.push_back(p->GetSize());
                                                   }));
    star.Gateway()->RegisterProtocolHandler(
        Callback<void, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&, const Address&,
                 NetDevice::PacketType>(
            [&protocol](Ptr<NetDevice>, Ptr<const Packet>, uint16_t proto, const Address&,
                        const Address&, NetDevice::PacketType)
            {
                protocol = proto;
            }),
        0, star.Device(0), false);
    star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10);
    Simulator::Run();

    ASSERT_EQ(macRx.size(), 1u);
    EXPECT_EQ(macRx[0].size(), kIpUdpBytes + 10);
    EXPECT_EQ(macRx[0][0], 0x45); // IPv4, 20-byte header
    ASSERT_EQ(phyRxSizes.size(), 1u);
    EXPECT_EQ(phyRxSizes[0], kRadioBytes + kIpUdpBytes + 10);
    EXPECT_EQ(protocol, 0x0800);
    EXPECT_EQ(star.deliveries.size(), 1u);
}

TEST_F(LpwanLinkTest, ForwardsToAServerBehindTheGateway)
{
    Star star(2);
    NodeContainer server;
    server.Create(1);
    InternetStackHelper().Install(server);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("10ms"));
    NetDeviceContainer backhaul = p2p.Install(star.Gateway(), server.Get(0));
    Ipv4AddressHelper addresses("10.2.0.0", "255.255.255.0");
    Ipv4InterfaceContainer backhaulIf = addresses.Assign(backhaul);
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(server.Get(0)->GetObject<Ipv4>())
        ->AddNetworkRouteTo("10.1.0.0", "255.255.0.0", backhaulIf.GetAddress(0), 1);

    UdpEchoServerHelper echoServer(kPort);
    ApplicationContainer serverApps = echoServer.Install(server.Get(0));
    serverApps.Start(Seconds(0));
    UdpEchoClientHelper echoClient(backhaulIf.GetAddress(1), kPort);
    echoClient.SetAttribute("MaxPackets", UintegerValue(2));
    echoClient.SetAttribute("Interval", TimeValue(Seconds(10)));
    echoClient.SetAttribute("PacketSize", UintegerValue(10));
    ApplicationContainer clientApps = echoClient.Install(star.Station(1));
    clientApps.Start(Seconds(1));
    std::vector<Time> replies;
    clientApps.Get(0)->TraceConnectWithoutContext("Rx", Callback<void, Ptr<const Packet>>(
                                                            [&replies](Ptr<const Packet>)
                                                            {
                                                                replies.push_back(Simulator::Now());
                                                            }));
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_EQ(replies.size(), 2u);
    // Up and down the LPWAN (17.6 ms + 1 s each way) plus the backhaul both ways.
    EXPECT_GT(replies[0], Seconds(1) + 2 * (MicroSeconds(17600) + Seconds(1)));
    EXPECT_LT(replies[0], Seconds(1) + 2 * (MicroSeconds(17600) + Seconds(1)) + MilliSeconds(21));
    ASSERT_EQ(star.txBegin.size(), 4u);
    EXPECT_TRUE(star.txBegin[0].uplink);
    EXPECT_FALSE(star.txBegin[1].uplink);
    EXPECT_EQ(star.txBegin[1].station, star.Station(1)->GetId());
}

TEST_F(LpwanLinkTest, HelperBuildsTheStar)
{
    Star star(3);
    // Addresses: the gateway first.
    EXPECT_EQ(star.GatewayAddress(), Ipv4Address("10.1.0.1"));
    EXPECT_EQ(star.StationAddress(0), Ipv4Address("10.1.0.2"));
    EXPECT_EQ(star.StationAddress(2), Ipv4Address("10.1.0.4"));
    // Devices: gateway first, one channel, short addresses from the channel.
    EXPECT_TRUE(star.Device(0)->IsGateway());
    EXPECT_EQ(star.Device(0)->GetNode(), star.Gateway());
    EXPECT_EQ(star.channel->GetNDevices(), 4u);
    EXPECT_EQ(star.channel->GetNStations(), 3u);
    EXPECT_EQ(star.channel->GetDevice(0), star.devices.Get(0));
    EXPECT_EQ(star.channel->GetGateway(), star.Device(0));
    for (uint32_t i = 0; i < 4; ++i)
    {
        EXPECT_EQ(star.Device(i)->GetShortAddress(), i);
        EXPECT_EQ(star.Device(i)->GetChannel(), star.channel);
        EXPECT_FALSE(star.Device(i)->NeedsArp());
        EXPECT_EQ(star.Device(i)->GetMtu(), 1280);
        EXPECT_TRUE(star.Device(i)->IsLinkUp());
    }
    EXPECT_FALSE(star.Device(1)->IsGateway());
    // Routing: stations registered with the channel, default route to the gateway.
    EXPECT_EQ(star.channel->LookupStation("10.1.0.3"), star.Device(2));
    EXPECT_EQ(star.channel->LookupStation("10.1.0.1"), nullptr);
    EXPECT_EQ(star.channel->LookupStation("10.1.0.9"), nullptr);
    Ipv4StaticRoutingHelper routing;
    Ptr<Ipv4StaticRouting> sr = routing.GetStaticRouting(star.Station(1)->GetObject<Ipv4>());
    ASSERT_NE(sr, nullptr);
    EXPECT_EQ(sr->GetDefaultRoute().GetGateway(), star.GatewayAddress());
    // Attribute defaults.
    EXPECT_EQ(star.channel->GetUplinkDataRate(), DataRate("20kbps"));
    EXPECT_EQ(star.channel->GetDownlinkDataRate(), DataRate("20kbps"));
    EXPECT_EQ(star.channel->GetDelay(), Seconds(1));
    EXPECT_EQ(star.channel->GetMedium(), LpwanChannel::SCHEDULED);
    UintegerValue queueSize;
    star.Device(1)->GetAttribute("TxQueueSize", queueSize);
    EXPECT_EQ(queueSize.Get(), 100u);
}

TEST_F(LpwanLinkTest, PcapHasRawIpPackets)
{
    const std::string file = ::testing::TempDir() + "lpwan-link-test.pcap";
    {
        LpwanLinkHelper lpwan;
        Star star(1, lpwan);
        star.Listen(star.Gateway());
        lpwan.EnablePcap(file, star.devices.Get(0), false, true);
        star.SendAt(Seconds(1), star.Station(0), star.GatewayAddress(), 10);
        Simulator::Run();
    }
    Simulator::Destroy(); // closes the file

    PcapFile pcap;
    pcap.Open(file, std::ios::in);
    ASSERT_FALSE(pcap.Fail());
    EXPECT_EQ(pcap.GetDataLinkType(), 101u); // DLT_RAW
    uint8_t data[2000];
    uint32_t sec;
    uint32_t usec;
    uint32_t inclLen;
    uint32_t origLen;
    uint32_t readLen;
    pcap.Read(data, sizeof(data), sec, usec, inclLen, origLen, readLen);
    ASSERT_FALSE(pcap.Fail());
    EXPECT_EQ(origLen, kIpUdpBytes + 10);
    EXPECT_EQ(data[0], 0x45);
    EXPECT_EQ(sec, 2u);
    EXPECT_EQ(usec, 17600u);
    pcap.Close();
    std::remove(file.c_str());
}
