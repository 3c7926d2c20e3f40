/*
 * NbIotUeNetDevice: an NB-IoT / LTE-M device's radio — the RRC state machine, random access,
 * the data transfer procedures and the power-saving timers — driven by the packets its IPv4
 * stack sends and the downlink packets the base station has for it.
 *
 * RRC states and what moves between them:
 *
 *   PSM ──uplink data, T3412 (TAU)──► CONNECTING ──RA + RRC set-up/resume──► CONNECTED
 *    ▲                                   ▲   │ random access fails                │
 *    │ T3324                 paging at a  │   ▼                                    │ release:
 *    └──────────── IDLE ◄──────────────── PO ┘◄──── RRCConnectionRelease ◄────────┘ inactivity
 *                  (eDRX)   (downlink data waiting)                                  timer or RAI
 *
 *  - Connecting: after PSM the UE first resynchronises (syncS). Random access: the UE waits for
 *    its coverage level's next occasion, sends a preamble chosen uniformly among the
 *    occasion's preambles, and — unless another UE chose the same one (collision: both send
 *    Msg3, contention resolution fails) or the base station missed it — receives its
 *    response. A failed attempt waits a uniform backoff; after RaAttemptsPerLevel attempts
 *    the UE moves to the next coverage level (TS 36.321 5.1.1, CE level escalation); after the
 *    last level's attempts random access fails and the queued uplink packets are lost.
 *  - RRC (attribute RrcMode): "Cp" — control-plane CIoT optimisation: Msg3 request, Msg4 set-up,
 *    Msg5 set-up complete carrying the first uplink packet; data over NAS. "UpResume" — user
 *    plane with suspend/resume: resume request, resume, resume complete; data on the DRB.
 *    "UpSetup" — legacy user plane: set-up, set-up complete, security mode command/complete,
 *    reconfiguration/complete, then data on the DRB. Each message is a frame on the shared
 *    channels (nbiot-signalling.h gives their sizes).
 *  - Connected: the UE serves its uplink queue and the base station's downlink queue for it,
 *    oldest packet first, one transmission at a time (half duplex). Each transmission waits for
 *    its control-channel delay and for the shared channel (NbIotChannel::Reserve), then takes
 *    bytes*8/rate on the air. Each transmission fails with the level's BLER: HARQ repeats it
 *    up to HarqMaxTransmissions times, RLC up to RlcMaxRetransmissions more rounds; then the
 *    packet is lost ("residual"). A downlink transmission is followed by the UE's HARQ-ACK.
 *    New uplink data after the buffer ran empty needs a grant request: NB-IoT does a random
 *    access (no PUCCH in Rel-13), LTE-M a PUCCH scheduling request.
 *  - Release: after InactivityTimer without traffic the base station releases the connection
 *    (RRCConnectionRelease). With Release Assistance (Rai): NoFurtherData releases as soon as
 *    the uplink queue is empty after an uplink transmission; OneDownlink after the next
 *    downlink packet that follows (e.g. a CoAP response). Datagrams the application marked as
 *    handshake flights (MessageTag::handshake) never carry the indication: the application
 *    knows more exchanges follow.
 *  - Idle: the UE monitors a paging occasion every DrxCycle (eDRX cycle when EdrxCycle > 0).
 *    Downlink data for an idle UE waits for its next paging occasion, then the UE connects.
 *    With Psm the UE enters PSM T3324 after the release; in PSM it is unreachable: downlink
 *    data waits (up to DownlinkBuffer packets) until the UE next connects. T3412 after each
 *    release (or at a uniform phase at start) the UE performs a periodic TAU.
 *
 * Energy: the radio state (nbiot-radio-state.h) is reported on the "RadioState" trace source
 * at every change. Coverage: the UE's coupling loss (CouplingLossDb) fixes its coverage level;
 * beyond the last level it is out of coverage and every packet is dropped ("no-coverage").
 * Randomness (preambles, backoffs, block errors, paging phase) comes from one stream per UE
 * (AssignStreams), so adding UEs does not change the others' draws.
 */
#ifndef NBIOT_UE_NET_DEVICE_H
#define NBIOT_UE_NET_DEVICE_H

#include "nbiot-frame.h"
#include "nbiot-net-device.h"
#include "nbiot-radio-state.h"

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <deque>
#include <functional>
#include <vector>

