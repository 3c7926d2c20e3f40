#include "messages-csv-writer.h"

#include <cstdio>
#include <stdexcept>

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
AppendLayers(std::string& row, const LayerBytes& b)
{
    for (uint64_t v : {b.app, b.coap, b.security, b.transport, b.ip, b.radio, b.Total()})
    {
        row += ',';
        row += std::to_string(v);
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
  : m_out(path, std::ios::out | std::ios::trunc)
{
    if (!m_out)
    {
        throw std::runtime_error(path + ": cannot write");
    }
    m_out << Header() << '\n';
    m_out.flush();
}

void
MessagesCsvWriter::Write(const MessageRecord& r)
{
    std::string row;
    row += std::to_string(r.id) + ',' + std::to_string(r.device) + ',' + r.protocol + ',';
    row += r.confirmable ? "CON" : "NON";
    row += ',' + FormatTime(r.sendTime) + ',' + FormatTime(r.deliverTime) + ','
           + FormatTime(r.completeTime) + ',' + FormatTime(r.Latency()) + ',';
    row += r.Delivered() ? "delivered" : "lost";
    row += ',' + r.completion + ',' + r.responseCode + ',' + std::to_string(r.retransmissions) + ','
           + std::to_string(r.repeatedDatagrams) + ',' + std::to_string(r.framesOnAir) + ','
           + std::to_string(r.framesLost) + ',' + r.handshake + ',' + FormatTime(r.handshakeTime)
           + ',' + std::to_string(r.handshakeAirBytes);
    AppendLayers(row, r.request);
    AppendLayers(row, r.air);
    const MessageExposure& x = r.exposure;
    for (uint32_t v :
         {x.copiesSeen, x.plaintextBytesRead, x.modified, x.modifiedAccepted, x.modifiedDetected,
          x.replayed, x.replaysAccepted, x.replaysRejected, x.dropped, x.delayed})
    {
        row += ',' + std::to_string(v);
    }
    m_out << row << '\n';
    m_out.flush(); // an interrupted run keeps every row already reported
    ++m_rows;
}

} // namespace ns3
