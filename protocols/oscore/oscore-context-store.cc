/*
 * Server-side security context lookup and Appendix B.2 dispatch.
 */

#include "oscore-context-store.h"

#include "oscore-cbor.h"

#include <algorithm>
#include <exception>

namespace lpwan
{
namespace oscore
{

SecurityContext&
ContextStore::Add(const ContextParameters& params)
{
    m_contexts.push_back(std::make_unique<SecurityContext>(params));
    return *m_contexts.back();
}

RederivationResponder*
ContextStore::ResponderFor(const Bytes& kid)
{
    for (auto& r : m_responders)
    {
        if (r->GetRecipientId() == kid)
        {
            return r.get();
        }
    }
    return nullptr;
}

SecurityContext*
ContextStore::Find(const Bytes& kid, const std::optional<Bytes>& kidContext)
{
    std::optional<Bytes> unwrapped;
    if (kidContext && ResponderFor(kid) != nullptr)
    {
        unwrapped = UnwrapBstr(*kidContext); // Appendix B.2 clients send bstr(ID Context)
    }
    for (auto& ctx : m_contexts)
    {
        if (ctx->GetRecipientId() != kid)
        {
            continue;
        }
        if (!kidContext || ctx->GetIdContext() == kidContext
            || (unwrapped && ctx->GetIdContext() == unwrapped))
        {
            return ctx.get();
        }
    }
    return nullptr;
}

void
ContextStore::EnableRederivation(const ContextParameters& base, lpwan::RandomSource& random,
                                 size_t r2Length, size_t maxPending)
{
    m_responders.push_back(
        std::make_unique<RederivationResponder>(base, random, r2Length, maxPending));
}

SecurityContext&
ContextStore::Install(std::unique_ptr<SecurityContext> ctx)
{
    // Appendix B.2 step 4: the new context replaces the previous ones with this client.
    const Bytes rid = ctx->GetRecipientId();
    m_contexts.erase(std::remove_if(m_contexts.begin(), m_contexts.end(),
                                    [&rid](const std::unique_ptr<SecurityContext>& c)
                                    {
                                        return c->GetRecipientId() == rid;
                                    }),
                     m_contexts.end());
    m_contexts.push_back(std::move(ctx));
    return *m_contexts.back();
}

UnprotectResult
ContextStore::Process(const coap::Message& received)
{
    UnprotectResult failure;
    const auto parsed = ParseRequest(received, &failure);
    if (!parsed)
    {
        return failure;
    }
    const Bytes& kid = *parsed->header.kid;
    if (SecurityContext* ctx = Find(kid, parsed->header.kidContext))
    {
        return VerifyRequest(*ctx, received, *parsed);
    }
    RederivationResponder* responder = ResponderFor(kid);
    if (responder != nullptr && parsed->header.kidContext)
    {
        RederivationResponder::Outcome o = responder->Handle(received, *parsed);
        if (o.established)
        {
            o.result.context = &Install(std::move(o.established));
        }
        return std::move(o.result);
    }
    return RequestError(received, Status::ContextNotFound, "Security context not found");
}

UnprotectResult
ContextStore::UnprotectRequest(const coap::Message& received)
{
    UnprotectResult r;
    try
    {
        r = Process(received);
    }
    catch (const std::exception&)
    {
        r = RequestError(received, Status::Malformed, "Failed to decode COSE");
    }
    CountOutcome(m_counters, r.status, true);
    return r;
}

UnprotectResult
ContextStore::Verify(const coap::Message& received, std::shared_ptr<SecurityContext>* context)
{
    UnprotectResult r = UnprotectRequest(received);
    if (context != nullptr)
    {
        // Non-owning: the store owns its contexts.
        *context
            = r.context != nullptr
                  ? std::shared_ptr<SecurityContext>(std::shared_ptr<SecurityContext>(), r.context)
                  : nullptr;
    }
    return r;
}

} // namespace oscore
} // namespace lpwan
