/*
 * When a meter reports and what a report contains, shared by the CoAP and the MQTT meters so
 * that every security profile sends the same readings at the same times for a given seed.
 *
 * Reports are periodic: the first at a uniformly drawn phase within one interval, then one per
 * interval, each delayed by a uniform jitter. A reading starts with a 4-byte big-endian sequence
 * number (which the server uses to recognise the report) followed by bytes from the device's
 * payload stream.
 */
#ifndef LPWAN_REPORT_SCHEDULE_H
#define LPWAN_REPORT_SCHEDULE_H

#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class ReportSchedule
{
  public:
    /// stream: the device's timing stream.
    void Configure(Time interval, Time jitter, Ptr<UniformRandomVariable> stream);

    /// Delay from now until the first report.
    Time First();
    /// Delay from now until the next report after the one due now.
    Time Next();

    /// The reading with this sequence number: size bytes (the sequence number is truncated
    /// when size < 4).
    static std::vector<uint8_t> Reading(uint32_t sequence, uint32_t size,
                                        Ptr<UniformRandomVariable> payloadStream);

    /// The first four bytes of a reading: its sequence number, by which the receiving side
    /// finds the report in the ledger (fewer when the reading is shorter).
    static std::vector<uint8_t> ReadingKey(const uint8_t* reading, size_t size);

  private:
    Time Jitter();

    Time m_interval;
    Time m_jitter;
    Ptr<UniformRandomVariable> m_stream;
    Time m_nextNominal;
};

} // namespace ns3

#endif // LPWAN_REPORT_SCHEDULE_H
