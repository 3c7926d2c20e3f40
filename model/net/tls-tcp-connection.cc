#include "tls-tcp-connection.h"

#include "energy/mcu-schedule.h"
#include "net/simulator-time.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TlsTcpConnection");

TlsTcpConnection::TlsTcpConnection(Ptr<Socket> socket,
                                   std::unique_ptr<lpwan::tls::StreamSession> session,
                                   Ipv4Address deviceAddress, Ptr<MessageLedger> ledger,
                                   Callbacks callbacks)
  : m_socket(socket)
  , m_session(std::move(session))
  , m_device(deviceAddress)
  , m_ledger(ledger)
  , m_callbacks(std::move(callbacks))
  , m_lastActivity(Simulator::Now())
{
    m_socket->SetConnectCallback(MakeCallback(&TlsTcpConnection::ConnectionSucceeded, this),
                                 MakeCallback(&TlsTcpConnection::ConnectionFailed, this));
    m_socket->SetCloseCallbacks(MakeCallback(&TlsTcpConnection::PeerClosed, this),
                                MakeCallback(&TlsTcpConnection::PeerError, this));
    m_socket->SetRecvCallback(MakeCallback(&TlsTcpConnection::Receive, this));
    m_socket->SetSendCallback(MakeCallback(&TlsTcpConnection::SendSpace, this));
    if (m_session->GetRole() == lpwan::tls::Role::Server)
    {
        m_session->Start(SimulatorNowNs());
        Flush();
    }
}

TlsTcpConnection::~TlsTcpConnection()
{
    // The owner closed or abandoned the connection before; the socket finishes its own
    // closing in TCP. Only stop it from calling back into a deleted object.
    m_timer.Cancel();
    Detach();
}

void
TlsTcpConnection::Detach()
{
    m_socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                                 MakeNullCallback<void, Ptr<Socket>>());
    m_socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                MakeNullCallback<void, Ptr<Socket>>());
    m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    m_socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
}

bool
TlsTcpConnection::IsUplink() const
{
    return m_session->GetRole() == lpwan::tls::Role::Client;
}

uint64_t
TlsTcpConnection::HandshakeOwner() const
{
    return m_ledger ? m_ledger->GetHandshakeOwner(m_device.Get()) : MessageTag::kNoMessage;
}

void
TlsTcpConnection::ConnectionSucceeded(Ptr<Socket> socket)
{
    m_lastActivity = Simulator::Now();
    m_session->Start(SimulatorNowNs());
    Flush();
}

void
TlsTcpConnection::ConnectionFailed(Ptr<Socket> socket)
{
    Finish("tcp connection failed");
}

void
TlsTcpConnection::PeerClosed(Ptr<Socket> socket)
{
    Finish("tcp closed by peer");
}

void
TlsTcpConnection::PeerError(Ptr<Socket> socket)
{
    Finish("tcp error: " + std::to_string(static_cast<int>(socket->GetErrno())));
}

void
TlsTcpConnection::Receive(Ptr<Socket> socket)
{
    Ptr<Packet> packet;
    while (!m_over && (packet = socket->Recv()))
    {
        if (packet->GetSize() == 0)
        {
            continue;
        }
        m_lastActivity = Simulator::Now();
        std::vector<uint8_t> bytes(packet->GetSize());
        packet->CopyData(bytes.data(), bytes.size());
        m_session->Receive(SimulatorNowNs(), bytes.data(), bytes.size());
        Flush();
        if (m_over)
        {
            return;
        }
        std::vector<std::vector<uint8_t>> plain = m_session->Read();
        for (const auto& piece : plain)
        {
            if (m_callbacks.data && !m_over)
            {
                m_callbacks.data(piece);
            }
        }
    }
}

void
TlsTcpConnection::OnTimer()
{
    m_session->OnTimer(SimulatorNowNs());
    Flush();
}

