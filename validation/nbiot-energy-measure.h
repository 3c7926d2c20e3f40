/*
 * The measuring side of validation/nbiot-energy-probe.cc, in a header so that a test can hold
 * the probe's accounting against the energy model (test/energy/nbiot-energy-probe-test.cc).
 *
 * One run: a cell with one UE at a fixed coupling loss, camped in PSM, RRC resume
 * (UpResume), grant requests by the Rel-15 scheduling request (the cell's GrantRequest
 * SchedulingRequest: the reference's UE sends flight 3 without asking for a grant), the 3GPP
 * device profile and an NbIotRadioEnergyModel from NbIotEnergyHelper.
 * The probe hands the UE device a datagram (flight 1) and, each time a flight has been
 * delivered, the next one: uplink flights through NbIotUeNetDevice::Send, downlink flights
 * through NbIotUeNetDevice::EnqueueDownlink, with no gap between them (the reference counts
 * none). The datagrams are non-IP (they carry an NbIotNiddTag and no IP/UDP header) on the
 * user-plane DRB: the model's own NIDD runs over the control plane only (nbiot.nidd requires
 * nbiot.rrc=cp), and the reference counts only the handshake bytes.
 *
 * What is recorded: every change of the UE's RadioState, every transport block put on the air
 * (the channel's FrameTxBegin) and the end of its air time, and the probe's milestones; at
 * each, the energy model's per-state energies and times (GetStateEnergyJ, GetStateTimeS).
 * Between two consecutive records the radio is in one state, so each such segment's energy is
 * the growth of that one state's energy; the segments are then named after the procedure step
 * they belong to (sync, RA occasion wait, preamble, RAR wait, and per frame its control-channel
 * wait, its air time and its HARQ-ACK).
 *
 * Milestones: "data" when the first datagram is handed to the UE; "connected" at the instant
 * the UE's RRC state becomes CONNECTED (checked after every transport block delivered: with
 * UpResume this is the end of RRCConnectionResumeComplete's transport block, after which
 * ServeNext starts the first datagram's control-channel wait); "flight<k>" when flight k has
 * been delivered (the UE's uplink or downlink packet counter grew: for a downlink flight after
 * its last HARQ-ACK).
 */
#ifndef LPWAN_VALIDATION_NBIOT_ENERGY_MEASURE_H
#define LPWAN_VALIDATION_NBIOT_ENERGY_MEASURE_H

#include "energy/device-profile.h"
#include "energy/nbiot-radio-energy-model.h"
#include "nbiot-energy-helper.h"
#include "nbiot-helper.h"
#include "nbiot/nbiot-frame.h"
#include "nbiot/nbiot-nidd-tag.h"
#include "nbiot/nbiot-radio-profile.h"
#include "nbiot/nbiot-signalling.h"
#include "nbiot/nbiot-ue-net-device.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/mac16-address.h"
#include "ns3/node-container.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{
namespace energyprobe
{

/// One datagram of a handshake: its size as the reference gives it and its direction.
struct Flight
{
    bool uplink = true;
    uint32_t bytes = 0;
};

/// A named part of a window: one procedure step, possibly repeated (e.g. one control-channel
/// wait per transport block).
struct Step
{
    std::string label;
    NbIotRadioState state = NbIotRadioState::PSM;
    bool mixedStates = false;
    double energyJ = 0;
    double timeS = 0;
    uint32_t count = 0;    ///< segments (for air: transport blocks)
    uint32_t airBytes = 0; ///< on-air bytes (air steps only)
};

/// Energy between two milestones, by step and by radio state.
struct Window
{
    double startS = 0;
    double endS = 0;
    std::vector<Step> steps;                                  ///< in order of first occurrence
    std::array<double, kNbIotRadioStateCount> stateEnergyJ{}; ///< the model's per-state growth
    std::array<double, kNbIotRadioStateCount> stateTimeS{};

    double EnergyJ() const
    {
        double e = 0;
        for (double x : stateEnergyJ)
        {
            e += x;
        }
        return e;
    }

    double StepsEnergyJ() const
    {
        double e = 0;
        for (const auto& s : steps)
        {
            e += s.energyJ;
        }
        return e;
    }

