#include "coap-proxy-app.h"

#include "adversary/adversary-tag.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-transmission-parameters.h"

#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

namespace
{
/// The CoAP core's defaults (RFC 7252 section 4.8): the attributes' defaults are the core's.
const lpwan::coap::TransmissionParameters kCoapDefaults;
} // namespace

NS_LOG_COMPONENT_DEFINE("CoapProxyApp");
NS_OBJECT_ENSURE_REGISTERED(CoapProxyApp);

TypeId
CoapProxyApp::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::CoapProxyApp")
              .SetParent<Application>()
              .SetGroupName("LpwanSec")
              .AddConstructor<CoapProxyApp>()
              .AddAttribute("Port", "UDP port served downstream.", UintegerValue(5683),
                            MakeUintegerAccessor(&CoapProxyApp::m_port),
                            MakeUintegerChecker<uint16_t>())
              .AddAttribute("Address",
                            "Local address served downstream (any: all). Bind one when the "
                            "node has several interfaces: answers then leave from the address "
                            "the requests were sent to.",
                            Ipv4AddressValue(Ipv4Address::GetAny()),
                            MakeIpv4AddressAccessor(&CoapProxyApp::m_address),
                            MakeIpv4AddressChecker())
              .AddAttribute("Upstream", "Where requests are forwarded (InetSocketAddress).",
                            AddressValue(), MakeAddressAccessor(&CoapProxyApp::m_upstream),
                            MakeAddressChecker())
              .AddAttribute("AckTimeout", "CoAP ACK_TIMEOUT of both endpoints.",
                            TimeValue(Seconds(kCoapDefaults.ackTimeoutS)),
                            MakeTimeAccessor(&CoapProxyApp::m_ackTimeout),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("AckRandomFactor", "CoAP ACK_RANDOM_FACTOR.",
                            DoubleValue(kCoapDefaults.ackRandomFactor),
                            MakeDoubleAccessor(&CoapProxyApp::m_ackRandomFactor),
                            MakeDoubleChecker<double>(1.0))
              .AddAttribute("MaxRetransmit", "CoAP MAX_RETRANSMIT.",
                            UintegerValue(kCoapDefaults.maxRetransmit),
                            MakeUintegerAccessor(&CoapProxyApp::m_maxRetransmit),
                            MakeUintegerChecker<uint32_t>(0, 20))
              .AddAttribute("Ledger", "Where messages are recorded (may be null).", PointerValue(),
                            MakePointerAccessor(&CoapProxyApp::m_ledger),
                            MakePointerChecker<MessageLedger>());
    return tid;
}

CoapProxyApp::CoapProxyApp()
  : m_downStream(CreateObject<UniformRandomVariable>())
  , m_upStream(CreateObject<UniformRandomVariable>())
{
}

CoapProxyApp::~CoapProxyApp() = default;

int64_t
CoapProxyApp::AssignStreams(int64_t stream)
{
    m_downStream->SetStream(stream);
    m_upStream->SetStream(stream + 1);
    return 2;
}

void
CoapProxyApp::SetDownstreamDtls(std::shared_ptr<const lpwan::tls::Config> config, Time idleTimeout)
{
    m_downDtlsConfig = std::move(config);
    m_downIdleTimeout = idleTimeout;
}

void
CoapProxyApp::SetUpstreamDtls(std::shared_ptr<const lpwan::tls::Config> config)
{
    m_upDtlsConfig = std::move(config);
}

const lpwan::coap::EndpointCounters*
CoapProxyApp::GetDownstreamCounters() const
{
    return m_down ? &m_down->GetCounters() : nullptr;
}

const lpwan::coap::EndpointCounters*
CoapProxyApp::GetUpstreamCounters() const
{
    return m_up ? &m_up->GetCounters() : nullptr;
}

lpwan::PeerId
CoapProxyApp::UpstreamPeer() const
{
    return CoapUdpBinding::ToPeer(InetSocketAddress::ConvertFrom(m_upstream));
}

void
CoapProxyApp::DoDispose()
{
    m_downBinding.Stop();
    m_upBinding.Stop();
    m_down.reset();
    m_up.reset();
    m_ledger = nullptr;
    m_interceptor = nullptr;
    Application::DoDispose();
}

