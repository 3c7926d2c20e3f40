/*
 * The POSIX UDP socket; see posix-udp-socket.h.
 */

#include "posix-udp-socket.h"

#include "ipv4-peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lpwan
{

namespace
{

std::runtime_error
SystemError(const std::string& what)
{
    return std::runtime_error(what + ": " + std::strerror(errno));
}

} // namespace

PosixUdpSocket::PosixUdpSocket(const std::string& address, uint16_t port)
  : m_buffer(65536) // the largest UDP payload fits: nothing is ever truncated
{
    const std::optional<uint32_t> ip = ParseIpv4Literal(address);
    if (!ip)
    {
        throw std::runtime_error("'" + address + "' is not an IPv4 address");
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(*ip);
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

PosixUdpSocket::~PosixUdpSocket()
{
    if (m_fd >= 0)
    {
        close(m_fd);
    }
}

void
PosixUdpSocket::Send(const lpwan::Datagram& d)
{
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(static_cast<uint32_t>(d.peer >> 16));
    to.sin_port = htons(static_cast<uint16_t>(d.peer & 0xffff));
    ssize_t n;
    do
    {
        n = sendto(m_fd, d.bytes.data(), d.bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                   sizeof(to));
    } while (n < 0 && errno == EINTR);
    if (n < 0)
    {
        // A full buffer, an unreachable network, an ICMP error left on the socket: the
        // endpoint's retransmissions deal with it exactly as with a loss.
        ++m_counters.sendErrors;
        return;
    }
    ++m_counters.datagramsSent;
}

void
PosixUdpSocket::ReceiveAll(std::vector<lpwan::Datagram>& out)
{
    constexpr int kMaxErrorsPerWakeUp = 16;
    int errors = 0;
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
            if (errno == EAGAIN || errno == EWOULDBLOCK)
            {
                return; // drained
            }
            // Anything else (ECONNREFUSED: an ICMP port unreachable for a datagram we sent)
            // concerns a datagram already gone: skip it and read on, but never spin on an
            // error that does not clear.
            if (++errors > kMaxErrorsPerWakeUp)
            {
                return;
            }
            continue;
        }
        if (from.sin_family != AF_INET)
        {
            continue;
        }
        lpwan::Datagram d;
        d.peer = lpwan::MakePeerId(ntohl(from.sin_addr.s_addr), ntohs(from.sin_port));
        d.bytes.assign(m_buffer.begin(), m_buffer.begin() + n);
        ++m_counters.datagramsReceived;
        out.push_back(std::move(d));
    }
}

std::vector<lpwan::Datagram>
PosixUdpSocket::Wait(int timeoutMs)
{
    pollfd fds[2]{};
    fds[0].fd = m_fd;
    fds[0].events = POLLIN;
    nfds_t count = 1;
    if (m_interruptFd >= 0)
    {
        fds[1].fd = m_interruptFd;
        fds[1].events = POLLIN;
        count = 2;
    }
    std::vector<lpwan::Datagram> received;
    const int r = poll(fds, count, timeoutMs);
    if (r < 0)
    {
        if (errno == EINTR)
        {
            return received;
        }
        throw SystemError("poll");
    }
    if (r > 0 && (fds[0].revents & (POLLIN | POLLERR)) != 0)
    {
        ReceiveAll(received);
    }
    return received;
}

} // namespace lpwan
