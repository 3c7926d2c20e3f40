/*
 * The states of a UE's radio as the energy model sees them. Each state has one power draw in a
 * device profile (model/energy/device-profile.h); the UE device reports every change through
 * its "RadioState" trace source (state, time), so an energy model integrates power over time
 * exactly, with one event per change and none in between.
 *
 * IDLE and CONNECTED stand for duty-cycled behaviour whose individual wake-ups are not
 * simulated as events (paging occasions every (e)DRX cycle; connected-mode DRX on-durations):
 * their power is the time-average of light sleep and reception over one cycle (see
 * NbIotUeDevice::GetIdleRxDuty, GetConnectedRxDuty).
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
    RX = 5,        ///< receiving: synchronisation, control channel before a grant, data
    TX = 6,        ///< transmitting data, signalling or HARQ feedback
};

constexpr uint32_t kNbIotRadioStateCount = 7;

/// Lower-case name: psm, idle, ra_tx, ra_rx, connected, rx, tx.
inline std::string
NbIotRadioStateName(NbIotRadioState s)
{
    static const char* const names[kNbIotRadioStateCount]
        = {"psm", "idle", "ra_tx", "ra_rx", "connected", "rx", "tx"};
    auto i = static_cast<uint32_t>(s);
    return i < kNbIotRadioStateCount ? names[i] : "?";
}

} // namespace ns3

#endif // NBIOT_RADIO_STATE_H
