#include "edhoc-server-session.h"

#include "edhoc-demo-credentials.h"

namespace lpwan
{
namespace tools
{

using namespace lpwan::edhoc;

namespace
{

glue::EdhocCoapServer::Config
MakeServerConfig(const EdhocFlags& flags)
{
    glue::EdhocCoapServer::Config config;
    ResponderConfig& c = config.responder;
    static_cast<PartyConfig&>(c) = DemoResponderParty();
    if (!flags.suites.empty())
    {
        c.suites = flags.suites;
    }
    c.sendMessage4 = flags.message4;
    return config;
}

} // namespace

EdhocServerSession::EdhocServerSession(coap::Endpoint& endpoint, ServerSession& inner,
                                       oscore::ContextStore& store, const EdhocFlags& flags,
                                       lpwan::RandomSource& random, std::ostream& log, int verbose)
  : m_endpoint(endpoint)
  , m_inner(inner)
  , m_store(store)
  , m_server(MakeServerConfig(flags), random)
  , m_log(log)
  , m_verbose(verbose)
{
}

void
EdhocServerSession::Start(lpwan::TimeNs now)
{
    m_inner.Start(now);
}

void
EdhocServerSession::OnEvent(const coap::Event& event, lpwan::TimeNs now)
{
    if (event.kind != coap::Event::Kind::RequestReceived
        || !glue::EdhocCoapServer::IsEdhocRequest(event.message))
    {
        m_inner.OnEvent(event, now);
        return;
    }
    coap::Event plain = event;
    glue::EdhocCoapServer::Outcome o = m_server.Handle(plain.message);
    if (o.install)
    {
        // A peer that runs EDHOC again keeps its old context too (o.replaces): the store of
        // this short-lived demonstration server only grows.
        m_store.Add(*o.install);
    }
    if (m_verbose > 0)
    {
        m_log << "edhoc: " << o.log << "\n";
    }
    if (o.response)
    {
        m_endpoint.Respond(event.handle, std::move(*o.response), now);
        return;
    }
    m_inner.OnEvent(plain, now); // the OSCORE request, verified with the new context
}

std::optional<lpwan::TimeNs>
EdhocServerSession::NextTimer() const
{
    return m_inner.NextTimer();
}

void
EdhocServerSession::OnTimer(lpwan::TimeNs now)
{
    m_inner.OnTimer(now);
}

void
EdhocServerSession::Interrupt(lpwan::TimeNs now)
{
    m_inner.Interrupt(now);
}

bool
EdhocServerSession::Finished() const
{
    return m_inner.Finished();
}

std::string
EdhocServerCountersLine(const EdhocServerSession& session)
{
    const CoapResponderPool& p = session.GetPool();
    return "edhoc: completed=" + std::to_string(p.GetCompletedSessions()) + " failed="
           + std::to_string(p.GetFailedSessions()) + " open=" + std::to_string(p.GetOpenSessions())
           + " rejected_contexts=" + std::to_string(session.GetRejectedContexts());
}

} // namespace tools
} // namespace lpwan
