#include "tls13-stream-session.h"

#include <string>

namespace lpwan
{
namespace tls13
{

namespace
{

std::string
AlertReason(AlertDescription alert)
{
    return "alert " + std::to_string(static_cast<unsigned>(alert));
}

} // namespace

StreamSession::StreamSession(const ClientConfig& config, std::shared_ptr<RandomSource> random,
                             lpwan::PeerId peer)
  : m_random(std::move(random))
  , m_peer(peer)
{
    auto client = std::make_unique<Client>(config, *m_random);
    m_client = client.get();
    m_connection = std::move(client);
}

StreamSession::StreamSession(const ServerConfig& config, std::shared_ptr<RandomSource> random,
                             lpwan::PeerId peer)
  : m_random(std::move(random))
  , m_connection(std::make_unique<Server>(config, *m_random))
  , m_peer(peer)
{
}

tls::Role
StreamSession::GetRole() const
{
    return m_client ? tls::Role::Client : tls::Role::Server;
}

void
StreamSession::Start(lpwan::TimeNs now)
{
    if (m_started)
    {
        return;
    }
    m_started = true;
    if (m_client)
    {
        m_stats.handshakeStart = now;
        m_client->Start(now);
        Collect(now, Output::Handshake);
    }
}

void
StreamSession::Receive(lpwan::TimeNs now, const uint8_t* data, size_t size)
{
    m_stats.bytesReceived += size;
    ++m_stats.datagramsReceived;
    if (m_state == tls::State::Failed || m_state == tls::State::Closed)
    {
        ++m_stats.datagramsIgnored;
        return;
    }
    m_input.insert(m_input.end(), data, data + size);
    // Whole records, one at a time, so that each is counted as what it is when it arrives.
    size_t offset = 0;
    while (m_input.size() - offset >= kRecordHeaderLength
           && (m_state == tls::State::Handshaking || m_state == tls::State::Established))
    {
        const size_t length = (size_t{m_input[offset + 3]} << 8) | m_input[offset + 4];
        const size_t recordSize = kRecordHeaderLength + length;
        if (length > kMaxCiphertextLength)
        {
            // Let the core refuse it (record_overflow) from its header.
            m_connection->Receive(now, Bytes(m_input.begin() + offset, m_input.end()));
            offset = m_input.size();
            Collect(now, m_state == tls::State::Handshaking ? Output::Handshake : Output::Alert);
            break;
        }
        if (m_input.size() - offset < recordSize)
        {
            break;
        }
        const bool handshaking = m_state == tls::State::Handshaking;
        if (handshaking)
        {
            if (m_stats.handshakeStart < 0)
            {
                m_stats.handshakeStart = now; // a server's ClientHello
            }
            m_stats.handshakeBytesReceived += recordSize;
            if (m_awaitingFlight || m_stats.flightsReceived == 0)
            {
                ++m_stats.flightsReceived;
                m_stats.roundTrips += m_awaitingFlight ? 1 : 0;
                m_awaitingFlight = false;
            }
        }
        else
        {
            m_stats.applicationRecordBytesReceived += recordSize;
        }
        auto first = m_input.begin() + static_cast<std::ptrdiff_t>(offset);
        m_connection->Receive(now, Bytes(first, first + static_cast<std::ptrdiff_t>(recordSize)));
        offset += recordSize;
        Collect(now, handshaking ? Output::Handshake : Output::Alert);
    }
    m_input.erase(m_input.begin(), m_input.begin() + static_cast<std::ptrdiff_t>(offset));
}

bool
StreamSession::Write(lpwan::TimeNs now, const uint8_t* data, size_t size)
{
    if (m_state != tls::State::Established
        || !m_connection->SendApplicationData(Bytes(data, data + size)))
    {
        return false;
    }
    m_stats.applicationBytesWritten += size;
    Collect(now, Output::Application);
    return true;
}

void
StreamSession::Close(lpwan::TimeNs now)
{
    if (m_state != tls::State::Handshaking && m_state != tls::State::Established)
    {
        return;
    }
    m_connection->Close();
    m_state = tls::State::Closed;
    Collect(now, Output::Alert);
}

void
StreamSession::Collect(lpwan::TimeNs now, Output kind)
{
    Bytes out = m_connection->TakeOutput();
    if (!out.empty())
    {
        m_stats.bytesSent += out.size();
        ++m_stats.datagramsSent;
        switch (kind)
        {
            case Output::Handshake:
            {
                m_stats.handshakeBytesSent += out.size();
                ++m_stats.flightsSent;
                tls::Flight f;
                f.outgoing = true;
                f.start = now;
                f.end = now;
                f.datagrams = 1;
                f.bytes = out.size();
                m_stats.flights.push_back(f);
                m_awaitingFlight = true;
                break;
            }
            case Output::Application:
                m_stats.applicationRecordBytesSent += out.size();
                break;
            case Output::Alert:
                m_stats.alertBytesSent += out.size();
                break;
        }
        lpwan::Datagram d;
        d.peer = m_peer;
        d.bytes = std::move(out);
        m_output.push_back(std::move(d));
    }
    Bytes data = m_connection->TakeApplicationData();
    m_stats.applicationBytesRead += data.size();
    for (const Event& e : m_connection->TakeEvents())
    {
        tls::Event event;
        event.time = now;
        switch (e.type)
        {
            case EventType::HandshakeComplete:
                if (m_state != tls::State::Handshaking)
                {
                    continue;
                }
                m_state = tls::State::Established;
                m_stats.handshakeEnd = now;
                event.kind = tls::Event::Kind::Established;
                break;
            case EventType::PeerClosed:
                m_state = tls::State::Closed;
                event.kind = tls::Event::Kind::Closed;
                event.reason = "close_notify received";
                break;
            case EventType::Failed:
                m_state = tls::State::Failed;
                event.kind = tls::Event::Kind::Failed;
                event.reason = AlertReason(e.alert);
                break;
            case EventType::TicketReceived:
                continue;
        }
        m_events.push_back(std::move(event));
    }
    if (!data.empty())
    {
        m_pendingData.push_back(std::move(data));
    }
}

std::vector<lpwan::Datagram>
StreamSession::TakeOutput()
{
    return std::exchange(m_output, {});
}

std::vector<std::vector<uint8_t>>
StreamSession::Read()
{
    return std::exchange(m_pendingData, {});
}

std::vector<tls::Event>
StreamSession::TakeEvents()
{
    return std::exchange(m_events, {});
}

} // namespace tls13
} // namespace lpwan
