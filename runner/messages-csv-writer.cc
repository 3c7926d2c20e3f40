#include "messages-csv-writer.h"

#include <algorithm>
#include <cstdio>

namespace ns3
{

namespace
{

/// Times with nanosecond resolution, the simulator's own; empty when unknown.
std::string
FormatTime(double seconds)
{
    if (seconds < 0)
    {
        return "";
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9f", seconds);
    return buf;
}

void
AddLayers(CsvRow& row, const LayerBytes& b)
{
    for (uint64_t v : {b.app, b.coap, b.security, b.transport, b.ip, b.radio, b.Total()})
    {
        row.Add(v);
    }
}

} // namespace

std::string
MessagesCsvWriter::Header()
{
    std::string h
        = "message_id,device,protocol,type,send_time_s,deliver_time_s,complete_time_s,"
          "latency_s,outcome,completion,response_code,retransmissions,"
          "repeated_datagrams,frames_on_air,frames_lost,handshake,handshake_s,handshake_air_bytes";
    for (const char* prefix : {"request", "air"})
    {
        for (const char* layer : {"app", "coap", "security", "transport", "ip", "radio", "total"})
        {
            h += std::string(",") + prefix + "_" + layer + "_bytes";
        }
    }
    h += ",adv_copies_seen,adv_plaintext_bytes,adv_modified,adv_modified_accepted,"
         "adv_modified_detected,adv_replayed,adv_replays_accepted,adv_replays_rejected,"
         "adv_dropped,adv_delayed";
    return h;
}

MessagesCsvWriter::MessagesCsvWriter(const std::string& path)
  : m_out(path, true)
{
    // The column names need no quoting: the header is written as it is.
    CsvRow header;
    std::string names = Header();
    for (size_t begin = 0, comma; begin <= names.size(); begin = comma + 1)
    {
        comma = std::min(names.find(',', begin), names.size());
        header.Add(std::string_view(names).substr(begin, comma - begin));
    }
    m_out.WriteRow(header);
}

void
MessagesCsvWriter::Write(const MessageRecord& r)
{
    CsvRow row;
    row.Add(r.id).Add(r.device).Add(r.protocol).Add(r.confirmable ? "CON" : "NON");
    row.Add(FormatTime(r.sendTime))
        .Add(FormatTime(r.deliverTime))
        .Add(FormatTime(r.completeTime))
        .Add(FormatTime(r.Latency()));
    row.Add(r.Delivered() ? "delivered" : "lost");
    row.Add(r.completion)
        .Add(r.responseCode)
        .Add(r.retransmissions)
        .Add(r.repeatedDatagrams)
        .Add(r.framesOnAir)
        .Add(r.framesLost)
        .Add(r.handshake)
        .Add(FormatTime(r.handshakeTime))
        .Add(r.handshakeAirBytes);
    AddLayers(row, r.request);
    AddLayers(row, r.air);
    const MessageExposure& x = r.exposure;
    for (uint32_t v :
         {x.copiesSeen, x.plaintextBytesRead, x.modified, x.modifiedAccepted, x.modifiedDetected,
          x.replayed, x.replaysAccepted, x.replaysRejected, x.dropped, x.delayed})
    {
        row.Add(v);
    }
    m_out.WriteRow(row); // flushed: an interrupted run keeps every row already reported
    ++m_rows;
}

} // namespace ns3
