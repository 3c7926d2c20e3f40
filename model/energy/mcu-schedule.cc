#include "mcu-schedule.h"

#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(McuSchedule);

TypeId
McuSchedule::GetTypeId()
{
    static TypeId tid = TypeId("ns3::McuSchedule")
                            .SetParent<Object>()
                            .SetGroupName("LpwanSec")
                            .AddConstructor<McuSchedule>();
    return tid;
}

void
McuSchedule::SetMcu(const McuProfile& mcu)
{
    m_mcu = mcu;
}

const NodeCryptoWork&
McuSchedule::GetWork() const
{
    return m_work;
}

lpwan::CryptoTally*
McuSchedule::Record(lpwan::CryptoPhase phase)
{
    if (m_mcu && (!m_pending || m_pendingSince != Simulator::Now()))
    {
        // An earlier event's work goes on the schedule from that event's time.
        Schedule();
        m_pending = true;
        m_pendingSince = Simulator::Now();
    }
    return phase == lpwan::CryptoPhase::HANDSHAKE ? &m_work.handshake : &m_work.exchange;
}

void
McuSchedule::Schedule()
{
    if (!m_pending)
    {
        return;
    }
    // Prices are linear in the counts: the new work costs the price of all of it minus what
    // is already on the schedule.
    const double all = m_mcu->Seconds(m_work.Total());
    m_busyUntil = std::max(m_busyUntil, m_pendingSince) + Seconds(all - m_pricedS);
    m_pricedS = all;
    m_pending = false;
}

Time
McuSchedule::GetBusyTime()
{
    if (!m_mcu)
    {
        return Time(0);
    }
    Schedule();
    const Time now = Simulator::Now();
    return m_busyUntil > now ? m_busyUntil - now : Time(0);
}

Time
McuSchedule::BusyTimeOf(Ptr<Node> node)
{
    Ptr<McuSchedule> mcu = node ? node->GetObject<McuSchedule>() : nullptr;
    return mcu ? mcu->GetBusyTime() : Time(0);
}

} // namespace ns3
