/*
 * OSCORE server filter; see oscore-coap-server.h.
 */

#include "oscore-coap-server.h"

#include "../oscore/oscore-protect.h"

namespace ns3
{
namespace glue
{

namespace
{

/// What the server keeps from a request to its response(s): the binding and the context
/// that verified the request (owned by the store).
class ServerBinding : public coap::FilterContext
{
  public:
    ServerBinding(oscore::RequestBinding binding, oscore::SecurityContext* context)
      : m_binding(std::move(binding))
      , m_context(context)
    {
    }

    oscore::RequestBinding m_binding;
    oscore::SecurityContext* m_context;
};

} // namespace

OscoreCoapServer::OscoreCoapServer(oscore::ContextStore& store)
  : m_store(store)
{
}

coap::FilterResult
OscoreCoapServer::UnprotectRequest(lpwan::PeerId, coap::Message& request,
                                   coap::FilterContextPtr& context)
{
    oscore::UnprotectResult r = m_store.UnprotectRequest(request);
    if (r.Ok() && r.context != nullptr)
    {
        request = std::move(r.message);
        context = std::make_shared<ServerBinding>(std::move(r.binding), r.context);
        return coap::FilterResult::Ok();
    }
    if (r.status == oscore::Status::NotOscore)
    {
        return coap::FilterResult::Fail(coap::code::Unauthorized, "OSCORE required");
    }
    // Section 8.2's error responses; a status without one (never produced by a store without
    // re-derivation and with known replay windows) is refused as a bad request.
    const uint8_t code = r.errorResponse ? r.errorResponse->code : coap::code::BadRequest;
    return coap::FilterResult::Fail(code, r.diagnostic);
}

coap::FilterResult
OscoreCoapServer::ProtectResponse(lpwan::PeerId, coap::Message& response,
                                  const coap::FilterContextPtr& context)
{
    auto* binding = dynamic_cast<ServerBinding*>(context.get());
    if (binding == nullptr || binding->m_context == nullptr)
    {
        return coap::FilterResult::Fail(coap::code::InternalServerError,
                                        "OSCORE: response without a verified request");
    }
    const bool notification = response.FindOption(coap::option::Observe) != nullptr;
    oscore::ResponseOptions options;
    options.partialIv = notification;
    const uint64_t before = binding->m_context->GetSenderSequenceNumber();
    oscore::ProtectResult r
        = oscore::ProtectResponse(*binding->m_context, response, binding->m_binding, options);
    if (!r.Ok())
    {
        return coap::FilterResult::Fail(coap::code::InternalServerError,
                                        std::string("OSCORE: cannot protect the response: ")
                                            + oscore::StatusName(r.status) + ": " + r.diagnostic);
    }
    std::string error;
    const bool tookSequenceNumber = binding->m_context->GetSenderSequenceNumber() != before;
    if (tookSequenceNumber && m_sink && !m_sink(*binding->m_context, &error))
    {
        return coap::FilterResult::Fail(coap::code::InternalServerError,
                                        "OSCORE: cannot store the Sender Sequence Number: "
                                            + error);
    }
    response = std::move(r.message);
    ++m_responsesProtected;
    m_notificationsProtected += notification ? 1 : 0;
    return coap::FilterResult::Ok();
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
} // namespace ns3
