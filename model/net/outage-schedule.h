/*
 * When a piece of the network is down: a set of [start, start + duration) windows of simulated
 * time. A link, a base station or a gateway that holds one drops what would cross it while a
 * window is open (issue 19's faults inside scenarios: backhaul outages, a base station down).
 * Deterministic by construction: a window is a fixed interval, and asking draws no randomness,
 * so a component with an empty schedule behaves exactly as one without.
 */
#ifndef LPWAN_OUTAGE_SCHEDULE_H
#define LPWAN_OUTAGE_SCHEDULE_H

#include "ns3/nstime.h"

#include <vector>

namespace ns3
{

class OutageSchedule
{
  public:
    /// Down from start for duration (a non-positive duration adds nothing).
    void Add(Time start, Time duration)
    {
        if (duration.IsStrictlyPositive())
        {
            m_windows.push_back({start, start + duration});
        }
    }

    /// Whether any window holds t.
    bool IsDown(Time t) const
    {
        for (const Window& w : m_windows)
        {
            if (t >= w.start && t < w.end)
            {
                return true;
            }
        }
        return false;
    }

    bool IsEmpty() const
    {
        return m_windows.empty();
    }

  private:
    struct Window
    {
        Time start;
        Time end;
    };

    std::vector<Window> m_windows; // a handful at most: a linear scan is the cheapest
};

} // namespace ns3

#endif // LPWAN_OUTAGE_SCHEDULE_H
