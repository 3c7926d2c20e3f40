#include "nbiot-channel.h"

#include "nbiot-net-device.h"
#include "nbiot-ue-net-device.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NbIotChannel");
NS_OBJECT_ENSURE_REGISTERED(NbIotChannel);

TypeId
NbIotChannel::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::NbIotChannel")
              .SetParent<Channel>()
              .SetGroupName("NbIot")
              .AddConstructor<NbIotChannel>()
              .AddAttribute(
                  "Profile", "Radio profile: nbiot or ltem (set before UEs attach).",
                  StringValue("nbiot"),
                  MakeStringAccessor(&NbIotChannel::SetProfileName, &NbIotChannel::GetProfileName),
                  MakeStringChecker())
              .AddAttribute("Bler",
                            "Block error rate of every transmission at every coverage level; "
                            "negative: the profile's per-level value (10 %).",
                            DoubleValue(-1.0), MakeDoubleAccessor(&NbIotChannel::m_blerOverride),
                            MakeDoubleChecker<double>(-1.0, 1.0))
              .AddAttribute("RateScale",
                            "Multiplies the profile's uplink and downlink rates at every coverage "
                            "level (a sensitivity knob; 1: the profile's rates).",
                            DoubleValue(1.0), MakeDoubleAccessor(&NbIotChannel::m_rateScale),
                            MakeDoubleChecker<double>(0.001, 1000.0))
              .AddAttribute(
                  "GrantRequest",
                  "How a connected NB-IoT UE with new uplink data after its buffer ran empty asks "
                  "for an uplink grant: RandomAccess (Rel-13: no PUCCH, a random access carrying "
                  "the C-RNTI and a buffer status report) or SchedulingRequest (the Rel-15 "
                  "NB-IoT scheduling request: no random access, the grant follows on the control "
                  "channel; it costs the profile's srDelayS, 0 for NB-IoT, as for an SR sent with "
                  "the HARQ-ACK of a downlink transport block; an SR on its own NPRACH resource "
                  "is not modelled apart). LTE-M always uses a PUCCH scheduling request. "
                  "Applied when the base station attaches.",
                  EnumValue(NbIotChannel::GRANT_BY_RANDOM_ACCESS),
                  MakeEnumAccessor(&NbIotChannel::m_grantRequest),
                  MakeEnumChecker(NbIotChannel::GRANT_BY_RANDOM_ACCESS, "RandomAccess",
                                  NbIotChannel::GRANT_BY_SCHEDULING_REQUEST, "SchedulingRequest"))
              .AddAttribute("HarqMaxTransmissions",
                            "HARQ transmissions of a transport block before RLC takes over.",
                            UintegerValue(4), MakeUintegerAccessor(&NbIotChannel::m_harqMax),
                            MakeUintegerChecker<uint32_t>(1, 64))
              .AddAttribute("RlcMaxRetransmissions",
                            "RLC AM retransmissions (each a new round of HARQ transmissions) "
                            "before the packet is lost (maxRetxThreshold).",
                            UintegerValue(2), MakeUintegerAccessor(&NbIotChannel::m_rlcMax),
                            MakeUintegerChecker<uint32_t>(0, 32))
              .AddAttribute("RaAttemptsPerLevel",
                            "Preamble attempts at one coverage level before the UE moves to the "
                            "next level; after the last level's, random access fails.",
                            UintegerValue(5),
                            MakeUintegerAccessor(&NbIotChannel::m_raAttemptsPerLevel),
                            MakeUintegerChecker<uint32_t>(1, 200))
              .AddAttribute("CoreDelay",
                            "One-way latency between the base station and the core network's "
                            "gateway (S1 and core), added to every packet in each direction.",
                            TimeValue(MilliSeconds(10)),
                            MakeTimeAccessor(&NbIotChannel::m_coreDelay), MakeTimeChecker(Time(0)))
              .AddTraceSource("FrameTxBegin", "A frame starts on the air.",
                              MakeTraceSourceAccessor(&NbIotChannel::m_frameTxBeginTrace),
                              "ns3::LpwanChannel::FrameTxBeginTracedCallback")
              .AddTraceSource("FrameRxEnd", "A frame was received without error.",
                              MakeTraceSourceAccessor(&NbIotChannel::m_frameRxEndTrace),
                              "ns3::LpwanChannel::FrameRxEndTracedCallback")
              .AddTraceSource("FrameLost", "A frame, or a packet before the air, was lost.",
                              MakeTraceSourceAccessor(&NbIotChannel::m_frameLostTrace),
                              "ns3::LpwanChannel::FrameLostTracedCallback");
    return tid;
}

