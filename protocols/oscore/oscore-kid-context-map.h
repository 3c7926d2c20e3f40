/*
 * A server's security contexts when each client has exactly one, keyed by the client's Sender
 * ID (the 'kid' of its requests, the context's Recipient ID): lookup in constant time whatever
 * the number of clients, a context replaced when the client gets a new one (EDHOC run again)
 * and all of them forgotten at once (a restart that loses volatile keys). A 'kid context' in a
 * request is not used for the lookup (the contexts this map holds have none).
 *
 * Counters survive the contexts: those of a replaced or forgotten context are kept, and
 * outcomes decided before a context was found (not OSCORE, malformed, unknown 'kid') are
 * counted apart, so GetRequestCounters is every outcome since the start.
 */
#ifndef LPWAN_OSCORE_KID_CONTEXT_MAP_H
#define LPWAN_OSCORE_KID_CONTEXT_MAP_H

#include "oscore-request-verifier.h"
#include "oscore-security-context.h"

#include <memory>
#include <string>
#include <unordered_map>

namespace lpwan
{
namespace oscore
{

class KidContextMap : public RequestVerifier
{
  public:
    /// Derives the context and stores it under its Recipient ID, replacing the one there.
    void Install(const ContextParameters& params);

    /// Whether a context has this Recipient ID.
    bool Contains(const Bytes& kid) const;

    /// Forgets the context with this Recipient ID, if any.
    void Remove(const Bytes& kid);

    /// Forgets every context.
    void Clear();

    /// Appendix B.1.2 for every context (a restart lost the replay windows); echoRandom must
    /// outlive the contexts.
    void ForgetReplayWindows(lpwan::RandomSource& echoRandom);

    size_t Size() const
    {
        return m_byKid.size();
    }

    /// Section 8.2: the context of the request's 'kid', or ContextNotFound. The context stays
    /// alive while *context holds it, even if replaced meanwhile.
    UnprotectResult Verify(const coap::Message& received,
                           std::shared_ptr<SecurityContext>* context) override;

    Counters GetRequestCounters() const override;

  private:
    void Retire(const SecurityContext& context);

    std::unordered_map<std::string, std::shared_ptr<SecurityContext>> m_byKid;
    Counters m_rejected; ///< outcomes decided before a context was found
    Counters m_retired;  ///< counters of contexts replaced or forgotten
};

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_KID_CONTEXT_MAP_H
