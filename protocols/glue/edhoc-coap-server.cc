#include "edhoc-coap-server.h"

#include "../edhoc/edhoc-coap.h"

namespace lpwan
{
namespace glue
{

using namespace lpwan::edhoc;

EdhocCoapServer::EdhocCoapServer(Config config, lpwan::RandomSource& random,
                                 CoapResponderPool::IdInUse idInUse)
  : m_config(std::move(config))
  , m_pool(m_config.responder, random, m_config.maxSessions, std::move(idInUse))
{
}

bool
EdhocCoapServer::IsEdhocRequest(const coap::Message& request)
{
    // A POST to /.well-known/edhoc that carries OSCORE is an OSCORE request for that
    // resource, not EDHOC's.
    return (lpwan::edhoc::IsEdhocRequest(request) && !request.FindOption(coap::option::Oscore))
           || IsCombinedRequest(request);
}

void
EdhocCoapServer::CountResponse(const std::optional<coap::Message>& response)
{
    if (response && !response->payload.empty())
    {
        m_figures.bytesSent += response->payload.size();
        ++m_figures.flightsSent;
    }
}

EdhocCoapServer::Outcome
EdhocCoapServer::Handle(coap::Message& request)
{
    CoapResponderPool::Result r;
    if (IsCombinedRequest(request))
    {
        const size_t before = request.payload.size();
        r = m_pool.HandleCombinedRequest(request);
        if (r.completed)
        {
            m_figures.bytesReceived += before - request.payload.size(); // message_3
        }
    }
    else
    {
        EdhocRequestPayload p;
        std::string why;
        if (ParseEdhocRequestPayload(request.payload, p, why))
        {
            m_figures.bytesReceived += p.message.size();
            m_figures.started += p.message1 ? 1 : 0;
        }
        r = m_pool.HandleRequest(request);
    }
    CountResponse(r.response);
    Outcome out;
    if (r.completed)
    {
        Completed(r, out);
    }
    out.response = std::move(r.response);
    out.log = std::move(r.log);
    return out;
}

void
EdhocCoapServer::Completed(const CoapResponderPool::Result& r, Outcome& out)
{
    oscore::ContextParameters params = ToOscoreParameters(*r.completed);
    params.replayWindowSize = m_config.replayWindow;
    if (!oscore::ValidateParameters(params).empty())
    {
        out.rejectedContext = true;
        ++m_rejectedContexts;
        return;
    }
    auto it = m_contextOf.find(r.peerIdCred);
    if (it != m_contextOf.end())
    {
        out.replaces = it->second;
        it->second = params.recipientId;
    }
    else
    {
        m_contextOf.emplace(r.peerIdCred, params.recipientId);
    }
    out.install = std::move(params);
}

tls::HandshakeFigures
EdhocCoapServer::GetFigures() const
{
    tls::HandshakeFigures f = m_figures;
    f.completed = m_pool.GetCompletedSessions();
    f.failed = m_pool.GetFailedSessions();
    return f;
}

} // namespace glue
} // namespace lpwan
