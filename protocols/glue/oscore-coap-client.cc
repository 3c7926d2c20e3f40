/*
 * OSCORE client filter; see oscore-coap-client.h.
 */

#include "oscore-coap-client.h"

#include "../coap/coap-describe.h"

namespace ns3
{
namespace glue
{

namespace
{

/// What the client keeps from a request to its response(s): the request binding.
class ClientBinding : public coap::FilterContext
{
  public:
    explicit ClientBinding(oscore::RequestBinding binding)
      : m_binding(std::move(binding))
    {
    }

    oscore::RequestBinding m_binding;
};

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
  : m_context(context)
{
}

coap::FilterResult
OscoreCoapClient::ProtectRequest(lpwan::PeerId, coap::Message& request,
                                 coap::FilterContextPtr& context)
{
    oscore::ProtectResult r = oscore::ProtectRequest(m_context, request);
    if (!r.Ok())
    {
        return coap::FilterResult::Fail(0, std::string("OSCORE: cannot protect the request: ")
                                               + oscore::StatusName(r.status) + ": "
                                               + r.diagnostic);
    }
    std::string error;
    if (m_sink && !m_sink(m_context.GetSenderSequenceNumber(), &error))
    {
        return coap::FilterResult::Fail(0, "OSCORE: cannot store the Sender Sequence Number: "
                                               + error);
    }
    request = std::move(r.message);
    context = std::make_shared<ClientBinding>(std::move(r.binding));
    return coap::FilterResult::Ok();
}

coap::FilterResult
OscoreCoapClient::UnprotectResponse(lpwan::PeerId, coap::Message& response,
                                    const coap::FilterContextPtr& context)
{
    auto* binding = dynamic_cast<ClientBinding*>(context.get());
    if (binding == nullptr)
    {
        return coap::FilterResult::Fail(0, "OSCORE: response to a request that was not protected");
    }
    oscore::UnprotectResult r = oscore::UnprotectResponse(m_context, response, binding->m_binding);
    if (r.Ok())
    {
        response = std::move(r.message);
        return coap::FilterResult::Ok();
    }
    if (r.status == oscore::Status::NotOscore)
    {
        // Section 8.2: a server that cannot verify a request answers without OSCORE.
        return coap::FilterResult::Fail(response.code, "OSCORE: the server rejected the request: "
                                                           + coap::CodeToString(response.code) + " "
                                                           + coap::CodeName(response.code)
                                                           + Diagnostic(response));
    }
    return coap::FilterResult::Fail(0, std::string("OSCORE: the response did not verify: ")
                                           + oscore::StatusName(r.status) + " (" + r.diagnostic
                                           + ")");
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
} // namespace ns3