Ptr<Packet>
TlsTcpConnection::TakeSessionOutput()
{
    Ptr<Packet> packet = Create<Packet>();
    for (const lpwan::Datagram& d : m_session->TakeOutput())
    {
        packet->AddAtEnd(Create<Packet>(d.bytes.data(), d.bytes.size()));
    }
    return packet;
}

void
TlsTcpConnection::SendControlOutput()
{
    // Outside Write(): handshake flights and alerts, all security bytes.
    Ptr<Packet> packet = TakeSessionOutput();
    StreamBytesTag tag;
    tag.messageId = HandshakeOwner();
    tag.layer = StreamBytesTag::Layer::Security;
    tag.uplink = IsUplink();
    tag.handshake = true;
    packet->AddByteTag(tag, 0, packet->GetSize());
    Transmit(packet);
}

void
TlsTcpConnection::Flush()
{
    if (m_over)
    {
        return;
    }
    SendControlOutput();
    for (const lpwan::tls::Event& e : m_session->TakeEvents())
    {
        if (m_over)
        {
            return;
        }
        switch (e.kind)
        {
            case lpwan::tls::Event::Kind::Established:
                CountHandshake(lpwan::tls::HandshakeFigures::Outcome::Completed, "");
                if (m_callbacks.established)
                {
                    m_callbacks.established(m_session->GetStats().resumed);
                }
                break;
            case lpwan::tls::Event::Kind::Failed:
                CountHandshake(lpwan::tls::HandshakeFigures::Outcome::Failed, e.reason);
                Finish("tls failed: " + e.reason);
                return;
            case lpwan::tls::Event::Kind::Closed:
                Finish("tls closed: " + e.reason);
                return;
        }
    }
    m_timer.Cancel();
    if (std::optional<lpwan::TimeNs> next = m_session->NextTimer())
    {
        // Started when the records leave the device's MCU (energy/mcu-schedule.h).
        Time delay = DelayUntil(*next) + McuSchedule::BusyTimeOf(m_socket->GetNode());
        m_timer = Simulator::Schedule(delay, &TlsTcpConnection::OnTimer, this);
    }
}

bool
TlsTcpConnection::Write(const std::vector<uint8_t>& plaintext, const std::vector<Range>& ranges)
{
    if (!IsEstablished())
    {
        return false;
    }
    size_t maxRecord = std::max<size_t>(1, m_session->MaxWriteSize());
    const size_t recordFront = m_session->RecordPlaintextOffset();
    size_t rangeIndex = 0;
    size_t rangeUsed = 0; // bytes of ranges[rangeIndex] already placed
    for (size_t offset = 0; offset < plaintext.size();)
    {
        size_t n = std::min(maxRecord, plaintext.size() - offset);
        if (!m_session->Write(SimulatorNowNs(), plaintext.data() + offset, n))
        {
            Flush();
            return false;
        }
        Ptr<Packet> packet = TakeSessionOutput();
        uint32_t size = packet->GetSize();
        bool uplink = IsUplink();
        auto tagRange = [&](uint64_t id, StreamBytesTag::Layer layer, uint32_t from, uint32_t to,
                            bool handshake = false)
        {
            if (to <= from)
            {
                return;
            }
            StreamBytesTag tag;
            tag.messageId = id;
            tag.layer = layer;
            tag.uplink = uplink;
            tag.handshake = handshake;
            packet->AddByteTag(tag, from, to);
        };
        // The record's own bytes belong to the message of the plaintext it carries.
        uint64_t recordOwner = rangeIndex < ranges.size() ? ranges[rangeIndex].messageId : 0;
        bool recordHandshake = rangeIndex < ranges.size() && ranges[rangeIndex].handshake;
        if (size < n + recordFront)
        {
            tagRange(recordOwner, StreamBytesTag::Layer::Security, 0, size, recordHandshake);
        }
        else
        {
            tagRange(recordOwner, StreamBytesTag::Layer::Security, 0, recordFront, recordHandshake);
            uint32_t pos = recordFront;
            size_t left = n;
            while (left > 0 && rangeIndex < ranges.size())
            {
                const Range& r = ranges[rangeIndex];
                size_t take = std::min(left, r.length - rangeUsed);
                tagRange(r.messageId, r.layer, pos, pos + take, r.handshake);
                pos += take;
                left -= take;
                rangeUsed += take;
                if (rangeUsed == r.length)
                {
                    ++rangeIndex;
                    rangeUsed = 0;
                }
            }
            tagRange(recordOwner, StreamBytesTag::Layer::App, pos, pos + left); // unlabelled
            tagRange(recordOwner, StreamBytesTag::Layer::Security, pos + left, size,
                     recordHandshake);
        }
        Transmit(packet);
        offset += n;
    }
    Flush();
    return true;
}

