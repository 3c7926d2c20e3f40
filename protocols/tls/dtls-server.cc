/*
 * The DTLS server demultiplexer; see dtls-server.h.
 */

#include "dtls-server.h"

#include "record-scanner.h"

#include <stdexcept>

namespace lpwan
{
namespace tls
{

namespace
{

/// The content type of a datagram's first record (0 if too short to tell).
uint8_t
FirstRecordType(const uint8_t* data, size_t size)
{
    return size > 0 ? data[0] : 0;
}

} // namespace

DtlsServer::DtlsServer(std::shared_ptr<const Config> config, const DtlsServerOptions& options)
  : m_config(std::move(config))
  , m_options(options)
{
    if (!m_config || m_config->GetOptions().role != Role::Server
        || m_config->GetOptions().transport != Transport::Datagram)
    {
        throw std::invalid_argument("DtlsServer needs a DTLS server Config");
    }
    m_sessionOptions.mtu = options.mtu;
}

DtlsServer::~DtlsServer() = default;

std::unique_ptr<Session>
DtlsServer::Admit(lpwan::TimeNs now, lpwan::PeerId peer, const uint8_t* data, size_t size)
{
    if (m_gatekeeper)
    {
        m_gatekeeper->Reset(peer);
    }
    else
    {
        m_gatekeeper = std::make_unique<Session>(m_config, peer, m_sessionOptions);
    }
    Session& g = *m_gatekeeper;
    g.Receive(now, data, size);
    if (g.AcceptedClientHello() && g.GetState() != State::Failed)
    {
        return std::move(m_gatekeeper);
    }
    // A HelloVerifyRequest (stateless), an alert, or nothing: forward it and forget.
    if (g.GetStats().helloVerifyRequests > 0)
    {
        ++m_counters.helloVerifyRequestsSent;
    }
    else
    {
        ++m_counters.clientHellosRejected;
    }
    for (lpwan::Datagram& d : g.TakeOutput())
    {
        m_output.push_back(std::move(d));
    }
    g.TakeEvents();
    g.Read();
    return nullptr;
}

void
DtlsServer::Receive(lpwan::TimeNs now, lpwan::PeerId peer, const uint8_t* data, size_t size)
{
    ++m_counters.datagramsReceived;
    auto it = m_clients.find(peer);
    if (it == m_clients.end())
    {
        if (!ContainsClientHello(data, size))
        {
            ++m_counters.datagramsFromUnknownPeers;
            return;
        }
        std::unique_ptr<Session> session = Admit(now, peer, data, size);
        if (!session)
        {
            return;
        }
        if (m_clients.size() >= m_options.maxSessions)
        {
            ++m_counters.sessionsRefused;
            return; // its ServerHello flight is not sent: the client will time out
        }
        ++m_counters.sessionsCreated;
        m_clients[peer].session = std::move(session);
        AfterCall(peer);
        return;
    }

    Client& client = it->second;
    const bool hello = ContainsClientHello(data, size);
    if (hello && client.session->GetState() == State::Established && !client.pending)
    {
        // The client restarted (or someone replays its ClientHello): handshake anew in a
        // separate session, keep the established one meanwhile.
        client.pending = Admit(now, peer, data, size);
        if (client.pending)
        {
            ++m_counters.reconnectsStarted;
        }
    }
    else if (client.pending)
    {
        // During a restarted handshake its records go to the new session, application data
        // (and alerts) to the established one.
        const uint8_t type = FirstRecordType(data, size);
        const bool handshake = hello || type == kHandshake || type == kChangeCipherSpec;
        (handshake ? client.pending : client.session)->Receive(now, data, size);
    }
    else
    {
        client.session->Receive(now, data, size);
    }
    AfterCall(peer);
}

void
DtlsServer::OnTimer(lpwan::TimeNs now)
{
    // Take the due clients first, so that a client whose new deadline is again <= now (it
    // cannot be, mbedTLS re-arms or gives up, but a loop must not depend on that) waits for
    // the next OnTimer.
    std::vector<lpwan::PeerId> due;
    while (!m_timers.empty() && m_timers.begin()->first <= now)
    {
        due.push_back(m_timers.begin()->second);
        m_timers.erase(m_timers.begin());
    }
    for (lpwan::PeerId peer : due)
    {
        auto it = m_clients.find(peer);
        if (it == m_clients.end())
        {
            continue;
        }
        it->second.deadline.reset();
        it->second.session->OnTimer(now);
        if (it->second.pending)
        {
            it->second.pending->OnTimer(now);
        }
        AfterCall(peer);
    }
}

std::optional<lpwan::TimeNs>
DtlsServer::NextTimer() const
{
    if (m_timers.empty())
    {
        return std::nullopt;
    }
    return m_timers.begin()->first;
}

bool
DtlsServer::Write(lpwan::TimeNs now, lpwan::PeerId peer, const uint8_t* data, size_t size)
{
    auto it = m_clients.find(peer);
    if (it == m_clients.end())
    {
        return false;
    }
    const bool ok = it->second.session->Write(now, data, size);
    AfterCall(peer);
    return ok;
}

void
DtlsServer::Close(lpwan::TimeNs now, lpwan::PeerId peer)
{
    auto it = m_clients.find(peer);
    if (it == m_clients.end())
    {
        return;
    }
    it->second.session->Close(now);
    if (it->second.pending)
    {
        it->second.pending->Close(now);
    }
    AfterCall(peer);
}

void
DtlsServer::Collect(lpwan::PeerId peer, Session& session)
{
    for (lpwan::Datagram& d : session.TakeOutput())
    {
        m_output.push_back(std::move(d));
    }
    for (std::vector<uint8_t>& bytes : session.Read())
    {
        m_received.push_back(ReceivedData{peer, std::move(bytes)});
    }
    for (Event& e : session.TakeEvents())
    {
        m_events.push_back(ServerEvent{peer, std::move(e), session.GetStats()});
    }
}

void
DtlsServer::AfterCall(lpwan::PeerId peer)
{
    auto it = m_clients.find(peer);
    if (it == m_clients.end())
    {
        return;
    }
    Client& client = it->second;
    Collect(peer, *client.session);
    if (client.pending)
    {
        Session& pending = *client.pending;
        if (pending.GetState() == State::Established)
        {
            // RFC 6347 4.2.8: the client completed a new handshake: it replaces the old
            // association.
            Event replaced;
            replaced.kind = Event::Kind::Closed;
            replaced.reason = "replaced by a new handshake from the same address";
            m_events.push_back(ServerEvent{peer, replaced, client.session->GetStats()});
            client.session = std::move(client.pending);
            ++m_counters.reconnectsCompleted;
            Collect(peer, *client.session);
        }
        else if (pending.GetState() != State::Handshaking)
        {
            // Its output (an alert) still goes out; its events concern no association.
            for (lpwan::Datagram& d : pending.TakeOutput())
            {
                m_output.push_back(std::move(d));
            }
            client.pending.reset();
            ++m_counters.reconnectsAbandoned;
        }
        else
        {
            for (lpwan::Datagram& d : pending.TakeOutput())
            {
                m_output.push_back(std::move(d));
            }
            pending.TakeEvents();
        }
    }
    const State state = client.session->GetState();
    if (state == State::Closed || state == State::Failed)
    {
        if (client.pending)
        {
            // The old association ended while a new handshake is under way: keep the new one.
            client.session = std::move(client.pending);
        }
        else
        {
            if (client.deadline)
            {
                m_timers.erase({*client.deadline, peer});
            }
            m_clients.erase(it);
            ++m_counters.sessionsRemoved;
            return;
        }
    }
    if (m_options.hibernateIdle && !client.pending)
    {
        client.session->Hibernate();
    }
    Refile(peer, client);
}

void
DtlsServer::Refile(lpwan::PeerId peer, Client& client)
{
    std::optional<lpwan::TimeNs> next = client.session->NextTimer();
    if (client.pending)
    {
        const std::optional<lpwan::TimeNs> p = client.pending->NextTimer();
        if (p && (!next || *p < *next))
        {
            next = p;
        }
    }
    if (client.deadline == next)
    {
        return;
    }
    if (client.deadline)
    {
        m_timers.erase({*client.deadline, peer});
    }
    client.deadline = next;
    if (next)
    {
        m_timers.insert({*next, peer});
    }
}

std::vector<lpwan::Datagram>
DtlsServer::TakeOutput()
{
    std::vector<lpwan::Datagram> out;
    out.swap(m_output);
    return out;
}

std::vector<ReceivedData>
DtlsServer::Read()
{
    std::vector<ReceivedData> out;
    out.swap(m_received);
    return out;
}

std::vector<ServerEvent>
DtlsServer::TakeEvents()
{
    std::vector<ServerEvent> out;
    out.swap(m_events);
    return out;
}

const Session*
DtlsServer::Find(lpwan::PeerId peer) const
{
    auto it = m_clients.find(peer);
    return it == m_clients.end() ? nullptr : it->second.session.get();
}

} // namespace tls
} // namespace lpwan
