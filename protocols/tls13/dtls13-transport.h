/*
 * CoAP over DTLS 1.3 (RFC 9147) as a tls::DatagramSessionTransport: the layer a driver puts
 * between a coap::Endpoint and its UDP socket, one tls13::Client or tls13::Server (with
 * DtlsOptions) per peer. What tls::DtlsTransport is for DTLS 1.2.
 *
 *  - Client: Connect(server) starts a handshake; datagrams sent before it completes wait and
 *    leave, in order, when it does.
 *  - Server: a ClientHello from an unknown peer creates a session for it. With connection IDs
 *    (connectionIdLength > 0) every session gets a CID of that many bytes, unique among the
 *    server's sessions; a protected record carrying one from an address the server does not
 *    know is handed to that session, and when it deprotects (it is authentic and not a
 *    replay), the session moves to the new address (RFC 9146 section 6, RFC 9147 section 9):
 *    a device whose NAT binding expired keeps its session. A new ClientHello (another random)
 *    on a known address replaces that address's session, as from a client that restarted.
 *    Anything else from an unknown peer is dropped.
 *
 * Not here (see docs/tls.md): HelloRetryRequest cookies, so a spoofed ClientHello costs the
 * server a session until it times out; resumption (every handshake is a full one).
 *
 * Figures: each session's handshake is counted when it ends (forgotten, failed) or, for live
 * sessions, when the figures are taken, so that the ACK of the final flight and any late
 * retransmission are in its bytes. Timers: sessions' deadlines are kept in an ordered set.
 */
#ifndef LPWAN_TLS13_DTLS13_TRANSPORT_H
#define LPWAN_TLS13_DTLS13_TRANSPORT_H

#include "protocols/tls/datagram-session-transport.h"
#include "tls13-client.h"
#include "tls13-server.h"

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

namespace lpwan
{
namespace tls13
{

struct Dtls13TransportConfig
{
    bool isServer = false;
    /// The configuration of every session (its dtls options set); a server's gets its own
    /// connection ID per session.
    ClientConfig client;
    ServerConfig server;
    /// Where the sessions draw their randomness (kept alive with the transport).
    std::shared_ptr<RandomSource> random;
    /// Server: the length of the connection IDs it gives its sessions (0: none). Client: its
    /// DtlsOptions::connectionId says whether it offers the extension.
    size_t connectionIdLength = 0;
};

class Dtls13Transport : public tls::DatagramSessionTransport
{
  public:
    explicit Dtls13Transport(Dtls13TransportConfig config);
    ~Dtls13Transport() override;

    void Send(const lpwan::Datagram& plain, lpwan::TimeNs now) override;
    void Receive(lpwan::PeerId peer, const uint8_t* data, size_t size, lpwan::TimeNs now) override;
    void OnTimer(lpwan::TimeNs now) override;
    std::optional<lpwan::TimeNs> NextTimer() const override;
    std::vector<lpwan::WireDatagram> TakeWire() override;
    std::vector<lpwan::Datagram> TakePlain() override;
    std::vector<lpwan::TransportEvent> TakeEvents() override;
    void DropSession(lpwan::PeerId peer) override;

    void Connect(lpwan::PeerId peer, lpwan::TimeNs now) override;
    bool IsEstablished(lpwan::PeerId peer) const override;
    void DropAllSessions() override;
    tls::HandshakeFigures GetFigures(bool includeOpen) const override;
    uint64_t GetDroppedDatagrams() const override
    {
        return m_dropped;
    }
    void SetIdleTimeout(lpwan::TimeNs idle) override
    {
        m_idle = idle;
    }
    bool KeepsSessionsAcrossAddressChanges() const override;

    /// Server: sessions that moved to a new address on a record with their CID.
    uint64_t GetAddressChanges() const
    {
        return m_addressChanges;
    }
    size_t GetSessionCount() const
    {
        return m_sessions.size();
    }

  private:
    struct Peer
    {
        std::unique_ptr<Connection> connection;
        std::deque<lpwan::Datagram> waiting; ///< client: data sent before the handshake ended
        bool established = false;
        lpwan::TimeNs start = 0;
        lpwan::TimeNs end = -1;
        lpwan::TimeNs lastActivity = 0;
        uint64_t handshakeBytesReceived = 0;
        Bytes connectionId; ///< server: the CID this session was given
        std::optional<lpwan::TimeNs> deadline;
        std::string failure;
    };

    Peer& NewSession(lpwan::PeerId peer, lpwan::TimeNs now);
    /// Collects a session's datagrams (plaintext: the application datagram they carry),
    /// events and data after a call into it; removes it when it ended.
    void Drain(lpwan::PeerId peer, const std::vector<uint8_t>* plaintext = nullptr,
               uint64_t retransmissionsBefore = 0);
    /// The datagrams c wrote, as wire datagrams to peer: application records carrying
    /// plaintext, or (plaintext null) handshake and control records.
    void TakeWireFrom(lpwan::PeerId peer, Connection& c, const std::vector<uint8_t>* plaintext,
                      bool retransmitted);
    void Refile(lpwan::PeerId peer, Peer& p);
    void Forget(lpwan::PeerId peer);
    tls::SessionStats StatsOf(const Peer& p) const;
    Bytes AllocateConnectionId();

    Dtls13TransportConfig m_config;
    lpwan::TimeNs m_idle = 0;
    std::unordered_map<lpwan::PeerId, Peer> m_sessions;
    std::map<Bytes, lpwan::PeerId> m_byConnectionId;
    std::set<std::pair<lpwan::TimeNs, lpwan::PeerId>> m_deadlines;
    uint64_t m_nextConnectionId = 0;
    std::vector<lpwan::WireDatagram> m_wire;
    std::vector<lpwan::Datagram> m_plain;
    std::vector<lpwan::TransportEvent> m_events;
    tls::HandshakeFigures m_figures; ///< of the sessions already forgotten
    uint64_t m_clientStarted = 0;
    uint64_t m_dropped = 0;
    uint64_t m_addressChanges = 0;
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_DTLS13_TRANSPORT_H
