#include "nbiot-ue-net-device.h"

#include "energy/mcu-schedule.h"
#include "nbiot-nidd-tag.h"
#include "nbiot-signalling.h"
#include "stats/message-tag.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NbIotUeNetDevice");
NS_OBJECT_ENSURE_REGISTERED(NbIotUeNetDevice);

NbIotUeStats&
NbIotUeStats::operator+=(const NbIotUeStats& o)
{
    raAttempts += o.raAttempts;
    raCollisions += o.raCollisions;
    raMissed += o.raMissed;
    raCellDown += o.raCellDown;
    raFailures += o.raFailures;
    ceEscalations += o.ceEscalations;
    connections += o.connections;
    mtConnections += o.mtConnections;
    pagings += o.pagings;
    taus += o.taus;
    releases += o.releases;
    raiReleases += o.raiReleases;
    psmEntries += o.psmEntries;
    schedulingRequests += o.schedulingRequests;
    ulPackets += o.ulPackets;
    dlPackets += o.dlPackets;
    harqRetransmissions += o.harqRetransmissions;
    rlcRetransmissions += o.rlcRetransmissions;
    residualLosses += o.residualLosses;
    droppedPackets += o.droppedPackets;
    signallingFrames += o.signallingFrames;
    signallingBytes += o.signallingBytes;
    transmissions += o.transmissions;
    queueWaitS += o.queueWaitS;
    maxQueueWaitS = std::max(maxQueueWaitS, o.maxQueueWaitS);
    connectLatencyS += o.connectLatencyS;
    return *this;
}

