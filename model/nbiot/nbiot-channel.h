/*
 * NbIotChannel: one NB-IoT (or LTE-M) cell — its base station's shared resources and the UEs
 * camped on it. Several cells are several channels (NbIotHelper attaches each UE to the cell
 * with the smallest coupling loss).
 *
 * What the cell holds (each operation O(1) in the number of UEs):
 *  - The radio profile (nbiot-radio-profile.h): coverage levels, rates, timings.
 *  - Shared data channels. The uplink (NPUSCH/PUSCH) and the downlink (NPDSCH/PDSCH) are each
 *    one resource that carries one transmission at a time. A UE ready to transmit or receive
 *    asks for the channel no earlier than its control-channel delay; the cell reserves it in
 *    request order (first come, first served, no back-filling of gaps): start = max(earliest,
 *    end of the last reservation). Many UEs therefore queue, and the wait is reported.
 *  - Random-access occasions per coverage level (NPRACH/PRACH): periodic, with a number of
 *    preambles each. The UEs that pick the same preamble in the same occasion collide. Only
 *    the current occasion's preamble counts are kept (a preamble ends before the next
 *    occasion begins, so all checks for one occasion come before any registration for the
 *    next).
 *  - Routing of downlink IPv4 packets to UEs by destination address (hash map).
 *
 * Trace sources (same signatures as LpwanChannel, so LinkAccounting can count both):
 * FrameTxBegin (frame, UE node id, uplink, air time), FrameRxEnd, FrameLost (reason: "bler" —
 * a HARQ transmission failed and is repeated; "residual" — HARQ and RLC gave up, the packet is
 * lost; "ra-failure" — the UE could not connect; "no-coverage"; "queue"; "dl-buffer" — the
 * downlink buffer of an unreachable UE overflowed; "no-route"; "cell-down" — the core network
 * had a downlink packet for a UE while the base station was down).
 *
 * A base station can be down for a while (AddOutage, a scenario fault): it answers no
 * preamble, every transport block on the air then fails (HARQ and RLC repeat it, then give up
 * as on a bad link: a radio link failure), and downlink packets from the core are dropped.
 */
#ifndef NBIOT_CHANNEL_H
#define NBIOT_CHANNEL_H

#include "nbiot-radio-profile.h"
#include "net/outage-schedule.h"

#include "ns3/channel.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class NbIotEnbNetDevice;
class NbIotUeNetDevice;

class NbIotChannel : public Channel
{
  public:
    /// How a connected NB-IoT UE with new uplink data asks for a grant (attribute
    /// GrantRequest). LTE-M always sends a PUCCH scheduling request.
    enum GrantRequest
    {
        /// Rel-13: a random access carrying the C-RNTI and a buffer status report (NB-IoT
        /// has no PUCCH).
        GRANT_BY_RANDOM_ACCESS,
        /// Rel-15: a scheduling request; it costs the profile's srDelayS (0 for NB-IoT: as an
        /// SR sent with the HARQ-ACK of a downlink transport block; an SR on its own NPRACH
        /// resource, which waits for that resource, is not modelled apart).
        GRANT_BY_SCHEDULING_REQUEST,
    };

    static TypeId GetTypeId();
    NbIotChannel();
    ~NbIotChannel() override;

    /// The radio profile (after attribute overrides).
    const NbIotRadioProfile& GetProfile() const;
    /// Replace the radio profile (before any UE attaches).
    void SetProfile(const NbIotRadioProfile& profile);

    /// The base station of this cell (one per channel).
    void AttachEnb(Ptr<NbIotEnbNetDevice> enb);
    void AttachUe(Ptr<NbIotUeNetDevice> ue);
    Ptr<NbIotEnbNetDevice> GetEnb() const;
    std::size_t GetNUes() const;
    Ptr<NbIotUeNetDevice> GetUe(std::size_t i) const;
    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

