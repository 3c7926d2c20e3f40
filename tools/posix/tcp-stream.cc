/*
 * TCP socket helpers; see tcp-stream.h.
 */

#include "tcp-stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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
SystemError(const std::string& what, int error)
{
    return std::runtime_error(what + ": " + std::strerror(error));
}

} // namespace

int
PollTimeoutMs(lpwan::TimeNs left)
{
    const lpwan::TimeNs ms = left <= 0 ? 0 : (left + 999999) / 1000000;
    return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

int
ConnectTcp(const std::string& address, uint16_t port, lpwan::TimeNs timeout)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
    {
        throw std::runtime_error("'" + address + "' is not an IPv4 address");
    }
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
    {
        throw SystemError("socket", errno);
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    const std::string where = address + ":" + std::to_string(port);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof(sa)) != 0)
    {
        if (errno != EINPROGRESS)
        {
            const int e = errno;
            close(fd);
            throw SystemError("connect " + where, e);
        }
        pollfd pfd{fd, POLLOUT, 0};
        const int r = poll(&pfd, 1, PollTimeoutMs(timeout));
        int error = 0;
        socklen_t len = sizeof(error);
        if (r <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0)
        {
            const int e = error != 0 ? error : errno;
            close(fd);
            if (r == 0)
            {
                throw std::runtime_error("connect " + where + ": timed out");
            }
            throw SystemError("connect " + where, e);
        }
    }
    return fd;
}

size_t
WriteAll(int fd, const uint8_t* data, size_t size)
{
    size_t done = 0;
    while (done < size)
    {
        const ssize_t n = send(fd, data + done, size - done, MSG_NOSIGNAL);
        if (n > 0)
        {
            done += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
        {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
            pollfd pfd{fd, POLLOUT, 0};
            if (poll(&pfd, 1, 5000) > 0)
            {
                continue;
            }
        }
        break; // the peer is gone or the stream is stuck: the rest can never be written
    }
    return done;
}

} // namespace lpwan
