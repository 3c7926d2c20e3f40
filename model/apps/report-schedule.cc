#include "report-schedule.h"

#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

void
ReportSchedule::Configure(Time interval, Time jitter, Ptr<UniformRandomVariable> stream)
{
    m_interval = interval;
    m_jitter = jitter;
    m_stream = stream;
}

Time
ReportSchedule::Jitter()
{
    return m_jitter.IsZero() ? Time(0) : Seconds(m_stream->GetValue(0, m_jitter.GetSeconds()));
}

Time
ReportSchedule::First()
{
    m_nextNominal = Simulator::Now() + Seconds(m_stream->GetValue(0, m_interval.GetSeconds()));
    return m_nextNominal - Simulator::Now() + Jitter();
}

Time
ReportSchedule::Next()
{
    m_nextNominal += m_interval;
    Time at = m_nextNominal + Jitter();
    return at - Simulator::Now();
}

std::vector<uint8_t>
ReportSchedule::Reading(uint32_t sequence, uint32_t size, Ptr<UniformRandomVariable> payloadStream)
{
    std::vector<uint8_t> bytes(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        bytes[i] = i < 4 ? static_cast<uint8_t>(sequence >> (8 * (3 - i)))
                         : static_cast<uint8_t>(payloadStream->GetInteger(0, 255));
    }
    return bytes;
}

std::vector<uint8_t>
ReportSchedule::ReadingKey(const uint8_t* reading, size_t size)
{
    return std::vector<uint8_t>(reading, reading + std::min<size_t>(4, size));
}

} // namespace ns3
