/*
 * OSCORE (RFC 8613) in the server role, as the coap::MessageFilter between the server
 * session and its Endpoint: every request is verified through a ContextStore (section 8.2:
 * context by 'kid' / 'kid context', replay window, AEAD), and every response is protected
 * with the binding of its request (section 8.3). Responses that carry an Observe option (the
 * registration's answer and each notification) always take a fresh Partial IV from the
 * server's Sender Sequence Number (section 8.3.1, Appendix B.1.2): one observation has many
 * responses, and the request nonce may protect at most one of them.
 *
 * A server configured with OSCORE serves nothing unprotected: a request without the OSCORE
 * option fails with 4.01 Unauthorized. Other failures carry the code section 8.2 prescribes
 * (4.02 Bad Option for an undecodable COSE object, 4.01 for an unknown context or a replay,
 * 4.00 Bad Request when decryption fails) and its diagnostic text, which the server sends
 * unprotected with Max-Age 0.
 *
 * The contexts are looked up through an oscore::RequestVerifier: a ContextStore (the
 * real-socket server) or a KidContextMap (the simulated platform server). VerifyRequest and
 * Protect are the filter's steps with what a caller accounting for bytes needs (OscoreStep:
 * the OSCORE status and the section 8.2 error response of a rejected request, the overhead and
 * plain size of a response): the simulated server uses them.
 *
 * Not handled: the Echo challenge after a reboot (Appendix B.1.2, the replay window is not
 * persisted) and context re-derivation (Appendix B.2); the store is used without them.
 */
#ifndef LPWAN_GLUE_OSCORE_COAP_SERVER_H
#define LPWAN_GLUE_OSCORE_COAP_SERVER_H

#include "../coap/coap-message-filter.h"
#include "../oscore/oscore-request-verifier.h"
#include "oscore-step.h"

#include <cstdint>
#include <functional>
#include <string>

namespace lpwan
{
namespace glue
{

class OscoreCoapServer : public coap::MessageFilter
{
  public:
    /// As OscoreCoapClient::SequenceNumberSink, for the numbers the server's responses use.
    using SequenceNumberSink
        = std::function<bool(const oscore::SecurityContext& context, std::string* error)>;

    /// verifier (a ContextStore, a KidContextMap) must outlive the filter.
    explicit OscoreCoapServer(oscore::RequestVerifier& verifier);

    /// Every response takes a fresh Partial IV, not only notifications (instead of reusing the
    /// request nonce; section 8.3 allows either).
    void SetResponsePartialIv(bool always)
    {
        m_alwaysPartialIv = always;
    }

    /// UnprotectRequest, reporting the OSCORE status and the error response to send back.
    OscoreStep VerifyRequest(coap::Message& request, coap::FilterContextPtr& context);
    /// ProtectResponse, reporting the overhead and plain size of the response.
    OscoreStep Protect(coap::Message& response, const coap::FilterContextPtr& context);

    void SetSequenceNumberSink(SequenceNumberSink sink)
    {
        m_sink = std::move(sink);
    }

    coap::FilterResult UnprotectRequest(lpwan::PeerId peer, coap::Message& request,
                                        coap::FilterContextPtr& context) override;
    coap::FilterResult ProtectResponse(lpwan::PeerId peer, coap::Message& response,
                                       const coap::FilterContextPtr& context) override;
    /// The client role is OscoreCoapClient's: these fail.
    coap::FilterResult ProtectRequest(lpwan::PeerId peer, coap::Message& request,
                                      coap::FilterContextPtr& context) override;
    coap::FilterResult UnprotectResponse(lpwan::PeerId peer, coap::Message& response,
                                         const coap::FilterContextPtr& context) override;

    /// Every request outcome (the store's counters).
    oscore::Counters GetRequestCounters() const
    {
        return m_verifier.GetRequestCounters();
    }

    /// Responses protected so far, and how many of them were notifications.
    uint64_t GetResponsesProtected() const
    {
        return m_responsesProtected;
    }

    uint64_t GetNotificationsProtected() const
    {
        return m_notificationsProtected;
    }

  private:
    oscore::RequestVerifier& m_verifier;
    SequenceNumberSink m_sink;
    bool m_alwaysPartialIv = false;
    uint64_t m_responsesProtected = 0;
    uint64_t m_notificationsProtected = 0;
};

} // namespace glue
} // namespace lpwan

#endif // LPWAN_GLUE_OSCORE_COAP_SERVER_H
