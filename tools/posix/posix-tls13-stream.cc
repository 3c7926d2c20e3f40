/*
 * The POSIX TLS 1.3 stream driver; see posix-tls13-stream.h.
 */

#include "posix-tls13-stream.h"

#include "tcp-stream.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <utility>

namespace lpwan
{

PosixTls13Stream::PosixTls13Stream(int fd, tls13::Connection& connection)
  : m_fd(fd)
  , m_connection(connection)
  , m_epoch(std::chrono::steady_clock::now())
  , m_buffer(65536)
{
}

PosixTls13Stream::~PosixTls13Stream()
{
    if (m_fd >= 0)
    {
        close(m_fd);
    }
}

lpwan::TimeNs
PosixTls13Stream::Now() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now()
                                                                - m_epoch)
        .count();
}

void
PosixTls13Stream::Flush()
{
    const std::vector<uint8_t> out = m_connection.TakeOutput();
    if (!out.empty() && WriteAll(m_fd, out.data(), out.size()) != out.size())
    {
        // The peer is gone; what the connection still says can never arrive.
        m_writeFailed = true;
    }
}

void
PosixTls13Stream::TakeEvents()
{
    for (const tls13::Event& e : m_connection.TakeEvents())
    {
        if (e.type == tls13::EventType::PeerClosed)
        {
            m_peerClosed = true;
        }
    }
}

void
PosixTls13Stream::Step(lpwan::TimeNs until)
{
    Flush();
    pollfd pfd{m_fd, POLLIN, 0};
    const int r = poll(&pfd, 1, PollTimeoutMs(until - Now()));
    if (r < 0 && errno != EINTR)
    {
        throw std::runtime_error("poll failed");
    }
    if (r > 0)
    {
        while (!m_eof)
        {
            const ssize_t n = recv(m_fd, m_buffer.data(), m_buffer.size(), 0);
            if (n == 0)
            {
                m_eof = true;
            }
            if (n <= 0)
            {
                // EAGAIN: drained. An error (a reset) ends the stream as an EOF does.
                m_eof = m_eof || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
                break;
            }
            m_connection.Receive(Now(),
                                 std::vector<uint8_t>(m_buffer.begin(), m_buffer.begin() + n));
        }
    }
    const std::vector<uint8_t> data = m_connection.TakeApplicationData();
    m_received.insert(m_received.end(), data.begin(), data.end());
    TakeEvents();
    Flush(); // the client's Finished, an alert: sent before the caller looks
}

bool
PosixTls13Stream::Handshake(std::chrono::milliseconds timeout)
{
    const lpwan::TimeNs until
        = Now() + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    Flush(); // a client's ClientHello
    while (!m_connection.IsConnected() && !m_connection.HasFailed() && !m_eof && !m_writeFailed
           && Now() < until)
    {
        Step(until);
    }
    return m_connection.IsConnected();
}

bool
PosixTls13Stream::Send(const std::vector<uint8_t>& data)
{
    if (!m_connection.SendApplicationData(data))
    {
        return false;
    }
    Flush();
    return !m_writeFailed;
}

std::optional<std::vector<uint8_t>>
PosixTls13Stream::Receive(std::chrono::milliseconds timeout)
{
    const lpwan::TimeNs until
        = Now() + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    while (m_received.empty() && m_connection.IsConnected() && !PeerClosed() && Now() < until)
    {
        Step(until);
    }
    if (m_received.empty())
    {
        return std::nullopt;
    }
    return std::exchange(m_received, {});
}

void
PosixTls13Stream::Close()
{
    m_connection.Close();
    Flush();
    shutdown(m_fd, SHUT_WR);
}

} // namespace lpwan
