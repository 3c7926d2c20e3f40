/*
 * Appendix B.2 context re-derivation, client and server sides.
 */

#include "oscore-rederivation.h"

#include "oscore-cbor.h"

#include <algorithm>

namespace lpwan
{
namespace oscore
{

namespace
{

Bytes
Concat(const Bytes& a, const Bytes& b)
{
    Bytes out(a);
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

Bytes
DrawBytes(lpwan::RandomSource& random, size_t n)
{
    Bytes out;
    out.reserve(n);
    while (out.size() < n)
    {
        const uint32_t r = random.Uint32();
        for (int i = 0; i < 4 && out.size() < n; ++i)
        {
            out.push_back(static_cast<uint8_t>(r >> (8 * i)));
        }
    }
    return out;
}

ContextParameters
WithIdContext(ContextParameters p, const Bytes& idContext)
{
    p.idContext = idContext;
    p.sendKidContext = false; // B.2 sends the CBOR-wrapped value, set explicitly
    return p;
}

} // namespace

// ---- client ----

RederivationInitiator::RederivationInitiator(const ContextParameters& base,
                                             lpwan::RandomSource& random, size_t nonceLength)
  : m_base(base)
  , m_random(random)
  , m_nonceLength(nonceLength == 0 ? 8 : nonceLength)
{
}

Bytes
RederivationInitiator::Draw(size_t n)
{
    return DrawBytes(m_random, n);
}

std::unique_ptr<SecurityContext>
RederivationInitiator::Derive(const Bytes& idContext) const
{
    return std::make_unique<SecurityContext>(WithIdContext(m_base, idContext));
}

void
RederivationInitiator::Start()
{
    m_r1 = Draw(m_nonceLength);
    m_context = Derive(m_r1); // ID1 = R1
    m_context->SetKidContextToSend(WrapBstr(m_r1));
    m_state = State::AwaitingResponse1;
}

UnprotectResult
RederivationInitiator::HandleResponse(const coap::Message& received, RequestBinding& binding)
{
    if (m_state == State::Idle || !m_context)
    {
        UnprotectResult r;
        r.status = Status::InvalidInput;
        r.diagnostic = "re-derivation not started";
        return r;
    }
    if (m_state != State::AwaitingResponse1)
    {
        UnprotectResult r = UnprotectResponse(*m_context, received, binding);
        if (r.Ok() && m_state == State::AwaitingResponse2)
        {
            m_state = State::Established; // step 5
            m_context->SetKidContextToSend(std::nullopt);
        }
        return r;
    }

    // Step 3: response #1 carries bstr(R2) in 'kid context' and is protected with
    // ID Context R2 || R1.
    std::optional<Bytes> r2;
    const coap::Option* option = received.FindOption(coap::option::Oscore);
    if (option != nullptr)
    {
        const auto header = DecodeOptionValue(option->value);
        if (header && header->kidContext)
        {
            r2 = UnwrapBstr(*header->kidContext);
        }
    }
    if (!r2 || r2->empty())
    {
        // No new nonce: the server verified request #1 with a context it already had.
        UnprotectResult r = UnprotectResponse(*m_context, received, binding);
        if (r.Ok())
        {
            m_state = State::Established;
            m_context->SetKidContextToSend(std::nullopt);
        }
        return r;
    }
    auto ctx2 = Derive(Concat(*r2, m_r1));
    UnprotectResult r = UnprotectResponse(*ctx2, received, binding);
    if (!r.Ok())
    {
        return r;
    }
    const Bytes id3 = Concat(*r2, Draw(m_nonceLength)); // ID3 = R2 || R3
    m_context = Derive(id3);
    m_context->SetKidContextToSend(WrapBstr(id3));
    m_state = State::AwaitingResponse2;
    return r;
}

// ---- server ----

RederivationResponder::RederivationResponder(const ContextParameters& base,
                                             lpwan::RandomSource& random, size_t r2Length,
                                             size_t maxPending)
  : m_base(base)
  , m_random(random)
  , m_r2Length(r2Length == 0 ? 8 : r2Length)
  , m_maxPending(maxPending == 0 ? 1 : maxPending)
{
}

RederivationResponder::Outcome
RederivationResponder::Handle(const coap::Message& received, const ParsedRequest& parsed)
{
    Outcome out;
    const auto id
        = parsed.header.kidContext ? UnwrapBstr(*parsed.header.kidContext) : std::optional<Bytes>();
    if (!id || id->empty())
    {
        out.result = RequestError(received, Status::ContextNotFound, "Security context not found");
        return out;
    }

    // Step 4: ID3 = R2 || R3 with an R2 of ours.
    auto pending = std::find_if(m_pending.begin(), m_pending.end(),
                                [&id](const Bytes& r2)
                                {
                                    return id->size() > r2.size()
                                           && std::equal(r2.begin(), r2.end(), id->begin());
                                });
    if (pending != m_pending.end())
    {
        auto ctx3 = std::make_unique<SecurityContext>(WithIdContext(m_base, *id));
        out.result = VerifyRequest(*ctx3, received, parsed);
        if (out.result.Ok())
        {
            // Step 4 "removes all instances of R2 associated to this security context from the
            // cache": keeping the R2 of other runs would let a captured request #2 of an
            // unfinished run replace the context just established. A replayed request #2 of
            // this run is then unverifiable here, and CTX3's replay window rejects it there.
            m_pending.clear();
            out.result.context = nullptr;
            out.established = std::move(ctx3);
        }
        return out;
    }

    // Step 2: ID1 from the client.
    SecurityContext ctx1(WithIdContext(m_base, *id));
    out.result = VerifyRequest(ctx1, received, parsed);
    out.result.context = nullptr; // ctx1 dies here
    if (!out.result.Ok())
    {
        return out;
    }
    const Bytes r2 = DrawBytes(m_random, m_r2Length);
    m_pending.push_back(r2);
    while (m_pending.size() > m_maxPending)
    {
        m_pending.pop_front();
    }
    SecurityContext ctx2(WithIdContext(m_base, Concat(r2, *id))); // ID2 = R2 || ID1

    coap::Message unauthorized;
    unauthorized.type = received.type == coap::Type::Confirmable ? coap::Type::Acknowledgement
                                                                 : coap::Type::NonConfirmable;
    unauthorized.messageId = received.messageId;
    unauthorized.token = received.token;
    unauthorized.code = coap::code::Unauthorized;
    ResponseOptions options;
    options.kidContext = WrapBstr(r2);
    // No Partial IV: CTX2's key is new (R2 is fresh), so the request nonce is safe to use.
    ProtectResult p = ProtectResponse(ctx2, unauthorized, out.result.binding, options);
    if (!p.Ok())
    {
        out.result = RequestError(received, Status::DecryptionFailed, "Decryption failed");
        return out;
    }
    out.result.status = Status::ContextRederivation;
    out.result.diagnostic = "Appendix B.2 response #1";
    out.result.errorResponse = std::move(p.message);
    return out;
}

} // namespace oscore
} // namespace lpwan
