#include "coap-udp-binding.h"

#include "energy/mcu-schedule.h"
#include "protocols/coap/coap-codec.h"

#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CoapUdpBinding");

lpwan::TimeNs
CoapUdpBinding::Now()
{
    return Simulator::Now().GetNanoSeconds();
}

lpwan::PeerId
CoapUdpBinding::ToPeer(const InetSocketAddress& address)
{
    return lpwan::MakePeerId(address.GetIpv4().Get(), address.GetPort());
}

InetSocketAddress
CoapUdpBinding::ToAddress(lpwan::PeerId peer)
{
    return InetSocketAddress(Ipv4Address(static_cast<uint32_t>(peer >> 16)),
                             static_cast<uint16_t>(peer & 0xffff));
}

void
CoapUdpBinding::Start(Ptr<Socket> socket, lpwan::coap::Endpoint* endpoint, Side side,
                      Ipv4Address localAddress, Ptr<MessageLedger> ledger, EventHandler handler)
{
    m_socket = socket;
    m_endpoint = endpoint;
    m_side = side;
    m_localAddress = localAddress.Get();
    m_ledger = ledger;
    m_handler = std::move(handler);
    m_socket->SetRecvCallback(MakeCallback(&CoapUdpBinding::HandleRead, this));
}

void
CoapUdpBinding::SetTransport(lpwan::SecureDatagramTransport* transport, TransportHandler handler)
{
    m_transport = transport;
    m_transportHandler = std::move(handler);
}

void
CoapUdpBinding::ReplaceSocket(Ptr<Socket> socket)
{
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
    }
    m_socket = socket;
    m_socket->SetRecvCallback(MakeCallback(&CoapUdpBinding::HandleRead, this));
}

void
CoapUdpBinding::Stop()
{
    m_timer.Cancel();
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
    m_endpoint = nullptr;
}

