#include "edhoc-server-service.h"

#include "protocols/edhoc/edhoc-coap.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdhocServerService");

using namespace lpwan::edhoc;

EdhocServerService::EdhocServerService(Config config, Ptr<UniformRandomVariable> stream,
                                       CoapResponderPool::IdInUse idInUse)
  : m_config(std::move(config))
  , m_random(stream)
  , m_pool(m_config.responder, m_random, m_config.maxSessions, std::move(idInUse))
{
}

bool
EdhocServerService::IsEdhocRequest(const coap::Message& request)
{
    return (lpwan::edhoc::IsEdhocRequest(request) && !request.FindOption(coap::option::Oscore))
           || IsCombinedRequest(request);
}

void
EdhocServerService::CountResponse(const std::optional<coap::Message>& response)
{
    if (response && !response->payload.empty())
    {
        m_figures.bytesSent += response->payload.size();
        ++m_figures.flightsSent;
    }
}

EdhocServerService::Outcome
EdhocServerService::Handle(coap::Message& request)
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
    NS_LOG_INFO(r.log);
    CountResponse(r.response);
    Outcome out;
    if (r.completed)
    {
        out = Completed(r);
    }
    out.response = std::move(r.response);
    return out;
}

EdhocServerService::Outcome
EdhocServerService::Completed(const CoapResponderPool::Result& r)
{
    Outcome out;
    oscore::ContextParameters params = ToOscoreParameters(*r.completed);
    params.replayWindowSize = m_config.replayWindow;
    if (!oscore::ValidateParameters(params).empty())
    {
        return out; // an identifier OSCORE cannot use: the device's requests will fail
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
    return out;
}

tls::HandshakeFigures
EdhocServerService::GetFigures() const
{
    tls::HandshakeFigures f = m_figures;
    f.completed = m_pool.GetCompletedSessions();
    f.failed = m_pool.GetFailedSessions();
    return f;
}

} // namespace ns3
