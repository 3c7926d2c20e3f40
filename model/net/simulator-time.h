/*
 * The simulator's clock in the time base of the sans-I/O cores (lpwan::TimeNs), for the ns-3
 * drivers that feed them.
 */
#ifndef LPWAN_SIMULATOR_TIME_H
#define LPWAN_SIMULATOR_TIME_H

#include "protocols/common/sans-io.h"

#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

inline lpwan::TimeNs
SimulatorNowNs()
{
    return Simulator::Now().GetNanoSeconds();
}

/// The delay from now until a core's deadline (zero when it has passed).
inline Time
DelayUntil(lpwan::TimeNs deadline)
{
    return NanoSeconds(std::max<lpwan::TimeNs>(0, deadline - SimulatorNowNs()));
}

} // namespace ns3

#endif // LPWAN_SIMULATOR_TIME_H
