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
 * Not handled: the Echo challenge after a reboot (Appendix B.1.2, the replay window is not
 * persisted) and context re-derivation (Appendix B.2); the store is used without them.
 */
#ifndef LPWAN_GLUE_OSCORE_COAP_SERVER_H
#define LPWAN_GLUE_OSCORE_COAP_SERVER_H

#include "../coap/coap-message-filter.h"
#include "../oscore/oscore-context-store.h"

#include <cstdint>
#include <functional>
#include <string>

namespace ns3
{
namespace glue
{

class OscoreCoapServer : public coap::MessageFilter
{
  public:
    /// As OscoreCoapClient::SequenceNumberSink, for the numbers the server's responses use.
    using SequenceNumberSink
        = std::function<bool(const oscore::SecurityContext& context, std::string* error)>;

    /// store must outlive the filter.
    explicit OscoreCoapServer(oscore::ContextStore& store);

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
    const oscore::Counters& GetRequestCounters() const
    {
        return m_store.GetCounters();
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
    oscore::ContextStore& m_store;
    SequenceNumberSink m_sink;
    uint64_t m_responsesProtected = 0;
    uint64_t m_notificationsProtected = 0;
};

} // namespace glue
} // namespace ns3

#endif // LPWAN_GLUE_OSCORE_COAP_SERVER_H