TypeId
NbIotUeNetDevice::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::NbIotUeNetDevice")
              .SetParent<NbIotNetDevice>()
              .SetGroupName("NbIot")
              .AddConstructor<NbIotUeNetDevice>()
              .AddAttribute("CouplingLossDb",
                            "Coupling loss to the cell (path loss, penetration and antenna gains); "
                            "fixes the coverage level. Set before the device is attached.",
                            DoubleValue(130.0),
                            MakeDoubleAccessor(&NbIotUeNetDevice::SetCouplingLossDb,
                                               &NbIotUeNetDevice::GetCouplingLossDb),
                            MakeDoubleChecker<double>(0.0, 300.0))
              .AddAttribute("RrcMode",
                            "Connection procedure and data path: Cp (control-plane CIoT "
                            "optimisation, data over NAS), UpResume (user plane, RRC "
                            "suspend/resume), UpSetup (user plane, full set-up).",
                            EnumValue(NbIotUeNetDevice::CP),
                            MakeEnumAccessor(&NbIotUeNetDevice::m_rrcMode),
                            MakeEnumChecker(NbIotUeNetDevice::CP, "Cp", NbIotUeNetDevice::UP_RESUME,
                                            "UpResume", NbIotUeNetDevice::UP_SETUP, "UpSetup"))
              .AddAttribute("ReleaseAssistance",
                            "Release Assistance Indication: None, NoFurtherData (release once the "
                            "uplink queue empties), OneDownlink (release after the next downlink "
                            "packet).",
                            EnumValue(NbIotUeNetDevice::RAI_NONE),
                            MakeEnumAccessor(&NbIotUeNetDevice::m_rai),
                            MakeEnumChecker(NbIotUeNetDevice::RAI_NONE, "None",
                                            NbIotUeNetDevice::RAI_NO_FURTHER_DATA, "NoFurtherData",
                                            NbIotUeNetDevice::RAI_ONE_DOWNLINK, "OneDownlink"))
              .AddAttribute("InactivityTimer",
                            "The base station releases the connection after this long without "
                            "traffic.",
                            TimeValue(Seconds(20)),
                            MakeTimeAccessor(&NbIotUeNetDevice::m_inactivityTimer),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("Psm", "Enter power saving mode T3324 after each release.",
                            BooleanValue(true), MakeBooleanAccessor(&NbIotUeNetDevice::m_psm),
                            MakeBooleanChecker())
              .AddAttribute("T3324", "Active timer: idle time before PSM.", TimeValue(Seconds(10)),
                            MakeTimeAccessor(&NbIotUeNetDevice::m_t3324), MakeTimeChecker(Time(0)))
              .AddAttribute("T3412", "Periodic tracking area update timer.",
                            TimeValue(Seconds(86400)), MakeTimeAccessor(&NbIotUeNetDevice::m_t3412),
                            MakeTimeChecker(Seconds(1)))
              .AddAttribute("DrxCycle", "Idle-mode DRX cycle (paging occasion period).",
                            TimeValue(Seconds(2.56)),
                            MakeTimeAccessor(&NbIotUeNetDevice::m_drxCycle),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("EdrxCycle",
                            "Extended DRX cycle; 0 disables eDRX (the DRX cycle applies).",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&NbIotUeNetDevice::m_edrxCycle),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("ConnectedDrxCycle",
                            "Connected-mode DRX cycle; 0: the UE monitors the control channel "
                            "continuously while connected.",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&NbIotUeNetDevice::m_cdrxCycle),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("ConnectedDrxOnDuration",
                            "Monitoring time per connected-mode DRX cycle.",
                            TimeValue(MilliSeconds(10)),
                            MakeTimeAccessor(&NbIotUeNetDevice::m_cdrxOn), MakeTimeChecker(Time(0)))
              .AddAttribute("Nidd",
                            "Non-IP data delivery: no IPv4/UDP headers on the air (requires Cp).",
                            BooleanValue(false), MakeBooleanAccessor(&NbIotUeNetDevice::m_nidd),
                            MakeBooleanChecker())
              .AddAttribute("TxQueueSize", "Uplink packets the UE buffers; more are dropped.",
                            UintegerValue(100),
                            MakeUintegerAccessor(&NbIotUeNetDevice::m_ulQueueSize),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute(
                  "DownlinkBuffer", "Downlink packets buffered for the UE while it cannot receive.",
                  UintegerValue(10), MakeUintegerAccessor(&NbIotUeNetDevice::m_dlBufferSize),
                  MakeUintegerChecker<uint32_t>(1))
              .AddTraceSource("RadioState", "The radio changed state (for energy models).",
                              MakeTraceSourceAccessor(&NbIotUeNetDevice::m_radioStateTrace),
                              "ns3::NbIotUeNetDevice::RadioStateTracedCallback");
    return tid;
}

NbIotUeNetDevice::NbIotUeNetDevice()
  : m_couplingLossDb(130.0)
  , m_rrcMode(CP)
  , m_rai(RAI_NONE)
  , m_psm(true)
  , m_nidd(false)
  , m_ulQueueSize(100)
  , m_dlBufferSize(10)
  , m_rrc(Rrc::IDLE)
  , m_radio(NbIotRadioState::IDLE)
  , m_baseLevel(0)
  , m_level(0)
  , m_attemptsHere(0)
  , m_purpose(Purpose::CONNECT)
  , m_cause(Cause::MO_DATA)
  , m_fromPsm(false)
  , m_msg5CarriedData(false)
  , m_busy(false)
  , m_ulGrantValid(false)
  , m_releaseAfterDl(false)
  , m_releaseNow(false)
  , m_sequence(0)
  , m_tbIndex(0)
  , m_tbRound(0)
  , m_rng(CreateObject<UniformRandomVariable>())
{
}

NbIotUeNetDevice::~NbIotUeNetDevice() = default;

void
NbIotUeNetDevice::DoDispose()
{
    m_activityEvent.Cancel();
    m_inactivityEvent.Cancel();
    m_t3324Event.Cancel();
    m_t3412Event.Cancel();
    m_pagingEvent.Cancel();
    m_ulQueue.clear();
    m_dlQueue.clear();
    m_steps.clear();
    m_stepsDone = nullptr;
    m_stepFrame = nullptr;
    m_tbs.clear();
    m_lastUplink = nullptr;
    m_rng = nullptr;
    NbIotNetDevice::DoDispose();
}

void
NbIotUeNetDevice::Attach(Ptr<NbIotChannel> channel)
{
    NS_ABORT_MSG_IF(m_channel, "NbIotUeNetDevice: already attached");
    m_channel = channel;
    channel->AttachUe(this);
    uint32_t n = static_cast<uint32_t>(channel->GetNUes());
    uint8_t buf[2] = {static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n & 0xff)};
    m_address.CopyFrom(buf);
    m_baseLevel = channel->GetProfile().LevelOf(m_couplingLossDb);
    m_level = std::min(m_baseLevel, kNbIotCeLevels - 1);
    // Registered before the simulation starts; out-of-coverage devices stay asleep (no cell
    // search is modelled).
    bool asleep = m_psm || m_baseLevel >= kNbIotCeLevels;
    m_rrc = asleep ? Rrc::PSM : Rrc::IDLE;
    m_radio = asleep ? NbIotRadioState::PSM : NbIotRadioState::IDLE;
    m_linkChangeCallbacks();
}

void
NbIotUeNetDevice::DoInitialize()
{
    // The UE attached before the run: its paging phase and the running T3412 are at uniform
    // phases, so a fleet neither pages nor updates in lock-step.
    Time cycle = m_edrxCycle.IsStrictlyPositive() ? m_edrxCycle : m_drxCycle;
    m_pagingPhase = Seconds(m_rng->GetValue(0, cycle.GetSeconds()));
    Time tau = Seconds(m_rng->GetValue(0, m_t3412.GetSeconds()));
    if (m_channel && m_baseLevel < kNbIotCeLevels)
    {
        m_t3412Event = Simulator::Schedule(tau, &NbIotUeNetDevice::PeriodicTau, this);
    }
    NbIotNetDevice::DoInitialize();
}

void
NbIotUeNetDevice::SetCouplingLossDb(double db)
{
    NS_ABORT_MSG_IF(m_channel, "NbIotUeNetDevice: set the coupling loss before Attach");
    m_couplingLossDb = db;
}

double
NbIotUeNetDevice::GetCouplingLossDb() const
{
    return m_couplingLossDb;
}

uint32_t
NbIotUeNetDevice::GetCoverageLevel() const
{
    return m_baseLevel;
}

NbIotUeNetDevice::Rrc
NbIotUeNetDevice::GetRrcState() const
{
    return m_rrc;
}

NbIotRadioState
NbIotUeNetDevice::GetRadioState() const
{
    return m_radio;
}

const NbIotUeStats&
NbIotUeNetDevice::GetStats() const
{
    return m_stats;
}

bool
NbIotUeNetDevice::IsNidd() const
{
    return m_nidd;
}

double
NbIotUeNetDevice::GetIdleRxDuty() const
{
    if (!m_channel || m_baseLevel >= kNbIotCeLevels)
    {
        return 0;
    }
    Time cycle = m_edrxCycle.IsStrictlyPositive() ? m_edrxCycle : m_drxCycle;
    double po = m_channel->GetProfile().ce[m_baseLevel].pagingOccasionS;
    return std::min(1.0, po / cycle.GetSeconds());
}

double
NbIotUeNetDevice::GetConnectedRxDuty() const
{
    if (!m_cdrxCycle.IsStrictlyPositive())
    {
        return 1.0;
    }
    return std::min(1.0, m_cdrxOn.GetSeconds() / m_cdrxCycle.GetSeconds());
}

NbIotRxDuty
NbIotUeNetDevice::GetRxDuty() const
{
    NbIotRxDuty d;
    d.idle = GetIdleRxDuty();
    d.connected = GetConnectedRxDuty();
    if (m_channel && m_baseLevel < kNbIotCeLevels)
    {
        const NbIotCoverageLevel& level = m_channel->GetProfile().ce[m_baseLevel];
        d.sync = level.syncRxDuty;
        d.control = level.controlRxDuty;
    }
    return d;
}

int64_t
NbIotUeNetDevice::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

// ---------------------------------------------------------------------------------------------
// Helpers

void
NbIotUeNetDevice::SetRadioState(NbIotRadioState state)
{
    if (state != m_radio)
    {
        m_radio = state;
        m_radioStateTrace(state, Simulator::Now());
    }
}

void
NbIotUeNetDevice::ScheduleActivity(Time delay, std::function<void()> fn)
{
    NS_ASSERT_MSG(!m_activityEvent.IsRunning(), "NbIotUeNetDevice: two activities at once");
    m_activityEvent = Simulator::Schedule(delay, std::move(fn));
}

const NbIotCoverageLevel&
NbIotUeNetDevice::Level() const
{
    return m_channel->GetProfile().ce[m_level];
}

double
NbIotUeNetDevice::Rate(bool uplink) const
{
    return uplink ? Level().ulRateBps : Level().dlRateBps;
}

uint32_t
NbIotUeNetDevice::Tbs(bool uplink) const
{
    return uplink ? Level().ulTbsBytes : Level().dlTbsBytes;
}

NbIotChannelKind
NbIotUeNetDevice::DataKind(bool firstInMsg5) const
{
    if (m_rrcMode == CP || m_nidd)
    {
        return firstInMsg5 ? NbIotChannelKind::SRB1_MSG5_DATA : NbIotChannelKind::SRB1BIS_DATA;
    }
    return NbIotChannelKind::DRB;
}

void
NbIotUeNetDevice::DropQueuedUplink(const std::string& reason)
{
    for (auto& q : m_ulQueue)
    {
        ++m_stats.droppedPackets;
        DropBeforeAir(q.packet, m_node->GetId(), true, reason);
    }
    m_ulQueue.clear();
}

// ---------------------------------------------------------------------------------------------
// Packets in

bool
NbIotUeNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet);
    // The stack produced this packet's bytes, but the device's MCU may still be computing
    // them (a signature, an ECDH, the record's AES; energy/mcu-schedule.h): the modem gets the
    // packet when it is done, the radio staying in its state meanwhile. A packet also waits
    // while an earlier one does (same instant: after it), so the order is the stack's.
    const Time busy = McuSchedule::BusyTimeOf(m_node);
    if (busy.IsStrictlyPositive() || m_mcuHeld > 0)
    {
        ++m_mcuHeld;
        Simulator::Schedule(busy, &NbIotUeNetDevice::EnqueueAfterMcu, this, packet, protocolNumber);
        return true;
    }
    return Enqueue(packet, protocolNumber);
}

