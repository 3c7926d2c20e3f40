/*
 * The POSIX (D)TLS client driver; see posix-tls-client.h.
 */

#include "posix-tls-client.h"

#include "ipv4-peer.h"

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

int
PollTimeoutMs(lpwan::TimeNs left)
{
    // Rounded up, so that the loop never wakes just before a deadline and spins.
    const lpwan::TimeNs ms = left <= 0 ? 0 : (left + 999999) / 1000000;
    return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

} // namespace

PosixTlsClient::PosixTlsClient(std::shared_ptr<const tls::Config> config, const std::string& host,
                               uint16_t port, const tls::SessionOptions& options,
                               std::chrono::milliseconds connectTimeout)
  : m_epoch(std::chrono::steady_clock::now())
  , m_buffer(65536)
{
    if (!config || config->GetOptions().role != tls::Role::Client)
    {
        throw std::invalid_argument("PosixTlsClient needs a client Config");
    }
    const bool stream = config->GetOptions().transport == tls::Transport::Stream;
    m_stream = stream;
    std::string error;
    const std::optional<uint32_t> address = ResolveIpv4(host, &error);
    if (!address)
    {
        throw std::runtime_error(error);
    }
    m_fd = socket(AF_INET, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
    {
        throw SystemError("socket");
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(*address);
    sa.sin_port = htons(port);
    // UDP: a connected socket receives only the server's datagrams (and ICMP errors).
    int rc = connect(m_fd, reinterpret_cast<const sockaddr*>(&sa), sizeof(sa));
    if (rc != 0 && errno == EINPROGRESS)
    {
        pollfd pfd{};
        pfd.fd = m_fd;
        pfd.events = POLLOUT;
        int soError = ETIMEDOUT;
        socklen_t len = sizeof(soError);
        if (poll(&pfd, 1, static_cast<int>(connectTimeout.count())) == 1)
        {
            getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &soError, &len);
        }
        errno = soError;
        rc = soError == 0 ? 0 : -1;
    }
    if (rc != 0)
    {
        const std::runtime_error e = SystemError("connect " + host + ":" + std::to_string(port));
        close(m_fd);
        throw e;
    }
    m_session = std::make_unique<tls::Session>(std::move(config), lpwan::MakePeerId(*address, port),
                                               options);
}

PosixTlsClient::~PosixTlsClient()
{
    if (m_fd >= 0)
    {
        close(m_fd);
    }
}

lpwan::TimeNs
PosixTlsClient::Now() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now()
                                                                - m_epoch)
        .count();
}

void
PosixTlsClient::Flush()
{
    for (const lpwan::Datagram& d : m_session->TakeOutput())
    {
        size_t offset = 0;
        while (offset < d.bytes.size())
        {
            const ssize_t n
                = send(m_fd, d.bytes.data() + offset, d.bytes.size() - offset, MSG_NOSIGNAL);
            if (n >= 0)
            {
                offset += static_cast<size_t>(n);
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK)
            {
                // TCP send buffer full: wait for room (bounded; the peer reads).
                pollfd pfd{};
                pfd.fd = m_fd;
                pfd.events = POLLOUT;
                if (poll(&pfd, 1, 5000) == 1)
                {
                    continue;
                }
            }
            // UDP: a refused send is a lost datagram, which DTLS retransmits. TCP: the
            // connection is gone; the session notices nothing more arrives.
            break;
        }
    }
}

void
PosixTlsClient::Step(lpwan::TimeNs until)
{
    Flush();
    lpwan::TimeNs wake = until;
    if (const std::optional<lpwan::TimeNs> t = m_session->NextTimer(); t && *t < wake)
    {
        wake = *t;
    }
    pollfd pfd{};
    pfd.fd = m_fd;
    pfd.events = POLLIN;
    const int r = m_eof ? 0 : poll(&pfd, 1, PollTimeoutMs(wake - Now()));
    if (r < 0 && errno != EINTR)
    {
        throw SystemError("poll");
    }
    if (r > 0)
    {
        while (true)
        {
            const ssize_t n = recv(m_fd, m_buffer.data(), m_buffer.size(), 0);
            if (n == 0 && m_stream)
            {
                m_eof = true; // the TCP peer closed its side (UDP: an empty datagram)
            }
            if (n <= 0)
            {
                break; // EAGAIN: drained; an ICMP error: the session's timer copes
            }
            m_session->Receive(Now(), m_buffer.data(), static_cast<size_t>(n));
        }
    }
    m_session->OnTimer(Now());
    for (std::vector<uint8_t>& message : m_session->Read())
    {
        m_messages.push_back(std::move(message));
    }
    Flush();
}

bool
PosixTlsClient::Handshake(std::chrono::milliseconds timeout)
{
    const lpwan::TimeNs until
        = Now() + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    m_session->Start(Now());
    while (m_session->GetState() == tls::State::Handshaking && Now() < until && !m_eof)
    {
        Step(until);
    }
    return m_session->GetState() == tls::State::Established;
}

bool
PosixTlsClient::Send(const std::vector<uint8_t>& message)
{
    const bool ok = m_session->Write(Now(), message);
    Flush();
    return ok;
}

std::optional<std::vector<uint8_t>>
PosixTlsClient::Receive(std::chrono::milliseconds timeout)
{
    const lpwan::TimeNs until
        = Now() + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    while (m_messages.empty() && m_session->GetState() == tls::State::Established && Now() < until
           && !m_eof)
    {
        Step(until);
    }
    if (m_messages.empty())
    {
        return std::nullopt;
    }
    std::vector<uint8_t> message = std::move(m_messages.front());
    m_messages.erase(m_messages.begin());
    return message;
}

void
PosixTlsClient::Close()
{
    m_session->Close(Now());
    Flush();
}

} // namespace lpwan
