/*
 * CoAP over DTLS 1.2 (coaps, RFC 7252 section 9.1) as a SecureDatagramTransport: the layer a
 * driver puts between a coap::Endpoint and its UDP socket. It keeps one tls::Session per peer.
 *
 *  - Client: Connect(server) starts a handshake (offering to resume the last session with
 *    that server when resumption is on). Application datagrams sent before the session is
 *    established wait in the transport and leave, in order, when it is.
 *  - Server: a ClientHello from an unknown peer creates a server Session for it (the session's
 *    HelloVerifyRequest cookie exchange keeps that cheap for spoofed sources); any other
 *    datagram from an unknown peer is dropped. When a client
 *    authenticates (PSK identity or certificate subject) the server forgets any older session
 *    of the same client: a device that lost its NAT binding comes back from a new port, and
 *    the server keeps one session per device, not one per port.
 *
 * Timers: sessions' deadlines are kept in an ordered set, so a server with ten thousand
 * sessions finds the next one in O(log n) and touches only the sessions that are due.
 *
 * Handshake figures are collected per completed or failed handshake (HandshakeFigures) for
 * the run's summary.
 */
#ifndef LPWAN_DTLS_TRANSPORT_H
#define LPWAN_DTLS_TRANSPORT_H

#include "datagram-session-transport.h"
#include "handshake-figures.h"
#include "tls-config.h"
#include "tls-session.h"

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

namespace lpwan
{
namespace tls
{

class DtlsTransport : public DatagramSessionTransport
{
  public:
    /// The config's role decides client or server behaviour.
    explicit DtlsTransport(std::shared_ptr<const Config> config);
    ~DtlsTransport() override;

    /// Client: starts a handshake with peer unless a session exists or is being set up.
    void Connect(lpwan::PeerId peer, lpwan::TimeNs now) override;
    bool IsEstablished(lpwan::PeerId peer) const override;
    /// Server: forget a session after this long without a datagram from or to its peer
    /// (0, the default: never). Clients whose sessions were resumed do not present their
    /// identity again, so this is what bounds the sessions a server keeps for clients that
    /// moved to a new port.
    void SetIdleTimeout(lpwan::TimeNs idle) override
    {
        m_idle = idle;
    }

    /// Client: keep the established session with peer for resumption (default on).
    void SetResumption(bool resume)
    {
        m_resume = resume;
    }

    void Send(const lpwan::Datagram& plain, lpwan::TimeNs now) override;
    void Receive(lpwan::PeerId peer, const uint8_t* data, size_t size, lpwan::TimeNs now) override;
    void OnTimer(lpwan::TimeNs now) override;
    std::optional<lpwan::TimeNs> NextTimer() const override;
    std::vector<lpwan::WireDatagram> TakeWire() override;
    std::vector<lpwan::Datagram> TakePlain() override;
    std::vector<lpwan::TransportEvent> TakeEvents() override;
    void DropSession(lpwan::PeerId peer) override;
    /// A reboot or restart: every session is gone, and so are the sessions saved for
    /// resumption (they were in RAM too). Handshake figures are kept.
    void DropAllSessions() override;

    /// Figures of finished handshakes plus, with includeOpen, those still in progress (end of
    /// a run).
    HandshakeFigures GetFigures(bool includeOpen) const override;
    /// Application datagrams dropped: no session (server), or the handshake failed.
    uint64_t GetDroppedDatagrams() const override
    {
        return m_dropped;
    }

    size_t GetSessionCount() const
    {
        return m_sessions.size();
    }

  private:
    struct Peer
    {
        std::unique_ptr<Session> session;
        std::deque<lpwan::Datagram> waiting; ///< client: data sent before Established
        std::optional<lpwan::TimeNs> deadline;
        std::string client;   ///< server: the authenticated client's name, once known
        bool counted = false; ///< its handshake is in m_figures already
        lpwan::TimeNs lastActivity = 0;
    };

    Peer& NewSession(lpwan::PeerId peer, lpwan::TimeNs now);
    /// Collects a session's output, events and data after a call into it.
    void Drain(lpwan::PeerId peer);
    void UpdateDeadline(lpwan::PeerId peer, Peer& p);
    void CountHandshake(const Session& s, bool completed, const std::string& failure);
    void Forget(lpwan::PeerId peer);
    void Touch(lpwan::PeerId peer, Peer& p);
    bool IsClient() const;

    std::shared_ptr<const Config> m_config;
    bool m_resume = true;
    lpwan::TimeNs m_now = 0; ///< time of the call being handled
    lpwan::TimeNs m_idle = 0;
    std::set<std::pair<lpwan::TimeNs, lpwan::PeerId>> m_activity; ///< (last activity, peer)
    std::unordered_map<lpwan::PeerId, Peer> m_sessions;
    std::set<std::pair<lpwan::TimeNs, lpwan::PeerId>> m_deadlines;
    std::unordered_map<lpwan::PeerId, std::vector<uint8_t>> m_savedSessions; ///< client
    std::unordered_map<std::string, lpwan::PeerId> m_byClient;               ///< server
    std::vector<lpwan::WireDatagram> m_wire;
    std::vector<lpwan::Datagram> m_plain;
    std::vector<lpwan::TransportEvent> m_events;
    HandshakeFigures m_figures;
    uint64_t m_dropped = 0;
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_DTLS_TRANSPORT_H
