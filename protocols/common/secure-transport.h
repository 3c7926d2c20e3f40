/*
 * A hop-by-hop secure datagram transport under CoAP (DTLS in this project), seen as a sans-I/O
 * layer: plaintext datagrams from the CoAP endpoint go in, protected datagrams for the wire
 * come out, and the other way round. It owns its handshakes and their timers.
 *
 * The drivers (the ns-3 CoapUdpBinding, the POSIX driver) put it between the endpoint and the
 * socket when a scenario or a command line asks for it. Every wire datagram says what it
 * carries so that the driver can account for its bytes: the plaintext inside an application
 * record (its CoAP bytes), or nothing for handshake flights, alerts and other control records.
 */
#ifndef LPWAN_SECURE_TRANSPORT_H
#define LPWAN_SECURE_TRANSPORT_H

#include "sans-io.h"

#include <optional>
#include <string>
#include <vector>

namespace lpwan
{

/// A datagram for the wire and what it carries.
struct WireDatagram
{
    PeerId peer = 0;
    std::vector<uint8_t> bytes;
    /// The application datagram protected inside; empty for handshake and control records.
    std::vector<uint8_t> plaintext;
    bool handshake = false;      ///< part of a handshake flight
    bool retransmission = false; ///< a retransmitted flight or a repeated application datagram
};

/// Something the transport tells its driver.
struct TransportEvent
{
    enum class Kind
    {
        Established, ///< a handshake with peer completed; application data flows
        Failed,      ///< a handshake or session with peer failed; its queued data is dropped
        Closed,      ///< the peer closed the session (close_notify) or it was evicted
    };

    Kind kind = Kind::Established;
    PeerId peer = 0;
    std::string reason;       ///< for Failed and Closed
    bool abbreviated = false; ///< Established by resuming an earlier session
};

class SecureDatagramTransport
{
  public:
    virtual ~SecureDatagramTransport() = default;

    /// Queues an application datagram for plain.peer; a client starts a handshake when it has
    /// no session with that peer. Data waits until the session is established.
    virtual void Send(const Datagram& plain, TimeNs now) = 0;
    /// A datagram from the wire.
    virtual void Receive(PeerId peer, const uint8_t* data, size_t size, TimeNs now) = 0;
    /// Called at (or after) NextTimer(): handshake retransmissions and time-outs.
    virtual void OnTimer(TimeNs now) = 0;
    virtual std::optional<TimeNs> NextTimer() const = 0;

    /// What to send, received application datagrams, and events, in order.
    virtual std::vector<WireDatagram> TakeWire() = 0;
    virtual std::vector<Datagram> TakePlain() = 0;
    virtual std::vector<TransportEvent> TakeEvents() = 0;

    /// Forgets the session with peer without telling it (a lost NAT binding, a reboot).
    virtual void DropSession(PeerId peer) = 0;
};

} // namespace lpwan

#endif // LPWAN_SECURE_TRANSPORT_H