    uint32_t AirBytes() const
    {
        uint32_t b = 0;
        for (const auto& s : steps)
        {
            b += s.airBytes;
        }
        return b;
    }
};

/// What one run measured and the model parameters it ran with.
struct Result
{
    double couplingLossDb = 0;
    uint32_t level = 0;
    NbIotCoverageLevel ce; ///< the cell's level parameters (rate scale and BLER applied)
    DeviceProfile profile; ///< the energy model's profile
    NbIotRxDuty rxDuty;    ///< the duty-cycled states' receiver duties (energy model input)
    uint64_t raAttempts = 0;
    uint64_t raFailedAttempts = 0; ///< missed or collided preambles
    uint64_t schedulingRequests = 0;
    uint64_t harqRetransmissions = 0;
    int64_t stream = 0;
    Window connect;
    std::vector<Window> flights;
};

/// A record: an instant at which the radio's state, the frame on the air or the procedure
/// milestone may change, with the energy model's accumulators at that instant.
struct Record
{
    enum Kind
    {
        STATE,
        FRAME_BEGIN,
        FRAME_END,
        MARK,
    };

    Kind kind = MARK;
    double t = 0;
    NbIotRadioState state = NbIotRadioState::PSM; ///< STATE: the new state
    std::string name;                             ///< frame or milestone name
    uint32_t bytes = 0;                           ///< FRAME_BEGIN: the transport block's size
    std::array<double, kNbIotRadioStateCount> energyJ{};
    std::array<double, kNbIotRadioStateCount> timeS{};
};

/// The name of a transport block: "data" for a probe datagram, the RRC message for a
/// signalling frame (told apart by logical channel, direction and body size, the model's own
/// nbiot-signalling.h sizes).
inline std::string
FrameName(Ptr<const Packet> tb, bool uplink)
{
    NbIotNiddTag nidd;
    if (tb->PeekPacketTag(nidd))
    {
        return "data";
    }
    // Signalling frames here fit one transport block, so the block starts with the header.
    NbIotFrameHeader h;
    Ptr<Packet> copy = tb->Copy();
    copy->RemoveHeader(h);
    const uint32_t len = h.GetPayloadLength();
    using K = NbIotChannelKind;
    namespace sig = nbiotsig;
    if (h.GetKind() == K::CCCH && uplink)
    {
        if (len == sig::kResumeRequest)
        {
            return "msg3_resume_request";
        }
        if (len == sig::kConnectionRequest)
        {
            return "msg3_connection_request";
        }
        if (len == sig::kCrntiBsr)
        {
            return "msg3_crnti_bsr";
        }
    }
    if (h.GetKind() == K::CCCH && !uplink)
    {
        if (len == sig::kResume)
        {
            return "msg4_resume";
        }
        if (len == sig::kConnectionSetup)
        {
            return "msg4_setup";
        }
    }
    if (h.GetKind() == K::SRB1 && uplink && len == sig::kResumeComplete)
    {
        return "msg5_resume_complete";
    }
    if (h.GetKind() == K::SRB1 && !uplink && len == sig::kReleaseSuspend)
    {
        return "release_suspend";
    }
    return std::string("signalling_lcid") + std::to_string(static_cast<int>(h.GetKind()))
           + (uplink ? "_ul_" : "_dl_") + std::to_string(len);
}

/// Follows one UE and its energy model and drives the flights.
class Recorder
{
  public:
    Recorder(Ptr<NbIotUeNetDevice> ue, Ptr<NbIotRadioEnergyModel> model,
             std::vector<Flight> flights)
      : m_ue(ue)
      , m_model(model)
      , m_flights(std::move(flights))
    {
    }

    void Add(Record r)
    {
        r.t = Simulator::Now().GetSeconds();
        for (uint32_t s = 0; s < kNbIotRadioStateCount; ++s)
        {
            r.energyJ[s] = m_model->GetStateEnergyJ(static_cast<NbIotRadioState>(s));
            r.timeS[s] = m_model->GetStateTimeS(static_cast<NbIotRadioState>(s));
        }
        m_records.push_back(std::move(r));
    }

    void Mark(const std::string& name)
    {
        Record r;
        r.kind = Record::MARK;
        r.name = name;
        Add(r);
    }

    void OnRadioState(NbIotRadioState state, Time)
    {
        Record r;
        r.kind = Record::STATE;
        r.state = state;
        Add(r);
    }

    void OnFrameTxBegin(Ptr<const Packet> tb, uint32_t, bool uplink, Time airtime)
    {
        Record r;
        r.kind = Record::FRAME_BEGIN;
        r.name = FrameName(tb, uplink);
        r.bytes = tb->GetSize();
        Add(r);
        // The air time ends without an event of the UE's that the probe can see (a downlink
        // block's HARQ-ACK follows at once in the same state machine step), so mark it.
        Simulator::Schedule(airtime, &Recorder::OnAirEnd, this, r.name);
    }

