/*
 * What a real-time driver sends CoAP datagrams through. The CoAP endpoint only ever sees
 * lpwan::Datagram (a peer and bytes), so the transport underneath is pluggable: a plain UDP
 * socket today (PosixUdpSocket), a DTLS session over that socket later ("coaps"), which
 * would implement this interface by encrypting in Send() and returning decrypted records
 * from Wait() while running its own handshake and timers inside.
 */
#ifndef LPWAN_DATAGRAM_TRANSPORT_H
#define LPWAN_DATAGRAM_TRANSPORT_H

#include "protocols/common/sans-io.h"

#include <vector>

namespace lpwan
{

class DatagramTransport
{
  public:
    virtual ~DatagramTransport() = default;

    /// Sends one datagram to datagram.peer. A refusal by the network is not an error: UDP may
    /// drop a datagram anyway, and the CoAP endpoint's retransmissions cover both.
    virtual void Send(const lpwan::Datagram& datagram) = 0;

    /// Waits at most timeoutMs milliseconds (-1: no limit) until datagrams arrive and returns
    /// every datagram already queued, in arrival order; an empty result means the time ran out
    /// or a signal (or the interrupt descriptor) woke the wait. Throws std::runtime_error when
    /// waiting itself fails.
    virtual std::vector<lpwan::Datagram> Wait(int timeoutMs) = 0;
};

} // namespace lpwan

#endif // LPWAN_DATAGRAM_TRANSPORT_H
