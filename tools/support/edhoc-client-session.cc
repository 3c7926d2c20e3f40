#include "edhoc-client-session.h"

#include "edhoc-demo-credentials.h"
#include "exit-status.h"
#include "protocols/edhoc/edhoc-coap.h"

namespace lpwan
{
namespace tools
{

using namespace lpwan::edhoc;

namespace
{

glue::EdhocCoapClient::Config
MakeRunConfig(const EdhocFlags& flags)
{
    glue::EdhocCoapClient::Config run;
    InitiatorConfig& c = run.initiator;
    static_cast<PartyConfig&>(c) = DemoInitiatorParty();
    c.method = static_cast<Method>(flags.method);
    c.suites = flags.suites.empty() ? std::vector<int64_t>{2} : flags.suites;
    c.connectionId = Bytes{0x2d}; // fixed C_I: the server allocates a different C_R
    c.expectMessage4 = flags.message4;
    run.combined = flags.combined;
    return run;
}

std::string
HexOf(const Bytes& b)
{
    static const char* d = "0123456789abcdef";
    std::string s;
    for (uint8_t v : b)
    {
        s += d[v >> 4];
        s += d[v & 15];
    }
    return s;
}

} // namespace

/// RFC 9668: the OSCORE client filter, plus message_3 and the EDHOC option on the first
/// request it protects.
class EdhocClientSession::CombinedFilter : public coap::MessageFilter
{
  public:
    CombinedFilter(coap::MessageFilter& oscore, Bytes message3)
      : m_oscore(oscore)
      , m_message3(std::move(message3))
    {
    }

    coap::FilterResult ProtectRequest(lpwan::PeerId peer, coap::Message& request,
                                      coap::FilterContextPtr& context) override
    {
        coap::FilterResult r = m_oscore.ProtectRequest(peer, request, context);
        if (r.ok && !m_message3.empty())
        {
            MakeCombinedRequest(request, m_message3);
            m_message3.clear();
        }
        return r;
    }

    coap::FilterResult UnprotectResponse(lpwan::PeerId peer, coap::Message& response,
                                         const coap::FilterContextPtr& context) override
    {
        return m_oscore.UnprotectResponse(peer, response, context);
    }

    coap::FilterResult UnprotectRequest(lpwan::PeerId peer, coap::Message& request,
                                        coap::FilterContextPtr& context) override
    {
        return m_oscore.UnprotectRequest(peer, request, context);
    }

    coap::FilterResult ProtectResponse(lpwan::PeerId peer, coap::Message& response,
                                       const coap::FilterContextPtr& context) override
    {
        return m_oscore.ProtectResponse(peer, response, context);
    }

