/*
 * The POSIX driver of the sans-I/O CoAP endpoint, the real-socket twin of CoapUdpBinding:
 * one IPv4 UDP socket, the steady clock, and a poll() loop that feeds received datagrams and
 * expired deadlines into a coap::Endpoint and sends what it produces. It exists to run the
 * protocol cores against other implementations (libcoap) over real networks; nothing in the
 * simulator uses it. Wall-clock time lives only here: the endpoint sees nanoseconds since the
 * driver was created.
 *
 * Use: create the endpoint and the driver, call into the endpoint (SendRequest, Respond,
 * Notify, ...) then Flush(), and call Poll() in a loop, handling the events it returns.
 * PeerIds are lpwan::MakePeerId(IPv4 address in host order, port), as in the ns-3 driver.
 */
#ifndef LPWAN_POSIX_UDP_DRIVER_H
#define LPWAN_POSIX_UDP_DRIVER_H

#include "protocols/coap/coap-endpoint.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class PosixUdpDriver
{
  public:
    /// Called for every datagram sent (outgoing) or received, e.g. to print a trace.
    using Tracer =
        std::function<void(bool outgoing, lpwan::PeerId peer, const std::vector<uint8_t>& bytes)>;

    struct Counters
    {
        uint64_t datagramsSent = 0;
        uint64_t datagramsReceived = 0;
        uint64_t sendErrors = 0; ///< datagrams the OS refused to send (dropped, as UDP would)
    };

    /// Opens a UDP socket bound to address (an IPv4 literal; "0.0.0.0" for any) and port (0 for
    /// an ephemeral one). Throws std::runtime_error naming the failing step.
    PosixUdpDriver(coap::Endpoint& endpoint, const std::string& address, uint16_t port);
    ~PosixUdpDriver();
    PosixUdpDriver(const PosixUdpDriver&) = delete;
    PosixUdpDriver& operator=(const PosixUdpDriver&) = delete;

    /// The address and port the socket is bound to (host byte order).
    uint32_t GetLocalAddress() const
    {
        return m_localAddress;
    }

    uint16_t GetLocalPort() const
    {
        return m_localPort;
    }

    /// Nanoseconds of the steady clock since the driver was created: the endpoint's time base.
    lpwan::TimeNs Now() const;

    /// Sends every datagram the endpoint has queued. Call after each call into the endpoint.
    void Flush();
    /// Waits until a datagram arrives, the endpoint's next deadline passes, `until` passes (if
    /// given) or a signal interrupts, then feeds the endpoint and returns its events (possibly
    /// none). Throws std::runtime_error when poll() itself fails.
    std::vector<coap::Event> Poll(std::optional<lpwan::TimeNs> until);

    void SetTracer(Tracer tracer)
    {
        m_tracer = std::move(tracer);
    }

    const Counters& GetCounters() const
    {
        return m_counters;
    }

    /// "a.b.c.d:port".
    static std::string PeerToString(lpwan::PeerId peer);
    /// Resolves a host name or IPv4 literal to an IPv4 address (host byte order).
    /// On failure returns nullopt and sets *error.
    static std::optional<uint32_t> ResolveIpv4(const std::string& host, std::string* error);

  private:
    void ReceiveAll();

    coap::Endpoint& m_endpoint;
    int m_fd = -1;
    uint32_t m_localAddress = 0;
    uint16_t m_localPort = 0;
    std::chrono::steady_clock::time_point m_epoch;
    Tracer m_tracer;
    Counters m_counters;
    std::vector<uint8_t> m_buffer;
};

} // namespace ns3

#endif // LPWAN_POSIX_UDP_DRIVER_H