void
TlsTcpConnection::Transmit(Ptr<Packet> packet)
{
    if (packet->GetSize() == 0)
    {
        return;
    }
    m_lastActivity = Simulator::Now();
    m_pending.push_back(packet);
    Drain();
}

void
TlsTcpConnection::Drain()
{
    while (!m_pending.empty() && m_socket)
    {
        Ptr<Packet> p = m_pending.front();
        if (m_socket->GetTxAvailable() < p->GetSize())
        {
            return; // SendSpace() resumes
        }
        if (m_socket->Send(p) < 0)
        {
            NS_LOG_WARN("TCP refused " << p->GetSize() << " bytes: errno "
                                       << static_cast<int>(m_socket->GetErrno()));
            return;
        }
        m_pending.pop_front();
    }
    if (m_pending.empty() && m_closeWhenDrained && m_socket)
    {
        m_closeWhenDrained = false;
        // Only the server closes TCP (see the header): a device forgets its side.
        if (m_session->GetRole() == lpwan::tls::Role::Server)
        {
            m_socket->Close();
        }
    }
}

void
TlsTcpConnection::SendSpace(Ptr<Socket> socket, uint32_t available)
{
    Drain();
}

void
TlsTcpConnection::Close()
{
    if (m_over)
    {
        return;
    }
    m_session->Close(SimulatorNowNs());
    SendControlOutput();
    m_session->TakeEvents();
    m_over = true;
    m_timer.Cancel();
    m_closeWhenDrained = true;
    Drain();
}

void
TlsTcpConnection::Abandon()
{
    if (m_over)
    {
        return;
    }
    m_over = true;
    m_timer.Cancel();
    m_pending.clear();
    m_closeWhenDrained = true;
    Drain();
}

void
TlsTcpConnection::Finish(const std::string& reason)
{
    if (m_over)
    {
        return;
    }
    NS_LOG_INFO("connection of " << m_device << " over: " << reason);
    const lpwan::tls::SessionStats& st = m_session->GetStats();
    if (m_session->GetState() == lpwan::tls::State::Handshaking
        && (m_session->GetRole() == lpwan::tls::Role::Client || st.handshakeStart >= 0))
    {
        CountHandshake(lpwan::tls::HandshakeFigures::Outcome::Failed, reason);
    }
    m_over = true;
    m_timer.Cancel();
    // Whatever TLS still wanted to say (an alert) goes out before TCP's FIN.
    m_closeWhenDrained = true;
    Drain();
    if (m_callbacks.closed)
    {
        m_callbacks.closed(reason);
    }
}

void
TlsTcpConnection::CountHandshake(lpwan::tls::HandshakeFigures::Outcome outcome,
                                 const std::string& failure)
{
    if (m_counted || m_figures == nullptr)
    {
        return;
    }
    m_counted = true;
    m_figures->Add(m_session->GetStats(), m_countStart, outcome, failure);
}

void
TlsTcpConnection::CountOpenHandshake()
{
    if (m_session->GetRole() == lpwan::tls::Role::Server
        && m_session->GetStats().handshakeStart < 0)
    {
        return; // never saw a ClientHello
    }
    CountHandshake(lpwan::tls::HandshakeFigures::Outcome::Open, "");
}

} // namespace ns3
