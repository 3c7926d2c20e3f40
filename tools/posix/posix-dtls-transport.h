/*
 * CoAP over DTLS 1.2 on real sockets ("coaps"): a DatagramTransport that puts the sans-I/O
 * tls::DtlsTransport between the CoAP endpoint's driver (PosixUdpDriver) and the UDP socket
 * underneath (PosixUdpSocket, or any DatagramTransport). Plain CoAP datagrams go in through
 * Send() and come out of Wait(); DTLS records travel on the socket. The DTLS layer runs its
 * handshakes and retransmission timers inside Wait(), on the steady clock, and mbedTLS sees
 * the real wall clock (the Config must be built with Options::wallClockBase = nullopt).
 *
 * Wait() waits for the socket at most until the earlier of its own timeout and the next DTLS
 * deadline, so it may return (empty-handed) before the caller's timeout: the driver's loop
 * then simply waits again. A signal that wakes the socket's wait ends Wait() at once, as
 * with the bare socket.
 *
 * Handshake outcomes (established, failed, closed) are handed to an event handler, with the
 * cipher suite the ServerHello named; a client uses them to stop at once when the handshake
 * fails instead of retrying until its CoAP timeout.
 */
#ifndef LPWAN_POSIX_DTLS_TRANSPORT_H
#define LPWAN_POSIX_DTLS_TRANSPORT_H

#include "datagram-transport.h"
#include "protocols/common/secure-transport.h"
#include "protocols/tls/datagram-session-transport.h"
#include "protocols/tls/dtls-transport.h"
#include "protocols/tls/tls-config.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace lpwan
{

class PosixDtlsTransport : public DatagramTransport
{
  public:
    /// Called for each handshake outcome. cipherSuite: the suite of that peer's last
    /// ServerHello ("" if none was seen).
    using EventHandler
        = std::function<void(const lpwan::TransportEvent& event, const std::string& cipherSuite)>;

    /// lower (the socket) must outlive the transport. The config's role makes this a client
    /// (handshakes towards the peers it sends to) or a server (sessions for whoever sends a
    /// ClientHello). Throws std::invalid_argument for a stream (TLS) config.
    PosixDtlsTransport(DatagramTransport& lower, std::shared_ptr<const tls::Config> config);
    /// Any DTLS implementation (DTLS 1.3: tls13::Dtls13Transport); client: which end it is.
    PosixDtlsTransport(DatagramTransport& lower,
                       std::unique_ptr<tls::DatagramSessionTransport> transport, bool client);

    /// Client: starts the handshake with peer now rather than with the first Send().
    void Connect(lpwan::PeerId peer);

    void Send(const lpwan::Datagram& datagram) override;
    std::vector<lpwan::Datagram> Wait(int timeoutMs) override;

    void SetEventHandler(EventHandler handler)
    {
        m_handler = std::move(handler);
    }

    /// The suite of peer's last ServerHello, as mbedTLS names it ("" if none was seen).
    std::string GetCipherSuite(lpwan::PeerId peer) const;

    /// The DTLS layer, for its handshake figures and counters.
    tls::DatagramSessionTransport& GetDtls()
    {
        return *m_dtls;
    }

    /// Nanoseconds of the steady clock since the transport was created: the DTLS time base.
    lpwan::TimeNs Now() const;

  private:
    /// Runs due timers, sends the wire datagrams and hands out the events.
    void Pump();
    void NoteServerHello(lpwan::PeerId peer, const std::vector<uint8_t>& bytes);

    DatagramTransport& m_lower;
    bool m_client;
    std::unique_ptr<tls::DatagramSessionTransport> m_dtls;
    std::chrono::steady_clock::time_point m_epoch;
    EventHandler m_handler;
    std::unordered_map<lpwan::PeerId, std::string> m_suites;
};

} // namespace lpwan

#endif // LPWAN_POSIX_DTLS_TRANSPORT_H
