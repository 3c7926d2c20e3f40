/*
 * OSCORE (RFC 8613) in the client role, as the coap::MessageFilter between the client
 * session and its Endpoint: each request (each block, the Observe registration and its
 * deregistration) is protected with a new Partial IV, and each response or notification is
 * verified against the binding of the request it answers (section 8.4, with the notification
 * ordering of section 7.4.1).
 *
 * Failures carry a one-line reason. An OSCORE server rejects a request it cannot verify with
 * an unprotected error (4.01 "Replay detected", 4.00 "Decryption failed", ...); that is
 * reported as a failure whose errorCode is the server's code, with the message left as
 * received so that the tool can print it. A response that fails verification has errorCode 0.
 */
#ifndef LPWAN_GLUE_OSCORE_COAP_CLIENT_H
#define LPWAN_GLUE_OSCORE_COAP_CLIENT_H

#include "../coap/coap-message-filter.h"
#include "../oscore/oscore-protect.h"
#include "../oscore/oscore-security-context.h"
#include "oscore-step.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace lpwan
{
namespace glue
{

class OscoreCoapClient : public coap::MessageFilter
{
  public:
    /// Called after each protection with the next Sender Sequence Number; it must persist it
    /// (SequenceNumberFile) before the request is sent, and return false (with a reason) if
    /// it could not, which fails the protection: a number that is not safely stored must
    /// not go on the wire.
    using SequenceNumberSink = std::function<bool(uint64_t next, std::string* error)>;

    /// context must outlive the filter and its exchanges.
    explicit OscoreCoapClient(oscore::SecurityContext& context);
    /// Shares the context with the exchanges protected with it.
    explicit OscoreCoapClient(std::shared_ptr<oscore::SecurityContext> context);

    /// The context for the requests protected from now on.
    void SetContext(std::shared_ptr<oscore::SecurityContext> context)
    {
        m_context = std::move(context);
    }

    void SetSequenceNumberSink(SequenceNumberSink sink)
    {
        m_sink = std::move(sink);
    }

    /// ProtectRequest, reporting the overhead and plain size of the request.
    OscoreStep Protect(coap::Message& request, coap::FilterContextPtr& context);
    /// UnprotectResponse, reporting the OSCORE status of the response.
    OscoreStep Verify(coap::Message& response, const coap::FilterContextPtr& context);

    coap::FilterResult ProtectRequest(lpwan::PeerId peer, coap::Message& request,
                                      coap::FilterContextPtr& context) override;
    coap::FilterResult UnprotectResponse(lpwan::PeerId peer, coap::Message& response,
                                         const coap::FilterContextPtr& context) override;
    /// The server role is OscoreCoapServer's: these fail.
    coap::FilterResult UnprotectRequest(lpwan::PeerId peer, coap::Message& request,
                                        coap::FilterContextPtr& context) override;
    coap::FilterResult ProtectResponse(lpwan::PeerId peer, coap::Message& response,
                                       const coap::FilterContextPtr& context) override;

    const oscore::Counters& GetCounters() const
    {
        return m_context->GetCounters();
    }

  private:
    std::shared_ptr<oscore::SecurityContext> m_context;
    SequenceNumberSink m_sink;
};

} // namespace glue
} // namespace lpwan

#endif // LPWAN_GLUE_OSCORE_COAP_CLIENT_H
