/*
 * A listening TCP socket; see tcp-listener.h.
 */

#include "tcp-listener.h"

#include "tcp-stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lpwan
{

TcpListener::TcpListener(const std::string& address, uint16_t port)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
    {
        throw std::runtime_error("'" + address + "' is not an IPv4 address");
    }
    m_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
    {
        throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    }
    // A restarted server can take its port back while old connections sit in TIME_WAIT.
    const int one = 1;
    setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    socklen_t len = sizeof(sa);
    if (bind(m_fd, reinterpret_cast<const sockaddr*>(&sa), sizeof(sa)) != 0 || listen(m_fd, 4) != 0
        || getsockname(m_fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0)
    {
        const int e = errno;
        close(m_fd);
        throw std::runtime_error("listen on " + address + ":" + std::to_string(port) + ": "
                                 + std::strerror(e));
    }
    m_port = ntohs(sa.sin_port);
}

TcpListener::~TcpListener()
{
    close(m_fd);
}

int
TcpListener::Accept(lpwan::TimeNs timeout)
{
    pollfd pfd{m_fd, POLLIN, 0};
    if (poll(&pfd, 1, PollTimeoutMs(timeout)) <= 0)
    {
        return -1;
    }
    const int fd = accept4(m_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0)
    {
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    return fd;
}

} // namespace lpwan
