#include "coap-server-app.h"

#include "protocols/coap/coap-message.h"
#include "protocols/coap/coap-transmission-parameters.h"
#include "protocols/glue/oscore-exchange.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
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

NS_LOG_COMPONENT_DEFINE("CoapServerApp");
NS_OBJECT_ENSURE_REGISTERED(CoapServerApp);

TypeId
CoapServerApp::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::CoapServerApp")
              .SetParent<Application>()
              .SetGroupName("LpwanSec")
              .AddConstructor<CoapServerApp>()
              .AddAttribute("Port", "UDP port to listen on.", UintegerValue(5683),
                            MakeUintegerAccessor(&CoapServerApp::m_port),
                            MakeUintegerChecker<uint16_t>())
              .AddAttribute("Address",
                            "Local address to listen on (any: all). A server with several "
                            "interfaces binds one, so that it answers from the address it "
                            "was asked at.",
                            Ipv4AddressValue(Ipv4Address::GetAny()),
                            MakeIpv4AddressAccessor(&CoapServerApp::m_address),
                            MakeIpv4AddressChecker())
              .AddAttribute("ResponsePayloadSize", "Bytes of payload in each 2.04 response.",
                            UintegerValue(0),
                            MakeUintegerAccessor(&CoapServerApp::m_responsePayloadSize),
                            MakeUintegerChecker<uint32_t>(0, 65000))
              .AddAttribute("ProcessingDelay",
                            "Time to produce a response. Zero: piggybacked in the ACK. "
                            "Otherwise an empty ACK at once and a separate response later.",
                            TimeValue(Seconds(0)),
                            MakeTimeAccessor(&CoapServerApp::m_processingDelay),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("AckTimeout", "CoAP ACK_TIMEOUT (separate CON responses).",
                            TimeValue(Seconds(kCoapDefaults.ackTimeoutS)),
                            MakeTimeAccessor(&CoapServerApp::m_ackTimeout),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("AckRandomFactor", "CoAP ACK_RANDOM_FACTOR.",
                            DoubleValue(kCoapDefaults.ackRandomFactor),
                            MakeDoubleAccessor(&CoapServerApp::m_ackRandomFactor),
                            MakeDoubleChecker<double>(1.0))
              .AddAttribute("MaxRetransmit", "CoAP MAX_RETRANSMIT.",
                            UintegerValue(kCoapDefaults.maxRetransmit),
                            MakeUintegerAccessor(&CoapServerApp::m_maxRetransmit),
                            MakeUintegerChecker<uint32_t>(0, 20))
              .AddAttribute("OscoreResponsePartialIv",
                            "OSCORE responses carry their own Partial IV instead of reusing the "
                            "request nonce.",
                            BooleanValue(false),
                            MakeBooleanAccessor(&CoapServerApp::m_oscoreResponsePiv),
                            MakeBooleanChecker())
              .AddAttribute("Ledger", "Where messages are recorded (may be null).", PointerValue(),
                            MakePointerAccessor(&CoapServerApp::m_ledger),
                            MakePointerChecker<MessageLedger>());
    return tid;
}

CoapServerApp::CoapServerApp()
  : m_coapStream(CreateObject<UniformRandomVariable>())
{
}

CoapServerApp::~CoapServerApp() = default;

int64_t
CoapServerApp::AssignStreams(int64_t stream)
{
    m_coapStream->SetStream(stream);
    return 1;
}

const lpwan::coap::EndpointCounters*
CoapServerApp::GetCoapCounters() const
{
    if (!m_endpoint)
    {
        return nullptr;
    }
    if (m_generation == 0)
    {
        return &m_endpoint->GetCounters();
    }
    // The endpoints lost in restarts counted too.
    m_coapSum = m_retiredCoap;
    m_coapSum += m_endpoint->GetCounters();
    return &m_coapSum;
}

void
CoapServerApp::DoDispose()
{
    m_binding.Stop();
    m_endpoint.reset();
    m_ledger = nullptr;
    Application::DoDispose();
}

void
CoapServerApp::StartApplication()
{
    lpwan::coap::TransmissionParameters params;
    params.ackTimeoutS = m_ackTimeout.GetSeconds();
    params.ackRandomFactor = m_ackRandomFactor;
    params.maxRetransmit = m_maxRetransmit;
    std::string error = params.Validate();
    NS_ABORT_MSG_IF(!error.empty(), "CoapServerApp: " << error);

    m_coapRandom = std::make_unique<Ns3RandomSource>(m_coapStream);
    m_endpoint = std::make_unique<lpwan::coap::Endpoint>(params, *m_coapRandom);
    OpenEndpoint();
    m_oscoreFilter.SetResponsePartialIv(m_oscoreResponsePiv);
    if (m_storeFilter)
    {
        m_storeFilter->SetResponsePartialIv(m_oscoreResponsePiv);
    }
    if (m_dtlsFactory)
    {
        m_dtls = m_dtlsFactory();
        m_dtls->SetIdleTimeout(m_dtlsIdleTimeout.GetNanoSeconds());
        m_binding.SetTransport(m_dtls.get(), nullptr);
    }
    if (m_edhocConfig)
    {
        m_edhoc = std::make_unique<EdhocServerService>(*m_edhocConfig, m_edhocStream,
                                                       [this](const lpwan::edhoc::Bytes& id)
                                                       {
                                                           return m_oscoreContexts.Contains(id);
                                                       });
    }
}

void
CoapServerApp::OpenEndpoint()
{
    Ptr<Socket> socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(socket->Bind(InetSocketAddress(m_address, m_port)) != 0,
                    "CoapServerApp: cannot bind UDP port " << m_port);
    m_binding.Start(socket, m_endpoint.get(), CoapUdpBinding::Side::Server, Ipv4Address::GetAny(),
                    m_ledger,
                    [this](const lpwan::coap::Event& e)
                    {
                        HandleEvent(e);
                    });
    m_binding.SetAudit(m_audit);
}

void
CoapServerApp::EnableOscoreRederivation()
{
    // Only pre-shared contexts (AddOscoreContext) go to the store: under EDHOC a rebooted
    // device runs EDHOC again instead.
    m_rederivation = true;
    m_faultRandom = std::make_unique<Ns3RandomSource>(m_coapStream);
    m_storeFilter = std::make_unique<lpwan::glue::OscoreCoapServer>(m_oscoreStore);
}

void
CoapServerApp::Restart(Time downtime)
{
    NS_LOG_FUNCTION(this << downtime);
    ++m_generation;
    m_reopenEvent.Cancel();
    m_pendingOscore.clear();
    if (m_endpoint)
    {
        m_retiredCoap += m_endpoint->GetCounters();
    }
    m_binding.Stop();
    m_endpoint
        = std::make_unique<lpwan::coap::Endpoint>(m_endpoint->GetParameters(), *m_coapRandom);
    if (m_dtls)
    {
        m_dtls->DropAllSessions();
        if (m_dtlsConfig)
        {
            m_dtlsConfig->ForgetSessionCache();
        }
    }
    if (!m_faultRandom)
    {
        m_faultRandom = std::make_unique<Ns3RandomSource>(m_coapStream);
    }
    if (m_edhoc)
    {
        // EDHOC-derived contexts were only in RAM.
        m_oscoreContexts.Clear();
    }
    else
    {
        m_oscoreContexts.ForgetReplayWindows(*m_faultRandom);
    }
    m_oscoreStore.ForgetReplayWindows(*m_faultRandom);
    if (downtime.IsZero())
    {
        OpenEndpoint();
        return;
    }
    m_reopenEvent = Simulator::Schedule(downtime, &CoapServerApp::OpenEndpoint, this);
}

void
CoapServerApp::RecordAcceptance(const lpwan::coap::Event& event, uint64_t report)
{
    std::string nonce;
    auto pending = m_pendingOscore.find(event.handle);
    if (pending != m_pendingOscore.end())
    {
        if (auto* x = dynamic_cast<lpwan::glue::OscoreExchange*>(pending->second.exchange.get()))
        {
            // (kid, ID Context, Partial IV) under these keys: accepted twice = a nonce reused.
            const lpwan::oscore::SecurityContext& ctx = *x->m_context;
            const auto& b = x->m_binding;
            nonce.assign(b.requestKid.begin(), b.requestKid.end());
            nonce += '|';
            if (ctx.GetIdContext())
            {
                nonce.append(ctx.GetIdContext()->begin(), ctx.GetIdContext()->end());
            }
            nonce += '|';
            nonce.append(b.requestPiv.begin(), b.requestPiv.end());
            nonce += '|';
            nonce.append(ctx.GetRecipientKey().begin(), ctx.GetRecipientKey().end());
        }
    }
    m_acceptance->Accepted(report, report != MessageTag::kNoMessage, nonce);
}

void
CoapServerApp::SetDtlsConfig(std::shared_ptr<const lpwan::tls::Config> config, Time idleTimeout)
{
    m_dtlsConfig = config;
    m_dtlsIdleTimeout = idleTimeout;
    m_dtlsFactory = [config]() -> std::unique_ptr<lpwan::tls::DatagramSessionTransport>
    {
        return std::make_unique<lpwan::tls::DtlsTransport>(config);
    };
}

void
CoapServerApp::SetSecureTransportFactory(lpwan::tls::DatagramSessionTransportFactory factory,
                                         Time idleTimeout)
{
    m_dtlsFactory = std::move(factory);
    m_dtlsIdleTimeout = idleTimeout;
}

void
CoapServerApp::StopApplication()
{
    // The server keeps answering until the simulation ends: devices finish their exchanges.
}

void
CoapServerApp::AddOscoreContext(const lpwan::oscore::ContextParameters& params)
{
    std::string error = lpwan::oscore::ValidateParameters(params);
    NS_ABORT_MSG_IF(!error.empty(), "CoapServerApp: bad OSCORE context: " << error);
    if (m_rederivation)
    {
        m_oscoreStore.Add(params);
        m_oscoreStore.EnableRederivation(params, *m_faultRandom);
        return;
    }
    m_oscoreContexts.Install(params);
}

void
CoapServerApp::ForgetOscoreContexts()
{
    m_oscoreContexts.Clear();
}

lpwan::oscore::Counters
CoapServerApp::GetOscoreCounters() const
{
    return OscoreFilter().GetRequestCounters();
}

bool
CoapServerApp::UnprotectRequest(const lpwan::coap::Event& event, lpwan::coap::Message* plain)
{
    lpwan::coap::FilterContextPtr exchange;
    lpwan::glue::OscoreStep v = OscoreFilter().VerifyRequest(*plain, exchange);
    if (v.result.ok)
    {
        PendingOscore& pending = m_pendingOscore[event.handle];
        pending.exchange = std::move(exchange);
        pending.token = event.message.token;
        return true;
    }
    NS_LOG_INFO("OSCORE request from "
                << (event.peer >> 16) << " rejected: " << lpwan::oscore::StatusName(v.status) << " "
                << v.result.error);
    if (m_audit != nullptr)
    {
        m_audit->ApplicationVerdict(std::string("oscore-") + lpwan::oscore::StatusName(v.status));
    }
    if (v.errorResponse)
    {
        m_endpoint->Respond(event.handle, *v.errorResponse, CoapUdpBinding::Now());
    }
    return false;
}

void
CoapServerApp::HandleEvent(const lpwan::coap::Event& event)
{
    if (event.kind != lpwan::coap::Event::Kind::RequestReceived)
    {
        return;
    }
    if (m_edhoc && EdhocServerService::IsEdhocRequest(event.message))
    {
        HandleEdhocRequest(event);
        return;
    }
    HandleRequest(event);
}

void
CoapServerApp::HandleRequest(const lpwan::coap::Event& event)
{
    lpwan::coap::Message plain = event.message;
    const bool oscoreOnly = m_oscoreContexts.Size() > 0 || m_oscoreStore.Size() > 0 || m_edhoc;
    if (oscoreOnly && !UnprotectRequest(event, &plain))
    {
        return; // not delivered: the application never sees an unauthenticated request
    }
    ++m_requests;
    if (m_audit != nullptr)
    {
        m_audit->ApplicationVerdict("delivered");
    }
    if (m_ledger)
    {
        uint32_t device = static_cast<uint32_t>(event.peer >> 16);
        uint64_t id = m_ledger->FindByToken(device, event.message.token);
        if (m_acceptance)
        {
            RecordAcceptance(event, id);
        }
        m_ledger->MarkDelivered(id);
        auto pending = m_pendingOscore.find(event.handle);
        if (pending != m_pendingOscore.end())
        {
            pending->second.messageId = id;
        }
    }
    if (m_processingDelay.IsZero())
    {
        SendResponse(event.handle);
        return;
    }
    if (event.message.type == lpwan::coap::Type::Confirmable)
    {
        m_endpoint->AcknowledgeEmpty(event.handle, CoapUdpBinding::Now());
    }
    Simulator::Schedule(m_processingDelay, &CoapServerApp::SendResponseOf, this, m_generation,
                        event.handle);
}

void
CoapServerApp::SendResponseOf(uint32_t generation, lpwan::coap::RequestHandle handle)
{
    if (generation == m_generation)
    {
        SendResponse(handle);
    }
}

void
CoapServerApp::SendResponse(lpwan::coap::RequestHandle handle)
{
    if (!m_endpoint)
    {
        return;
    }
    lpwan::coap::Message response;
    response.code = lpwan::coap::code::Changed;
    response.payload.assign(m_responsePayloadSize, 0x2a);
    auto pending = m_pendingOscore.find(handle);
    if (pending != m_pendingOscore.end())
    {
        size_t appBytes = response.payload.size();
        lpwan::glue::OscoreStep p = OscoreFilter().Protect(response, pending->second.exchange);
        NS_ABORT_MSG_IF(!p.result.ok, "CoapServerApp: " << p.result.error);
        m_oscoreOverhead += static_cast<uint64_t>(p.overhead);
        if (m_ledger && pending->second.messageId != MessageTag::kNoMessage)
        {
            PayloadSplit split;
            split.app = static_cast<uint32_t>(appBytes);
            split.security = static_cast<uint32_t>(p.overhead);
            split.coap
                = static_cast<uint32_t>(p.plainSize + pending->second.token.size() - appBytes);
            m_ledger->SetPayloadSplit(pending->second.messageId, false, split);
        }
        m_pendingOscore.erase(pending);
    }
    m_endpoint->Respond(handle, std::move(response), CoapUdpBinding::Now());
    m_binding.Flush();
}

} // namespace ns3
