/*
 * A DTLS server for many clients on one socket: demultiplexes datagrams by PeerId into one
 * tls::Session per client, sans-I/O like the sessions themselves.
 *
 *   Receive(now, peer, bytes)   a datagram from peer
 *   OnTimer(now) / NextTimer()     the earliest retransmission deadline of all sessions
 *   TakeOutput()                datagrams to send (Datagram::peer says to whom)
 *   Write(now, peer, bytes) / Read(), Close(now, peer), TakeEvents()
 *
 * State per client is created only for a client that proved it receives at its address:
 * a datagram from an unknown peer is offered to one shared "gatekeeper" Session. A
 * ClientHello without a valid cookie gets a HelloVerifyRequest (RFC 6347 section 4.2.1)
 * and leaves nothing behind; one with a valid cookie (or any ClientHello, with cookies
 * off) promotes the gatekeeper to that client's Session. Anything else from an unknown peer
 * is dropped. Spoofed ClientHellos therefore cost one mbedTLS parse each and no memory.
 *
 * Memory per client: all Sessions share the server's Config (DRBG, cookie key, session cache,
 * credentials); a Session owns an mbedTLS context with two ~16.7 kB record buffers (Debian's
 * mbedTLS 2.28 has no MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH). With hibernateIdle (default), an
 * established Session with nothing in progress is hibernated after each call
 * (Session::Hibernate): a few hundred bytes instead, restored on its next datagram.
 *
 * A client that restarts (reboots, loses its state) and sends a new ClientHello from the
 * same address: RFC 6347 section 4.2.8 says to keep the old association until the new
 * handshake completes. The new handshake runs in a separate pending Session (after the
 * cookie exchange), handshake records go to it and application data to the old one; when
 * it completes it replaces the old Session (event Closed "replaced" for the old one, then
 * Established); if it fails, the old one stays. So a replayed ClientHello cannot end an
 * association.
 *
 * Sessions that end (Closed, Failed: a handshake that timed out, a fatal alert) are removed
 * after their last output and events have been collected; the events carry their final
 * statistics.
 */
#ifndef LPWAN_TLS_DTLS_SERVER_H
#define LPWAN_TLS_DTLS_SERVER_H

#include "protocols/common/sans-io.h"
#include "tls-config.h"
#include "tls-session.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

namespace lpwan
{
namespace tls
{

struct DtlsServerOptions
{
    /// Clients with a Session at most; a verified ClientHello beyond that is dropped.
    size_t maxSessions = 100000;
    /// Datagram size limit for every Session (0: the Config's).
    uint16_t mtu = 0;
    /// Hibernate established sessions between calls (see above).
    bool hibernateIdle = true;
};

struct ServerEvent
{
    lpwan::PeerId peer = 0;
    Event event;
    /// The session's statistics when the event happened (final ones for Closed/Failed).
    SessionStats stats;
};

struct ReceivedData
{
    lpwan::PeerId peer = 0;
    std::vector<uint8_t> bytes;
};

struct DtlsServerCounters
{
    uint64_t datagramsReceived = 0;
    uint64_t helloVerifyRequestsSent = 0;
    /// ClientHellos from unknown peers that mbedTLS neither answered nor accepted (malformed,
    /// unsupported).
    uint64_t clientHellosRejected = 0;
    /// Datagrams from unknown peers that were no ClientHello.
    uint64_t datagramsFromUnknownPeers = 0;
    uint64_t sessionsCreated = 0;
    uint64_t sessionsRemoved = 0;
    uint64_t sessionsRefused = 0; ///< maxSessions reached
    uint64_t reconnectsStarted = 0;
    uint64_t reconnectsCompleted = 0;
    uint64_t reconnectsAbandoned = 0;
};

class DtlsServer
{
  public:
    /// `config` must be a Role::Server, Transport::Datagram Config (else
    /// std::invalid_argument).
    explicit DtlsServer(std::shared_ptr<const Config> config,
                        const DtlsServerOptions& options = {});
    ~DtlsServer();
    DtlsServer(const DtlsServer&) = delete;
    DtlsServer& operator=(const DtlsServer&) = delete;

    void Receive(lpwan::TimeNs now, lpwan::PeerId peer, const uint8_t* data, size_t size);

    void Receive(lpwan::TimeNs now, lpwan::PeerId peer, const std::vector<uint8_t>& bytes)
    {
        Receive(now, peer, bytes.data(), bytes.size());
    }

    /// Runs the timers of every session whose deadline is <= now.
    void OnTimer(lpwan::TimeNs now);
    std::optional<lpwan::TimeNs> NextTimer() const;

    /// Sends application data to an established client (see Session::Write).
    bool Write(lpwan::TimeNs now, lpwan::PeerId peer, const uint8_t* data, size_t size);

    bool Write(lpwan::TimeNs now, lpwan::PeerId peer, const std::vector<uint8_t>& bytes)
    {
        return Write(now, peer, bytes.data(), bytes.size());
    }

    /// Sends close_notify and forgets the client.
    void Close(lpwan::TimeNs now, lpwan::PeerId peer);

    std::vector<lpwan::Datagram> TakeOutput();
    std::vector<ReceivedData> Read();
    std::vector<ServerEvent> TakeEvents();

    /// The client's session (nullptr if none). It may be hibernating.
    const Session* Find(lpwan::PeerId peer) const;

    size_t SessionCount() const
    {
        return m_clients.size();
    }

    const DtlsServerCounters& GetCounters() const
    {
        return m_counters;
    }

  private:
    struct Client
    {
        std::unique_ptr<Session> session;
        std::unique_ptr<Session> pending; ///< a restarted handshake (RFC 6347 4.2.8)
        std::optional<lpwan::TimeNs> deadline;
    };

    /// Offers a ClientHello to the gatekeeper; returns the Session when it was accepted.
    std::unique_ptr<Session> Admit(lpwan::TimeNs now, lpwan::PeerId peer, const uint8_t* data,
                                   size_t size);
    /// Collects output, data and events of a client's sessions, promotes or drops a pending
    /// one, removes an ended client, hibernates, and refiles its timer.
    void AfterCall(lpwan::PeerId peer);
    void Collect(lpwan::PeerId peer, Session& session);
    void Refile(lpwan::PeerId peer, Client& client);

    std::shared_ptr<const Config> m_config;
    DtlsServerOptions m_options;
    SessionOptions m_sessionOptions;
    std::unique_ptr<Session> m_gatekeeper;
    std::unordered_map<lpwan::PeerId, Client> m_clients;
    std::set<std::pair<lpwan::TimeNs, lpwan::PeerId>> m_timers;
    std::vector<lpwan::Datagram> m_output;
    std::vector<ReceivedData> m_received;
    std::vector<ServerEvent> m_events;
    DtlsServerCounters m_counters;
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_DTLS_SERVER_H
