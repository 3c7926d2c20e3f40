/*
 * A secure datagram transport with sessions (DTLS 1.2 on mbedTLS, DTLS 1.3 on the project's
 * TLS 1.3 core): what the CoAP applications need beyond SecureDatagramTransport to start
 * handshakes, report them in summary.json and model what happens to sessions when a device's
 * address changes or a server restarts. The applications hold this interface, so a DTLS
 * version is chosen by the profile that provisions them, in one place.
 */
#ifndef LPWAN_TLS_DATAGRAM_SESSION_TRANSPORT_H
#define LPWAN_TLS_DATAGRAM_SESSION_TRANSPORT_H

#include "handshake-figures.h"
#include "protocols/common/secure-transport.h"

#include <functional>
#include <memory>

namespace lpwan
{
namespace tls
{

class DatagramSessionTransport : public lpwan::SecureDatagramTransport
{
  public:
    /// Client: starts a handshake with peer unless a session exists or is being set up.
    virtual void Connect(lpwan::PeerId peer, lpwan::TimeNs now) = 0;
    virtual bool IsEstablished(lpwan::PeerId peer) const = 0;
    /// A reboot or restart: every session is gone (and whatever resumption state was in RAM).
    virtual void DropAllSessions() = 0;
    /// Figures of finished handshakes plus, with includeOpen, those still in progress.
    virtual HandshakeFigures GetFigures(bool includeOpen) const = 0;
    /// Application datagrams dropped: no session (server), or the handshake failed.
    virtual uint64_t GetDroppedDatagrams() const = 0;
    /// Server: forget a session after this long without traffic (0: never).
    virtual void SetIdleTimeout(lpwan::TimeNs idle) = 0;
    /// True when a session survives a change of the peer's address (connection IDs, RFC 9146
    /// and RFC 9147 section 9): a device whose NAT binding expired keeps its session.
    virtual bool KeepsSessionsAcrossAddressChanges() const
    {
        return false;
    }
};

/// Makes one endpoint's transport (a device's, or the server's) when its application starts.
using DatagramSessionTransportFactory = std::function<std::unique_ptr<DatagramSessionTransport>()>;

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_DATAGRAM_SESSION_TRANSPORT_H
