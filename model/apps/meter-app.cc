#include "meter-app.h"

#include "protocols/coap/coap-message.h"
#include "protocols/coap/coap-transmission-parameters.h"
#include "protocols/glue/oscore-exchange.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

namespace
{
/// The CoAP core's defaults (RFC 7252 section 4.8): the attributes' defaults are the core's.
const lpwan::coap::TransmissionParameters kCoapDefaults;
} // namespace

NS_LOG_COMPONENT_DEFINE("MeterApp");
NS_OBJECT_ENSURE_REGISTERED(MeterApp);

TypeId
MeterApp::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::MeterApp")
              .SetParent<Application>()
              .SetGroupName("LpwanSec")
              .AddConstructor<MeterApp>()
              .AddAttribute("Server", "The server's address (InetSocketAddress).", AddressValue(),
                            MakeAddressAccessor(&MeterApp::m_server), MakeAddressChecker())
              .AddAttribute("Interval", "Time between two reports.", TimeValue(Seconds(3600)),
                            MakeTimeAccessor(&MeterApp::m_interval),
                            MakeTimeChecker(NanoSeconds(1)))
              .AddAttribute("Jitter", "Each report is delayed by a uniform draw in [0, Jitter].",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&MeterApp::m_jitter),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("PayloadSize", "Bytes of application payload per report.",
                            UintegerValue(50), MakeUintegerAccessor(&MeterApp::m_payloadSize),
                            MakeUintegerChecker<uint32_t>(0, 65000))
              .AddAttribute("Confirmable", "Send reports as CON (true) or NON (false) requests.",
                            BooleanValue(true), MakeBooleanAccessor(&MeterApp::m_confirmable),
                            MakeBooleanChecker())
              .AddAttribute("UriPath", "Resource the reports are POSTed to.", StringValue("r"),
                            MakeStringAccessor(&MeterApp::m_uriPath), MakeStringChecker())
              .AddAttribute("DeviceIndex", "The device's index in the scenario (for traces).",
                            UintegerValue(0), MakeUintegerAccessor(&MeterApp::m_deviceIndex),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute(
                  "AckTimeout", "CoAP ACK_TIMEOUT.", TimeValue(Seconds(kCoapDefaults.ackTimeoutS)),
                  MakeTimeAccessor(&MeterApp::m_ackTimeout), MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("AckRandomFactor", "CoAP ACK_RANDOM_FACTOR.",
                            DoubleValue(kCoapDefaults.ackRandomFactor),
                            MakeDoubleAccessor(&MeterApp::m_ackRandomFactor),
                            MakeDoubleChecker<double>(1.0))
              .AddAttribute("MaxRetransmit", "CoAP MAX_RETRANSMIT.",
                            UintegerValue(kCoapDefaults.maxRetransmit),
                            MakeUintegerAccessor(&MeterApp::m_maxRetransmit),
                            MakeUintegerChecker<uint32_t>(0, 20))
              .AddAttribute("Nstart", "CoAP NSTART.", UintegerValue(kCoapDefaults.nstart),
                            MakeUintegerAccessor(&MeterApp::m_nstart),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("NatBindingTimeout",
                            "Idle time after which the NAT on the path forgets the device's "
                            "UDP binding (0: no NAT).",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&MeterApp::m_natBindingTimeout),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("Ledger", "Where messages are recorded (may be null).", PointerValue(),
                            MakePointerAccessor(&MeterApp::m_ledger),
                            MakePointerChecker<MessageLedger>());
    return tid;
}

MeterApp::MeterApp()
  : m_timingStream(CreateObject<UniformRandomVariable>())
  , m_coapStream(CreateObject<UniformRandomVariable>())
  , m_payloadStream(CreateObject<UniformRandomVariable>())
{
}

MeterApp::~MeterApp() = default;

int64_t
MeterApp::AssignStreams(int64_t stream)
{
    m_timingStream->SetStream(stream);
    m_coapStream->SetStream(stream + 1);
    m_payloadStream->SetStream(stream + 2);
    return 3;
}

const lpwan::coap::EndpointCounters*
MeterApp::GetCoapCounters() const
{
    if (!m_endpoint)
    {
        return nullptr;
    }
    if (m_reboots == 0)
    {
        return &m_endpoint->GetCounters();
    }
    // The endpoints lost in reboots counted too.
    m_coapSum = m_retiredCoap;
    m_coapSum += m_endpoint->GetCounters();
    return &m_coapSum;
}

void
MeterApp::SetOscoreContext(const lpwan::oscore::ContextParameters& params)
{
    std::string error = lpwan::oscore::ValidateParameters(params);
    NS_ABORT_MSG_IF(!error.empty(), "MeterApp: bad OSCORE context: " << error);
    lpwan::oscore::ContextParameters p = params;
    if (m_persistInterval.value_or(0) > 0)
    {
        p.persistInterval = *m_persistInterval;
    }
    m_oscore = std::make_shared<lpwan::oscore::SecurityContext>(p);
}

void
MeterApp::SetSequenceNumberPersistence(uint64_t interval)
{
    m_persistInterval = interval;
}

MeterApp::OscoreProtection
MeterApp::ProtectReport(lpwan::coap::Message& request)
{
    std::shared_ptr<lpwan::oscore::SecurityContext> context
        = m_edhoc ? m_edhoc->GetContext() : m_oscore;
    OscoreProtection p;
    if (m_rederive)
    {
        // Appendix B.2 under way: the initiator's context of this step (not owned: the
        // exchange's response is verified through the initiator, never through this pointer).
        context = std::shared_ptr<lpwan::oscore::SecurityContext>(
            std::shared_ptr<lpwan::oscore::SecurityContext>(), &m_rederive->GetContext());
        p.rederiving = true;
    }
    if (!m_oscoreFilter)
    {
        m_oscoreFilter = std::make_unique<lpwan::glue::OscoreCoapClient>(context);
    }
    m_oscoreFilter->SetContext(std::move(context));
    p.plain = request;
    p.step = m_oscoreFilter->Protect(request, p.exchange);
    NS_ABORT_MSG_IF(!p.step.result.ok, "MeterApp: " << p.step.result.error);
    m_oscoreOverhead += static_cast<uint64_t>(p.step.overhead);
    return p;
}

const lpwan::oscore::Counters*
MeterApp::GetOscoreCounters() const
{
    return m_oscore ? &m_oscore->GetCounters() : nullptr;
}

void
MeterApp::SetDtlsConfig(std::shared_ptr<const lpwan::tls::Config> config)
{
    m_dtlsFactory = [config]() -> std::unique_ptr<lpwan::tls::DatagramSessionTransport>
    {
        return std::make_unique<lpwan::tls::DtlsTransport>(config);
    };
}

void
MeterApp::SetSecureTransportFactory(lpwan::tls::DatagramSessionTransportFactory factory)
{
    m_dtlsFactory = std::move(factory);
}

std::string
MeterApp::Protocol() const
{
    std::string p = m_dtlsFactory ? "coaps" : "coap";
    return m_oscore || m_edhoc ? p + "+oscore" : p;
}

lpwan::PeerId
MeterApp::ServerPeer() const
{
    return CoapUdpBinding::ToPeer(InetSocketAddress::ConvertFrom(m_server));
}

Ptr<Socket>
MeterApp::NewSocket()
{
    Ptr<Socket> socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(socket->Bind() != 0, "MeterApp: cannot bind a UDP socket");
    return socket;
}

void
MeterApp::CheckNatBinding()
{
    auto last = m_binding.GetLastActivity();
    if (m_natBindingTimeout.IsZero() || !last || Simulator::Now() - *last <= m_natBindingTimeout)
    {
        return;
    }
    // The NAT maps the next datagram to a new external port: to the server this device is a
    // new peer, so a DTLS session with it is gone (unless connection IDs let the server find
    // it again). A new local port has the same effect.
    ++m_natRebindings;
    m_binding.ReplaceSocket(NewSocket());
    if (m_dtls && !m_dtls->KeepsSessionsAcrossAddressChanges())
    {
        m_dtls->DropSession(ServerPeer());
    }
}

void
MeterApp::DoDispose()
{
    m_reportEvent.Cancel();
    m_binding.Stop();
    m_endpoint.reset();
    m_ledger = nullptr;
    Application::DoDispose();
}

void
MeterApp::StartApplication()
{
    NS_LOG_FUNCTION(this);
    lpwan::coap::TransmissionParameters params;
    params.ackTimeoutS = m_ackTimeout.GetSeconds();
    params.ackRandomFactor = m_ackRandomFactor;
    params.maxRetransmit = m_maxRetransmit;
    params.nstart = m_nstart;
    std::string error = params.Validate();
    NS_ABORT_MSG_IF(!error.empty(), "MeterApp: " << error);
    NS_ABORT_MSG_IF(!InetSocketAddress::IsMatchingType(m_server),
                    "MeterApp: Server must be an InetSocketAddress");

    m_coapRandom = std::make_unique<Ns3RandomSource>(m_coapStream);
    m_endpoint = std::make_unique<lpwan::coap::Endpoint>(params, *m_coapRandom);

    Ptr<Socket> socket = NewSocket();
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4 || ipv4->GetNInterfaces() < 2, "MeterApp: node has no IPv4 interface");
    m_localAddress = ipv4->GetAddress(1, 0).GetLocal();
    m_binding.Start(socket, m_endpoint.get(), CoapUdpBinding::Side::Device, m_localAddress,
                    m_ledger,
                    [this](const lpwan::coap::Event& e)
                    {
                        HandleEvent(e);
                    });
    if (m_dtlsFactory)
    {
        m_dtls = m_dtlsFactory();
        m_binding.SetTransport(m_dtls.get(),
                               [this](const lpwan::TransportEvent& e)
                               {
                                   HandleTransportEvent(e);
                               });
    }

    m_schedule.Configure(m_interval, m_jitter, m_timingStream);
    m_reportEvent = Simulator::Schedule(m_schedule.First(), &MeterApp::SendReport, this);
}

void
MeterApp::StopApplication()
{
    NS_LOG_FUNCTION(this);
    // Only stop reporting: exchanges in progress run to their end so that no report is
    // counted as lost merely because the run ended.
    m_reportEvent.Cancel();
}

void
MeterApp::ScheduleNextReport()
{
    m_reportEvent = Simulator::Schedule(m_schedule.Next(), &MeterApp::SendReport, this);
}

void
MeterApp::SendReport()
{
    lpwan::coap::Message request;
    request.type
        = m_confirmable ? lpwan::coap::Type::Confirmable : lpwan::coap::Type::NonConfirmable;
    request.code = lpwan::coap::code::Post;
    request.SetUriPath(m_uriPath);
    request.payload = ReportSchedule::Reading(m_sequence, m_payloadSize, m_payloadStream);
    ++m_sequence;

    uint64_t id = MessageTag::kNoMessage;
    if (m_ledger)
    {
        id = m_ledger->Open(m_localAddress.Get(), m_deviceIndex, Protocol(), m_confirmable);
    }
    if (Simulator::Now() < m_bootedAt)
    {
        // Due while the device reboots: never sent.
        if (m_ledger)
        {
            m_ledger->MarkCompleted(id, "device-rebooting", 0, "");
        }
        ScheduleNextReport();
        return;
    }
    if (m_edhoc)
    {
        CheckNatBinding();
        SendEdhocReport(std::move(request), id);
        ScheduleNextReport();
        return;
    }
    std::optional<OscoreProtection> protectedRequest;
    if (m_oscore)
    {
        protectedRequest = ProtectReport(request);
    }
    CheckNatBinding();
    if (m_dtls && (!m_dtls->IsEstablished(ServerPeer()) || !m_waiting.empty()))
    {
        // No session: the report waits for the handshake it starts (or joins).
        if (m_waiting.empty() && m_ledger)
        {
            m_ledger->SetHandshakeOwner(m_localAddress.Get(), id);
        }
        m_waiting.push_back(
            WaitingReport{std::move(request), id, Simulator::Now(), std::move(protectedRequest)});
        NS_LOG_INFO("device " << m_deviceIndex << ": report " << id
                              << " waits for the DTLS handshake");
        m_dtls->Connect(ServerPeer(), CoapUdpBinding::Now());
        m_binding.Flush();
        ScheduleNextReport();
        return;
    }
    NS_LOG_INFO("device " << m_deviceIndex << ": report " << id << " sent ("
                          << (protectedRequest ? "OSCORE"
                              : m_dtls         ? "DTLS"
                                               : "plain CoAP")
                          << ")");
    Submit(std::move(request), id, std::move(protectedRequest));
    ScheduleNextReport();
}

lpwan::coap::ExchangeId
MeterApp::Submit(lpwan::coap::Message request, uint64_t id,
                 std::optional<OscoreProtection> protectedRequest, uint32_t extraSecurity,
                 uint32_t resent)
{
    lpwan::coap::ExchangeId exchange
        = m_endpoint->SendRequest(ServerPeer(), std::move(request), CoapUdpBinding::Now());
    m_messages[exchange] = id;
    if (protectedRequest)
    {
        m_oscoreExchanges[exchange] = protectedRequest->exchange;
        m_plainCopies[exchange]
            = PlainCopy{protectedRequest->plain, resent, protectedRequest->rederiving};
    }
    if (m_ledger)
    {
        const std::vector<uint8_t>& token = m_endpoint->GetToken(exchange);
        m_ledger->BindToken(m_localAddress.Get(), token, id);
        if (protectedRequest)
        {
            // The wire message is the OSCORE message plus the token the endpoint added.
            PayloadSplit split;
            split.app = static_cast<uint32_t>(m_payloadSize);
            split.security = static_cast<uint32_t>(protectedRequest->step.overhead) + extraSecurity;
            split.coap = static_cast<uint32_t>(protectedRequest->step.plainSize + token.size()
                                               - m_payloadSize);
            m_ledger->SetPayloadSplit(id, true, split);
        }
    }
    m_binding.Flush();
    return exchange;
}

void
MeterApp::HandleTransportEvent(const lpwan::TransportEvent& event)
{
    if (event.peer != ServerPeer())
    {
        return;
    }
    if (event.kind == lpwan::TransportEvent::Kind::Established)
    {
        NS_LOG_INFO("device " << m_deviceIndex << ": DTLS session established ("
                              << (event.abbreviated ? "abbreviated" : "full") << " handshake), "
                              << m_waiting.size() << " reports waiting");
        std::deque<WaitingReport> waiting;
        waiting.swap(m_waiting);
        for (WaitingReport& w : waiting)
        {
            if (m_ledger)
            {
                m_ledger->MarkHandshake(w.id, event.abbreviated ? "abbreviated" : "full",
                                        Simulator::Now() - w.queued);
            }
            Submit(std::move(w.request), w.id, std::move(w.oscore));
        }
        return;
    }
    // The handshake failed or the session closed: the reports waiting for it are lost.
    NS_LOG_INFO("device " << m_deviceIndex << ": DTLS handshake failed or session closed, "
                          << m_waiting.size() << " waiting reports lost");
    for (WaitingReport& w : m_waiting)
    {
        if (m_ledger)
        {
            m_ledger->MarkHandshake(w.id, "failed", Simulator::Now() - w.queued);
            m_ledger->MarkCompleted(w.id, "handshake-failed", 0, "");
        }
    }
    m_waiting.clear();
}

void
MeterApp::HandleEvent(const lpwan::coap::Event& event)
{
    if (HandleEdhocEvent(event))
    {
        return;
    }
    auto it = m_messages.find(event.exchange);
    if (it == m_messages.end())
    {
        return;
    }
    uint64_t id = it->second;
    m_messages.erase(it);
    std::optional<PlainCopy> copy;
    if (auto c = m_plainCopies.find(event.exchange); c != m_plainCopies.end())
    {
        copy = std::move(c->second);
        m_plainCopies.erase(c);
    }
    std::string responseCode;
    std::string completion = "response";
    bool authentic = false;
    if (event.kind == lpwan::coap::Event::Kind::ResponseReceived && copy && copy->rederiving)
    {
        responseCode = lpwan::coap::CodeToString(event.message.code);
        if (HandleRederivationResponse(event, id, *copy, completion, responseCode, authentic))
        {
            return; // sent again: the report's exchange goes on
        }
    }
    else if (event.kind == lpwan::coap::Event::Kind::ResponseReceived)
    {
        responseCode = lpwan::coap::CodeToString(event.message.code);
        auto exchange = m_oscoreExchanges.find(event.exchange);
        if (exchange != m_oscoreExchanges.end())
        {
            // Only an authentic response completes a protected report; anything else (an
            // unprotected OSCORE error such as 4.01, or a forgery) is reported as such.
            lpwan::coap::Message response = event.message;
            lpwan::glue::OscoreStep v = m_oscoreFilter->Verify(response, exchange->second);
            if (v.result.ok)
            {
                responseCode = lpwan::coap::CodeToString(response.code);
                authentic = true;
                std::optional<lpwan::oscore::Bytes> echo
                    = lpwan::oscore::GetEchoChallenge(response);
                if (echo && copy && copy->resent < kMaxResends)
                {
                    // Appendix B.1.2: the server lost its replay window and challenges the
                    // request's freshness; the report goes again with the Echo value.
                    ++m_echoRetries;
                    m_oscoreExchanges.erase(exchange);
                    Resubmit(copy->plain, std::move(echo), id, copy->resent + 1);
                    return;
                }
            }
            else
            {
                completion = std::string("oscore-") + lpwan::oscore::StatusName(v.status);
            }
        }
    }
    m_oscoreExchanges.erase(event.exchange);
    if (m_edhoc)
    {
        EdhocReportEnded(event, id, authentic, completion);
    }
    if (event.kind == lpwan::coap::Event::Kind::Timeout && m_dtls)
    {
        // No answer at all: the server may have lost the session. The next report starts
        // afresh, from a new port: a server that still holds the old association ignores a
        // ClientHello on it (DtlsTransport), but accepts one from a new peer and then drops
        // the device's stale session. From the same port the device would be locked out.
        m_binding.ReplaceSocket(NewSocket());
        m_dtls->DropSession(ServerPeer());
    }
    if (!m_ledger)
    {
        return;
    }
    switch (event.kind)
    {
        case lpwan::coap::Event::Kind::ResponseReceived:
            // With OSCORE: the inner code of an authentic response, else how it failed.
            m_ledger->MarkCompleted(id, completion, event.retransmissions, responseCode);
            break;
        case lpwan::coap::Event::Kind::Timeout:
            m_ledger->MarkCompleted(id, "timeout", event.retransmissions, "");

            break;
        case lpwan::coap::Event::Kind::Reset:
            m_ledger->MarkCompleted(id, "reset", event.retransmissions, "");
            break;
        default:
            break;
    }
}

bool
MeterApp::HandleRederivationResponse(const lpwan::coap::Event& event, uint64_t id,
                                     const PlainCopy& copy, std::string& completion,
                                     std::string& responseCode, bool& authentic)
{
    auto exchange = m_oscoreExchanges.find(event.exchange);
    auto* binding = exchange == m_oscoreExchanges.end()
                        ? nullptr
                        : dynamic_cast<lpwan::glue::OscoreExchange*>(exchange->second.get());
    if (!m_rederive || binding == nullptr)
    {
        // Established meanwhile by another report's exchange: this one was protected with a
        // context the server replaced; send it again with the current one.
        m_oscoreExchanges.erase(event.exchange);
        if (copy.resent < kMaxResends)
        {
            Resubmit(copy.plain, std::nullopt, id, copy.resent + 1);
            return true;
        }
        completion = "oscore-stale-context";
        return false;
    }
    lpwan::oscore::UnprotectResult r
        = m_rederive->HandleResponse(event.message, binding->m_binding);
    NS_LOG_INFO("device " << m_deviceIndex << ": Appendix B.2 response: "
                          << lpwan::oscore::StatusName(r.status) << " " << r.diagnostic
                          << ", state " << static_cast<int>(m_rederive->GetState()) << ", resent "
                          << copy.resent);
    m_oscoreExchanges.erase(exchange);
    if (r.Ok()
        && m_rederive->GetState() == lpwan::oscore::RederivationInitiator::State::Established)
    {
        // Step 5: the new context is the device's from now on.
        auto context = std::make_shared<lpwan::oscore::SecurityContext>(m_rederive->GetContext());
        if (m_oscore)
        {
            context->GetCounters() += m_oscore->GetCounters();
        }
        m_oscore = std::move(context);
        m_rederive.reset();
        responseCode = lpwan::coap::CodeToString(r.message.code);
        authentic = true;
        return false;
    }
    if (copy.resent < kMaxResends)
    {
        // Response #1 (the server's R2): the report goes again as request #2, with CTX3; or a
        // response that no longer verifies (a step was taken meanwhile): again, as it stands.
        Resubmit(copy.plain, std::nullopt, id, copy.resent + 1);
        return true;
    }
    completion = std::string("oscore-") + lpwan::oscore::StatusName(r.status);
    return false;
}

void
MeterApp::Resubmit(const lpwan::coap::Message& plain, std::optional<std::vector<uint8_t>> echo,
                   uint64_t id, uint32_t resent)
{
    lpwan::coap::Message request = plain;
    if (echo)
    {
        request.AddOption(lpwan::coap::option::Echo, std::move(*echo));
    }
    OscoreProtection p = ProtectReport(request);
    p.plain = plain; // a later challenge gets a fresh Echo, not two
    Submit(std::move(request), id, std::move(p), 0, resent);
}

void
MeterApp::Reboot(Time bootTime)
{
    NS_LOG_FUNCTION(this << bootTime);
    ++m_reboots;
    m_bootedAt = Simulator::Now() + bootTime;
    // What was in RAM: the reports in flight and waiting are lost.
    std::vector<uint64_t> lost;
    for (const auto& [exchange, id] : m_messages)
    {
        lost.push_back(id);
    }
    for (const WaitingReport& w : m_waiting)
    {
        lost.push_back(w.id);
    }
    m_messages.clear();
    m_waiting.clear();
    m_oscoreExchanges.clear();
    m_plainCopies.clear();
    if (m_ledger)
    {
        for (uint64_t id : lost)
        {
            if (id != MessageTag::kNoMessage)
            {
                m_ledger->MarkCompleted(id, "device-reboot", 0, "");
            }
        }
    }
    // The CoAP endpoint (exchanges, message IDs, tokens) and the UDP port.
    if (m_endpoint)
    {
        m_retiredCoap += m_endpoint->GetCounters();
    }
    m_binding.Stop();
    m_endpoint
        = std::make_unique<lpwan::coap::Endpoint>(m_endpoint->GetParameters(), *m_coapRandom);
    m_binding.Start(NewSocket(), m_endpoint.get(), CoapUdpBinding::Side::Device, m_localAddress,
                    m_ledger,
                    [this](const lpwan::coap::Event& e)
                    {
                        HandleEvent(e);
                    });
    if (m_dtls)
    {
        m_dtls->DropAllSessions();
    }
    if (m_edhoc)
    {
        m_edhoc->Reboot();
    }
    m_oscoreFilter.reset();
    if (m_oscore && !m_edhoc)
    {
        const lpwan::oscore::ContextParameters& params = m_oscore->GetParameters();
        if (m_naiveReboot)
        {
            // What RFC 8613 forbids: the same keys, the sequence number from 0 again.
            auto naive = std::make_shared<lpwan::oscore::SecurityContext>(params);
            naive->GetCounters() = m_oscore->GetCounters();
            m_oscore = std::move(naive);
        }
        else if (params.persistInterval > 0)
        {
            // Appendix B.1.1: the keys are derived again; the sequence number resumes at what
            // the store-before-use rule wrote last (the last multiple of K used) + K + F.
            const uint64_t used = m_oscore->GetSenderSequenceNumber();
            auto restored = std::make_shared<lpwan::oscore::SecurityContext>(params);
            restored->GetCounters() = m_oscore->GetCounters();
            if (used > 0)
            {
                const uint64_t k = params.persistInterval;
                restored->RestoreSequenceNumber((used - 1) / k * k, 1);
            }
            m_oscore = std::move(restored);
            m_rederive.reset();
        }
        else
        {
            // Nothing stored: Appendix B.2 derives a new context before any report gets
            // through; reusing a Partial IV under the old keys is never an option.
            m_rederive
                = std::make_unique<lpwan::oscore::RederivationInitiator>(params, *m_coapRandom);
            m_rederive->Start();
        }
    }
}

} // namespace ns3