bool
NbIotUeNetDevice::UplinkPending() const
{
    return !m_ulQueue.empty() || m_mcuHeld > 0;
}

void
NbIotUeNetDevice::EnqueueAfterMcu(Ptr<Packet> packet, uint16_t protocolNumber)
{
    --m_mcuHeld;
    Enqueue(packet, protocolNumber);
}

bool
NbIotUeNetDevice::Enqueue(Ptr<Packet> packet, uint16_t protocolNumber)
{
    if (!m_channel || protocolNumber != kIpv4ProtocolNumber || packet->GetSize() > m_mtu)
    {
        m_macTxDropTrace(packet);
        return false;
    }
    if (m_baseLevel >= kNbIotCeLevels)
    {
        ++m_stats.droppedPackets;
        DropBeforeAir(packet, m_node->GetId(), true, "no-coverage");
        return false;
    }
    if (m_ulQueue.size() >= m_ulQueueSize)
    {
        ++m_stats.droppedPackets;
        DropBeforeAir(packet, m_node->GetId(), true, "queue");
        return false;
    }
    m_macTxTrace(packet);
    m_snifferTrace(packet);
    m_promiscSnifferTrace(packet);
    Ptr<Packet> p = packet->Copy();
    if (m_nidd)
    {
        NbIotNidd::Strip(p);
    }
    m_ulQueue.push_back({p, Simulator::Now()});
    switch (m_rrc)
    {
        case Rrc::PSM:
        case Rrc::IDLE:
            Connect(Cause::MO_DATA);
            break;
        case Rrc::CONNECTING:
            break;
        case Rrc::CONNECTED:
            m_inactivityEvent.Cancel();
            if (!m_busy)
            {
                ServeNext();
            }
            break;
    }
    return true;
}

