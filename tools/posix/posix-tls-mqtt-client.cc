/*
 * MQTT over TLS on real TCP; see posix-tls-mqtt-client.h.
 */

#include "posix-tls-mqtt-client.h"

#include "tcp-stream.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lpwan
{

PosixTlsMqttClient::PosixTlsMqttClient(mqtt::Client& client,
                                       std::shared_ptr<const tls::Config> config)
  : m_client(client)
  , m_config(std::move(config))
  , m_epoch(std::chrono::steady_clock::now())
  , m_buffer(65536)
{
    if (m_config->GetOptions().role != tls::Role::Client
        || m_config->GetOptions().transport != tls::Transport::Stream)
    {
        throw std::invalid_argument("PosixTlsMqttClient needs a TLS (stream) client config");
    }
}

PosixTlsMqttClient::~PosixTlsMqttClient()
{
    Close();
}

lpwan::TimeNs
PosixTlsMqttClient::Now() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now()
                                                                - m_epoch)
        .count();
}

void
PosixTlsMqttClient::Open(const std::string& address, uint16_t port, lpwan::TimeNs timeout)
{
    if (IsOpen())
    {
        throw std::runtime_error("the connection is already open");
    }
    if (m_client.GetState() != mqtt::ClientState::Disconnected)
    {
        throw std::runtime_error("the MQTT client is not disconnected");
    }
    m_fd = ConnectTcp(address, port, timeout);
    m_mqttStarted = false;
    m_session = std::make_unique<tls::Session>(m_config, 0);
    m_session->Start(Now());
    m_handshakeDeadline = Now() + timeout;
    WriteSessionOutput(); // the ClientHello
}

void
PosixTlsMqttClient::Close()
{
    if (m_fd >= 0)
    {
        close(m_fd);
        m_fd = -1;
    }
}

std::string
PosixTlsMqttClient::GetCipherSuite() const
{
    return m_session ? m_session->GetCipherSuite() : "";
}

void
PosixTlsMqttClient::Lost(const std::string& reason)
{
    Close();
    m_handshakeDeadline.reset();
    if (m_mqttStarted)
    {
        m_client.TransportClosed(Now()); // raises ConnectionLost (with the client's reason)
        return;
    }
    // The client never saw this connection: report it in its own terms.
    mqtt::ClientEvent e;
    e.kind = mqtt::ClientEvent::Kind::ConnectionLost;
    e.reason = reason;
    m_ownEvents.push_back(std::move(e));
}

void
PosixTlsMqttClient::WriteFailed()
{
    // A peer that refuses the handshake sends an alert and closes; a write racing with that
    // fails before the alert has been read. Read it, so the reason is the peer's.
    if (m_session->GetState() == tls::State::Handshaking)
    {
        ssize_t n;
        while ((n = recv(m_fd, m_buffer.data(), m_buffer.size(), MSG_DONTWAIT)) > 0)
        {
            m_session->Receive(Now(), m_buffer.data(), static_cast<size_t>(n));
        }
        if (m_session->GetState() == tls::State::Failed)
        {
            m_session->TakeEvents(); // reported here instead
            Lost("TLS " + m_session->GetFailureReason());
            return;
        }
    }
    Lost("TCP write failed");
}

void
PosixTlsMqttClient::WriteSessionOutput()
{
    if (!m_session)
    {
        return;
    }
    for (const lpwan::Datagram& piece : m_session->TakeOutput())
    {
        if (!IsOpen())
        {
            return; // nothing more can be written on this connection
        }
        const size_t written = WriteAll(m_fd, piece.bytes.data(), piece.bytes.size());
        m_bytesWritten += written;
        if (written < piece.bytes.size())
        {
            WriteFailed();
            return;
        }
    }
}

void
PosixTlsMqttClient::Flush()
{
    if (IsOpen() && m_mqttStarted && m_client.HasOutput())
    {
        const mqtt::Bytes bytes = m_client.TakeBytes();
        if (!m_session->Write(Now(), bytes))
        {
            Lost("TLS write failed: " + m_session->GetFailureReason());
        }
    }
    WriteSessionOutput();
}

void
PosixTlsMqttClient::ProcessSession()
{
    for (const tls::Event& e : m_session->TakeEvents())
    {
        switch (e.kind)
        {
            case tls::Event::Kind::Established:
                m_handshakeDeadline.reset();
                if (!m_mqttStarted && m_client.Connect(Now()))
                {
                    m_mqttStarted = true; // the CONNECT is the first application data
                }
                break;
            case tls::Event::Kind::Failed:
                WriteSessionOutput(); // the alert, if mbedTLS wrote one
                Lost("TLS " + e.reason);
                break;
            case tls::Event::Kind::Closed:
                Lost("TLS " + e.reason);
                break;
        }
    }
    for (const std::vector<uint8_t>& data : m_session->Read())
    {
        if (m_mqttStarted)
        {
            m_client.Receive(Now(), data.data(), data.size());
        }
    }
}

void
PosixTlsMqttClient::ReadAvailable()
{
    while (IsOpen())
    {
        const ssize_t n = recv(m_fd, m_buffer.data(), m_buffer.size(), MSG_DONTWAIT);
        if (n > 0)
        {
            m_bytesRead += static_cast<uint64_t>(n);
            m_session->Receive(Now(), m_buffer.data(), static_cast<size_t>(n));
            ProcessSession();
            WriteSessionOutput(); // handshake flights, alerts
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
        Lost(n == 0 ? "the broker closed the TCP connection" : "TCP connection failed");
    }
}

std::vector<mqtt::ClientEvent>
PosixTlsMqttClient::Poll(std::optional<lpwan::TimeNs> until)
{
    Flush();
    if (IsOpen())
    {
        std::optional<lpwan::TimeNs> wake = until;
        for (const std::optional<lpwan::TimeNs>& t :
             {m_mqttStarted ? m_client.NextTimer() : std::nullopt, m_session->NextTimer(),
              m_handshakeDeadline})
        {
            if (t && (!wake || *t < *wake))
            {
                wake = t;
            }
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
    if (IsOpen())
    {
        const std::optional<lpwan::TimeNs> tick = m_session->NextTimer();
        if (tick && *tick <= Now())
        {
            m_session->OnTimer(Now());
            ProcessSession();
        }
    }
    if (IsOpen() && m_handshakeDeadline && *m_handshakeDeadline <= Now())
    {
        Lost("TLS handshake timeout: no answer within the connection timeout");
    }
    if (m_mqttStarted)
    {
        const std::optional<lpwan::TimeNs> next = m_client.NextTimer();
        if (next && *next <= Now())
        {
            m_client.OnTimer(Now());
        }
    }
    Flush();
    if (IsOpen() && m_mqttStarted && m_client.GetState() == mqtt::ClientState::Disconnected)
    {
        // DISCONNECT written, or the connection was lost: end the TLS session properly.
        m_session->Close(Now());
        WriteSessionOutput();
        Close();
    }
    std::vector<mqtt::ClientEvent> events = std::move(m_ownEvents);
    m_ownEvents.clear();
    for (mqtt::ClientEvent& e : m_client.TakeEvents())
    {
        events.push_back(std::move(e));
    }
    return events;
}

} // namespace lpwan
