/*
 * The server side of a real-socket TCP tool: listening on an IPv4 address and accepting one
 * connection with a deadline. The accepted socket is set up like ConnectTcp's (non-blocking,
 * TCP_NODELAY), so the same stream drivers run on either end.
 */
#ifndef LPWAN_TCP_LISTENER_H
#define LPWAN_TCP_LISTENER_H

#include "protocols/common/sans-io.h"

#include <cstdint>
#include <string>

namespace lpwan
{

class TcpListener
{
  public:
    /// Listens on address (an IPv4 literal) and port; port 0 lets the kernel pick one (see
    /// GetPort), which spares a test the race of a "free" port taken before it binds. Throws
    /// std::runtime_error naming the failing step.
    TcpListener(const std::string& address, uint16_t port);
    ~TcpListener();
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;

    /// The port listened on.
    uint16_t GetPort() const
    {
        return m_port;
    }

    /// The next connection (a non-blocking socket the caller owns), or -1 when none arrived
    /// within timeout.
    int Accept(lpwan::TimeNs timeout);

  private:
    int m_fd = -1;
    uint16_t m_port = 0;
};

} // namespace lpwan

#endif // LPWAN_TCP_LISTENER_H