void
NbIotUeNetDevice::EnqueueDownlink(Ptr<Packet> packet)
{
    NS_LOG_FUNCTION(this << packet);
    if (!m_channel)
    {
        return;
    }
    if (m_baseLevel >= kNbIotCeLevels)
    {
        ++m_stats.droppedPackets;
        DropBeforeAir(packet, m_node->GetId(), false, "no-coverage");
        return;
    }
    if (m_dlQueue.size() >= m_dlBufferSize)
    {
        ++m_stats.droppedPackets;
        DropBeforeAir(packet, m_node->GetId(), false, "dl-buffer");
        return;
    }
    m_dlQueue.push_back({packet, Simulator::Now()});
    switch (m_rrc)
    {
        case Rrc::IDLE:
            SchedulePaging();
            break;
        case Rrc::PSM: // unreachable: the packet waits for the UE's next connection
        case Rrc::CONNECTING:
            break;
        case Rrc::CONNECTED:
            m_inactivityEvent.Cancel();
            if (!m_busy)
            {
                ServeNext();
            }
            break;
    }
}

void
NbIotUeNetDevice::DeliverDownlink(Ptr<Packet> packet)
{
    NbIotNidd::Restore(packet);
    Ptr<NbIotEnbNetDevice> enb = m_channel->GetEnb();
    DeliverUp(packet, enb ? enb->GetAddress() : Address(Mac16Address("00:00")));
}

// ---------------------------------------------------------------------------------------------
// Connection set-up: random access and RRC

void
NbIotUeNetDevice::Connect(Cause cause)
{
    NS_LOG_FUNCTION(this << static_cast<int>(cause));
    m_t3324Event.Cancel();
    m_t3412Event.Cancel();
    m_pagingEvent.Cancel();
    m_cause = cause;
    m_fromPsm = m_rrc == Rrc::PSM;
    m_rrc = Rrc::CONNECTING;
    m_busy = true;
    m_level = m_baseLevel;
    m_attemptsHere = 0;
    m_purpose = Purpose::CONNECT;
    m_connectStart = Simulator::Now();
    if (m_fromPsm)
    {
        // Out of PSM the UE has lost synchronisation: NPSS/NSSS, MIB-NB and SIB1-NB again. They
        // occupy some subframes of the time it takes (the level's syncRxDuty).
        SetRadioState(NbIotRadioState::SYNC);
        ScheduleActivity(Seconds(Level().syncS),
                         [this]()
                         {
                             StartRandomAccess();
                         });
    }
    else
    {
        StartRandomAccess();
    }
}

void
NbIotUeNetDevice::StartRandomAccess()
{
    auto [index, at] = m_channel->NextRaOccasion(m_level, Simulator::Now());
    // Waiting for the occasion: asleep when idle, monitoring when already connected.
    SetRadioState(m_purpose == Purpose::SCHEDULING_REQUEST ? NbIotRadioState::CONNECTED
                                                           : NbIotRadioState::IDLE);
    uint64_t occasion = index;
    ScheduleActivity(at - Simulator::Now(),
                     [this, occasion]()
                     {
                         SendPreamble(occasion);
                     });
}

void
NbIotUeNetDevice::SendPreamble(uint64_t occasion)
{
    ++m_stats.raAttempts;
    uint32_t preamble = m_rng->GetInteger(0, Level().preambles - 1);
    m_channel->RegisterPreamble(m_level, occasion, preamble);
    SetRadioState(NbIotRadioState::RA_TX);
    ScheduleActivity(Seconds(Level().preambleS),
                     [this, occasion, preamble]()
                     {
                         PreambleDone(occasion, preamble);
                     });
}

