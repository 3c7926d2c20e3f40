/*
 * OSCORE client filter; see oscore-coap-client.h.
 */

#include "oscore-coap-client.h"

#include "../coap/coap-describe.h"
#include "oscore-exchange.h"

namespace lpwan
{
namespace glue
{

namespace
{

std::string
Diagnostic(const coap::Message& m)
{
    if (m.payload.empty())
    {
        return "";
    }
    return " \"" + std::string(m.payload.begin(), m.payload.end()) + "\"";
}

} // namespace

OscoreCoapClient::OscoreCoapClient(oscore::SecurityContext& context)
  // Non-owning: the caller keeps the context alive.
  : m_context(std::shared_ptr<oscore::SecurityContext>(), &context)
{
}

OscoreCoapClient::OscoreCoapClient(std::shared_ptr<oscore::SecurityContext> context)
  : m_context(std::move(context))
{
}

OscoreStep
OscoreCoapClient::Protect(coap::Message& request, coap::FilterContextPtr& context)
{
    OscoreStep step;
    oscore::ProtectResult r = oscore::ProtectRequest(*m_context, request);
    step.status = r.status;
    if (!r.Ok())
    {
        step.result
            = coap::FilterResult::Fail(0, std::string("OSCORE: cannot protect the request: ")
                                              + oscore::StatusName(r.status) + ": " + r.diagnostic);
        return step;
    }
    std::string error;
    if (m_sink && !m_sink(m_context->GetSenderSequenceNumber(), &error))
    {
        step.result = coap::FilterResult::Fail(
            0, "OSCORE: cannot store the Sender Sequence Number: " + error);
        return step;
    }
    step.overhead = r.Overhead();
    step.plainSize = r.plainSize;
    request = std::move(r.message);
    context = std::make_shared<OscoreExchange>(std::move(r.binding), m_context);
    return step;
}

OscoreStep
OscoreCoapClient::Verify(coap::Message& response, const coap::FilterContextPtr& context)
{
    OscoreStep step;
    auto* binding = dynamic_cast<OscoreExchange*>(context.get());
    if (binding == nullptr)
    {
        step.status = oscore::Status::InvalidInput;
        step.result
            = coap::FilterResult::Fail(0, "OSCORE: response to a request that was not protected");
        return step;
    }
    oscore::UnprotectResult r
        = oscore::UnprotectResponse(*binding->m_context, response, binding->m_binding);
    step.status = r.status;
    if (r.Ok())
    {
        response = std::move(r.message);
        return step;
    }
    if (r.status == oscore::Status::NotOscore)
    {
        // Section 8.2: a server that cannot verify a request answers without OSCORE.
        step.result = coap::FilterResult::Fail(
            response.code,
            "OSCORE: the server rejected the request: " + coap::CodeToString(response.code) + " "
                + coap::CodeName(response.code) + Diagnostic(response));
        return step;
    }
    step.result = coap::FilterResult::Fail(0, std::string("OSCORE: the response did not verify: ")
                                                  + oscore::StatusName(r.status) + " ("
                                                  + r.diagnostic + ")");
    return step;
}

coap::FilterResult
OscoreCoapClient::ProtectRequest(lpwan::PeerId, coap::Message& request,
                                 coap::FilterContextPtr& context)
{
    return Protect(request, context).result;
}

coap::FilterResult
OscoreCoapClient::UnprotectResponse(lpwan::PeerId, coap::Message& response,
                                    const coap::FilterContextPtr& context)
{
    return Verify(response, context).result;
}

coap::FilterResult
OscoreCoapClient::UnprotectRequest(lpwan::PeerId, coap::Message&, coap::FilterContextPtr&)
{
    return coap::FilterResult::Fail(coap::code::InternalServerError,
                                    "OscoreCoapClient has no server role");
}

coap::FilterResult
OscoreCoapClient::ProtectResponse(lpwan::PeerId, coap::Message&, const coap::FilterContextPtr&)
{
    return coap::FilterResult::Fail(coap::code::InternalServerError,
                                    "OscoreCoapClient has no server role");
}

} // namespace glue
} // namespace lpwan