    void AddUeAddress(Ipv4Address address, Ptr<NbIotUeNetDevice> ue);
    Ptr<NbIotUeNetDevice> LookupUe(Ipv4Address address) const;

    /**
     * Reserve the shared uplink or downlink data channel for one transmission.
     * \param uplink which channel
     * \param earliest the UE can start no earlier (its control-channel delay elapsed)
     * \param airtime how long the transmission occupies the channel
     * \param units uplink only: how many of the carrier's units (subcarriers, PRBs) the
     *        transmission occupies; 0 or more than the carrier has: all of them. The downlink
     *        is always one unit.
     * \return when the transmission starts: as soon as that many units are free, on the units
     *         that became free last (so that early-free units stay available to others)
     */
    Time Reserve(bool uplink, Time earliest, Time airtime, uint32_t units = 0);

    /// The next random-access occasion of a level strictly after now: its index and time.
    std::pair<uint64_t, Time> NextRaOccasion(uint32_t level, Time now) const;
    /// A UE sends preamble `preamble` in occasion `index` of `level` (at the occasion's time).
    void RegisterPreamble(uint32_t level, uint64_t index, uint32_t preamble);
    /// After the preamble: did another UE send the same preamble in the same occasion?
    bool PreambleCollided(uint32_t level, uint64_t index, uint32_t preamble) const;

    /// HARQ transmissions per RLC attempt and RLC retransmissions (attributes).
    uint32_t GetHarqMaxTransmissions() const;
    uint32_t GetRlcMaxRetransmissions() const;
    /// Random-access attempts at one coverage level before moving to the next.
    uint32_t GetRaAttemptsPerLevel() const;
    /// Latency between the base station and the core network's gateway (each way).
    Time GetCoreDelay() const;

    /// The base station is down from start for duration (faults: a base station outage).
    void AddOutage(Time start, Time duration);
    /// Whether the base station is down now.
    bool IsDown() const;

    /// Seconds each data channel was occupied (uplink: unit-seconds over the carrier's units).
    double GetUplinkBusyS() const;
    double GetDownlinkBusyS() const;

    // Trace firing, for the devices.
    void NotifyFrameTxBegin(Ptr<const Packet> frame, uint32_t ueNodeId, bool uplink, Time airtime);
    void NotifyFrameRxEnd(Ptr<const Packet> frame, uint32_t ueNodeId, bool uplink);
    void NotifyFrameLost(Ptr<const Packet> frame, uint32_t ueNodeId, bool uplink,
                         const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    void SetProfileName(std::string name);
    std::string GetProfileName() const;

    NbIotRadioProfile m_profile;
    double m_blerOverride;
    double m_rateScale;
    GrantRequest m_grantRequest;
    uint32_t m_harqMax;
    uint32_t m_rlcMax;
    uint32_t m_raAttemptsPerLevel;
    Time m_coreDelay;
    OutageSchedule m_outages;

    Ptr<NbIotEnbNetDevice> m_enb;
    std::vector<Ptr<NbIotUeNetDevice>> m_ues;
    std::unordered_map<uint32_t, Ptr<NbIotUeNetDevice>> m_ueByAddress;

    Time m_dlFreeAt; ///< end of the last downlink reservation
    /// End of the last uplink reservation on each unit (profile.ulUnits of them).
    std::array<Time, NbIotRadioProfile::kMaxUlUnits> m_ulFreeAt{};
    Time m_busy[2];
    std::array<uint64_t, kNbIotCeLevels> m_raOccasion{};         ///< occasion being counted
    std::array<std::vector<uint16_t>, kNbIotCeLevels> m_raCount; ///< per preamble

    TracedCallback<Ptr<const Packet>, uint32_t, bool, Time> m_frameTxBeginTrace;
    TracedCallback<Ptr<const Packet>, uint32_t, bool> m_frameRxEndTrace;
    TracedCallback<Ptr<const Packet>, uint32_t, bool, std::string> m_frameLostTrace;
};

} // namespace ns3

#endif // NBIOT_CHANNEL_H