void
NbIotUeNetDevice::PreambleDone(uint64_t occasion, uint32_t preamble)
{
    const NbIotCoverageLevel& level = Level();
    if (m_channel->IsDown())
    {
        SetRadioState(NbIotRadioState::RA_RX);
        // The base station is down: no random-access response within the window.
        ++m_stats.raCellDown;
        ScheduleActivity(Seconds(level.rarDelayS),
                         [this]()
                         {
                             RandomAccessAttemptFailed();
                         });
        return;
    }
    if (m_channel->PreambleCollided(m_level, occasion, preamble))
    {
        // The base station answers the preamble; every UE that sent it transmits its Msg3 on
        // the same grant, and contention resolution fails for all of them (no capture).
        ++m_stats.raCollisions;
        uint32_t msg3 = m_purpose == Purpose::SCHEDULING_REQUEST ? nbiotsig::kCrntiBsr
                        : m_rrcMode == UP_RESUME                 ? nbiotsig::kResumeRequest
                                                                 : nbiotsig::kConnectionRequest;
        Time msg3Air = Seconds(NbIotFrame::MacPduBytes(NbIotFrame::SizeOf(
                                   msg3, NbIotChannelKind::CCCH, level.ulTbsBytes))
                               * 8.0 / level.ulRateBps);
        SetRadioState(NbIotRadioState::RA_RX);
        ScheduleActivity(Seconds(level.rarDelayS),
                         [this, msg3Air]()
                         {
                             SetRadioState(NbIotRadioState::RA_TX);
                             ScheduleActivity(msg3Air,
                                              [this]()
                                              {
                                                  SetRadioState(NbIotRadioState::RA_RX);
                                                  ScheduleActivity(Seconds(Level().contentionS),
                                                                   [this]()
                                                                   {
                                                                       RandomAccessAttemptFailed();
                                                                   });
                                              });
                         });
        return;
    }
    SetRadioState(NbIotRadioState::RA_RX);
    if (m_rng->GetValue() < level.preambleMissProbability)
    {
        ++m_stats.raMissed; // no response within the window
        ScheduleActivity(Seconds(level.rarDelayS),
                         [this]()
                         {
                             RandomAccessAttemptFailed();
                         });
        return;
    }
    ScheduleActivity(Seconds(level.rarDelayS),
                     [this]()
                     {
                         RandomAccessSucceeded();
                     });
}

void
NbIotUeNetDevice::RandomAccessAttemptFailed()
{
    ++m_attemptsHere;
    if (m_attemptsHere >= m_channel->GetRaAttemptsPerLevel())
    {
        if (m_level + 1 < kNbIotCeLevels)
        {
            ++m_level;
            m_attemptsHere = 0;
            ++m_stats.ceEscalations;
        }
        else
        {
            RandomAccessFailed();
            return;
        }
    }
    Time backoff = Seconds(m_rng->GetValue(0, Level().backoffS));
    SetRadioState(m_purpose == Purpose::SCHEDULING_REQUEST ? NbIotRadioState::CONNECTED
                                                           : NbIotRadioState::IDLE);
    ScheduleActivity(backoff,
                     [this]()
                     {
                         StartRandomAccess();
                     });
}

void
NbIotUeNetDevice::RandomAccessFailed()
{
    NS_LOG_FUNCTION(this);
    ++m_stats.raFailures;
    DropQueuedUplink("ra-failure");
    // The base station gives up on downlink data it could not deliver.
    for (auto& q : m_dlQueue)
    {
        ++m_stats.droppedPackets;
        DropBeforeAir(q.packet, m_node->GetId(), false, "ra-failure");
    }
    m_dlQueue.clear();
    EnterIdle();
}

void
NbIotUeNetDevice::RandomAccessSucceeded()
{
    if (m_purpose == Purpose::SCHEDULING_REQUEST)
    {
        // Msg3 carries the C-RNTI and the buffer status; the grant follows on the control
        // channel (part of the next transmission's control delay).
        Step msg3;
        msg3.uplink = true;
        msg3.kind = NbIotChannelKind::CCCH;
        msg3.signallingBytes = nbiotsig::kCrntiBsr;
        m_steps.push_back(msg3);
        RunSteps(
            [this]()
            {
                m_purpose = Purpose::CONNECT;
                m_ulGrantValid = true;
                m_busy = false;
                ServeNext();
            });
        return;
    }
    auto signalling = [this](bool uplink, NbIotChannelKind kind, uint32_t bytes)
    {
        Step s;
        s.uplink = uplink;
        s.kind = kind;
        s.signallingBytes = bytes;
        m_steps.push_back(s);
    };
    using K = NbIotChannelKind;
    bool resume = m_rrcMode == UP_RESUME;
    m_msg5CarriedData = false;
    signalling(true, K::CCCH, resume ? nbiotsig::kResumeRequest : nbiotsig::kConnectionRequest);
    signalling(false, K::CCCH, resume ? nbiotsig::kResume : nbiotsig::kConnectionSetup);
    switch (m_rrcMode)
    {
        case CP:
            if (m_cause == Cause::MO_DATA && !m_ulQueue.empty())
            {
                // Msg5 (RRCConnectionSetupComplete) carries the first uplink packet over NAS.
                Step data;
                data.uplink = true;
                data.kind = DataKind(true);
                data.packet = m_ulQueue.front().packet;
                data.arrival = m_ulQueue.front().arrival;
                NbIotNiddTag t;
                data.nonIp = data.packet->PeekPacketTag(t);
                m_ulQueue.pop_front();
                m_steps.push_back(data);
                m_msg5CarriedData = true;
            }
            else
            {
                signalling(true, K::SRB1, nbiotsig::kSetupCompleteNas);
            }
            break;
        case UP_RESUME:
            signalling(true, K::SRB1, nbiotsig::kResumeComplete);
            break;
        case UP_SETUP:
            signalling(true, K::SRB1, nbiotsig::kSetupCompleteNas);
            signalling(false, K::SRB1, nbiotsig::kSecurityModeCommand);
            signalling(true, K::SRB1, nbiotsig::kSecurityModeComplete);
            signalling(false, K::SRB1, nbiotsig::kReconfiguration);
            signalling(true, K::SRB1, nbiotsig::kReconfigurationComplete);
            break;
    }
    if (m_cause == Cause::TAU)
    {
        signalling(true, K::SRB1, nbiotsig::kTauRequest);
        signalling(false, K::SRB1, nbiotsig::kTauAccept);
    }
    RunSteps(
        [this]()
        {
            Connected();
        });
}

