#include "dtls13-transport.h"

#include <stdexcept>
#include <utility>

namespace lpwan
{
namespace tls13
{

namespace
{

/// A DTLSPlaintext handshake record whose first fragment is a ClientHello.
bool
IsClientHello(const uint8_t* data, size_t size)
{
    return size > kDtlsPlaintextHeaderLength
           && data[0] == static_cast<uint8_t>(ContentType::Handshake)
           && data[kDtlsPlaintextHeaderLength] == static_cast<uint8_t>(HandshakeType::ClientHello);
}

/// The ClientHello's random: after the record header, the 12-byte DTLSHandshake header and
/// legacy_version (empty when the datagram is too short to hold one).
Bytes
ClientHelloRandom(const uint8_t* data, size_t size)
{
    const size_t at = kDtlsPlaintextHeaderLength + 12 + 2;
    return size >= at + 32 ? Bytes(data + at, data + at + 32) : Bytes{};
}

} // namespace

Dtls13Transport::Dtls13Transport(Dtls13TransportConfig config)
  : m_config(std::move(config))
{
    if (!m_config.random)
    {
        throw std::invalid_argument("Dtls13Transport: no random source");
    }
    if (m_config.isServer ? !m_config.server.dtls : !m_config.client.dtls)
    {
        throw std::invalid_argument("Dtls13Transport: the session configuration is not DTLS");
    }
    if (m_config.connectionIdLength > 8)
    {
        throw std::invalid_argument("Dtls13Transport: connection IDs of at most 8 bytes");
    }
}

Dtls13Transport::~Dtls13Transport() = default;

bool
Dtls13Transport::KeepsSessionsAcrossAddressChanges() const
{
    // The server's sessions survive when it hands out CIDs; a client's when the server it
    // talks to gave it one (a server without CIDs would not find the session again).
    if (m_config.isServer)
    {
        return m_config.connectionIdLength > 0;
    }
    for (const auto& [peer, p] : m_sessions)
    {
        if (!p.connection->Dtls()->PeerConnectionId().empty())
        {
            return true;
        }
    }
    return false;
}

Bytes
Dtls13Transport::AllocateConnectionId()
{
    const size_t n = m_config.connectionIdLength;
    const uint64_t space = n >= 8 ? UINT64_MAX : (uint64_t{1} << (8 * n));
    if (m_byConnectionId.size() >= space)
    {
        return {}; // every CID in use: this session goes without one
    }
    for (;;)
    {
        const uint64_t value = m_nextConnectionId++ % space;
        Bytes cid(n);
        for (size_t i = 0; i < n; ++i)
        {
            cid[n - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
        }
        if (!m_byConnectionId.count(cid))
        {
            return cid;
        }
    }
}

Dtls13Transport::Peer&
Dtls13Transport::NewSession(lpwan::PeerId peer, lpwan::TimeNs now)
{
    Peer p;
    p.start = now;
    p.lastActivity = now;
    if (m_config.isServer)
    {
        ServerConfig s = m_config.server;
        if (m_config.connectionIdLength > 0)
        {
            p.connectionId = AllocateConnectionId();
            if (!p.connectionId.empty())
            {
                s.dtls->connectionId = p.connectionId;
                m_byConnectionId[p.connectionId] = peer;
            }
        }
        p.connection = std::make_unique<Server>(std::move(s), *m_config.random);
    }
    else
    {
        p.connection = std::make_unique<Client>(m_config.client, *m_config.random);
        ++m_clientStarted;
    }
    return m_sessions[peer] = std::move(p);
}

void
Dtls13Transport::Connect(lpwan::PeerId peer, lpwan::TimeNs now)
{
    if (m_config.isServer || m_sessions.count(peer))
    {
        return;
    }
    Peer& p = NewSession(peer, now);
    static_cast<Client*>(p.connection.get())->Start(now);
    Drain(peer);
}

bool
Dtls13Transport::IsEstablished(lpwan::PeerId peer) const
{
    auto it = m_sessions.find(peer);
    return it != m_sessions.end() && it->second.established;
}

void
Dtls13Transport::Send(const lpwan::Datagram& plain, lpwan::TimeNs now)
{
    auto it = m_sessions.find(plain.peer);
    if (it == m_sessions.end())
    {
        if (m_config.isServer)
        {
            ++m_dropped;
            return;
        }
        Connect(plain.peer, now);
        it = m_sessions.find(plain.peer);
        if (it == m_sessions.end())
        {
            ++m_dropped;
            return;
        }
    }
    Peer& p = it->second;
    if (!p.established)
    {
        if (m_config.isServer)
        {
            ++m_dropped;
            return;
        }
        p.waiting.push_back(plain);
        return;
    }
    p.lastActivity = now;
    if (!p.connection->SendApplicationData(plain.bytes))
    {
        ++m_dropped;
    }
    Drain(plain.peer, &plain.bytes);
}

void
Dtls13Transport::Receive(lpwan::PeerId peer, const uint8_t* data, size_t size, lpwan::TimeNs now)
{
    auto it = m_sessions.find(peer);
    if (it != m_sessions.end() && m_idle > 0 && now - it->second.lastActivity > m_idle)
    {
        Forget(peer); // idle too long: forgotten before this datagram
        it = m_sessions.end();
    }
    if (m_config.isServer && it != m_sessions.end() && IsClientHello(data, size)
        && ClientHelloRandom(data, size) != it->second.connection->ClientRandom())
    {
        Forget(peer); // a new handshake from this address: the client restarted
        it = m_sessions.end();
    }
    if (it == m_sessions.end())
    {
        if (!m_config.isServer)
        {
            return; // nothing to do with a datagram from a server we did not call
        }
        const size_t n = m_config.connectionIdLength;
        if (n > 0 && size > 1 + n && (data[0] & 0xe0) == 0x20 && (data[0] & 0x10))
        {
            auto c = m_byConnectionId.find(Bytes(data + 1, data + 1 + n));
            if (c != m_byConnectionId.end())
            {
                const lpwan::PeerId old = c->second;
                Peer& p = m_sessions.at(old);
                const uint64_t droppedBefore = p.connection->Dtls()->Stats().recordsDropped;
                const uint64_t retransmissions
                    = p.connection->Dtls()->Stats().flightRetransmissions;
                p.connection->Receive(now, Bytes(data, data + size));
                const bool authentic
                    = p.connection->Dtls()->Stats().recordsDropped == droppedBefore;
                lpwan::PeerId at = old;
                if (authentic)
                {
                    // The session moves to the address its authentic record came from.
                    Peer moved = std::move(p);
                    if (moved.deadline)
                    {
                        m_deadlines.erase({*moved.deadline, old});
                        moved.deadline.reset();
                    }
                    m_sessions.erase(old);
                    moved.lastActivity = now;
                    m_sessions[peer] = std::move(moved);
                    c->second = peer;
                    ++m_addressChanges;
                    at = peer;
                }
                Drain(at, nullptr, retransmissions);
                return;
            }
        }
        if (!IsClientHello(data, size))
        {
            ++m_dropped;
            return;
        }
        NewSession(peer, now);
        it = m_sessions.find(peer);
    }
    Peer& p = it->second;
    p.lastActivity = now;
    if (!p.established)
    {
        p.handshakeBytesReceived += size;
    }
    const uint64_t retransmissions = p.connection->Dtls()->Stats().flightRetransmissions;
    p.connection->Receive(now, Bytes(data, data + size));
    Drain(peer, nullptr, retransmissions);
}

void
Dtls13Transport::OnTimer(lpwan::TimeNs now)
{
    while (!m_deadlines.empty() && m_deadlines.begin()->first <= now)
    {
        const lpwan::PeerId peer = m_deadlines.begin()->second;
        m_deadlines.erase(m_deadlines.begin());
        auto it = m_sessions.find(peer);
        if (it == m_sessions.end())
        {
            continue;
        }
        it->second.deadline.reset();
        const uint64_t retransmissions
            = it->second.connection->Dtls()->Stats().flightRetransmissions;
        it->second.connection->OnTimer(now);
        if (it->second.connection->HasFailed())
        {
            it->second.failure = "handshake-timeout";
        }
        Drain(peer, nullptr, retransmissions);
    }
}

std::optional<lpwan::TimeNs>
Dtls13Transport::NextTimer() const
{
    if (m_deadlines.empty())
    {
        return std::nullopt;
    }
    return m_deadlines.begin()->first;
}

void
Dtls13Transport::Refile(lpwan::PeerId peer, Peer& p)
{
    if (p.deadline)
    {
        m_deadlines.erase({*p.deadline, peer});
    }
    p.deadline = p.connection->NextTimer();
    if (p.deadline)
    {
        m_deadlines.insert({*p.deadline, peer});
    }
}

void
Dtls13Transport::Drain(lpwan::PeerId peer, const std::vector<uint8_t>* plaintext,
                       uint64_t retransmissionsBefore)
{
    auto it = m_sessions.find(peer);
    if (it == m_sessions.end())
    {
        return;
    }
    Peer& p = it->second;
    Connection& c = *p.connection;
    TakeWireFrom(peer, c, plaintext,
                 c.Dtls()->Stats().flightRetransmissions > retransmissionsBefore);
    bool forget = false;
    for (const Event& e : c.TakeEvents())
    {
        lpwan::TransportEvent out;
        out.peer = peer;
        switch (e.type)
        {
            case EventType::HandshakeComplete:
                p.established = true;
                p.end = p.lastActivity;
                out.kind = lpwan::TransportEvent::Kind::Established;
                break;
            case EventType::Failed:
                out.kind = lpwan::TransportEvent::Kind::Failed;
                if (p.failure.empty())
                {
                    p.failure = "alert-" + std::to_string(static_cast<int>(e.alert));
                }
                out.reason = p.failure;
                forget = true;
                break;
            case EventType::PeerClosed:
                out.kind = lpwan::TransportEvent::Kind::Closed;
                out.reason = "close_notify";
                forget = true;
                break;
            case EventType::TicketReceived:
                continue;
        }
        m_events.push_back(std::move(out));
    }
    const Bytes data = c.TakeApplicationData();
    if (!data.empty())
    {
        m_plain.push_back({peer, data, false});
    }
    if (forget)
    {
        Forget(peer);
        return;
    }
    if (p.established && !p.waiting.empty())
    {
        std::deque<lpwan::Datagram> waiting = std::move(p.waiting);
        for (const lpwan::Datagram& d : waiting)
        {
            if (!c.SendApplicationData(d.bytes))
            {
                ++m_dropped;
                continue;
            }
            TakeWireFrom(peer, c, &d.bytes, false);
        }
    }
    Refile(peer, p);
}

void
Dtls13Transport::TakeWireFrom(lpwan::PeerId peer, Connection& c,
                              const std::vector<uint8_t>* plaintext, bool retransmitted)
{
    for (Bytes& d : c.TakeDatagrams())
    {
        lpwan::WireDatagram w;
        w.peer = peer;
        w.bytes = std::move(d);
        if (plaintext)
        {
            w.plaintext = *plaintext; // one application record per datagram
        }
        else
        {
            w.handshake = true; // flights, their ACK and alerts
            w.retransmission = retransmitted;
        }
        m_wire.push_back(std::move(w));
    }
}

tls::SessionStats
Dtls13Transport::StatsOf(const Peer& p) const
{
    const DtlsChannelStats& ch = p.connection->Dtls()->Stats();
    tls::SessionStats st;
    st.handshakeStart = p.start;
    st.handshakeEnd = p.end;
    // Every copy of a flight is a flight sent (as DTLS 1.2's SessionStats count them).
    st.flightsSent = static_cast<uint32_t>(ch.flightsSent + ch.flightRetransmissions);
    st.retransmittedFlights = static_cast<uint32_t>(ch.flightRetransmissions);
    st.roundTrips = p.established ? 1 : 0; // a full DTLS 1.3 handshake: one round trip
    st.handshakeBytesSent = ch.handshakeBytesSent;
    st.handshakeBytesReceived = p.handshakeBytesReceived;
    return st;
}

void
Dtls13Transport::Forget(lpwan::PeerId peer)
{
    auto it = m_sessions.find(peer);
    if (it == m_sessions.end())
    {
        return;
    }
    Peer& p = it->second;
    using Outcome = tls::HandshakeFigures::Outcome;
    const Outcome outcome = p.established               ? Outcome::Completed
                            : p.connection->HasFailed() ? Outcome::Failed
                                                        : Outcome::Open;
    // A session dropped before its handshake ended counts as failed, as DTLS 1.2's do.
    m_figures.Add(StatsOf(p), m_config.isServer,
                  outcome == Outcome::Open ? Outcome::Failed : outcome,
                  outcome == Outcome::Completed ? ""
                  : p.failure.empty()           ? "dropped"
                                                : p.failure);
    m_dropped += p.waiting.size();
    if (p.deadline)
    {
        m_deadlines.erase({*p.deadline, peer});
    }
    if (!p.connectionId.empty())
    {
        m_byConnectionId.erase(p.connectionId);
    }
    m_sessions.erase(it);
}

void
Dtls13Transport::DropSession(lpwan::PeerId peer)
{
    Forget(peer);
}

void
Dtls13Transport::DropAllSessions()
{
    while (!m_sessions.empty())
    {
        Forget(m_sessions.begin()->first);
    }
}

tls::HandshakeFigures
Dtls13Transport::GetFigures(bool includeOpen) const
{
    tls::HandshakeFigures f = m_figures;
    for (const auto& [peer, p] : m_sessions)
    {
        using Outcome = tls::HandshakeFigures::Outcome;
        if (p.established)
        {
            f.Add(StatsOf(p), m_config.isServer, Outcome::Completed);
        }
        else if (includeOpen)
        {
            f.Add(StatsOf(p), m_config.isServer, Outcome::Open);
        }
    }
    if (!m_config.isServer)
    {
        f.started = m_clientStarted;
    }
    return f;
}

std::vector<lpwan::WireDatagram>
Dtls13Transport::TakeWire()
{
    return std::exchange(m_wire, {});
}

std::vector<lpwan::Datagram>
Dtls13Transport::TakePlain()
{
    return std::exchange(m_plain, {});
}

std::vector<lpwan::TransportEvent>
Dtls13Transport::TakeEvents()
{
    return std::exchange(m_events, {});
}

} // namespace tls13
} // namespace lpwan