void
CoapProxyApp::StartApplication()
{
    NS_ABORT_MSG_IF(!InetSocketAddress::IsMatchingType(m_upstream),
                    "CoapProxyApp: Upstream must be an InetSocketAddress");
    lpwan::coap::TransmissionParameters params;
    params.ackTimeoutS = m_ackTimeout.GetSeconds();
    params.ackRandomFactor = m_ackRandomFactor;
    params.maxRetransmit = m_maxRetransmit;
    std::string error = params.Validate();
    NS_ABORT_MSG_IF(!error.empty(), "CoapProxyApp: " << error);

    m_downRandom = std::make_unique<Ns3RandomSource>(m_downStream);
    m_upRandom = std::make_unique<Ns3RandomSource>(m_upStream);
    m_down = std::make_unique<lpwan::coap::Endpoint>(params, *m_downRandom);
    m_up = std::make_unique<lpwan::coap::Endpoint>(params, *m_upRandom);

    // The address upstream sees as our source: the one of the interface its route leaves by.
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    Ipv4Header header;
    header.SetDestination(InetSocketAddress::ConvertFrom(m_upstream).GetIpv4());
    header.SetProtocol(17);
    Socket::SocketErrno socketError;
    Ptr<Ipv4Route> route
        = ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), header, nullptr, socketError);
    NS_ABORT_MSG_IF(!route, "CoapProxyApp: no route to the upstream "
                                << InetSocketAddress::ConvertFrom(m_upstream).GetIpv4());
    m_upstreamSource = route->GetSource();

    Ptr<Socket> down = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(down->Bind(InetSocketAddress(m_address, m_port)) != 0,
                    "CoapProxyApp: cannot bind UDP port " << m_port);
    m_downBinding.Start(down, m_down.get(), CoapUdpBinding::Side::Server, Ipv4Address::GetAny(),
                        m_ledger,
                        [this](const lpwan::coap::Event& e)
                        {
                            HandleDownstream(e);
                        });
    if (m_downDtlsConfig)
    {
        m_downDtls = std::make_unique<lpwan::tls::DtlsTransport>(m_downDtlsConfig);
        m_downDtls->SetIdleTimeout(m_downIdleTimeout.GetNanoSeconds());
        m_downBinding.SetTransport(m_downDtls.get(), nullptr);
    }

    Ptr<Socket> up = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(up->Bind() != 0, "CoapProxyApp: cannot bind an upstream UDP socket");
    m_upBinding.Start(up, m_up.get(), CoapUdpBinding::Side::Device, m_upstreamSource, m_ledger,
                      [this](const lpwan::coap::Event& e)
                      {
                          HandleUpstream(e);
                      });
    m_upBinding.SetOutboundTagger(
        [this](Ptr<Packet> p, const lpwan::WireDatagram& d)
        {
            TagUpstream(p, d);
        });
    if (m_upDtlsConfig)
    {
        m_upDtls = std::make_unique<lpwan::tls::DtlsTransport>(m_upDtlsConfig);
        m_upBinding.SetTransport(m_upDtls.get(),
                                 [this](const lpwan::TransportEvent& e)
                                 {
                                     HandleUpstreamTransport(e);
                                 });
    }
}

void
CoapProxyApp::StopApplication()
{
    // Keeps forwarding until the simulation ends: the devices finish their exchanges.
}

void
CoapProxyApp::HandleDownstream(const lpwan::coap::Event& event)
{
    if (event.kind != lpwan::coap::Event::Kind::RequestReceived)
    {
        return;
    }
    ++m_counters.requestsReceived;
    Pending p;
    p.request = event.message;
    p.downstream = event.handle;
    if (m_ledger)
    {
        p.messageId
            = m_ledger->FindByToken(static_cast<uint32_t>(event.peer >> 16), event.message.token);
    }
    Decision d;
    if (m_interceptor)
    {
        d = m_interceptor(p.request, p.messageId);
    }
    if (d.drop)
    {
        return; // never answered: the requester's exchange times out
    }
    p.action = d.action;
    if (d.delay.IsStrictlyPositive())
    {
        Simulator::Schedule(d.delay, &CoapProxyApp::Forward, this, p);
        return;
    }
    Forward(std::move(p));
}

void
CoapProxyApp::SendUpstream(lpwan::coap::Message request, uint64_t action)
{
    if (!m_up)
    {
        return;
    }
    ++m_counters.ownRequests;
    Pending p;
    p.request = std::move(request);
    p.action = action;
    Forward(std::move(p));
}