void
NbIotUeNetDevice::Connected()
{
    m_rrc = Rrc::CONNECTED;
    ++m_stats.connections;
    if (m_cause == Cause::MT_DATA)
    {
        ++m_stats.mtConnections;
    }
    m_stats.connectLatencyS += (Simulator::Now() - m_connectStart).GetSeconds();
    // The connection request told the base station whether uplink data is waiting.
    m_ulGrantValid = !m_ulQueue.empty();
    if (m_msg5CarriedData)
    {
        UplinkSent();
    }
    m_busy = false;
    if (m_cause == Cause::TAU && m_ulQueue.empty() && m_dlQueue.empty())
    {
        Release(false); // nothing else to do: the network releases after the update
        return;
    }
    ServeNext();
}

// ---------------------------------------------------------------------------------------------
// Frame exchanges (steps)

Ptr<Packet>
NbIotUeNetDevice::BuildStepFrame(const Step& step)
{
    return NbIotFrame::Build(step.packet, step.signallingBytes, step.kind, step.nonIp, m_sequence++,
                             Tbs(step.uplink));
}

void
NbIotUeNetDevice::RunSteps(std::function<void()> done)
{
    m_stepsDone = std::move(done);
    RunNextStep();
}

void
NbIotUeNetDevice::RunNextStep()
{
    if (m_steps.empty())
    {
        auto done = std::move(m_stepsDone);
        m_stepsDone = nullptr;
        m_stepFrame = nullptr;
        m_tbs.clear();
        if (done)
        {
            done();
        }
        return;
    }
    const Step& step = m_steps.front();
    m_stepFrame = BuildStepFrame(step);
    m_tbs = NbIotFrame::Segment(m_stepFrame, Tbs(step.uplink));
    m_tbIndex = 0;
    m_tbRound = 0;
    StartTbTransmission();
}

void
NbIotUeNetDevice::StartTbTransmission()
{
    const Step& step = m_steps.front();
    const NbIotTransportBlock& tb = m_tbs[m_tbIndex];
    // The rate is a MAC-layer rate: the CRC-24A the block carries is inside it (the byte
    // accounting still counts it).
    m_tbAirtime = Seconds(NbIotFrame::MacPduBytes(tb.packet->GetSize()) * 8.0 / Rate(step.uplink));
    // Each transport block is scheduled by its own DCI: the control-channel delay, then the
    // shared channel when its turn comes.
    Time now = Simulator::Now();
    Time earliest = now + Seconds(Level().controlDelayS);
    Time start = m_channel->Reserve(step.uplink, earliest, m_tbAirtime,
                                    step.uplink ? Level().ulUnitsPerTb : 0);
    double wait = (start - earliest).GetSeconds();
    m_stats.queueWaitS += wait;
    m_stats.maxQueueWaitS = std::max(m_stats.maxQueueWaitS, wait);
    // Until its turn the UE monitors the control channel for the grant or assignment (the
    // subframes of its DCI: the level's controlRxDuty).
    SetRadioState(NbIotRadioState::CONTROL);
    ScheduleActivity(start - now,
                     [this]()
                     {
                         const Step& s = m_steps.front();
                         Ptr<Packet> tbPacket = m_tbs[m_tbIndex].packet;
                         SetRadioState(s.uplink ? NbIotRadioState::TX : NbIotRadioState::RX);
                         ++m_stats.transmissions;
                         if (!s.packet)
                         {
                             ++m_stats.signallingFrames;
                             m_stats.signallingBytes += tbPacket->GetSize();
                         }
                         m_channel->NotifyFrameTxBegin(tbPacket, m_node->GetId(), s.uplink,
                                                       m_tbAirtime);
                         ScheduleActivity(m_tbAirtime,
                                          [this]()
                                          {
                                              TbTransmissionEnded();
                                          });
                     });
}