namespace ns3
{

/// Counters of one UE's radio procedures (summed over UEs for summary.json).
struct NbIotUeStats
{
    uint64_t raAttempts = 0;    ///< preambles sent
    uint64_t raCollisions = 0;  ///< preambles another UE also sent in the same occasion
    uint64_t raMissed = 0;      ///< lone preambles the base station did not detect
    uint64_t raCellDown = 0;    ///< preambles sent while the base station was down
    uint64_t raFailures = 0;    ///< random-access procedures that gave up
    uint64_t ceEscalations = 0; ///< moves to the next coverage level during random access
    uint64_t connections = 0;   ///< RRC connections established
    uint64_t mtConnections = 0; ///< of those, after paging (downlink data waiting)
    uint64_t pagings = 0;       ///< paging occasions at which the UE was paged
    uint64_t taus = 0;          ///< periodic tracking area updates
    uint64_t releases = 0;      ///< RRC releases
    uint64_t raiReleases = 0;   ///< of those, triggered by release assistance
    uint64_t psmEntries = 0;
    uint64_t schedulingRequests = 0; ///< connected-mode grant requests (RA or PUCCH)
    uint64_t ulPackets = 0;          ///< uplink packets delivered to the base station
    uint64_t dlPackets = 0;          ///< downlink packets delivered to the UE
    uint64_t harqRetransmissions = 0;
    uint64_t rlcRetransmissions = 0;
    uint64_t residualLosses = 0; ///< packets lost after every retransmission
    uint64_t droppedPackets = 0; ///< packets that never reached the air (RA failure, queues...)
    uint64_t signallingFrames = 0;
    uint64_t signallingBytes = 0; ///< on-air bytes of RRC/NAS signalling frames
    uint64_t transmissions = 0;   ///< frames put on the shared channels
    double queueWaitS = 0;        ///< total wait for the shared channels
    double maxQueueWaitS = 0;
    double connectLatencyS = 0; ///< total time from wanting a connection to being connected

    NbIotUeStats& operator+=(const NbIotUeStats& o);
};

class NbIotUeNetDevice : public NbIotNetDevice
{
  public:
    enum class Rrc
    {
        PSM,
        IDLE,
        CONNECTING,
        CONNECTED,
    };

    enum RrcMode
    {
        CP,        ///< control-plane CIoT optimisation (data over NAS)
        UP_RESUME, ///< user plane with RRC suspend/resume
        UP_SETUP,  ///< legacy user plane: full set-up with security and reconfiguration
    };

    enum RaiMode
    {
        RAI_NONE,
        RAI_NO_FURTHER_DATA, ///< release once the uplink queue is empty after an uplink
        RAI_ONE_DOWNLINK,    ///< release after the next downlink packet
    };

    typedef void (*RadioStateTracedCallback)(NbIotRadioState state, Time now);

    static TypeId GetTypeId();
    NbIotUeNetDevice();
    ~NbIotUeNetDevice() override;

    /// Camp on a cell (once). The UE starts in PSM (Psm true) or IDLE.
    void Attach(Ptr<NbIotChannel> channel);

    /// Coupling loss to the cell (dB): fixes the coverage level. Set before Attach.
    void SetCouplingLossDb(double db);
    double GetCouplingLossDb() const;
    /// Coverage level 0..2, or kNbIotCeLevels when out of coverage.
    uint32_t GetCoverageLevel() const;

    Rrc GetRrcState() const;
    NbIotRadioState GetRadioState() const;
    const NbIotUeStats& GetStats() const;
    bool IsNidd() const;

    /// Fraction of IDLE time spent receiving: one paging occasion per (e)DRX cycle.
    double GetIdleRxDuty() const;
    /// Fraction of CONNECTED (nothing scheduled) time spent receiving: 1 without connected
    /// DRX, on-duration / cycle with it.
    double GetConnectedRxDuty() const;
    /// The receiver duties of every duty-cycled radio state, for an energy model: IDLE and
    /// CONNECTED as above, SYNC and CONTROL the coverage level's syncRxDuty and controlRxDuty
    /// (at the UE's own level; a UE escalated to the next level during random access keeps
    /// its own level's control duty, a small approximation).
    NbIotRxDuty GetRxDuty() const;

    /// Downlink packet from the base station (called in the base station's context).
    void EnqueueDownlink(Ptr<Packet> packet);

    int64_t AssignStreams(int64_t stream);

    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;

  protected:
    void DoDispose() override;
    void DoInitialize() override;

  private:
    /// A packet waiting in a queue, with when it arrived.
    struct Queued
    {
        Ptr<Packet> packet;
        Time arrival;
    };

    /// One frame exchange of a procedure: signalling message or data packet.
    struct Step
    {
        bool uplink = true;
        NbIotChannelKind kind = NbIotChannelKind::SRB1;
        uint32_t signallingBytes = 0; ///< body size when packet is null
        Ptr<Packet> packet;           ///< data (IPv4 packet or NIDD datagram), or null
        bool nonIp = false;
        Time arrival; ///< when the data packet was queued
    };

