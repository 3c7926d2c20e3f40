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

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <stdexcept>

namespace ns3
{

namespace
{

std::runtime_error
SystemError(const std::string& what, int error)
{
    return std::runtime_error(what + ": " + std::strerror(error));
}

int
PollTimeoutMs(lpwan::TimeNs left)
{
    const lpwan::TimeNs ms = left <= 0 ? 0 : (left + 999999) / 1000000;
    return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

} // namespace

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
            close(fd);
            if (r == 0)
            {
                throw std::runtime_error("connect " + where + ": timed out");
            }
            throw SystemError("connect " + where, error != 0 ? error : errno);
        }
    }
    m_fd = fd;
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
    size_t done = 0;
    while (IsOpen() && done < bytes.size())
    {
        const ssize_t n = send(m_fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n > 0)
        {
            done += static_cast<size_t>(n);
            m_bytesWritten += static_cast<uint64_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
        {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
            pollfd pfd{m_fd, POLLOUT, 0};
            if (poll(&pfd, 1, 5000) > 0)
            {
                continue;
            }
        }
        Lost(); // the peer is gone or the stream is stuck: the rest can never be written
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
            throw SystemError("poll", errno);
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

} // namespace ns3
