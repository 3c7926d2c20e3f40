/*
 * The POSIX DTLS client driver; see posix-dtls-client.h.
 */

#include "posix-dtls-client.h"

#include "posix-udp-driver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
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
SystemError(const std::string& what)
{
    return std::runtime_error(what + ": " + std::strerror(errno));
}

} // namespace

PosixDtlsClient::PosixDtlsClient(std::shared_ptr<const tls::Config> config, const std::string& host,
                                 uint16_t port, const tls::SessionOptions& options)
  : m_epoch(std::chrono::steady_clock::now())
  , m_buffer(65536)
{
    if (!config || config->GetOptions().role != tls::Role::Client
        || config->GetOptions().transport != tls::Transport::Datagram)
    {
        throw std::invalid_argument("PosixDtlsClient needs a DTLS client Config");
    }
    std::string error;
    const std::optional<uint32_t> address = PosixUdpDriver::ResolveIpv4(host, &error);
    if (!address)
    {
        throw std::runtime_error(error);
    }
    m_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
    {
        throw SystemError("socket");
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(*address);
    sa.sin_port = htons(port);
    // A connected socket receives only the server's datagrams (and ICMP errors).
    if (connect(m_fd, reinterpret_cast<const sockaddr*>(&sa), sizeof(sa)) != 0)
    {
        const std::runtime_error e = SystemError("connect " + host);
        close(m_fd);
        throw e;
    }
    m_session = std::make_unique<tls::Session>(std::move(config), lpwan::MakePeerId(*address, port),
                                               options);
}

PosixDtlsClient::~PosixDtlsClient()
{
    if (m_fd >= 0)
    {
        close(m_fd);
    }
}

lpwan::TimeNs
PosixDtlsClient::Now() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now()
                                                                - m_epoch)
        .count();
}

void
PosixDtlsClient::Flush()
{
    for (const lpwan::Datagram& d : m_session->TakeOutput())
    {
        // A refused send (no route, buffer full) is a lost datagram: DTLS retransmits.
        (void) send(m_fd, d.bytes.data(), d.bytes.size(), 0);
    }
}

void
PosixDtlsClient::Step(lpwan::TimeNs until)
{
    Flush();
    lpwan::TimeNs wake = until;
    if (const std::optional<lpwan::TimeNs> t = m_session->NextTimer(); t && *t < wake)
    {
        wake = *t;
    }
    const lpwan::TimeNs left = wake - Now();
    // Rounded up, so that the loop never wakes just before a deadline and spins.
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
            const ssize_t n = recv(m_fd, m_buffer.data(), m_buffer.size(), 0);
            if (n < 0)
            {
                break; // EAGAIN: drained; an ICMP error: the session's timer copes
            }
            m_session->Receive(Now(), m_buffer.data(), static_cast<size_t>(n));
        }
    }
    m_session->Tick(Now());
    for (std::vector<uint8_t>& message : m_session->Read())
    {
        m_messages.push_back(std::move(message));
    }
    Flush();
}

bool
PosixDtlsClient::Handshake(std::chrono::milliseconds timeout)
{
    const lpwan::TimeNs until
        = Now() + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    m_session->Start(Now());
    while (m_session->GetState() == tls::State::Handshaking && Now() < until)
    {
        Step(until);
    }
    return m_session->GetState() == tls::State::Established;
}

bool
PosixDtlsClient::Send(const std::vector<uint8_t>& message)
{
    const bool ok = m_session->Write(Now(), message);
    Flush();
    return ok;
}

std::optional<std::vector<uint8_t>>
PosixDtlsClient::Receive(std::chrono::milliseconds timeout)
{
    const lpwan::TimeNs until
        = Now() + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    while (m_messages.empty() && m_session->GetState() == tls::State::Established && Now() < until)
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
PosixDtlsClient::Close()
{
    m_session->Close(Now());
    Flush();
}

} // namespace ns3