NbIotChannel::NbIotChannel()
  : m_profile(NbIotRadioProfile::NbIot())
  , m_blerOverride(-1.0)
  , m_rateScale(1.0)
  , m_grantRequest(GRANT_BY_RANDOM_ACCESS)
  , m_harqMax(4)
  , m_rlcMax(2)
  , m_raAttemptsPerLevel(5)
{
    for (uint32_t i = 0; i < kNbIotCeLevels; ++i)
    {
        m_raOccasion[i] = UINT64_MAX;
    }
}

NbIotChannel::~NbIotChannel() = default;

void
NbIotChannel::DoDispose()
{
    m_enb = nullptr;
    m_ues.clear();
    m_ueByAddress.clear();
    Channel::DoDispose();
}

void
NbIotChannel::SetProfileName(std::string name)
{
    NS_ABORT_MSG_IF(!m_ues.empty(), "NbIotChannel: set the profile before UEs attach");
    SetProfile(NbIotRadioProfile::ByName(name));
}

std::string
NbIotChannel::GetProfileName() const
{
    return m_profile.name;
}

void
NbIotChannel::SetProfile(const NbIotRadioProfile& profile)
{
    NS_ABORT_MSG_UNLESS(profile.ulUnits >= 1 && profile.ulUnits <= NbIotRadioProfile::kMaxUlUnits,
                        "NbIotChannel: a profile's uplink has 1 to kMaxUlUnits units");
    for (const auto& level : profile.ce)
    {
        NS_ABORT_MSG_UNLESS(
            level.ulUnitsPerTb <= profile.ulUnits,
            "NbIotChannel: a level cannot use more uplink units than the carrier has");
        // The occasion bookkeeping relies on a preamble ending before the next occasion.
        NS_ABORT_MSG_UNLESS(level.preambleS < level.nprachPeriodS && level.preambles > 0,
                            "NbIotChannel: a preamble must end before the next occasion");
    }
    m_profile = profile;
    for (uint32_t i = 0; i < kNbIotCeLevels; ++i)
    {
        m_raCount[i].assign(m_profile.ce[i].preambles, 0);
        m_raOccasion[i] = UINT64_MAX;
    }
}

const NbIotRadioProfile&
NbIotChannel::GetProfile() const
{
    return m_profile;
}

void
NbIotChannel::AttachEnb(Ptr<NbIotEnbNetDevice> enb)
{
    NS_ABORT_MSG_IF(m_enb, "NbIotChannel: a cell has one base station");
    m_enb = enb;
    if (m_profile.technology == NbIotTechnology::NBIOT)
    {
        m_profile.uplinkRequestByRandomAccess = m_grantRequest == GRANT_BY_RANDOM_ACCESS;
    }
    for (auto& level : m_profile.ce)
    {
        if (m_blerOverride >= 0)
        {
            level.bler = m_blerOverride;
        }
        level.ulRateBps *= m_rateScale;
        level.dlRateBps *= m_rateScale;
    }
    for (uint32_t i = 0; i < kNbIotCeLevels; ++i)
    {
        m_raCount[i].assign(m_profile.ce[i].preambles, 0);
    }
}

void
NbIotChannel::AttachUe(Ptr<NbIotUeNetDevice> ue)
{
    m_ues.push_back(ue);
}

Ptr<NbIotEnbNetDevice>
NbIotChannel::GetEnb() const
{
    return m_enb;
}

std::size_t
NbIotChannel::GetNUes() const
{
    return m_ues.size();
}

Ptr<NbIotUeNetDevice>
NbIotChannel::GetUe(std::size_t i) const
{
    return m_ues.at(i);
}

std::size_t
NbIotChannel::GetNDevices() const
{
    return (m_enb ? 1 : 0) + m_ues.size();
}

Ptr<NetDevice>
NbIotChannel::GetDevice(std::size_t i) const
{
    if (m_enb)
    {
        if (i == 0)
        {
            return m_enb;
        }
        --i;
    }
    return m_ues.at(i);
}

void
NbIotChannel::AddUeAddress(Ipv4Address address, Ptr<NbIotUeNetDevice> ue)
{
    auto inserted = m_ueByAddress.emplace(address.Get(), ue);
    NS_ABORT_MSG_IF(!inserted.second && inserted.first->second != ue,
                    "NbIotChannel: " << address << " already belongs to another UE");
}

Ptr<NbIotUeNetDevice>
NbIotChannel::LookupUe(Ipv4Address address) const
{
    auto it = m_ueByAddress.find(address.Get());
    return it == m_ueByAddress.end() ? nullptr : it->second;
}

