/*
 * OSCORE server filter; see oscore-coap-server.h.
 */

#include "oscore-coap-server.h"

#include "../oscore/oscore-protect.h"
#include "oscore-exchange.h"

namespace lpwan
{
namespace glue
{

OscoreCoapServer::OscoreCoapServer(oscore::RequestVerifier& verifier)
  : m_verifier(verifier)
{
}

OscoreStep
OscoreCoapServer::VerifyRequest(coap::Message& request, coap::FilterContextPtr& context)
{
    OscoreStep step;
    std::shared_ptr<oscore::SecurityContext> verifiedBy;
    oscore::UnprotectResult r = m_verifier.Verify(request, &verifiedBy);
    step.status = r.status;
    if (r.Ok() && verifiedBy != nullptr)
    {
        request = std::move(r.message);
        context = std::make_shared<OscoreExchange>(std::move(r.binding), std::move(verifiedBy));
        return step;
    }
    step.errorResponse = std::move(r.errorResponse);
    if (r.status == oscore::Status::NotOscore)
    {
        step.result = coap::FilterResult::Fail(coap::code::Unauthorized, "OSCORE required");
        return step;
    }
    // Section 8.2's error responses; a status without one (never produced by a store without
    // re-derivation and with known replay windows) is refused as a bad request.
    const uint8_t code = step.errorResponse ? step.errorResponse->code : coap::code::BadRequest;
    step.result = coap::FilterResult::Fail(code, r.diagnostic);
    return step;
}

OscoreStep
OscoreCoapServer::Protect(coap::Message& response, const coap::FilterContextPtr& context)
{
    OscoreStep step;
    auto* binding = dynamic_cast<OscoreExchange*>(context.get());
    if (binding == nullptr || binding->m_context == nullptr)
    {
        step.status = oscore::Status::InvalidInput;
        step.result = coap::FilterResult::Fail(coap::code::InternalServerError,
                                               "OSCORE: response without a verified request");
        return step;
    }
    const bool notification = response.FindOption(coap::option::Observe) != nullptr;
    oscore::ResponseOptions options;
    options.partialIv = notification || m_alwaysPartialIv;
    const uint64_t before = binding->m_context->GetSenderSequenceNumber();
    oscore::ProtectResult r
        = oscore::ProtectResponse(*binding->m_context, response, binding->m_binding, options);
    step.status = r.status;
    if (!r.Ok())
    {
        step.result
            = coap::FilterResult::Fail(coap::code::InternalServerError,
                                       std::string("OSCORE: cannot protect the response: ")
                                           + oscore::StatusName(r.status) + ": " + r.diagnostic);
        return step;
    }
    std::string error;
    const bool tookSequenceNumber = binding->m_context->GetSenderSequenceNumber() != before;
    if (tookSequenceNumber && m_sink && !m_sink(*binding->m_context, &error))
    {
        step.result
            = coap::FilterResult::Fail(coap::code::InternalServerError,
                                       "OSCORE: cannot store the Sender Sequence Number: " + error);
        return step;
    }
    step.overhead = r.Overhead();
    step.plainSize = r.plainSize;
    response = std::move(r.message);
    ++m_responsesProtected;
    m_notificationsProtected += notification ? 1 : 0;
    return step;
}

coap::FilterResult
OscoreCoapServer::UnprotectRequest(lpwan::PeerId, coap::Message& request,
                                   coap::FilterContextPtr& context)
{
    return VerifyRequest(request, context).result;
}

coap::FilterResult
OscoreCoapServer::ProtectResponse(lpwan::PeerId, coap::Message& response,
                                  const coap::FilterContextPtr& context)
{
    return Protect(response, context).result;
}

coap::FilterResult
OscoreCoapServer::ProtectRequest(lpwan::PeerId, coap::Message&, coap::FilterContextPtr&)
{
    return coap::FilterResult::Fail(0, "OscoreCoapServer has no client role");
}

coap::FilterResult
OscoreCoapServer::UnprotectResponse(lpwan::PeerId, coap::Message&, const coap::FilterContextPtr&)
{
    return coap::FilterResult::Fail(0, "OscoreCoapServer has no client role");
}

} // namespace glue
} // namespace lpwan
