#include "adversary.h"

#include "adversary-tag.h"
#include "datagram-forgery.h"
#include "protocols/edhoc/edhoc-coap.h"
#include "stats/message-tag.h"

#include "ns3/ipv4-route.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/tcp-header.h"
#include "ns3/udp-header.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Adversary");
NS_OBJECT_ENSURE_REGISTERED(Adversary);

namespace
{

constexpr uint16_t kCoapPort = 5683;
constexpr uint16_t kCoapsPort = 5684;
constexpr uint16_t kSecureMqttPort = 8883; ///< MQTT over TLS (IANA secure-mqtt)

/// The UDP payload's bytes.
std::vector<uint8_t>
PayloadOf(Ptr<const Packet> udpPacket)
{
    Ptr<Packet> copy = udpPacket->Copy();
    UdpHeader udp;
    copy->RemoveHeader(udp);
    std::vector<uint8_t> bytes(copy->GetSize());
    copy->CopyData(bytes.data(), bytes.size());
    return bytes;
}

/// A UDP packet with these payload bytes, the same UDP header and the original's accounting
/// tag (the link accounting still attributes it to its message).
Ptr<Packet>
Rebuild(Ptr<const Packet> original, const std::vector<uint8_t>& payload)
{
    UdpHeader udp;
    original->PeekHeader(udp);
    Ptr<Packet> p = Create<Packet>(payload.data(), payload.size());
    p->AddHeader(udp);
    MessageTag accounting;
    if (original->PeekPacketTag(accounting))
    {
        p->AddPacketTag(accounting);
    }
    return p;
}

void
SetActionTag(Ptr<Packet> p, uint64_t action)
{
    AdversaryTag old;
    p->RemovePacketTag(old); // an earlier adversary's action on the way is superseded
    AdversaryTag tag;
    tag.action = action;
    p->AddPacketTag(tag);
}

} // namespace

std::optional<AdversaryCapabilities>
AdversaryCapabilities::Parse(const std::string& list, std::string* error)
{
    AdversaryCapabilities c;
    std::stringstream ss(list);
    std::string word;
    while (std::getline(ss, word, ','))
    {
        word.erase(0, word.find_first_not_of(' '));
        word.erase(word.find_last_not_of(' ') + 1);
        if (word == "eavesdrop")
        {
            c.eavesdrop = true;
        }
        else if (word == "modify")
        {
            c.modify = true;
        }
        else if (word == "inject")
        {
            c.inject = true;
        }
        else if (word == "replay")
        {
            c.replay = true;
        }
        else if (word == "drop")
        {
            c.drop = true;
        }
        else if (word == "delay")
        {
            c.delay = true;
        }
        else if (word != "none")
        {
            if (error)
            {
                *error = "unknown capability '" + word
                         + "' (eavesdrop, modify, inject, replay, drop, delay)";
            }
            return std::nullopt;
        }
    }
    return c;
}

TypeId
Adversary::GetTypeId()
{
    static TypeId tid = TypeId("ns3::Adversary").SetParent<Object>().SetGroupName("LpwanSec");
    return tid;
}

Adversary::Adversary()
  : m_stream(CreateObject<UniformRandomVariable>())
{
    m_random = std::make_unique<Ns3RandomSource>(m_stream);
}

Adversary::Adversary(std::string node, const AdversaryConfig& config, Ptr<ExposureLedger> ledger)
  : m_node(std::move(node))
  , m_config(config)
  , m_ledger(ledger)
  , m_stream(CreateObject<UniformRandomVariable>())
{
    m_random = std::make_unique<Ns3RandomSource>(m_stream);
}

int64_t
Adversary::AssignStreams(int64_t stream)
{
    m_stream->SetStream(stream);
    return 1;
}

void
Adversary::DoDispose()
{
    m_injectEvent.Cancel();
    m_forwarded.reset();
    m_tap = nullptr;
    m_proxy = nullptr;
    m_ledger = nullptr;
    Object::DoDispose();
}

