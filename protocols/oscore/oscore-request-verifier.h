/*
 * Where a server looks up the security context of a received request and verifies it (RFC 8613
 * section 8.2). The OSCORE server glue (protocols/glue/oscore-coap-server.h) is written against
 * this interface so that one filter serves both ways of keeping a server's contexts:
 * ContextStore (lookup by 'kid' and 'kid context', Appendix B.2 re-derivation: the real-socket
 * server) and KidContextMap (one context per client, looked up by 'kid' in constant time and
 * replaced when EDHOC derives a new one: the simulated platform server, which has thousands).
 */
#ifndef LPWAN_OSCORE_REQUEST_VERIFIER_H
#define LPWAN_OSCORE_REQUEST_VERIFIER_H

#include "oscore-results.h"
#include "oscore-types.h"

#include <memory>

namespace lpwan
{
namespace oscore
{

class RequestVerifier
{
  public:
    virtual ~RequestVerifier() = default;

    /// Section 8.2 over the verifier's contexts. On Ok, *context is the context that verified
    /// the request, valid for as long as the caller holds it: the response is protected with
    /// it even if the verifier replaced it meanwhile (where the verifier can keep it alive).
    virtual UnprotectResult Verify(const coap::Message& received,
                                   std::shared_ptr<SecurityContext>* context)
        = 0;

    /// Every outcome of Verify so far, whichever context (if any) was involved.
    virtual Counters GetRequestCounters() const = 0;
};

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_REQUEST_VERIFIER_H