Time
NbIotChannel::Reserve(bool uplink, Time earliest, Time airtime, uint32_t units)
{
    if (!uplink)
    {
        Time start = std::max(earliest, m_dlFreeAt);
        m_dlFreeAt = start + airtime;
        m_busy[0] += airtime;
        return start;
    }
    // At most kMaxUlUnits units: constant work per transport block, whatever the cell's load.
    const uint32_t n = m_profile.ulUnits;
    const uint32_t k = (units == 0 || units > n) ? n : units;
    if (k == n) // the whole carrier (multi-tone in good coverage): the common case, one pass
    {
        Time start = earliest;
        for (uint32_t i = 0; i < n; ++i)
        {
            start = std::max(start, m_ulFreeAt[i]);
        }
        std::fill(m_ulFreeAt.begin(), m_ulFreeAt.begin() + n, start + airtime);
        m_busy[1] += airtime;
        return start;
    }
    std::array<uint32_t, NbIotRadioProfile::kMaxUlUnits> order;
    for (uint32_t i = 0; i < n; ++i)
    {
        order[i] = i;
    }
    // Units by the time they become free; ties by index, so that runs are reproducible.
    std::sort(order.begin(), order.begin() + n,
              [this](uint32_t a, uint32_t b)
              {
                  return m_ulFreeAt[a] < m_ulFreeAt[b] || (m_ulFreeAt[a] == m_ulFreeAt[b] && a < b);
              });
    Time start = std::max(earliest, m_ulFreeAt[order[k - 1]]);
    // Of the units free by then, take the k that became free last (best fit).
    uint32_t last = k - 1;
    while (last + 1 < n && m_ulFreeAt[order[last + 1]] <= start)
    {
        ++last;
    }
    for (uint32_t i = last + 1 - k; i <= last; ++i)
    {
        m_ulFreeAt[order[i]] = start + airtime;
    }
    m_busy[1] += TimeStep(static_cast<uint64_t>(airtime.GetTimeStep()) * k / n);
    return start;
}

std::pair<uint64_t, Time>
NbIotChannel::NextRaOccasion(uint32_t level, Time now) const
{
    int64_t period = Seconds(m_profile.ce[level].nprachPeriodS).GetTimeStep();
    auto index = static_cast<uint64_t>(now.GetTimeStep() / period + 1);
    return {index, TimeStep(static_cast<uint64_t>(index * period))};
}

void
NbIotChannel::RegisterPreamble(uint32_t level, uint64_t index, uint32_t preamble)
{
    auto& counts = m_raCount[level];
    if (m_raOccasion[level] != index)
    {
        std::fill(counts.begin(), counts.end(), 0);
        m_raOccasion[level] = index;
    }
    ++counts.at(preamble);
}

bool
NbIotChannel::PreambleCollided(uint32_t level, uint64_t index, uint32_t preamble) const
{
    NS_ASSERT(m_raOccasion[level] == index);
    return m_raCount[level].at(preamble) > 1;
}

uint32_t
NbIotChannel::GetHarqMaxTransmissions() const
{
    return m_harqMax;
}

uint32_t
NbIotChannel::GetRlcMaxRetransmissions() const
{
    return m_rlcMax;
}

uint32_t
NbIotChannel::GetRaAttemptsPerLevel() const
{
    return m_raAttemptsPerLevel;
}

Time
NbIotChannel::GetCoreDelay() const
{
    return m_coreDelay;
}

void
NbIotChannel::AddOutage(Time start, Time duration)
{
    m_outages.Add(start, duration);
}

bool
NbIotChannel::IsDown() const
{
    return !m_outages.IsEmpty() && m_outages.IsDown(Simulator::Now());
}

double
NbIotChannel::GetUplinkBusyS() const
{
    return m_busy[1].GetSeconds();
}

double
NbIotChannel::GetDownlinkBusyS() const
{
    return m_busy[0].GetSeconds();
}

void
NbIotChannel::NotifyFrameTxBegin(Ptr<const Packet> frame, uint32_t ueNodeId, bool uplink,
                                 Time airtime)
{
    m_frameTxBeginTrace(frame, ueNodeId, uplink, airtime);
}

void
NbIotChannel::NotifyFrameRxEnd(Ptr<const Packet> frame, uint32_t ueNodeId, bool uplink)
{
    m_frameRxEndTrace(frame, ueNodeId, uplink);
}

void
NbIotChannel::NotifyFrameLost(Ptr<const Packet> frame, uint32_t ueNodeId, bool uplink,
                              const std::string& reason)
{
    m_frameLostTrace(frame, ueNodeId, uplink, reason);
}

} // namespace ns3
