/*
 * Loopback ports for tests that run peers over real sockets. A port found free may be taken
 * by another process before the peer binds it: callers that cannot let the peer bind port 0
 * retry.
 */
#ifndef LPWAN_TEST_SUPPORT_FREE_PORT_H
#define LPWAN_TEST_SUPPORT_FREE_PORT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <stdexcept>

namespace lpwantest
{

/// A socket of `type` (SOCK_DGRAM, SOCK_STREAM) bound to 127.0.0.1 on a port the kernel
/// picks, which *port receives. Throws std::runtime_error when it cannot.
inline int
OpenLoopbackSocket(uint16_t* port, int type = SOCK_DGRAM)
{
    const int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sa);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0
        || getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0)
    {
        if (fd >= 0)
        {
            close(fd);
        }
        throw std::runtime_error(type == SOCK_STREAM ? "cannot find a free TCP port"
                                                     : "cannot open a loopback UDP socket");
    }
    *port = ntohs(sa.sin_port);
    return fd;
}

/// A UDP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
inline uint16_t
FreeUdpPort()
{
    uint16_t port = 0;
    close(OpenLoopbackSocket(&port, SOCK_DGRAM));
    return port;
}

/// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
inline uint16_t
FreeTcpPort()
{
    uint16_t port = 0;
    close(OpenLoopbackSocket(&port, SOCK_STREAM));
    return port;
}

/// True when `port` on 127.0.0.1 can be bound with socket type `type` right now.
inline bool
PortFree(uint16_t port, int type)
{
    const int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
    {
        return false;
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    const bool ok = bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof(sa)) == 0;
    close(fd);
    return ok;
}

/// A port p such that p .. p+count-1 are free for both UDP and TCP on 127.0.0.1, for peers
/// that take consecutive ports (a race with other processes remains possible; callers retry).
inline std::optional<uint16_t>
FreePorts(int count, uint32_t salt)
{
    for (uint32_t attempt = 0; attempt < 200; ++attempt)
    {
        const uint16_t base = static_cast<uint16_t>(
            20000
            + (static_cast<uint32_t>(getpid()) * 7919u + salt * 131u + attempt * 977u) % 40000u);
        bool free = true;
        for (int i = 0; i < count && free; ++i)
        {
            free = PortFree(static_cast<uint16_t>(base + i), SOCK_DGRAM)
                   && PortFree(static_cast<uint16_t>(base + i), SOCK_STREAM);
        }
        if (free)
        {
            return base;
        }
    }
    return std::nullopt;
}

} // namespace lpwantest

#endif // LPWAN_TEST_SUPPORT_FREE_PORT_H
