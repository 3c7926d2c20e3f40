#include "lpwan-channel.h"

#include "lpwan-net-device.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LpwanChannel");

NS_OBJECT_ENSURE_REGISTERED(LpwanChannel);

TypeId
LpwanChannel::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::LpwanChannel")
              .SetParent<Channel>()
              .SetGroupName("Lpwan")
              .AddConstructor<LpwanChannel>()
              .AddAttribute("UplinkDataRate", "Serialization rate of station-to-gateway frames.",
                            DataRateValue(DataRate("20kbps")),
                            MakeDataRateAccessor(&LpwanChannel::m_uplinkRate),
                            MakeDataRateChecker())
              .AddAttribute("DownlinkDataRate", "Serialization rate of gateway-to-station frames.",
                            DataRateValue(DataRate("20kbps")),
                            MakeDataRateAccessor(&LpwanChannel::m_downlinkRate),
                            MakeDataRateChecker())
              .AddAttribute("Delay", "One-way latency added after a frame's serialization.",
                            TimeValue(Seconds(1)), MakeTimeAccessor(&LpwanChannel::m_delay),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("LossProbability",
                            "Probability that a frame is erased, independently per frame.",
                            DoubleValue(0.0), MakeDoubleAccessor(&LpwanChannel::m_lossProbability),
                            MakeDoubleChecker<double>(0.0, 1.0))
              .AddAttribute("Medium",
                            "How stations share the uplink: Scheduled (one FIFO, no collisions) "
                            "or Aloha (unslotted ALOHA, overlapping frames are all lost).",
                            EnumValue(LpwanChannel::SCHEDULED),
                            MakeEnumAccessor(&LpwanChannel::m_medium),
                            MakeEnumChecker(LpwanChannel::SCHEDULED, "Scheduled",
                                            LpwanChannel::ALOHA, "Aloha"))
              .AddTraceSource("FrameTxBegin",
                              "A frame (with LPWAN header and FCS) starts serialization.",
                              MakeTraceSourceAccessor(&LpwanChannel::m_frameTxBeginTrace),
                              "ns3::LpwanChannel::FrameTxBeginTracedCallback")
              .AddTraceSource("FrameRxEnd",
                              "A frame was delivered to its receiver and passed the FCS check.",
                              MakeTraceSourceAccessor(&LpwanChannel::m_frameRxEndTrace),
                              "ns3::LpwanChannel::FrameRxEndTracedCallback")
              .AddTraceSource("FrameLost",
                              "A frame was lost: loss, collision, fcs, no-route or gateway-down.",
                              MakeTraceSourceAccessor(&LpwanChannel::m_frameLostTrace),
                              "ns3::LpwanChannel::FrameLostTracedCallback");
    return tid;
}

LpwanChannel::LpwanChannel()
  : m_lossProbability(0.0)
  , m_medium(SCHEDULED)
  , m_lossRng(CreateObject<UniformRandomVariable>())
  , m_nextTxId(0)
  , m_uplinkBusy(false)
{
    NS_LOG_FUNCTION(this);
}

LpwanChannel::~LpwanChannel()
{
    NS_LOG_FUNCTION(this);
}

void
LpwanChannel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_gateway = nullptr;
    m_stations.clear();
    m_stationByAddress.clear();
    m_uplinkRequests.clear();
    m_activeUplinks.clear();
    m_lossRng = nullptr;
    Channel::DoDispose();
}

void
LpwanChannel::Attach(Ptr<LpwanNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    NS_ABORT_MSG_UNLESS(device, "LpwanChannel::Attach: null device");
    if (device->IsGateway())
    {
        NS_ABORT_MSG_IF(m_gateway, "LpwanChannel: a channel has exactly one gateway");
        m_gateway = device;
        device->m_address = Mac16Address("00:00");
    }
    else
    {
        NS_ABORT_MSG_IF(m_stations.size() >= 0xfffe,
                        "LpwanChannel: at most 65534 stations per channel");
        m_stations.push_back(device);
        uint16_t shortAddress = static_cast<uint16_t>(m_stations.size());
        uint8_t buf[2]
            = {static_cast<uint8_t>(shortAddress >> 8), static_cast<uint8_t>(shortAddress & 0xff)};
        device->m_address.CopyFrom(buf);
    }
}

std::size_t
LpwanChannel::GetNDevices() const
{
    return (m_gateway ? 1 : 0) + m_stations.size();
}

Ptr<NetDevice>
LpwanChannel::GetDevice(std::size_t i) const
{
    if (m_gateway)
    {
        if (i == 0)
        {
            return m_gateway;
        }
        --i;
    }
    NS_ABORT_MSG_UNLESS(i < m_stations.size(), "LpwanChannel::GetDevice: index out of range");
    return m_stations[i];
}

Ptr<LpwanNetDevice>
LpwanChannel::GetGateway() const
{
    return m_gateway;
}

std::size_t
LpwanChannel::GetNStations() const
{
    return m_stations.size();
}

void
LpwanChannel::AddStationAddress(Ipv4Address address, Ptr<LpwanNetDevice> station)
{
    NS_LOG_FUNCTION(this << address << station);
    NS_ABORT_MSG_UNLESS(station && !station->IsGateway() && station->GetLpwanChannel() == this,
                        "LpwanChannel::AddStationAddress: not a station of this channel");
    auto inserted = m_stationByAddress.emplace(address.Get(), station);
    NS_ABORT_MSG_IF(!inserted.second && inserted.first->second != station,
                    "LpwanChannel::AddStationAddress: " << address
                                                        << " already belongs to another station");
}

