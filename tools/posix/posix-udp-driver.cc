/*
 * The real-time driver; see posix-udp-driver.h.
 *
 * Wait timeouts are rounded up to whole milliseconds, so that the loop never wakes a little
 * before a deadline and spins until it arrives.
 */

#include "posix-udp-driver.h"

#include <climits>

namespace lpwan
{

PosixUdpDriver::PosixUdpDriver(coap::Endpoint& endpoint, DatagramTransport& transport)
  : m_endpoint(endpoint)
  , m_transport(transport)
  , m_epoch(std::chrono::steady_clock::now())
{
}

lpwan::TimeNs
PosixUdpDriver::Now() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now()
                                                                - m_epoch)
        .count();
}

void
PosixUdpDriver::Flush()
{
    for (const lpwan::Datagram& d : m_endpoint.TakeDatagrams())
    {
        if (m_tracer)
        {
            m_tracer(true, d.peer, d.bytes);
        }
        m_transport.Send(d);
    }
}

std::vector<coap::Event>
PosixUdpDriver::Poll(std::optional<lpwan::TimeNs> until)
{
    Flush();
    std::optional<lpwan::TimeNs> wake = m_endpoint.NextTimer();
    if (until && (!wake || *until < *wake))
    {
        wake = until;
    }
    int timeoutMs = -1;
    if (wake)
    {
        const lpwan::TimeNs left = *wake - Now();
        const lpwan::TimeNs ms = left <= 0 ? 0 : (left + 999999) / 1000000;
        timeoutMs = ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
    }
    for (const lpwan::Datagram& d : m_transport.Wait(timeoutMs))
    {
        if (m_tracer)
        {
            m_tracer(false, d.peer, d.bytes);
        }
        m_endpoint.Receive(d.peer, d.bytes.data(), d.bytes.size(), Now());
    }
    const std::optional<lpwan::TimeNs> next = m_endpoint.NextTimer();
    if (next)
    {
        const lpwan::TimeNs now = Now();
        if (*next <= now)
        {
            m_endpoint.OnTimer(now);
        }
    }
    Flush();
    return m_endpoint.TakeEvents();
}

} // namespace lpwan
