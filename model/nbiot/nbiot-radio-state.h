/*
 * The states of a UE's radio as the energy model sees them. Each state has one power draw in a
 * device profile (model/energy/device-profile.h); the UE device reports every change through
 * its "RadioState" trace source (state, time), so an energy model integrates power over time
 * exactly, with one event per change and none in between.
 *
 * IDLE, CONNECTED, SYNC and CONTROL stand for duty-cycled behaviour whose individual wake-ups
 * are not simulated as events (paging occasions every (e)DRX cycle; connected-mode DRX
 * on-durations; the synchronisation signals and system information a UE decodes after PSM;
 * the NPDCCH subframes that carry its DCI within a control-channel wait): their power is the
 * time-average of light sleep and reception, P_ls + (P_rx - P_ls) x duty, with the duties of
 * NbIotRxDuty (NbIotUeNetDevice::GetRxDuty). SYNC and CONTROL keep their full duration on the
 * timeline (latency); only their price is duty-cycled.
 */
#ifndef NBIOT_RADIO_STATE_H
#define NBIOT_RADIO_STATE_H

#include <cstdint>
#include <string>

namespace ns3
{

enum class NbIotRadioState : uint8_t
{
    PSM = 0,       ///< power saving mode: registered, unreachable, deep sleep
    IDLE = 1,      ///< RRC idle: light sleep, monitoring one paging occasion per (e)DRX cycle
    RA_TX = 2,     ///< random access: transmitting a preamble (or a contention Msg3)
    RA_RX = 3,     ///< random access: waiting for the response or contention resolution
    CONNECTED = 4, ///< RRC connected, nothing scheduled: monitoring the control channel
    RX = 5,        ///< receiving a transport block (data or signalling)
    TX = 6,        ///< transmitting data, signalling or HARQ feedback
    /// Resynchronising after PSM (NPSS/NSSS, MIB, SIB): receiver on for the sync duty.
    SYNC = 7,
    /// Control-channel wait before a transport block (DCI with its repetitions, scheduling
    /// gap, queueing for the shared channel): receiver on for the control duty.
    CONTROL = 8,
};

constexpr uint32_t kNbIotRadioStateCount = 9;

/// Lower-case name: psm, idle, ra_tx, ra_rx, connected, rx, tx, sync, control.
inline std::string
NbIotRadioStateName(NbIotRadioState s)
{
    static const char* const names[kNbIotRadioStateCount]
        = {"psm", "idle", "ra_tx", "ra_rx", "connected", "rx", "tx", "sync", "control"};
    auto i = static_cast<uint32_t>(s);
    return i < kNbIotRadioStateCount ? names[i] : "?";
}

/// The fractions of time the receiver is on in the duty-cycled radio states (see above).
struct NbIotRxDuty
{
    double idle = 0;      ///< IDLE: one paging occasion per (e)DRX cycle
    double connected = 1; ///< CONNECTED: 1 without connected-mode DRX, on-duration / cycle
    double sync = 1;      ///< SYNC: the coverage level's syncRxDuty
    double control = 1;   ///< CONTROL: the coverage level's controlRxDuty
};

} // namespace ns3

#endif // NBIOT_RADIO_STATE_H
