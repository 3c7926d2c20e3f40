#include "edhoc-server-session.h"

#include "edhoc-demo-credentials.h"

namespace ns3
{
namespace tools
{

using namespace lpwan::edhoc;

namespace
{

ResponderConfig
MakeResponderConfig(const EdhocFlags& flags)
{
    ResponderConfig c;
    static_cast<PartyConfig&>(c) = DemoResponderParty();
    if (!flags.suites.empty())
    {
        c.suites = flags.suites;
    }
    c.sendMessage4 = flags.message4;
    return c;
}

} // namespace

EdhocServerSession::EdhocServerSession(coap::Endpoint& endpoint, ServerSession& inner,
                                       oscore::ContextStore& store, const EdhocFlags& flags,
                                       lpwan::RandomSource& random, std::ostream& log, int verbose)
  : m_endpoint(endpoint)
  , m_inner(inner)
  , m_store(store)
  , m_pool(MakeResponderConfig(flags), random)
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
EdhocServerSession::Install(const OscoreMaterial& material)
{
    const oscore::ContextParameters params = ToOscoreParameters(material);
    if (!oscore::ValidateParameters(params).empty())
    {
        ++m_rejectedContexts;
        return;
    }
    m_store.Add(params);
}

void
EdhocServerSession::OnEvent(const coap::Event& event, lpwan::TimeNs now)
{
    if (event.kind == coap::Event::Kind::RequestReceived && IsEdhocRequest(event.message)
        && !event.message.FindOption(coap::option::Oscore))
    {
        CoapResponderPool::Result r = m_pool.HandleRequest(event.message);
        if (r.completed)
        {
            Install(*r.completed);
        }
        if (m_verbose > 0)
        {
            m_log << "edhoc: " << r.log << "\n";
        }
        m_endpoint.Respond(event.handle, std::move(*r.response), now);
        return;
    }
    if (event.kind == coap::Event::Kind::RequestReceived && IsCombinedRequest(event.message))
    {
        coap::Event plain = event;
        CoapResponderPool::Result r = m_pool.HandleCombinedRequest(plain.message);
        if (m_verbose > 0)
        {
            m_log << "edhoc: " << r.log << "\n";
        }
        if (!r.completed)
        {
            m_endpoint.Respond(event.handle, std::move(*r.response), now);
            return;
        }
        Install(*r.completed);
        m_inner.OnEvent(plain, now); // the OSCORE request, verified with the new context
        return;
    }
    m_inner.OnEvent(event, now);
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
} // namespace ns3
