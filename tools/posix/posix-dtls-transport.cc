/*
 * CoAP over DTLS on real sockets; see posix-dtls-transport.h.
 */

#include "posix-dtls-transport.h"

#include "dtls-server-hello.h"

#include <climits>

namespace lpwan
{

PosixDtlsTransport::PosixDtlsTransport(DatagramTransport& lower,
                                       std::shared_ptr<const tls::Config> config)
  : m_lower(lower)
  , m_client(config->GetOptions().role == tls::Role::Client)
  , m_dtls(std::make_unique<tls::DtlsTransport>(std::move(config)))
  , m_epoch(std::chrono::steady_clock::now())
{
}

PosixDtlsTransport::PosixDtlsTransport(DatagramTransport& lower,
                                       std::unique_ptr<tls::DatagramSessionTransport> transport,
                                       bool client)
  : m_lower(lower)
  , m_client(client)
  , m_dtls(std::move(transport))
  , m_epoch(std::chrono::steady_clock::now())
{
}

lpwan::TimeNs
PosixDtlsTransport::Now() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now()
                                                                - m_epoch)
        .count();
}

void
PosixDtlsTransport::Connect(lpwan::PeerId peer)
{
    m_dtls->Connect(peer, Now());
    Pump();
}

void
PosixDtlsTransport::Send(const lpwan::Datagram& datagram)
{
    m_dtls->Send(datagram, Now());
    Pump();
}

std::vector<lpwan::Datagram>
PosixDtlsTransport::Wait(int timeoutMs)
{
    Pump();
    if (const std::optional<lpwan::TimeNs> next = m_dtls->NextTimer())
    {
        // Rounded up, so that the wait never ends just before the deadline and spins.
        const lpwan::TimeNs left = *next - Now();
        const lpwan::TimeNs ms = left <= 0 ? 0 : (left + 999999) / 1000000;
        if (timeoutMs < 0 || ms < timeoutMs)
        {
            timeoutMs = ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
        }
    }
    for (const lpwan::Datagram& d : m_lower.Wait(timeoutMs))
    {
        if (m_client)
        {
            NoteServerHello(d.peer, d.bytes); // a client learns the suite here
        }
        m_dtls->Receive(d.peer, d.bytes.data(), d.bytes.size(), Now());
    }
    Pump();
    return m_dtls->TakePlain();
}

void
PosixDtlsTransport::Pump()
{
    const std::optional<lpwan::TimeNs> next = m_dtls->NextTimer();
    if (next && *next <= Now())
    {
        m_dtls->OnTimer(Now());
    }
    for (lpwan::WireDatagram& w : m_dtls->TakeWire())
    {
        if (!m_client && w.handshake)
        {
            NoteServerHello(w.peer, w.bytes); // a server learns it here
        }
        lpwan::Datagram d;
        d.peer = w.peer;
        d.bytes = std::move(w.bytes);
        d.retransmission = w.retransmission;
        m_lower.Send(d);
    }
    for (const lpwan::TransportEvent& e : m_dtls->TakeEvents())
    {
        if (m_handler)
        {
            m_handler(e, GetCipherSuite(e.peer));
        }
        if (e.kind != lpwan::TransportEvent::Kind::Established)
        {
            m_suites.erase(e.peer); // a server keeps names only for live sessions
        }
    }
}

void
PosixDtlsTransport::NoteServerHello(lpwan::PeerId peer, const std::vector<uint8_t>& bytes)
{
    if (const std::optional<uint16_t> suite
        = FindServerHelloCipherSuite(bytes.data(), bytes.size()))
    {
        m_suites[peer] = CipherSuiteName(*suite);
    }
}

std::string
PosixDtlsTransport::GetCipherSuite(lpwan::PeerId peer) const
{
    const auto it = m_suites.find(peer);
    return it != m_suites.end() ? it->second : "";
}

} // namespace lpwan