void
LpwanChannel::RemoveStationAddress(Ipv4Address address)
{
    NS_LOG_FUNCTION(this << address);
    m_stationByAddress.erase(address.Get());
}

Ptr<LpwanNetDevice>
LpwanChannel::LookupStation(Ipv4Address address) const
{
    auto it = m_stationByAddress.find(address.Get());
    return it == m_stationByAddress.end() ? nullptr : it->second;
}

DataRate
LpwanChannel::GetUplinkDataRate() const
{
    return m_uplinkRate;
}

DataRate
LpwanChannel::GetDownlinkDataRate() const
{
    return m_downlinkRate;
}

void
LpwanChannel::AddOutage(Time start, Time duration)
{
    m_outages.Add(start, duration);
}

Time
LpwanChannel::GetDelay() const
{
    return m_delay;
}

LpwanChannel::Medium
LpwanChannel::GetMedium() const
{
    return m_medium;
}

Time
LpwanChannel::GetTxTime(uint32_t frameBytes, bool uplink) const
{
    return (uplink ? m_uplinkRate : m_downlinkRate).CalculateBytesTxTime(frameBytes);
}

int64_t
LpwanChannel::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_lossRng->SetStream(stream);
    return 1;
}

void
LpwanChannel::RequestUplink(Ptr<LpwanNetDevice> station)
{
    NS_LOG_FUNCTION(this << station);
    m_uplinkRequests.push_back(station);
    if (!m_uplinkBusy)
    {
        GrantNextUplink();
    }
}

void
LpwanChannel::GrantNextUplink()
{
    NS_LOG_FUNCTION(this);
    NS_ASSERT(!m_uplinkBusy && !m_uplinkRequests.empty());
    Ptr<LpwanNetDevice> station = m_uplinkRequests.front();
    m_uplinkRequests.pop_front();
    m_uplinkBusy = true;
    uint32_t context = station->GetNode()->GetId();
    if (Simulator::GetContext() == context)
    {
        station->StartTransmission();
    }
    else
    {
        // Run the station's transmission in its own node's context (same instant).
        Simulator::ScheduleWithContext(context, Time(0), &LpwanNetDevice::StartTransmission,
                                       station);
    }
}

void
LpwanChannel::TransmitStart(Ptr<LpwanNetDevice> sender, Ptr<Packet> frame,
                            Ptr<LpwanNetDevice> receiver)
{
    NS_LOG_FUNCTION(this << sender << frame << receiver);
    Transmission tx;
    tx.id = m_nextTxId++;
    tx.sender = sender;
    tx.receiver = receiver;
    tx.frame = frame;
    tx.uplink = !sender->IsGateway();
    tx.stationNodeId = (tx.uplink ? sender : receiver)->GetNode()->GetId();
    // One draw per frame, collided or not, so the loss process does not depend on collisions.
    tx.erased = m_lossRng->GetValue() < m_lossProbability;

    Time duration = GetTxTime(frame->GetSize(), tx.uplink);
    m_frameTxBeginTrace(frame, tx.stationNodeId, tx.uplink, duration);

    if (tx.uplink && m_medium == ALOHA)
    {
        // Only the frames on the air right now are visited.
        Time now = Simulator::Now();
        bool collided = false;
        for (auto& active : m_activeUplinks)
        {
            if (active.end > now)
            {
                active.collided = true;
                collided = true;
            }
        }
        m_activeUplinks.push_back({tx.id, now + duration, collided});
        if (collided)
        {
            NS_LOG_LOGIC("uplink frame " << tx.id << " collides");
        }
    }
    Simulator::Schedule(duration, &LpwanChannel::TransmitEnd, this, tx);
}

void
LpwanChannel::TransmitEnd(Transmission tx)
{
    NS_LOG_FUNCTION(this << tx.id);
    bool collided = false;
    if (tx.uplink && m_medium == ALOHA)
    {
        for (auto it = m_activeUplinks.begin(); it != m_activeUplinks.end(); ++it)
        {
            if (it->id == tx.id)
            {
                collided = it->collided;
                m_activeUplinks.erase(it);
                break;
            }
        }
    }

    if (collided)
    {
        NotifyFrameLost(tx.frame, tx.stationNodeId, tx.uplink, "collision");
    }
    else if (!m_outages.IsEmpty() && m_outages.IsDown(Simulator::Now()))
    {
        NotifyFrameLost(tx.frame, tx.stationNodeId, tx.uplink, "gateway-down");
    }
    else if (tx.erased)
    {
        NotifyFrameLost(tx.frame, tx.stationNodeId, tx.uplink, "loss");
    }
    else
    {
        Simulator::ScheduleWithContext(tx.receiver->GetNode()->GetId(), m_delay,
                                       &LpwanNetDevice::ReceiveFrame, tx.receiver, tx.frame,
                                       tx.stationNodeId, tx.uplink);
    }

    tx.sender->TransmitComplete(tx.frame);

    if (tx.uplink && m_medium == SCHEDULED)
    {
        m_uplinkBusy = false;
        if (!m_uplinkRequests.empty())
        {
            GrantNextUplink();
        }
    }
}

void
LpwanChannel::NotifyFrameRxEnd(Ptr<const Packet> frame, uint32_t stationNodeId, bool uplink)
{
    m_frameRxEndTrace(frame, stationNodeId, uplink);
}

void
LpwanChannel::NotifyFrameLost(Ptr<const Packet> frame, uint32_t stationNodeId, bool uplink,
                              const std::string& reason)
{
    NS_LOG_FUNCTION(this << frame << stationNodeId << uplink << reason);
    m_frameLostTrace(frame, stationNodeId, uplink, reason);
}

} // namespace ns3
