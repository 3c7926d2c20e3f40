/*
 * One context per client, by 'kid'; see oscore-kid-context-map.h.
 */

#include "oscore-kid-context-map.h"

#include "oscore-protect.h"

namespace lpwan
{
namespace oscore
{

namespace
{

std::string
Key(const Bytes& kid)
{
    return std::string(kid.begin(), kid.end());
}

} // namespace

void
KidContextMap::Retire(const SecurityContext& context)
{
    m_retired += context.GetCounters();
}

void
KidContextMap::Install(const ContextParameters& params)
{
    auto& slot = m_byKid[Key(params.recipientId)];
    if (slot)
    {
        Retire(*slot);
    }
    slot = std::make_shared<SecurityContext>(params);
}

bool
KidContextMap::Contains(const Bytes& kid) const
{
    return m_byKid.count(Key(kid)) > 0;
}

void
KidContextMap::Remove(const Bytes& kid)
{
    auto it = m_byKid.find(Key(kid));
    if (it != m_byKid.end())
    {
        Retire(*it->second);
        m_byKid.erase(it);
    }
}

void
KidContextMap::ForgetReplayWindows(lpwan::RandomSource& echoRandom)
{
    for (auto& [kid, context] : m_byKid)
    {
        context->ForgetReplayWindow(echoRandom);
    }
}

void
KidContextMap::Clear()
{
    for (const auto& [kid, context] : m_byKid)
    {
        Retire(*context);
    }
    m_byKid.clear();
}

UnprotectResult
KidContextMap::Verify(const coap::Message& received, std::shared_ptr<SecurityContext>* context)
{
    UnprotectResult result;
    std::optional<ParsedRequest> parsed = ParseRequest(received, &result);
    std::shared_ptr<SecurityContext> found;
    if (parsed)
    {
        const auto& kid = parsed->header.kid;
        auto it = kid ? m_byKid.find(Key(*kid)) : m_byKid.end();
        if (it != m_byKid.end())
        {
            found = it->second;
            // Counted in the context's own counters.
            result = VerifyRequest(*found, received, *parsed);
        }
        else
        {
            result = RequestError(received, Status::ContextNotFound, "Security context not found");
        }
    }
    if (!found)
    {
        CountOutcome(m_rejected, result.status, true);
    }
    result.context = found.get();
    if (context != nullptr)
    {
        *context = result.Ok() ? found : nullptr;
    }
    return result;
}

Counters
KidContextMap::GetRequestCounters() const
{
    Counters sum = m_rejected;
    sum += m_retired;
    for (const auto& [kid, context] : m_byKid)
    {
        sum += context->GetCounters();
    }
    return sum;
}

} // namespace oscore
} // namespace lpwan