    void OnAirEnd(std::string name)
    {
        Record r;
        r.kind = Record::FRAME_END;
        r.name = name;
        Add(r);
    }

    void OnFrameRxEnd(Ptr<const Packet>, uint32_t, bool)
    {
        // The UE's state machine finishes this step (RRC state, packet counters) in the same
        // event; look at it once it has.
        Simulator::ScheduleNow(&Recorder::AfterDelivery, this);
    }

    /// Hand the UE flight 0 (called at the start time, in the UE node's context).
    void Start()
    {
        Mark("data");
        SendFlight(0);
    }

    const std::vector<Record>& GetRecords() const
    {
        return m_records;
    }

    bool Finished() const
    {
        return m_next == m_flights.size() && m_delivered;
    }

  private:
    Ptr<Packet> Datagram(uint32_t bytes) const
    {
        // A non-IP datagram of the flight's size: the tag tells the frame's layer accounting
        // that no IP/UDP header is inside (its saved headers are never put on the air).
        Ptr<Packet> p = Create<Packet>(bytes);
        p->AddPacketTag(NbIotNiddTag());
        return p;
    }

    void SendFlight(std::size_t k)
    {
        m_current = k;
        m_next = k + 1;
        m_delivered = false;
        const NbIotUeStats& st = m_ue->GetStats();
        m_countBefore = m_flights[k].uplink ? st.ulPackets : st.dlPackets;
        if (m_flights[k].uplink)
        {
            m_ue->Send(Datagram(m_flights[k].bytes), Mac16Address("00:01"),
                       NbIotNetDevice::kIpv4ProtocolNumber);
        }
        else
        {
            m_ue->EnqueueDownlink(Datagram(m_flights[k].bytes));
        }
    }

    void AfterDelivery()
    {
        if (!m_connected && m_ue->GetRrcState() == NbIotUeNetDevice::Rrc::CONNECTED)
        {
            m_connected = true;
            Mark("connected");
        }
        if (m_delivered || m_current >= m_flights.size())
        {
            return;
        }
        const NbIotUeStats& st = m_ue->GetStats();
        uint64_t count = m_flights[m_current].uplink ? st.ulPackets : st.dlPackets;
        if (count == m_countBefore)
        {
            return;
        }
        m_delivered = true;
        Mark("flight" + std::to_string(m_current + 1));
        if (m_next < m_flights.size())
        {
            SendFlight(m_next);
        }
        else
        {
            Simulator::Stop();
        }
    }