void
NbIotUeNetDevice::TbTransmissionEnded()
{
    const Step& step = m_steps.front();
    ++m_tbRound;
    // While the base station is down nothing on the air gets through (no draw: a run without
    // an outage draws exactly as before).
    bool error = m_channel->IsDown() || m_rng->GetValue() < Level().bler;
    if (!step.uplink)
    {
        // The UE answers every downlink transport block with a HARQ ACK/NACK.
        SetRadioState(NbIotRadioState::TX);
        ScheduleActivity(Seconds(Level().harqAckS),
                         [this, error]()
                         {
                             if (error)
                             {
                                 TbFailed();
                             }
                             else
                             {
                                 TbDone();
                             }
                         });
        return;
    }
    if (error)
    {
        TbFailed();
    }
    else
    {
        TbDone();
    }
}

void
NbIotUeNetDevice::TbFailed()
{
    const Step& step = m_steps.front();
    Ptr<Packet> tbPacket = m_tbs[m_tbIndex].packet;
    uint32_t harq = m_channel->GetHarqMaxTransmissions();
    uint32_t rounds = harq * (m_channel->GetRlcMaxRetransmissions() + 1);
    if (m_tbRound < rounds)
    {
        m_channel->NotifyFrameLost(tbPacket, m_node->GetId(), step.uplink, "bler");
        if (m_tbRound % harq == 0)
        {
            // HARQ gave up: RLC retransmits the segment after its status report (one more
            // control-channel round trip).
            ++m_stats.rlcRetransmissions;
            SetRadioState(NbIotRadioState::CONTROL);
            ScheduleActivity(Seconds(Level().controlDelayS),
                             [this]()
                             {
                                 StartTbTransmission();
                             });
        }
        else
        {
            ++m_stats.harqRetransmissions;
            StartTbTransmission();
        }
        return;
    }
    ++m_stats.residualLosses;
    m_channel->NotifyFrameLost(tbPacket, m_node->GetId(), step.uplink, "residual");
    bool signalling = !step.packet;
    m_steps.pop_front();
    if (signalling)
    {
        // A lost RRC message ends the connection (radio link failure): back to idle; queued
        // uplink data makes the UE connect again.
        m_steps.clear();
        m_stepsDone = nullptr;
        m_stepFrame = nullptr;
        m_tbs.clear();
        EnterIdle();
        return;
    }
    RunNextStep(); // the packet is lost; its remaining transport blocks are not sent
}

void
NbIotUeNetDevice::TbDone()
{
    const Step& step = m_steps.front();
    m_channel->NotifyFrameRxEnd(m_tbs[m_tbIndex].packet, m_node->GetId(), step.uplink);
    if (++m_tbIndex < m_tbs.size())
    {
        m_tbRound = 0;
        StartTbTransmission();
        return;
    }
    StepDone();
}

void
NbIotUeNetDevice::StepDone()
{
    Step step = m_steps.front();
    m_steps.pop_front();
    if (step.packet)
    {
        if (step.uplink)
        {
            ++m_stats.ulPackets;
            m_lastUplink = step.packet;
            m_channel->GetEnb()->ReceiveFromUe(step.packet, this);
        }
        else
        {
            ++m_stats.dlPackets;
            DeliverDownlink(step.packet);
        }
    }
    RunNextStep();
}

// ---------------------------------------------------------------------------------------------
// Connected mode

void
NbIotUeNetDevice::ServeNext()
{
    if (m_rrc != Rrc::CONNECTED || m_busy)
    {
        return;
    }
    if (m_ulQueue.empty() && m_dlQueue.empty())
    {
        SetRadioState(NbIotRadioState::CONNECTED);
        CheckRelease();
        return;
    }
    m_inactivityEvent.Cancel();
    m_busy = true;
    bool uplink = !m_ulQueue.empty()
                  && (m_dlQueue.empty() || m_ulQueue.front().arrival <= m_dlQueue.front().arrival);
    if (uplink && !m_ulGrantValid)
    {
        ++m_stats.schedulingRequests;
        m_ulGrantValid = true;
        if (m_channel->GetProfile().uplinkRequestByRandomAccess)
        {
            m_purpose = Purpose::SCHEDULING_REQUEST;
            m_attemptsHere = 0;
            StartRandomAccess();
        }
        else
        {
            SetRadioState(NbIotRadioState::CONNECTED);
            ScheduleActivity(Seconds(m_channel->GetProfile().srDelayS[m_level]),
                             [this]()
                             {
                                 m_busy = false;
                                 ServeNext();
                             });
        }
        return;
    }
    std::deque<Queued>& queue = uplink ? m_ulQueue : m_dlQueue;
    Step data;
    data.uplink = uplink;
    data.kind = DataKind(false);
    data.packet = queue.front().packet;
    data.arrival = queue.front().arrival;
    NbIotNiddTag t;
    data.nonIp = data.packet->PeekPacketTag(t);
    queue.pop_front();
    m_steps.push_back(data);
    RunSteps(
        [this, uplink]()
        {
            if (uplink)
            {
                // The last uplink transmission carried the buffer status.
                m_ulGrantValid = !m_ulQueue.empty();
                if (!UplinkPending())
                {
                    m_releaseNow = m_releaseNow || m_rai == RAI_NO_FURTHER_DATA;
                    m_releaseAfterDl = m_releaseAfterDl || m_rai == RAI_ONE_DOWNLINK;
                }
            }
            else if (m_releaseAfterDl && !UplinkPending())
            {
                m_releaseNow = true;
            }
            m_busy = false;
            ServeNext();
        });
}