void
CoapUdpBinding::HandleRead(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> packet;
    while ((packet = socket->RecvFrom(from)))
    {
        if (m_endpoint == nullptr || !InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        std::vector<uint8_t> bytes(packet->GetSize());
        packet->CopyData(bytes.data(), bytes.size());
        lpwan::PeerId peer = ToPeer(InetSocketAddress::ConvertFrom(from));
        m_lastActivity = Simulator::Now();
        if (m_audit != nullptr)
        {
            m_audit->BeginDatagram(packet);
            m_auditPlaintexts = 0;
        }
        if (m_transport != nullptr)
        {
            m_transport->Receive(peer, bytes.data(), bytes.size(), Now());
        }
        else
        {
            ReceivePlain(lpwan::Datagram{peer, std::move(bytes), false});
        }
        Flush();
        if (m_audit != nullptr)
        {
            m_audit->EndDatagram(m_transport != nullptr ? std::optional<size_t>(m_auditPlaintexts)
                                                        : std::nullopt);
        }
    }
}

void
CoapUdpBinding::ReceivePlain(const lpwan::Datagram& d)
{
    Attribute(d.peer, d.bytes, false, nullptr);
    m_endpoint->Receive(d.peer, d.bytes.data(), d.bytes.size(), Now());
}

void
CoapUdpBinding::HandleTimer()
{
    if (m_endpoint == nullptr)
    {
        return;
    }
    lpwan::TimeNs now = Now();
    if (auto next = m_endpoint->NextTimer(); next && *next <= now)
    {
        m_endpoint->OnTimer(now);
    }
    if (m_transport != nullptr)
    {
        if (auto next = m_transport->NextTimer(); next && *next <= now)
        {
            m_transport->OnTimer(now);
        }
    }
    Flush();
}

uint64_t
CoapUdpBinding::Attribute(lpwan::PeerId peer, const std::vector<uint8_t>& bytes, bool outgoing,
                          MessageTag* tag)
{
    lpwan::coap::DecodeResult decoded = lpwan::coap::Decode(bytes);
    if (!decoded.ok || !m_ledger)
    {
        return MessageTag::kNoMessage;
    }
    const lpwan::coap::Message& m = decoded.message;
    uint32_t device = m_side == Side::Device ? m_localAddress : static_cast<uint32_t>(peer >> 16);
    // CON and NON carry an ID their sender picked; ACK and RST echo the receiver's.
    bool sentByDevice = (m_side == Side::Device) == outgoing;
    bool senderPicked
        = m.type == lpwan::coap::Type::Confirmable || m.type == lpwan::coap::Type::NonConfirmable;
    auto owner = (senderPicked == sentByDevice) ? MessageLedger::MidOwner::Device
                                                : MessageLedger::MidOwner::Server;
    uint64_t id = m_ledger->FindByToken(device, m.token);
    if (id != MessageTag::kNoMessage)
    {
        m_ledger->BindMessageId(device, owner, m.messageId, id);
    }
    else
    {
        id = m_ledger->FindByMessageId(device, owner, m.messageId);
    }
    if (tag != nullptr)
    {
        bool uplink = m_side == Side::Device;
        tag->messageId = id;
        tag->uplink = uplink;
        tag->appBytes = static_cast<uint16_t>(m.payload.size());
        tag->coapBytes = static_cast<uint16_t>(bytes.size() - m.payload.size());
        tag->securityBytes = 0;
        // A protected message: its sender recorded how its bytes split before encryption.
        const PayloadSplit* split
            = m.FindOption(lpwan::coap::option::Oscore) != nullptr && id != MessageTag::kNoMessage
                  ? m_ledger->GetPayloadSplit(id, uplink)
                  : nullptr;
        if (split != nullptr && split->Total() == bytes.size())
        {
            tag->appBytes = static_cast<uint16_t>(split->app);
            tag->coapBytes = static_cast<uint16_t>(split->coap);
            tag->securityBytes = static_cast<uint16_t>(split->security);
        }
        if (id != MessageTag::kNoMessage && m_ledger->IsHandshakeToken(device, m.token))
        {
            // A key exchange carried by CoAP (EDHOC): the whole datagram exists for security.
            tag->handshake = true;
            tag->appBytes = 0;
            tag->coapBytes = 0;
            tag->securityBytes = static_cast<uint16_t>(bytes.size());
        }
    }
    return id;
}

void
CoapUdpBinding::SendWire(const lpwan::WireDatagram& d)
{
    MessageTag tag;
    tag.retransmission = d.retransmission;
    if (!d.plaintext.empty())
    {
        Attribute(d.peer, d.plaintext, true, &tag);
        tag.securityBytes += static_cast<uint16_t>(d.bytes.size() - d.plaintext.size());
    }
    else
    {
        uint32_t device
            = m_side == Side::Device ? m_localAddress : static_cast<uint32_t>(d.peer >> 16);
        tag.messageId = m_ledger ? m_ledger->GetHandshakeOwner(device) : MessageTag::kNoMessage;
        tag.uplink = m_side == Side::Device;
        tag.handshake = true;
        tag.securityBytes = static_cast<uint16_t>(d.bytes.size());
    }
    if (tag.handshake && tag.retransmission)
    {
        ++m_repeatedHandshakeDatagrams;
        if (!d.plaintext.empty())
        {
            lpwan::coap::DecodeResult repeated = lpwan::coap::Decode(d.plaintext);
            m_repeatedHandshakePayloadBytes += repeated.ok ? repeated.message.payload.size() : 0;
        }
    }
    Ptr<Packet> packet = Create<Packet>(d.bytes.data(), d.bytes.size());
    packet->AddPacketTag(tag);
    if (m_tagger)
    {
        m_tagger(packet, d);
    }
    if (m_socket)
    {
        m_socket->SendTo(packet, 0, ToAddress(d.peer));
        m_lastActivity = Simulator::Now();
    }
}

void
CoapUdpBinding::Flush()
{
    if (m_endpoint == nullptr || m_flushing)
    {
        return;
    }
    m_flushing = true; // handlers may call into the endpoint; one flush loop drains it all
    bool more = true;
    while (more && m_endpoint != nullptr)
    {
        more = false;
        if (m_transport != nullptr)
        {
            for (const lpwan::TransportEvent& event : m_transport->TakeEvents())
            {
                more = true;
                if (m_transportHandler)
                {
                    m_transportHandler(event);
                }
            }
            for (const lpwan::Datagram& d : m_transport->TakePlain())
            {
                more = true;
                ++m_auditPlaintexts;
                ReceivePlain(d);
            }
        }
        if (m_endpoint == nullptr)
        {
            break;
        }
        for (const lpwan::coap::Event& event : m_endpoint->TakeEvents())
        {
            more = true;
            if (m_handler)
            {
                m_handler(event);
            }
        }
        if (m_endpoint == nullptr)
        {
            break;
        }
        for (const lpwan::Datagram& d : m_endpoint->TakeDatagrams())
        {
            more = true;
            if (m_transport != nullptr)
            {
                m_transport->Send(d, Now());
                continue;
            }
            lpwan::WireDatagram w;
            w.peer = d.peer;
            w.bytes = d.bytes;
            w.plaintext = d.bytes;
            w.retransmission = d.retransmission;
            SendWire(w);
        }
        if (m_transport != nullptr)
        {
            for (const lpwan::WireDatagram& w : m_transport->TakeWire())
            {
                more = true;
                SendWire(w);
            }
        }
    }
    m_flushing = false;
    ArmTimer();
}

void
CoapUdpBinding::ArmTimer()
{
    m_timer.Cancel();
    if (m_endpoint == nullptr)
    {
        return;
    }
    std::optional<lpwan::TimeNs> next = m_endpoint->NextTimer();
    if (m_transport != nullptr)
    {
        if (auto t = m_transport->NextTimer(); t && (!next || *t < *next))
        {
            next = t;
        }
    }
    if (next)
    {
        lpwan::TimeNs delay = std::max<lpwan::TimeNs>(0, *next - Now());
        // A retransmission timer starts when its message leaves the device's MCU
        // (energy/mcu-schedule.h), not when the stack produced it.
        const Time mcu = m_socket ? McuSchedule::BusyTimeOf(m_socket->GetNode()) : Time(0);
        m_timer = Simulator::Schedule(NanoSeconds(delay) + mcu, &CoapUdpBinding::HandleTimer, this);
    }
}

} // namespace ns3