bool
Adversary::Active() const
{
    return Simulator::Now() >= m_config.start;
}

bool
Adversary::Draw(double probability)
{
    return probability >= 1 || m_stream->GetValue(0, 1) < probability;
}

void
Adversary::TapForwarding(Ptr<Node> node)
{
    m_tap = AdversaryTap::Install(node,
                                  [this](Ptr<Ipv4Route> route, Ptr<const Packet> packet,
                                         const Ipv4Header& header,
                                         const Ipv4RoutingProtocol::UnicastForwardCallback& fwd)
                                  {
                                      OnForward(route, packet, header, fwd);
                                  });
}

void
Adversary::ControlProxy(Ptr<CoapProxyApp> proxy)
{
    m_proxy = proxy;
    proxy->SetInterceptor(
        [this](lpwan::coap::Message& request, uint64_t message)
        {
            return OnProxyRequest(request, message);
        });
}

void
Adversary::Start(Time stop)
{
    m_stop = stop;
    if (m_config.can.inject)
    {
        Time first = std::max(m_config.start, Simulator::Now()) + m_config.injectInterval;
        m_injectEvent = Simulator::Schedule(first - Simulator::Now(), &Adversary::Inject, this);
    }
}

void
Adversary::OnForward(Ptr<Ipv4Route> route, Ptr<const Packet> packet, const Ipv4Header& header,
                     const Ipv4RoutingProtocol::UnicastForwardCallback& forward)
{
    TcpHeader tcp;
    if (Active() && header.GetProtocol() == 6 && header.GetFragmentOffset() == 0
        && packet->PeekHeader(tcp) != 0 && tcp.GetDestinationPort() == kSecureMqttPort
        && packet->GetSize() > tcp.GetSerializedSize())
    {
        // MQTT over TLS: the adversary sees TLS records, never the reports inside them.
        m_ledger->NoteSeen(m_node, MessageTag::kNoMessage, 0);
    }
    UdpHeader udp;
    bool candidate
        = Active() && header.GetProtocol() == 17 && header.GetFragmentOffset() == 0
          && header.IsLastFragment() && packet->PeekHeader(udp) != 0
          && (udp.GetDestinationPort() == kCoapPort || udp.GetDestinationPort() == kCoapsPort);
    if (!candidate)
    {
        forward(route, packet, header);
        return;
    }
    std::vector<uint8_t> bytes = PayloadOf(packet);
    adversary::Inspection what = adversary::Inspect(bytes);
    bool request = what.visibility == adversary::Visibility::DtlsAppData || what.request;
    if (!request)
    {
        forward(route, packet, header); // handshakes, alerts, ACKs: left alone
        return;
    }
    MessageTag accounting;
    const bool tagged = packet->PeekPacketTag(accounting);
    uint64_t message = tagged ? accounting.messageId : MessageTag::kNoMessage;
    // A key exchange carried by CoAP (EDHOC) is readable but holds no application data.
    const uint32_t readable = tagged && accounting.handshake ? 0 : what.plaintextBytes;
    m_ledger->NoteSeen(m_node, message, m_config.can.eavesdrop ? readable : 0);
    m_forwarded = Template{route, header, packet->Copy(), forward};

    if (m_config.can.drop && Draw(m_config.dropProbability))
    {
        m_ledger->NoteDropped(m_node, message);
        return;
    }
    if (m_config.can.replay && Draw(m_config.replayProbability))
    {
        // The datagram as it was, sent again later (a copy the network will deliver).
        Ptr<Packet> replay = packet->Copy();
        SetActionTag(replay,
                     m_ledger->RegisterAction(ExposureLedger::ActionKind::Replay, m_node, message));
        Simulator::Schedule(m_config.replayDelay,
                            [forward, route, replay, header]()
                            {
                                forward(route, replay, header);
                            });
    }
    Ptr<Packet> out = packet->Copy();
    if (m_config.can.modify && Draw(m_config.modifyProbability))
    {
        if (std::optional<std::vector<uint8_t>> changed = adversary::TamperDatagram(bytes))
        {
            out = Rebuild(packet, *changed);
            SetActionTag(
                out, m_ledger->RegisterAction(ExposureLedger::ActionKind::Modify, m_node, message));
        }
    }
    if (m_config.can.delay && Draw(m_config.delayProbability))
    {
        m_ledger->NoteDelayed(m_node, message);
        Simulator::Schedule(m_config.delay,
                            [forward, route, out, header]()
                            {
                                forward(route, out, header);
                            });
        return;
    }
    forward(route, out, header);
}

