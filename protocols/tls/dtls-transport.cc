#include "dtls-transport.h"

#include "record-scanner.h"

#include <algorithm>
#include <stdexcept>

namespace lpwan
{
namespace tls
{

DtlsTransport::DtlsTransport(std::shared_ptr<const Config> config)
  : m_config(std::move(config))
  , m_resume(m_config->GetOptions().resumption != Resumption::None)
{
    if (m_config->GetOptions().transport != Transport::Datagram)
    {
        throw std::invalid_argument("DtlsTransport needs a datagram (DTLS) configuration");
    }
}

DtlsTransport::~DtlsTransport() = default;

bool
DtlsTransport::IsClient() const
{
    return m_config->GetOptions().role == Role::Client;
}

DtlsTransport::Peer&
DtlsTransport::NewSession(lpwan::PeerId peer, lpwan::TimeNs now)
{
    Forget(peer);
    SessionOptions options;
    if (IsClient() && m_resume)
    {
        auto saved = m_savedSessions.find(peer);
        if (saved != m_savedSessions.end())
        {
            options.resume = saved->second;
        }
    }
    Peer& p = m_sessions[peer];
    p.session = std::make_unique<Session>(m_config, peer, options);
    p.session->Start(now);
    Touch(peer, p);
    if (IsClient())
    {
        ++m_figures.started;
    }
    return p;
}

void
DtlsTransport::Connect(lpwan::PeerId peer, lpwan::TimeNs now)
{
    m_now = now;
    auto it = m_sessions.find(peer);
    if (it != m_sessions.end()
        && (it->second.session->GetState() == State::Handshaking
            || it->second.session->GetState() == State::Established))
    {
        return;
    }
    NewSession(peer, now);
    Drain(peer);
}

bool
DtlsTransport::IsEstablished(lpwan::PeerId peer) const
{
    auto it = m_sessions.find(peer);
    return it != m_sessions.end() && it->second.session->GetState() == State::Established;
}

void
DtlsTransport::Send(const lpwan::Datagram& plain, lpwan::TimeNs now)
{
    m_now = now;
    auto it = m_sessions.find(plain.peer);
    if (it == m_sessions.end() || it->second.session->GetState() == State::Failed
        || it->second.session->GetState() == State::Closed)
    {
        if (!IsClient())
        {
            ++m_dropped; // the server cannot open a session towards a client
            return;
        }
        NewSession(plain.peer, now).waiting.push_back(plain);
        Drain(plain.peer);
        return;
    }
    Peer& p = it->second;
    if (p.session->GetState() != State::Established)
    {
        p.waiting.push_back(plain);
        return;
    }
    Touch(plain.peer, p);
    // Whatever the session had queued leaves first, so what Write() adds is this record.
    Drain(plain.peer);
    if (!p.session->Write(now, plain.bytes))
    {
        ++m_dropped;
        Drain(plain.peer);
        return;
    }
    for (lpwan::Datagram& d : p.session->TakeOutput())
    {
        lpwan::WireDatagram w;
        w.peer = d.peer;
        w.bytes = std::move(d.bytes);
        w.plaintext = plain.bytes;
        w.retransmission = plain.retransmission;
        m_wire.push_back(std::move(w));
    }
    Drain(plain.peer);
}

void
DtlsTransport::Receive(lpwan::PeerId peer, const uint8_t* data, size_t size, lpwan::TimeNs now)
{
    m_now = now;
    auto it = m_sessions.find(peer);
    if (it == m_sessions.end())
    {
        if (IsClient())
        {
            return; // nothing from a server we did not contact
        }
        if (!ContainsClientHello(data, size))
        {
            // Only a ClientHello starts a session. Anything else from an unknown peer (the
            // rest of a flight whose session just failed, records of a session forgotten
            // when idle, garbage) would otherwise cost an mbedTLS context and count as a
            // failed handshake.
            return;
        }
        NewSession(peer, now);
        it = m_sessions.find(peer);
    }
    else if (!IsClient() && it->second.session->GetState() != State::Handshaking
             && ContainsClientHello(data, size))
    {
        // The client dropped its session (its report timed out, it restarted) and handshakes
        // again from the same address: its established (or failed) session here would ignore
        // the ClientHello and the client would time out forever. RFC 6347 section 4.2.8 lets
        // the server keep the old association until the new handshake completes, which
        // DtlsServer does; this transport replaces it at once (so a spoofed ClientHello can
        // end a session: acceptable inside the simulation, where nobody spoofs).
        m_dropped += it->second.waiting.size();
        Forget(peer);
        NewSession(peer, now);
        it = m_sessions.find(peer);
    }
    Touch(peer, it->second);
    it->second.session->Receive(now, data, size);
    Drain(peer);
}

void
DtlsTransport::OnTimer(lpwan::TimeNs now)
{
    m_now = now;
    while (!m_deadlines.empty() && m_deadlines.begin()->first <= now)
    {
        lpwan::PeerId peer = m_deadlines.begin()->second;
        m_deadlines.erase(m_deadlines.begin());
        auto it = m_sessions.find(peer);
        if (it == m_sessions.end())
        {
            continue;
        }
        it->second.deadline.reset();
        it->second.session->OnTimer(now);
        Drain(peer);
    }
    while (m_idle > 0 && !m_activity.empty() && m_activity.begin()->first + m_idle <= now)
    {
        lpwan::PeerId peer = m_activity.begin()->second;
        auto it = m_sessions.find(peer);
        if (it == m_sessions.end())
        {
            m_activity.erase(m_activity.begin());
            continue;
        }
        m_dropped += it->second.waiting.size();
        Forget(peer); // removes the activity entry too
    }
}

std::optional<lpwan::TimeNs>
DtlsTransport::NextTimer() const
{
    std::optional<lpwan::TimeNs> next;
    if (!m_deadlines.empty())
    {
        next = m_deadlines.begin()->first;
    }
    if (m_idle > 0 && !m_activity.empty())
    {
        lpwan::TimeNs evict = m_activity.begin()->first + m_idle;
        if (!next || evict < *next)
        {
            next = evict;
        }
    }
    return next;
}

void
DtlsTransport::Touch(lpwan::PeerId peer, Peer& p)
{
    if (m_idle <= 0)
    {
        return;
    }
    m_activity.erase({p.lastActivity, peer});
    p.lastActivity = m_now;
    m_activity.insert({p.lastActivity, peer});
}

void
DtlsTransport::UpdateDeadline(lpwan::PeerId peer, Peer& p)
{
    std::optional<lpwan::TimeNs> next = p.session->NextTimer();
    if (next == p.deadline)
    {
        return;
    }
    if (p.deadline)
    {
        m_deadlines.erase({*p.deadline, peer});
    }
    p.deadline = next;
    if (next)
    {
        m_deadlines.insert({*next, peer});
    }
}

void
DtlsTransport::Drain(lpwan::PeerId peer)
{
    auto it = m_sessions.find(peer);
    if (it == m_sessions.end())
    {
        return;
    }
    Peer& p = it->second;
    Session& s = *p.session;
    for (lpwan::Datagram& d : s.TakeOutput())
    {
        // Output not produced by a Write(): handshake flights, alerts, close_notify.
        RecordBytes kinds = ScanDatagram(d.bytes.data(), d.bytes.size());
        lpwan::WireDatagram w;
        w.peer = d.peer;
        w.handshake = kinds.HandshakeFlight() > 0;
        w.retransmission = d.retransmission;
        w.bytes = std::move(d.bytes);
        m_wire.push_back(std::move(w));
    }
    for (std::vector<uint8_t>& data : s.Read())
    {
        m_plain.push_back(lpwan::Datagram{peer, std::move(data), false});
    }
    bool forget = false;
    for (const Event& e : s.TakeEvents())
    {
        lpwan::TransportEvent out;
        out.peer = peer;
        out.reason = e.reason;
        switch (e.kind)
        {
            case Event::Kind::Established:
                out.kind = lpwan::TransportEvent::Kind::Established;
                out.abbreviated = s.GetStats().resumed;
                CountHandshake(s, true, "");
                p.counted = true;
                if (IsClient())
                {
                    if (m_resume)
                    {
                        m_savedSessions[peer] = s.SaveSession();
                    }
                }
                else
                {
                    // One session per authenticated client: an older one (from a port the
                    // client's NAT binding no longer maps) is dropped.
                    std::string name = s.GetPeerCertificateSubject();
                    const auto& identity = s.GetPeerPskIdentity();
                    if (!identity.empty())
                    {
                        name = "psk:" + std::string(identity.begin(), identity.end());
                    }
                    if (!name.empty())
                    {
                        auto old = m_byClient.find(name);
                        if (old != m_byClient.end() && old->second != peer)
                        {
                            lpwan::PeerId stale = old->second;
                            m_byClient.erase(old);
                            Forget(stale);
                        }
                        m_byClient[name] = peer;
                        p.client = name; // unordered_map references survive other erasures
                    }
                }
                break;
            case Event::Kind::Failed:
                out.kind = lpwan::TransportEvent::Kind::Failed;
                if (!p.counted)
                {
                    CountHandshake(s, false, e.reason);
                    p.counted = true;
                }
                forget = true;
                break;
            case Event::Kind::Closed:
                out.kind = lpwan::TransportEvent::Kind::Closed;
                forget = true;
                break;
        }
        m_events.push_back(out);
    }
    if (forget)
    {
        m_dropped += p.waiting.size();
        p.waiting.clear();
        if (IsClient() && s.GetState() == State::Failed)
        {
            m_savedSessions.erase(peer); // do not offer a session the server may have refused
        }
        Forget(peer);
        return;
    }
    if (s.GetState() == State::Established && !p.waiting.empty())
    {
        std::deque<lpwan::Datagram> waiting;
        waiting.swap(p.waiting);
        for (const lpwan::Datagram& d : waiting)
        {
            Send(d, m_now); // drains (and re-arms the deadline) itself
        }
        return;
    }
    UpdateDeadline(peer, p);
}

void
DtlsTransport::CountHandshake(const Session& s, bool completed, const std::string& failure)
{
    m_figures.Add(s.GetStats(), !IsClient(),
                  completed ? HandshakeFigures::Outcome::Completed
                            : HandshakeFigures::Outcome::Failed,
                  failure);
}

void
DtlsTransport::Forget(lpwan::PeerId peer)
{
    auto it = m_sessions.find(peer);
    if (it == m_sessions.end())
    {
        return;
    }
    if (it->second.deadline)
    {
        m_deadlines.erase({*it->second.deadline, peer});
    }
    m_activity.erase({it->second.lastActivity, peer});
    if (!it->second.client.empty())
    {
        auto c = m_byClient.find(it->second.client);
        if (c != m_byClient.end() && c->second == peer)
        {
            m_byClient.erase(c);
        }
    }
    m_sessions.erase(it);
}

void
DtlsTransport::DropSession(lpwan::PeerId peer)
{
    auto it = m_sessions.find(peer);
    if (it != m_sessions.end())
    {
        m_dropped += it->second.waiting.size();
    }
    Forget(peer);
}

void
DtlsTransport::DropAllSessions()
{
    std::vector<lpwan::PeerId> peers;
    peers.reserve(m_sessions.size());
    for (const auto& [peer, session] : m_sessions)
    {
        peers.push_back(peer);
    }
    for (lpwan::PeerId peer : peers)
    {
        DropSession(peer);
    }
    m_savedSessions.clear();
}

HandshakeFigures
DtlsTransport::GetFigures(bool includeOpen) const
{
    HandshakeFigures f = m_figures;
    if (!includeOpen)
    {
        return f;
    }
    for (const auto& [peer, p] : m_sessions)
    {
        if (p.counted)
        {
            continue;
        }
        const SessionStats& st = p.session->GetStats();
        if (!IsClient() && st.handshakeStart < 0)
        {
            continue; // a server session that never saw a valid ClientHello
        }
        f.Add(st, !IsClient(), HandshakeFigures::Outcome::Open);
    }
    return f;
}

std::vector<lpwan::WireDatagram>
DtlsTransport::TakeWire()
{
    std::vector<lpwan::WireDatagram> out;
    out.swap(m_wire);
    return out;
}

std::vector<lpwan::Datagram>
DtlsTransport::TakePlain()
{
    std::vector<lpwan::Datagram> out;
    out.swap(m_plain);
    return out;
}

std::vector<lpwan::TransportEvent>
DtlsTransport::TakeEvents()
{
    std::vector<lpwan::TransportEvent> out;
    out.swap(m_events);
    return out;
}

} // namespace tls
} // namespace lpwan
