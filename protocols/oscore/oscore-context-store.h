/*
 * The server's set of security contexts, looked up by the 'kid' and 'kid context' of incoming
 * requests (RFC 8613 section 8.2 step 2), with the server side of Appendix B.2 for clients whose
 * pre-established parameters were registered with EnableRederivation().
 *
 * Lookup: with a 'kid context', the context whose Recipient ID is the 'kid' and whose ID
 * Context is the 'kid context' (or, for a re-derivation client, its CBOR-unwrapped value);
 * without one, the first context whose Recipient ID is the 'kid'.
 */
#ifndef LPWAN_OSCORE_CONTEXT_STORE_H
#define LPWAN_OSCORE_CONTEXT_STORE_H

#include "oscore-protect.h"
#include "oscore-rederivation.h"
#include "oscore-request-verifier.h"
#include "oscore-security-context.h"

#include <memory>
#include <optional>
#include <vector>

namespace lpwan
{
namespace oscore
{

class ContextStore : public RequestVerifier
{
  public:
    /// Derives and stores a context; the reference stays valid until the context is replaced
    /// (Appendix B.2 step 4 replaces the contexts of that client). Throws std::invalid_argument
    /// on invalid parameters.
    SecurityContext& Add(const ContextParameters& params);

    /// Appendix B.1.2 for every stored context (a restart lost the replay windows);
    /// echoRandom must outlive the store.
    void ForgetReplayWindows(lpwan::RandomSource& echoRandom)
    {
        for (auto& context : m_contexts)
        {
            context->ForgetReplayWindow(echoRandom);
        }
    }

    /// The context for a 'kid' / optional 'kid context', or nullptr.
    SecurityContext* Find(const Bytes& kid, const std::optional<Bytes>& kidContext);

    size_t Size() const
    {
        return m_contexts.size();
    }

    /// Lets a client with these pre-established parameters (the server's view: senderId is the
    /// server's, recipientId the client's) derive new contexts as in Appendix B.2. random must
    /// outlive the store.
    void EnableRederivation(const ContextParameters& base, lpwan::RandomSource& random,
                            size_t r2Length = 8, size_t maxPending = 4);

    /// Section 8.2 over all stored contexts; see UnprotectRequest in oscore-protect.h for the
    /// outcomes. On Ok / EchoRequired, result.context is the stored context to protect the
    /// response with. ContextRederivation: send result.errorResponse (Appendix B.2 response #1).
    UnprotectResult UnprotectRequest(const coap::Message& received);

    /// Every UnprotectRequest outcome, whichever context (if any) was involved.
    const Counters& GetCounters() const
    {
        return m_counters;
    }

    /// RequestVerifier: UnprotectRequest. The context is the store's (not kept alive: a
    /// re-derivation that replaces it ends it).
    UnprotectResult Verify(const coap::Message& received,
                           std::shared_ptr<SecurityContext>* context) override;

    Counters GetRequestCounters() const override
    {
        return m_counters;
    }

  private:
    UnprotectResult Process(const coap::Message& received);
    RederivationResponder* ResponderFor(const Bytes& kid);
    SecurityContext& Install(std::unique_ptr<SecurityContext> ctx);

    std::vector<std::unique_ptr<SecurityContext>> m_contexts;
    std::vector<std::unique_ptr<RederivationResponder>> m_responders;
    Counters m_counters;
};

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_CONTEXT_STORE_H
