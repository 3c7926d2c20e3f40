/*
 * The POSIX DTLS server driver; see posix-dtls-server.h.
 */

#include "posix-dtls-server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
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

PosixDtlsServer::PosixDtlsServer(std::shared_ptr<const tls::Config> config,
                                 const std::string& address, uint16_t port,
                                 const tls::DtlsServerOptions& options)
  : m_epoch(std::chrono::steady_clock::now())
  , m_server(std::make_unique<tls::DtlsServer>(std::move(config), options))
  , m_buffer(65536)
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
    socklen_t len = sizeof(sa);
    if (bind(m_fd, reinterpret_cast<const sockaddr*>(&sa), sizeof(sa)) != 0
        || getsockname(m_fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0)
    {
        const std::runtime_error e = SystemError("bind " + address + ":" + std::to_string(port));
        close(m_fd);
        throw e;
    }
    m_localPort = ntohs(sa.sin_port);
}

PosixDtlsServer::~PosixDtlsServer()
{
    if (m_fd >= 0)
    {
        close(m_fd);
    }
}

lpwan::TimeNs
PosixDtlsServer::Now() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now()
                                                                - m_epoch)
        .count();
}

void
PosixDtlsServer::Flush()
{
    for (const lpwan::Datagram& d : m_server->TakeOutput())
    {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(static_cast<uint32_t>(d.peer >> 16));
        to.sin_port = htons(static_cast<uint16_t>(d.peer & 0xffff));
        // A refused send is a lost datagram: DTLS retransmits.
        (void) sendto(m_fd, d.bytes.data(), d.bytes.size(), 0,
                      reinterpret_cast<const sockaddr*>(&to), sizeof(to));
    }
}

std::vector<tls::ReceivedData>
PosixDtlsServer::Poll(lpwan::TimeNs until)
{
    Flush();
    lpwan::TimeNs wake = until;
    if (const std::optional<lpwan::TimeNs> t = m_server->NextTimer(); t && *t < wake)
    {
        wake = *t;
    }
    const lpwan::TimeNs left = wake - Now();
    const lpwan::TimeNs ms = left <= 0 ? 0 : (left + 999999) / 1000000;
    pollfd pfd{};
    pfd.fd = m_fd;
    pfd.events = POLLIN;
    const int r = poll(&pfd, 1, ms > INT_MAX ? INT_MAX : static_cast<int>(ms));
    if (r < 0 && errno != EINTR)
    {
        throw SystemError("poll");
    }
    if (r > 0)
    {
        while (true)
        {
            sockaddr_in from{};
            socklen_t len = sizeof(from);
            const ssize_t n = recvfrom(m_fd, m_buffer.data(), m_buffer.size(), 0,
                                       reinterpret_cast<sockaddr*>(&from), &len);
            if (n < 0)
            {
                break;
            }
            if (from.sin_family != AF_INET)
            {
                continue;
            }
            m_server->Receive(Now(),
                              lpwan::MakePeerId(ntohl(from.sin_addr.s_addr), ntohs(from.sin_port)),
                              m_buffer.data(), static_cast<size_t>(n));
        }
    }
    m_server->OnTimer(Now());
    Flush();
    return m_server->Read();
}

bool
PosixDtlsServer::Send(lpwan::PeerId peer, const std::vector<uint8_t>& message)
{
    const bool ok = m_server->Write(Now(), peer, message);
    Flush();
    return ok;
}

} // namespace lpwan
