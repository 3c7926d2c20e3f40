/*
 * The real-time driver of the sans-I/O CoAP endpoint, the real-socket twin of CoapUdpBinding:
 * the steady clock and a wait loop that feed received datagrams and expired deadlines into a
 * coap::Endpoint and send what it produces. It exists to run the protocol cores against other
 * implementations (libcoap) and as command-line tools over real networks; nothing in the
 * simulator uses it. Wall-clock time lives only here: the endpoint sees nanoseconds since the
 * driver was created.
 *
 * The datagrams travel through a DatagramTransport: a PosixUdpSocket for coap://, later a
 * DTLS transport for coaps://. The driver neither knows nor cares which.
 *
 * Use: create the endpoint, the transport and the driver, call into the endpoint (SendRequest,
 * Respond, Notify, ...) then Flush(), and call Poll() in a loop, handling the events it
 * returns. PeerIds are lpwan::MakePeerId(IPv4 address in host order, port), as in the ns-3
 * driver.
 */
#ifndef LPWAN_POSIX_UDP_DRIVER_H
#define LPWAN_POSIX_UDP_DRIVER_H

#include "datagram-transport.h"
#include "protocols/coap/coap-endpoint.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace lpwan
{

class PosixUdpDriver
{
  public:
    /// Called for every datagram sent (outgoing) or received, e.g. to print a trace.
    using Tracer
        = std::function<void(bool outgoing, lpwan::PeerId peer, const std::vector<uint8_t>& bytes)>;

    /// endpoint and transport must outlive the driver.
    PosixUdpDriver(coap::Endpoint& endpoint, DatagramTransport& transport);
    PosixUdpDriver(const PosixUdpDriver&) = delete;
    PosixUdpDriver& operator=(const PosixUdpDriver&) = delete;

    /// Nanoseconds of the steady clock since the driver was created: the endpoint's time base.
    lpwan::TimeNs Now() const;

    /// Sends every datagram the endpoint has queued. Call after each call into the endpoint.
    void Flush();
    /// Waits until a datagram arrives, the endpoint's next deadline passes, `until` passes (if
    /// given) or the transport is interrupted (a signal), then feeds the endpoint and returns
    /// its events (possibly none). Throws std::runtime_error when waiting itself fails.
    std::vector<coap::Event> Poll(std::optional<lpwan::TimeNs> until);

    void SetTracer(Tracer tracer)
    {
        m_tracer = std::move(tracer);
    }

  private:
    coap::Endpoint& m_endpoint;
    DatagramTransport& m_transport;
    std::chrono::steady_clock::time_point m_epoch;
    Tracer m_tracer;
};

} // namespace lpwan

#endif // LPWAN_POSIX_UDP_DRIVER_H
