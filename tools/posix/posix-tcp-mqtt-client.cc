/*
 * The POSIX TCP driver of the MQTT client; see posix-tcp-mqtt-client.h.
 *
 * The socket is non-blocking: poll() says when to read, and a read drains everything queued,
 * handing each piece to the client with the time it was read. Writes wait (poll for POLLOUT,
 * up to 5 s) only if the kernel's send buffer is full, which MQTT's small packets hardly ever
 * cause. TCP_NODELAY is set so that each packet leaves at once, as on a device. poll()
 * timeouts are rounded up to whole milliseconds so the loop never wakes just before a
 * deadline and spins.
 */

#include "posix-tcp-mqtt-client.h"

#include "tcp-stream.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lpwan
{

PosixTcpMqttClient::PosixTcpMqttClient(mqtt::Client& client)
  : m_client(client)
  , m_epoch(std::chrono::steady_clock::now())
  , m_buffer(65536)
{
}

PosixTcpMqttClient::~PosixTcpMqttClient()
{
    Close();
}

lpwan::TimeNs
PosixTcpMqttClient::Now() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now()
                                                                - m_epoch)
        .count();
}

void
PosixTcpMqttClient::Open(const std::string& address, uint16_t port, lpwan::TimeNs timeout)
{
    if (IsOpen())
    {
        throw std::runtime_error("the connection is already open");
    }
    m_fd = ConnectTcp(address, port, timeout);
    if (!m_client.Connect(Now()))
    {
        Close();
        throw std::runtime_error("the MQTT client is not disconnected");
    }
    Flush();
}

void
PosixTcpMqttClient::Close()
{
    if (m_fd >= 0)
    {
        close(m_fd);
        m_fd = -1;
    }
}

void
PosixTcpMqttClient::Lost()
{
    Close();
    m_client.TransportClosed(Now());
}

void
PosixTcpMqttClient::Flush()
{
    const mqtt::Bytes bytes = m_client.TakeBytes();
    if (!IsOpen() || bytes.empty())
    {
        return;
    }
    const size_t written = WriteAll(m_fd, bytes.data(), bytes.size());
    m_bytesWritten += written;
    if (written < bytes.size())
    {
        Lost(); // the rest can never be written
    }
}

void
PosixTcpMqttClient::ReadAvailable()
{
    while (IsOpen())
    {
        const ssize_t n = recv(m_fd, m_buffer.data(), m_buffer.size(), MSG_DONTWAIT);
        if (n > 0)
        {
            m_bytesRead += static_cast<uint64_t>(n);
            m_client.Receive(Now(), m_buffer.data(), static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
        {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
            return;
        }
        Lost(); // 0: the peer closed; < 0: reset or another failure
    }
}

std::vector<mqtt::ClientEvent>
PosixTcpMqttClient::Poll(std::optional<lpwan::TimeNs> until)
{
    Flush();
    if (IsOpen())
    {
        std::optional<lpwan::TimeNs> wake = m_client.NextTimer();
        if (until && (!wake || *until < *wake))
        {
            wake = until;
        }
        pollfd pfd{m_fd, POLLIN, 0};
        const int r = poll(&pfd, 1, wake ? PollTimeoutMs(*wake - Now()) : -1);
        if (r < 0 && errno != EINTR)
        {
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        }
        if (r > 0)
        {
            ReadAvailable();
        }
    }
    const std::optional<lpwan::TimeNs> next = m_client.NextTimer();
    if (next && *next <= Now())
    {
        m_client.OnTimer(Now());
    }
    Flush();
    if (IsOpen() && m_client.GetState() == mqtt::ClientState::Disconnected)
    {
        Close(); // DISCONNECT written, or the connection was lost: the stream is done
    }
    return m_client.TakeEvents();
}

} // namespace lpwan