    Ptr<NbIotUeNetDevice> m_ue;
    Ptr<NbIotRadioEnergyModel> m_model;
    std::vector<Flight> m_flights;
    std::vector<Record> m_records;
    std::size_t m_current = 0;
    std::size_t m_next = 0;
    bool m_delivered = false;
    bool m_connected = false;
    uint64_t m_countBefore = 0;
};

/// Name every segment between two records after the step it belongs to and add up the
/// segments between the milestones `from` and `to`.
inline Window
Collect(const std::vector<Record>& rec, const std::string& from, const std::string& to)
{
    std::size_t a = rec.size();
    std::size_t b = rec.size();
    for (std::size_t i = 0; i < rec.size(); ++i)
    {
        if (rec[i].kind == Record::MARK && rec[i].name == from && a == rec.size())
        {
            a = i;
        }
        if (rec[i].kind == Record::MARK && rec[i].name == to && a != rec.size())
        {
            b = i;
            break;
        }
    }
    if (a == rec.size() || b == rec.size())
    {
        throw std::runtime_error("energy probe: milestone " + from + " or " + to + " missing");
    }
    Window w;
    w.startS = rec[a].t;
    w.endS = rec[b].t;
    for (uint32_t s = 0; s < kNbIotRadioStateCount; ++s)
    {
        w.stateEnergyJ[s] = rec[b].energyJ[s] - rec[a].energyJ[s];
        w.stateTimeS[s] = rec[b].timeS[s] - rec[a].timeS[s];
    }

    // Replay the records from the start to know the state, the frame on the air and whether
    // the connection is up at every segment.
    NbIotRadioState state = NbIotRadioState::PSM;
    std::string onAir;      // frame whose air time is running
    std::string lastFrame;  // the last frame that went on the air
    bool connected = false; // after the "connected" milestone
    for (std::size_t i = 0; i + 1 < rec.size() && i < b; ++i)
    {
        const Record& r = rec[i];
        switch (r.kind)
        {
            case Record::STATE:
                state = r.state;
                break;
            case Record::FRAME_BEGIN:
                onAir = r.name;
                lastFrame = r.name;
                break;
            case Record::FRAME_END:
                if (onAir == r.name)
                {
                    onAir.clear();
                }
                break;
            case Record::MARK:
                if (r.name == "connected")
                {
                    connected = true;
                }
                break;
        }
        const Record& n = rec[i + 1];
        double dt = n.t - r.t;
        if (i < a || dt <= 0)
        {
            continue;
        }
        auto s = static_cast<uint32_t>(state);
        std::string label;
        const std::string sr = connected ? "sr." : "";
        if (!onAir.empty())
        {
            label = onAir + ".air";
        }
        else
        {
            switch (state)
            {
                case NbIotRadioState::SYNC:
                    label = "sync"; // resynchronisation after PSM
                    break;
                case NbIotRadioState::RX: // reception outside a frame's air time: none expected
                case NbIotRadioState::CONTROL:
                {
                    // The control-channel wait for the next frame's DCI (grant or assignment).
                    std::string next = "?";
                    for (std::size_t j = i + 1; j < rec.size(); ++j)
                    {
                        if (rec[j].kind == Record::FRAME_BEGIN)
                        {
                            next = rec[j].name;
                            break;
                        }
                    }
                    label = next + ".grant_wait";
                    break;
                }
                case NbIotRadioState::TX:
                    label = lastFrame + ".harq_ack"; // after a downlink block
                    break;
                case NbIotRadioState::IDLE:
                    label = sr + "ra_occasion_wait";
                    break;
                case NbIotRadioState::CONNECTED:
                {
                    // Waiting for an NPRACH occasion to ask for a grant, or nothing to do.
                    label = "connected_monitoring";
                    for (std::size_t j = i + 1; j < rec.size(); ++j)
                    {
                        if (rec[j].kind == Record::STATE
                            && rec[j].state != NbIotRadioState::CONNECTED)
                        {
                            if (rec[j].state == NbIotRadioState::RA_TX)
                            {
                                label = "sr.ra_occasion_wait";
                            }
                            break;
                        }
                    }
                    break;
                }
                case NbIotRadioState::RA_TX:
                    label = sr + "preamble";
                    break;
                case NbIotRadioState::RA_RX:
                    label = sr + "rar_wait";
                    break;
                case NbIotRadioState::PSM:
                    label = "psm";
                    break;
            }
        }
        Step* step = nullptr;
        for (auto& st : w.steps)
        {
            if (st.label == label)
            {
                step = &st;
            }
        }
        if (!step)
        {
            w.steps.push_back(Step{});
            step = &w.steps.back();
            step->label = label;
            step->state = state;
        }
        step->mixedStates = step->mixedStates || step->state != state;
        // The growth of the one state the radio was in: a segment named after the wrong state
        // would leave another state's growth unaccounted (the test checks the sums).
        step->energyJ += n.energyJ[s] - r.energyJ[s];
        step->timeS += dt;
        if (r.kind == Record::FRAME_BEGIN && !onAir.empty())
        {
            ++step->count;
            step->airBytes += r.bytes;
        }
        else if (onAir.empty() && (r.kind != Record::MARK || i == a))
        {
            // A wait starts at a record that changed the state or ended a frame (or at the
            // window's start); one split only by a milestone is still one wait.
            ++step->count;
        }
    }
    return w;
}

/// Run one case: a UE at couplingLossDb handed the flights one after the other. whatIf: a
/// radio profile to run in place of NbIotRadioProfile::NbIot() (sensitivity studies of a
/// calibration, without changing the model); its BLER is set to 0 like the cell's own.
inline Result
Run(double couplingLossDb, const std::vector<Flight>& flights, int64_t stream,
    const NbIotRadioProfile* whatIf = nullptr)
{
    NbIotHelper nbiot;
    nbiot.SetChannelAttribute("Profile", StringValue("nbiot"));
    // The reference counts every message once: no block errors.
    nbiot.SetChannelAttribute("Bler", DoubleValue(0.0));
    // The reference's UE transmits flight 3 right after receiving flight 2, without asking
    // for a grant: the Rel-15 NB-IoT scheduling request, not Rel-13's random access.
    nbiot.SetChannelAttribute("GrantRequest", StringValue("SchedulingRequest"));
    nbiot.SetUeAttribute("RrcMode", StringValue("UpResume"));
    nbiot.SetUeAttribute("ReleaseAssistance", StringValue("None"));
    nbiot.SetUeAttribute("Psm", BooleanValue(true));
    // No periodic TAU inside the run (its first one is drawn uniformly within T3412).
    nbiot.SetUeAttribute("T3412", TimeValue(Days(3650)));
    nbiot.SetFixedCouplingLoss(couplingLossDb);

    NodeContainer enbNode;
    enbNode.Create(1);
    NodeContainer ueNode;
    ueNode.Create(1);
    Ptr<NbIotChannel> cell = nbiot.AddCell(enbNode.Get(0), Vector(0, 0, 30));
    if (whatIf)
    {
        // The cell applied its Bler attribute to its own profile when the base station
        // attached; a replacement needs it too.
        NbIotRadioProfile p = *whatIf;
        for (auto& level : p.ce)
        {
            level.bler = 0;
        }
        cell->SetProfile(p);
    }
    NetDeviceContainer ues = nbiot.InstallUes(ueNode);
    nbiot.AssignStreams(stream);
    Ptr<NbIotUeNetDevice> ue = DynamicCast<NbIotUeNetDevice>(ues.Get(0));

    NbIotEnergyHelper energy;
    energy.SetProfile(DeviceProfile::ThreeGpp());
    Ptr<NbIotRadioEnergyModel> model = energy.Install(ues).at(0);

    Result res;
    res.couplingLossDb = couplingLossDb;
    res.level = ue->GetCoverageLevel();
    if (res.level >= kNbIotCeLevels)
    {
        throw std::runtime_error("energy probe: the UE is out of coverage");
    }
    res.ce = cell->GetProfile().ce[res.level];
    res.profile = model->GetProfile();
    res.rxDuty = model->GetRxDuty();
    res.stream = stream;

    Recorder rec(ue, model, flights);
    ue->TraceConnectWithoutContext("RadioState", MakeCallback(&Recorder::OnRadioState, &rec));
    cell->TraceConnectWithoutContext("FrameTxBegin", MakeCallback(&Recorder::OnFrameTxBegin, &rec));
    cell->TraceConnectWithoutContext("FrameRxEnd", MakeCallback(&Recorder::OnFrameRxEnd, &rec));

    // Start so that the resynchronisation ends half an NPRACH period before an occasion: the
    // mean wait of data that arrives at a uniform time, and a fixed one (occasions are at
    // multiples of the period from time 0).
    const double period = res.ce.nprachPeriodS;
    const double sync = res.ce.syncS;
    const double n = std::ceil((1.0 + sync + period / 2) / period);
    const Time start = Seconds(n * period - period / 2 - sync);
    Simulator::ScheduleWithContext(ueNode.Get(0)->GetId(), start, &Recorder::Start, &rec);
    Simulator::Stop(start + Days(1)); // a bound; the recorder stops after the last flight
    Simulator::Run();
    if (!rec.Finished())
    {
        Simulator::Destroy();
        throw std::runtime_error("energy probe: the flights did not all arrive");
    }

    const NbIotUeStats& st = ue->GetStats();
    res.raAttempts = st.raAttempts;
    res.raFailedAttempts = st.raMissed + st.raCollisions + st.raCellDown;
    res.schedulingRequests = st.schedulingRequests;
    res.harqRetransmissions = st.harqRetransmissions + st.rlcRetransmissions;
    res.connect = Collect(rec.GetRecords(), "data", "connected");
    std::string from = "connected";
    for (std::size_t k = 0; k < flights.size(); ++k)
    {
        std::string to = "flight" + std::to_string(k + 1);
        res.flights.push_back(Collect(rec.GetRecords(), from, to));
        from = to;
    }
    Simulator::Destroy();
    return res;
}

/// Run a case on successive streams until no random-access attempt failed (a lone preamble
/// is missed with the level's 1 % even without other UEs; the reference has no retries).
inline Result
RunWithoutRaRetries(double couplingLossDb, const std::vector<Flight>& flights, int64_t stream,
                    const NbIotRadioProfile* whatIf = nullptr)
{
    for (int64_t s = stream; s < stream + 100; ++s)
    {
        Result r = Run(couplingLossDb, flights, s, whatIf);
        if (r.raFailedAttempts == 0)
        {
            return r;
        }
    }
    throw std::runtime_error("energy probe: every stream had a random-access retry");
}

} // namespace energyprobe
} // namespace ns3

#endif // LPWAN_VALIDATION_NBIOT_ENERGY_MEASURE_H