CoapProxyApp::Decision
Adversary::OnProxyRequest(lpwan::coap::Message& request, uint64_t message)
{
    CoapProxyApp::Decision d;
    if (!Active())
    {
        return d;
    }
    // EDHOC messages (to /.well-known/edhoc) are readable but hold no application data.
    bool plaintext = request.FindOption(lpwan::coap::option::Oscore) == nullptr
                     && !lpwan::edhoc::IsEdhocRequest(request);
    uint32_t readable = plaintext ? static_cast<uint32_t>(request.payload.size()) : 0;
    m_ledger->NoteSeen(m_node, message, m_config.can.eavesdrop ? readable : 0);
    m_proxied = request;

    if (m_config.can.drop && Draw(m_config.dropProbability))
    {
        m_ledger->NoteDropped(m_node, message);
        d.drop = true;
        return d;
    }
    if (m_config.can.replay && Draw(m_config.replayProbability))
    {
        lpwan::coap::Message copy = request;
        uint64_t action
            = m_ledger->RegisterAction(ExposureLedger::ActionKind::Replay, m_node, message);
        Ptr<CoapProxyApp> proxy = m_proxy;
        Simulator::Schedule(m_config.replayDelay,
                            [proxy, copy, action]()
                            {
                                proxy->SendUpstream(copy, action);
                            });
    }
    if (m_config.can.modify && Draw(m_config.modifyProbability)
        && adversary::TamperMessage(request))
    {
        d.action = m_ledger->RegisterAction(ExposureLedger::ActionKind::Modify, m_node, message);
    }
    if (m_config.can.delay && Draw(m_config.delayProbability))
    {
        m_ledger->NoteDelayed(m_node, message);
        d.delay = m_config.delay;
    }
    return d;
}

void
Adversary::Inject()
{
    if (Simulator::Now() > m_stop)
    {
        return;
    }
    m_injectEvent = Simulator::Schedule(m_config.injectInterval, &Adversary::Inject, this);
    // Forge from what this node handles: proxied requests in the clear first.
    if (m_proxied && m_proxy)
    {
        if (std::optional<lpwan::coap::Message> forged
            = adversary::ForgeMessage(*m_proxied, *m_random))
        {
            m_proxy->SendUpstream(*forged,
                                  m_ledger->RegisterAction(ExposureLedger::ActionKind::Inject,
                                                           m_node, MessageTag::kNoMessage));
        }
        return;
    }
    if (m_forwarded)
    {
        std::optional<std::vector<uint8_t>> forged
            = adversary::ForgeDatagram(PayloadOf(m_forwarded->udp), *m_random);
        if (!forged)
        {
            return;
        }
        Ptr<Packet> p = Rebuild(m_forwarded->udp, *forged);
        MessageTag accounting;
        p->RemovePacketTag(accounting); // it belongs to no report
        SetActionTag(p, m_ledger->RegisterAction(ExposureLedger::ActionKind::Inject, m_node,
                                                 MessageTag::kNoMessage));
        m_forwarded->forward(m_forwarded->route, p, m_forwarded->header);
    }
}

} // namespace ns3