  private:
    coap::MessageFilter& m_oscore;
    Bytes m_message3;
};

EdhocClientSession::EdhocClientSession(coap::Endpoint& endpoint, const EdhocFlags& flags,
                                       ClientRequest request, lpwan::RandomSource& random,
                                       std::ostream& out, std::ostream& err)
  : m_endpoint(endpoint)
  , m_flags(flags)
  , m_request(std::move(request))
  , m_out(out)
  , m_err(err)
  , m_run(MakeRunConfig(flags), random)
{
}

EdhocClientSession::~EdhocClientSession() = default;

void
EdhocClientSession::Start(lpwan::TimeNs now)
{
    m_deadline = now + lpwan::SecondsToNs(m_request.waitSeconds);
    glue::EdhocCoapClient::Step step = m_run.Start();
    if (step.result == glue::EdhocCoapClient::Step::Result::Failed)
    {
        Fail(exit_status::kUsage, "EDHOC: " + step.diagnostic); // e.g. no usable suite
        return;
    }
    Apply(std::move(step), now);
}

void
EdhocClientSession::OnEvent(const coap::Event& event, lpwan::TimeNs now)
{
    if (m_inner)
    {
        m_inner->OnEvent(event, now);
        return;
    }
    if (m_phase == Phase::Done || event.exchange != m_exchange)
    {
        return;
    }
    switch (event.kind)
    {
        case coap::Event::Kind::ResponseReceived:
            m_message3Answered = !m_run.IsAwaitingMessage2();
            Apply(m_run.OnResponse(event.message), now);
            break;
        case coap::Event::Kind::Timeout:
            Fail(exit_status::kNoAnswer, "EDHOC: no answer from " + m_request.peerName);
            break;
        case coap::Event::Kind::Reset:
            Fail(exit_status::kNoAnswer, "EDHOC: " + m_request.peerName + " answered with Reset");
            break;
        default:
            break;
    }
}

void
EdhocClientSession::Apply(glue::EdhocCoapClient::Step step, lpwan::TimeNs now)
{
    using Result = glue::EdhocCoapClient::Step::Result;
    if (step.retried)
    {
        m_err << "edhoc: cipher suite refused, retrying with suite "
              << GetInitiator().GetSuite()->id << "\n";
    }
    if (step.request)
    {
        m_exchange = m_endpoint.SendRequest(m_request.peer, std::move(*step.request), now);
    }
    switch (step.result)
    {
        case Result::Pending:
            return;
        case Result::Failed:
            Fail(exit_status::kSecurity, FailureText(step));
            return;
        case Result::Ready:
            StartOscore(*step.context, step.combinedMessage3, now);
            return;
    }
}

std::string
EdhocClientSession::FailureText(const glue::EdhocCoapClient::Step& step)
{
    if (step.reason == "message_2-rejected")
    {
        return "EDHOC: message_2 rejected: " + step.diagnostic;
    }
    if (step.reason == "message_4-rejected")
    {
        return "EDHOC: message_4: " + step.diagnostic;
    }
    if (step.reason == "oscore-context")
    {
        return "EDHOC: OSCORE context unusable: " + step.diagnostic;
    }
    if (step.reason == "server-error" && m_message3Answered)
    {
        return "EDHOC: server refused message_3: " + step.diagnostic;
    }
    return "EDHOC: " + step.diagnostic;
}

void
EdhocClientSession::StartOscore(const oscore::ContextParameters& params,
                                const Bytes& combinedMessage3, lpwan::TimeNs now)
{
    m_context = std::make_unique<oscore::SecurityContext>(params);
    m_oscore = std::make_unique<glue::OscoreCoapClient>(*m_context);
    coap::MessageFilter* filter = m_oscore.get();
    if (!combinedMessage3.empty())
    {
        m_combined = std::make_unique<CombinedFilter>(*m_oscore, combinedMessage3);
        filter = m_combined.get();
    }
    const Initiator& initiator = GetInitiator();
    m_err << "edhoc: completed method=" << static_cast<int>(*initiator.GetMethod())
          << " suite=" << initiator.GetSuite()->id
          << " C_I=" << HexOf(initiator.GetInitiatorConnectionId())
          << " C_R=" << HexOf(initiator.GetResponderConnectionId())
          << (combinedMessage3.empty() ? "" : " combined") << "\n";
    m_phase = Phase::Oscore;
    m_inner = std::make_unique<ClientSession>(m_endpoint, *filter, m_request, m_out, m_err);
    m_inner->Start(now);
}

void
EdhocClientSession::Fail(int status, const std::string& why)
{
    m_err << "edhoc: failed: " << why << "\n";
    m_exitStatus = status;
    m_phase = Phase::Done;
}

std::optional<lpwan::TimeNs>
EdhocClientSession::NextTimer() const
{
    if (m_inner)
    {
        return m_inner->NextTimer();
    }
    if (m_phase == Phase::Done)
    {
        return std::nullopt;
    }
    return m_deadline;
}

void
EdhocClientSession::OnTimer(lpwan::TimeNs now)
{
    if (m_inner)
    {
        m_inner->OnTimer(now);
        return;
    }
    if (now >= m_deadline && m_phase != Phase::Done)
    {
        Fail(exit_status::kNoAnswer, "EDHOC: gave up waiting for " + m_request.peerName);
    }
}

void
EdhocClientSession::Interrupt(lpwan::TimeNs now)
{
    if (m_inner)
    {
        m_inner->Interrupt(now);
        return;
    }
    Fail(exit_status::kInterrupted, "EDHOC: interrupted");
}

bool
EdhocClientSession::Finished() const
{
    return m_phase == Phase::Done || (m_inner && m_inner->Finished());
}

int
EdhocClientSession::GetExitStatus() const
{
    return m_inner ? m_inner->GetExitStatus() : m_exitStatus;
}

} // namespace tools
} // namespace lpwan