void
CoapProxyApp::Forward(Pending p)
{
    if (!m_up)
    {
        return;
    }
    // The upstream exchange gets its own message ID and token.
    p.request.messageId = 0;
    p.request.token.clear();
    if (m_upDtls && (!m_upDtls->IsEstablished(UpstreamPeer()) || !m_waiting.empty()))
    {
        m_waiting.push_back(std::move(p));
        m_upDtls->Connect(UpstreamPeer(), CoapUdpBinding::Now());
        m_upBinding.Flush();
        return;
    }
    Submit(std::move(p));
}

void
CoapProxyApp::Submit(Pending p)
{
    if (p.downstream)
    {
        ++m_counters.requestsForwarded;
    }
    lpwan::coap::ExchangeId exchange
        = m_up->SendRequest(UpstreamPeer(), p.request, CoapUdpBinding::Now());
    const std::vector<uint8_t>& token = m_up->GetToken(exchange);
    if (m_ledger && p.messageId != MessageTag::kNoMessage)
    {
        m_ledger->BindToken(m_upstreamSource.Get(), token, p.messageId);
    }
    p.upstreamToken = token;
    if (p.action != 0)
    {
        m_actionByToken[token] = p.action;
    }
    m_inFlight.emplace(exchange, std::move(p));
    m_upBinding.Flush();
}

void
CoapProxyApp::HandleUpstreamTransport(const lpwan::TransportEvent& event)
{
    if (event.peer != UpstreamPeer())
    {
        return;
    }
    std::deque<Pending> waiting;
    waiting.swap(m_waiting);
    for (Pending& p : waiting)
    {
        if (event.kind == lpwan::TransportEvent::Kind::Established)
        {
            Submit(std::move(p));
        }
        else if (p.downstream)
        {
            lpwan::coap::Message error;
            error.code = lpwan::coap::MakeCode(5, 2); // 5.02 Bad Gateway: no session upstream
            ++m_counters.gatewayErrors;
            AnswerDownstream(*p.downstream, error);
        }
    }
}

void
CoapProxyApp::HandleUpstream(const lpwan::coap::Event& event)
{
    auto it = m_inFlight.find(event.exchange);
    if (it == m_inFlight.end())
    {
        return;
    }
    Pending p = std::move(it->second);
    m_inFlight.erase(it);
    m_actionByToken.erase(p.upstreamToken);
    if (event.kind == lpwan::coap::Event::Kind::Timeout && m_upDtls)
    {
        // Upstream may have lost the session. Start afresh from a new port: a DtlsTransport
        // server ignores a ClientHello on an association it still holds, but takes one from
        // a new peer, and then drops the old session of the same client.
        Ptr<Socket> socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        NS_ABORT_MSG_IF(socket->Bind() != 0, "CoapProxyApp: cannot bind an upstream UDP socket");
        m_upBinding.ReplaceSocket(socket);
        m_upDtls->DropSession(UpstreamPeer());
        ++m_counters.upstreamReconnects;
    }
    if (!p.downstream)
    {
        return; // the proxy's own request: nobody waits for the answer
    }
    lpwan::coap::Message response;
    switch (event.kind)
    {
        case lpwan::coap::Event::Kind::ResponseReceived:
            response.code = event.message.code;
            response.options = event.message.options;
            response.payload = event.message.payload;
            ++m_counters.responsesRelayed;
            break;
        case lpwan::coap::Event::Kind::Timeout:
            response.code = lpwan::coap::MakeCode(5, 4); // 5.04 Gateway Timeout
            ++m_counters.gatewayErrors;
            break;
        default:
            response.code = lpwan::coap::MakeCode(5, 2); // 5.02 Bad Gateway (reset)
            ++m_counters.gatewayErrors;
            break;
    }
    AnswerDownstream(*p.downstream, response);
}

void
CoapProxyApp::AnswerDownstream(lpwan::coap::RequestHandle handle,
                               const lpwan::coap::Message& response)
{
    m_down->Respond(handle, response, CoapUdpBinding::Now());
    m_downBinding.Flush();
}

void
CoapProxyApp::TagUpstream(Ptr<Packet> packet, const lpwan::WireDatagram& d)
{
    if (m_actionByToken.empty() || d.plaintext.empty())
    {
        return;
    }
    lpwan::coap::DecodeResult decoded = lpwan::coap::Decode(d.plaintext);
    if (!decoded.ok)
    {
        return;
    }
    auto it = m_actionByToken.find(decoded.message.token);
    if (it != m_actionByToken.end())
    {
        AdversaryTag tag;
        tag.action = it->second;
        packet->AddPacketTag(tag);
    }
}

} // namespace ns3
