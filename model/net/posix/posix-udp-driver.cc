/*
 * The POSIX UDP driver; see posix-udp-driver.h.
 *
 * The socket is non-blocking so that ReceiveAll() can drain every queued datagram after one
 * poll() wake-up: a burst (a block-wise transfer, duplicate retransmissions) then costs one
 * poll() and the endpoint sees the datagrams in arrival order, stamped with the time each was
 * read. poll() timeouts are rounded up to whole milliseconds, so that the loop never wakes a
 * little before a deadline and spins until it arrives.
 */

#include "posix-udp-driver.h"

#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace ns3
{

namespace
{

std::runtime_error
SystemError(const std::string& what)
{
    return std::runtime_error(what + ": " + std::strerror(errno));
}

sockaddr_in
ToSockaddr(lpwan::PeerId peer)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(static_cast<uint32_t>(peer >> 16));
    sa.sin_port = htons(static_cast<uint16_t>(peer & 0xffff));
    return sa;
}

} // namespace

PosixUdpDriver::PosixUdpDriver(coap::Endpoint& endpoint, const std::string& address,
                               uint16_t port)
    : m_endpoint(endpoint),
      m_epoch(std::chrono::steady_clock::now()),
      m_buffer(65536) // the largest UDP payload fits: nothing is ever truncated
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
    {
        throw std::runtime_error("'" + address + "' is not an IPv4 address");
    }
    m_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
    {
        throw SystemError("socket");
    }
    if (bind(m_fd, reinterpret_cast<const sockaddr*>(&sa), sizeof(sa)) != 0)
    {
        const std::runtime_error e = SystemError("bind " + address + ":" + std::to_string(port));
        close(m_fd);
        throw e;
    }
    socklen_t len = sizeof(sa);
    if (getsockname(m_fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0)
    {
        const std::runtime_error e = SystemError("getsockname");
        close(m_fd);
        throw e;
    }
    m_localAddress = ntohl(sa.sin_addr.s_addr);
    m_localPort = ntohs(sa.sin_port);
}

PosixUdpDriver::~PosixUdpDriver()
{
    if (m_fd >= 0)
    {
        close(m_fd);
    }
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
        const sockaddr_in to = ToSockaddr(d.peer);
        const ssize_t n = sendto(m_fd, d.bytes.data(), d.bytes.size(), 0,
                                 reinterpret_cast<const sockaddr*>(&to), sizeof(to));
        if (n < 0)
        {
            // UDP may drop a datagram anyway; the endpoint's retransmissions cover a refusal
            // (a full buffer, an unreachable network) exactly as they cover a loss.
            ++m_counters.sendErrors;
            continue;
        }
        ++m_counters.datagramsSent;
    }
}

void
PosixUdpDriver::ReceiveAll()
{
    while (true)
    {
        sockaddr_in from{};
        socklen_t len = sizeof(from);
        const ssize_t n = recvfrom(m_fd, m_buffer.data(), m_buffer.size(), 0,
                                   reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }
            // EAGAIN: drained. Anything else (an ICMP error reported on the socket) concerns
            // a datagram already gone; the endpoint's timers deal with the silence.
            return;
        }
        if (from.sin_family != AF_INET)
        {
            continue;
        }
        const lpwan::PeerId peer =
            lpwan::MakePeerId(ntohl(from.sin_addr.s_addr), ntohs(from.sin_port));
        ++m_counters.datagramsReceived;
        if (m_tracer)
        {
            m_tracer(false, peer,
                     std::vector<uint8_t>(m_buffer.begin(), m_buffer.begin() + n));
        }
        m_endpoint.Receive(peer, m_buffer.data(), static_cast<size_t>(n), Now());
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
    pollfd pfd{};
    pfd.fd = m_fd;
    pfd.events = POLLIN;
    const int r = poll(&pfd, 1, timeoutMs);
    if (r < 0 && errno != EINTR)
    {
        throw SystemError("poll");
    }
    if (r > 0 && (pfd.revents & (POLLIN | POLLERR)) != 0)
    {
        ReceiveAll();
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

std::string
PosixUdpDriver::PeerToString(lpwan::PeerId peer)
{
    const uint32_t a = static_cast<uint32_t>(peer >> 16);
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "."
           + std::to_string((a >> 8) & 0xff) + "." + std::to_string(a & 0xff) + ":"
           + std::to_string(peer & 0xffff);
}

std::optional<uint32_t>
PosixUdpDriver::ResolveIpv4(const std::string& host, std::string* error)
{
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* result = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
    if (rc != 0 || result == nullptr)
    {
        if (error != nullptr)
        {
            *error = "cannot resolve '" + host + "': " + gai_strerror(rc);
        }
        return std::nullopt;
    }
    const uint32_t address =
        ntohl(reinterpret_cast<const sockaddr_in*>(result->ai_addr)->sin_addr.s_addr);
    freeaddrinfo(result);
    return address;
}

} // namespace ns3
