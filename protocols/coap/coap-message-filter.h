/*
 * The place where a message-layer security protocol slots in between a CoAP application and
 * its Endpoint. OSCORE (RFC 8613) protects each request and response end to end: it turns
 * the application's message into an outer message carrying the OSCORE option and an
 * encrypted payload, and back. An application written against this interface runs unchanged
 * with plain CoAP (PassThroughFilter) or with OSCORE (a filter in protocols/oscore/):
 *
 *   client:  request --ProtectRequest--> Endpoint::SendRequest
 *            Event::ResponseReceived --UnprotectResponse--> application
 *   server:  Event::RequestReceived --UnprotectRequest--> application
 *            response --ProtectResponse--> Endpoint::Respond / Endpoint::Notify
 *
 * What stays above the filter: block-wise transfer (coap-block.h), because OSCORE protects
 * each block with the inner Block options (RFC 8613 section 4.1.3.4.2), and the choice of
 * resource and method. What stays below: message IDs, tokens, retransmission and
 * deduplication, which are the endpoint's (OSCORE leaves them in the outer message).
 *
 * A response is bound to its request (OSCORE derives the response's nonce and AAD from the
 * request's kid and Partial IV), so the request step returns a FilterContext that the
 * application hands back for every response of that exchange: once for an ordinary response,
 * for each notification of an Observe registration (the server keeps the registration's
 * context with the observer). A filter tells notifications apart by the Observe option of the
 * response it is given.
 *
 * Failures. A client drops a response that does not unprotect (and reports the error). A
 * server answers a request that does not unprotect with FilterResult::errorCode, sent
 * unprotected (RFC 8613 section 8.2: e.g. 4.01 Unauthorized, 4.02 Bad Option).
 */
#ifndef LPWAN_COAP_MESSAGE_FILTER_H
#define LPWAN_COAP_MESSAGE_FILTER_H

#include "../common/sans-io.h"
#include "coap-message.h"

#include <cstdint>
#include <memory>
#include <string>

namespace lpwan
{
namespace coap
{

/// Per-exchange state a filter keeps from a request to its response(s). Filters derive from it.
class FilterContext
{
  public:
    virtual ~FilterContext() = default;
};

using FilterContextPtr = std::shared_ptr<FilterContext>;

/// The outcome of one filter step.
struct FilterResult
{
    bool ok = true;
    uint8_t errorCode = 0; ///< server side, when !ok: the code to answer the request with
    std::string error;     ///< why, for logs and tools

    static FilterResult Ok()
    {
        return FilterResult();
    }

    static FilterResult Fail(uint8_t errorCode, std::string why)
    {
        FilterResult r;
        r.ok = false;
        r.errorCode = errorCode;
        r.error = std::move(why);
        return r;
    }
};

/// Transforms messages between an application and its Endpoint; see the file comment.
class MessageFilter
{
  public:
    virtual ~MessageFilter() = default;

    /// Client: request is about to go to Endpoint::SendRequest (its token and message ID are
    /// not assigned yet). Sets context for the exchange's responses.
    virtual FilterResult ProtectRequest(lpwan::PeerId peer, Message& request,
                                        FilterContextPtr& context)
        = 0;
    /// Client: a response (or notification) of the exchange that context belongs to.
    virtual FilterResult UnprotectResponse(lpwan::PeerId peer, Message& response,
                                           const FilterContextPtr& context)
        = 0;
    /// Server: a request the endpoint received. Sets context for the responses to it.
    virtual FilterResult UnprotectRequest(lpwan::PeerId peer, Message& request,
                                          FilterContextPtr& context)
        = 0;
    /// Server: a response or notification about to go to Endpoint::Respond / Notify.
    virtual FilterResult ProtectResponse(lpwan::PeerId peer, Message& response,
                                         const FilterContextPtr& context)
        = 0;
};

/// Plain CoAP: every message passes unchanged.
class PassThroughFilter : public MessageFilter
{
  public:
    FilterResult ProtectRequest(lpwan::PeerId, Message&, FilterContextPtr&) override
    {
        return FilterResult::Ok();
    }

    FilterResult UnprotectResponse(lpwan::PeerId, Message&, const FilterContextPtr&) override
    {
        return FilterResult::Ok();
    }

    FilterResult UnprotectRequest(lpwan::PeerId, Message&, FilterContextPtr&) override
    {
        return FilterResult::Ok();
    }

    FilterResult ProtectResponse(lpwan::PeerId, Message&, const FilterContextPtr&) override
    {
        return FilterResult::Ok();
    }
};

} // namespace coap
} // namespace lpwan

#endif // LPWAN_COAP_MESSAGE_FILTER_H