    enum class Purpose
    {
        CONNECT,            ///< random access to set up an RRC connection
        SCHEDULING_REQUEST, ///< connected: random access to ask for an uplink grant
    };

    enum class Cause
    {
        MO_DATA, ///< uplink data
        MT_DATA, ///< paged for downlink data
        TAU,     ///< periodic tracking area update
    };

    // radio state and timers
    void SetRadioState(NbIotRadioState state);
    void ScheduleActivity(Time delay, std::function<void()> fn);
    const NbIotCoverageLevel& Level() const;

    // connection
    void Connect(Cause cause);
    void StartRandomAccess();
    void SendPreamble(uint64_t occasion);
    void PreambleDone(uint64_t occasion, uint32_t preamble);
    void RandomAccessAttemptFailed();
    void RandomAccessFailed();
    void RandomAccessSucceeded();
    void Connected();

    // procedures
    void RunSteps(std::function<void()> done);
    void RunNextStep();
    void StartTbTransmission();
    void TbTransmissionEnded();
    void TbFailed();
    void TbDone();
    void StepDone();
    Ptr<Packet> BuildStepFrame(const Step& step);

    // connected mode
    void ServeNext();
    void UplinkSent();
    void CheckRelease();
    void Release(bool rai);
    void EnterIdle();
    void EnterPsm();
    void OnInactivity();
    void PeriodicTau();
    void SchedulePaging();
    void OnPaging();

    void DropQueuedUplink(const std::string& reason);
    void DeliverDownlink(Ptr<Packet> packet);
    NbIotChannelKind DataKind(bool firstInMsg5) const;
    double Rate(bool uplink) const;
    uint32_t Tbs(bool uplink) const;

    // attributes
    double m_couplingLossDb;
    RrcMode m_rrcMode;
    RaiMode m_rai;
    Time m_inactivityTimer;
    bool m_psm;
    Time m_t3324;
    Time m_t3412;
    Time m_drxCycle;
    Time m_edrxCycle;
    Time m_cdrxCycle;
    Time m_cdrxOn;
    bool m_nidd;
    uint32_t m_mcuHeld = 0; ///< packets waiting for the MCU

    /// Send's work once the MCU is free: checks, queue, RRC.
    bool Enqueue(Ptr<Packet> packet, uint16_t protocolNumber);
    void EnqueueAfterMcu(Ptr<Packet> packet, uint16_t protocolNumber);
    /// Uplink data queued, or held until the MCU has computed it: the device indicates no
    /// release assistance while there is some.
    bool UplinkPending() const;
    uint32_t m_ulQueueSize;
    uint32_t m_dlBufferSize;

    // state
    Rrc m_rrc;
    NbIotRadioState m_radio;
    uint32_t m_baseLevel;    ///< from the coupling loss
    uint32_t m_level;        ///< current (may escalate during random access)
    uint32_t m_attemptsHere; ///< preamble attempts at the current level
    Purpose m_purpose;
    Cause m_cause;
    bool m_fromPsm;
    bool m_msg5CarriedData;   ///< the connection's Msg5 carried the first uplink packet
    Ptr<Packet> m_lastUplink; ///< the last uplink data packet delivered (for its RAI hint)
    bool m_busy;              ///< a procedure or transmission is in progress
    bool m_ulGrantValid;      ///< the base station knows of our queued uplink data (BSR)
    bool m_releaseAfterDl;    ///< RAI one-downlink armed
    bool m_releaseNow;        ///< RAI no-further-data armed
    Time m_connectStart;
    Time m_pagingPhase;
    uint16_t m_sequence;

    std::deque<Queued> m_ulQueue;
    std::deque<Queued> m_dlQueue;
    std::deque<Step> m_steps;
    std::function<void()> m_stepsDone;
    Ptr<Packet> m_stepFrame;                ///< the current step's frame
    std::vector<NbIotTransportBlock> m_tbs; ///< its transport blocks
    uint32_t m_tbIndex;                     ///< the one being sent
    uint32_t m_tbRound;                     ///< its transmissions so far
    Time m_tbAirtime;

    EventId m_activityEvent; ///< the running procedure's next event
    EventId m_inactivityEvent;
    EventId m_t3324Event;
    EventId m_t3412Event;
    EventId m_pagingEvent;

    Ptr<UniformRandomVariable> m_rng;
    NbIotUeStats m_stats;
    TracedCallback<NbIotRadioState, Time> m_radioStateTrace;
};

} // namespace ns3

#endif // NBIOT_UE_NET_DEVICE_H