void
NbIotUeNetDevice::UplinkSent()
{
    // The last uplink transmission carried the buffer status; with an empty buffer it carries
    // the release assistance indication too — unless the application marked the datagram as
    // part of a handshake, after which more exchanges follow (as an application sets or
    // omits the release flag of a module's send command, e.g. AT+NSOSTF).
    m_ulGrantValid = !m_ulQueue.empty();
    MessageTag tag;
    bool handshake = m_lastUplink && m_lastUplink->PeekPacketTag(tag) && tag.handshake;
    if (!UplinkPending() && !handshake)
    {
        m_releaseNow = m_releaseNow || m_rai == RAI_NO_FURTHER_DATA;
        m_releaseAfterDl = m_releaseAfterDl || m_rai == RAI_ONE_DOWNLINK;
    }
}

void
NbIotUeNetDevice::CheckRelease()
{
    // Release assistance is the device's own decision: not while its MCU is still computing
    // a packet (the network's inactivity timer, below, does not know and runs on).
    if (m_releaseNow && m_mcuHeld == 0)
    {
        Release(true);
        return;
    }
    m_inactivityEvent.Cancel();
    m_inactivityEvent
        = Simulator::Schedule(m_inactivityTimer, &NbIotUeNetDevice::OnInactivity, this);
}

void
NbIotUeNetDevice::OnInactivity()
{
    if (m_rrc == Rrc::CONNECTED && !m_busy && m_ulQueue.empty() && m_dlQueue.empty())
    {
        Release(false);
    }
}

void
NbIotUeNetDevice::Release(bool rai)
{
    NS_LOG_FUNCTION(this << rai);
    m_inactivityEvent.Cancel();
    ++m_stats.releases;
    if (rai)
    {
        ++m_stats.raiReleases;
    }
    m_busy = true;
    m_releaseNow = false;
    m_releaseAfterDl = false;
    Step release;
    release.uplink = false;
    release.kind = NbIotChannelKind::SRB1;
    release.signallingBytes
        = m_rrcMode == UP_RESUME ? nbiotsig::kReleaseSuspend : nbiotsig::kRelease;
    m_steps.push_back(release);
    RunSteps(
        [this]()
        {
            EnterIdle();
        });
}

void
NbIotUeNetDevice::EnterIdle()
{
    m_rrc = Rrc::IDLE;
    m_busy = false;
    m_ulGrantValid = false;
    m_releaseNow = false;
    m_releaseAfterDl = false;
    m_purpose = Purpose::CONNECT;
    m_inactivityEvent.Cancel();
    SetRadioState(NbIotRadioState::IDLE);
    m_t3412Event.Cancel();
    m_t3412Event = Simulator::Schedule(m_t3412, &NbIotUeNetDevice::PeriodicTau, this);
    if (!m_ulQueue.empty())
    {
        Connect(Cause::MO_DATA);
        return;
    }
    if (!m_dlQueue.empty())
    {
        SchedulePaging();
    }
    if (m_psm)
    {
        m_t3324Event.Cancel();
        m_t3324Event = Simulator::Schedule(m_t3324, &NbIotUeNetDevice::EnterPsm, this);
    }
}

void
NbIotUeNetDevice::EnterPsm()
{
    if (m_rrc != Rrc::IDLE)
    {
        return;
    }
    m_rrc = Rrc::PSM;
    ++m_stats.psmEntries;
    m_pagingEvent.Cancel(); // downlink data now waits for the UE's next connection
    SetRadioState(NbIotRadioState::PSM);
}

void
NbIotUeNetDevice::PeriodicTau()
{
    if (m_rrc == Rrc::PSM || m_rrc == Rrc::IDLE)
    {
        ++m_stats.taus;
        Connect(Cause::TAU);
    }
}

void
NbIotUeNetDevice::SchedulePaging()
{
    if (m_pagingEvent.IsRunning())
    {
        return;
    }
    Time cycle = m_edrxCycle.IsStrictlyPositive() ? m_edrxCycle : m_drxCycle;
    int64_t now = Simulator::Now().GetTimeStep();
    int64_t phase = m_pagingPhase.GetTimeStep();
    int64_t period = cycle.GetTimeStep();
    int64_t next = phase;
    if (now >= phase)
    {
        next = phase + ((now - phase) / period + 1) * period;
    }
    m_pagingEvent = Simulator::Schedule(TimeStep(static_cast<uint64_t>(next - now)),
                                        &NbIotUeNetDevice::OnPaging, this);
}

void
NbIotUeNetDevice::OnPaging()
{
    if (m_rrc == Rrc::IDLE && !m_dlQueue.empty())
    {
        ++m_stats.pagings;
        Connect(Cause::MT_DATA);
    }
}

} // namespace ns3
