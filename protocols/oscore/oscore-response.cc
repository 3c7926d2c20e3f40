/*
 * Protecting responses (RFC 8613 section 8.3, with Observe 8.3.1) and verifying them
 * (section 8.4, with Observe 8.4.2 and notification replay protection 7.4.1).
 */

#include "oscore-aead.h"
#include "oscore-cbor.h"
#include "oscore-message-assembly.h"
#include "oscore-nonce.h"
#include "oscore-protect.h"

#include <exception>

namespace lpwan
{
namespace oscore
{

namespace
{

UnprotectResult
ResponseFailure(Status status, const char* diagnostic)
{
    UnprotectResult r;
    r.status = status;
    r.diagnostic = diagnostic;
    return r;
}

coap::Option*
FindMutable(std::vector<coap::Option>& options, uint16_t number)
{
    for (coap::Option& o : options)
    {
        if (o.number == number)
        {
            return &o;
        }
    }
    return nullptr;
}

UnprotectResult
Verify(SecurityContext& ctx, const coap::Message& received, RequestBinding& binding)
{
    const size_t oscoreOptions = CountOscoreOptions(received);
    if (oscoreOptions == 0)
    {
        // OSCORE errors (4.02/4.01/4.00) come back unprotected: surfaced, never authentic.
        UnprotectResult r = ResponseFailure(Status::NotOscore, "no OSCORE option");
        r.message = received;
        return r;
    }
    if (!received.IsResponse() || oscoreOptions > 1 || received.payload.empty())
    {
        return ResponseFailure(Status::Malformed, "Failed to decode COSE");
    }
    const auto header = DecodeOptionValue(received.FindOption(coap::option::Oscore)->value);
    if (!header)
    {
        return ResponseFailure(Status::Malformed, "Failed to decode COSE");
    }
    std::optional<uint64_t> piv;
    if (header->partialIv)
    {
        piv = DecodePartialIv(*header->partialIv);
        if (!piv)
        {
            return ResponseFailure(Status::Malformed, "Failed to decode COSE");
        }
    }

    // Replay protection of responses (section 7.4): one final response per request, the
    // request nonce at most once, notifications in increasing Partial IV order. The server's
    // Sender Sequence Number only grows, so every later response of an observation has a
    // larger Partial IV than the Notification Number.
    if (binding.completed)
    {
        return ResponseFailure(Status::Replay, "response to a completed exchange");
    }
    if (!piv && binding.requestNonceUsed)
    {
        return ResponseFailure(Status::Replay, "request nonce already used by a response");
    }
    if (piv && binding.notificationNumber && *piv <= *binding.notificationNumber)
    {
        return ResponseFailure(Status::Replay, "notification not newer than the last one");
    }

    const Bytes nonce
        = piv ? BuildNonce(ctx.GetCommonIv(), ctx.GetRecipientId(), *header->partialIv)
              : binding.requestNonce;
    const Bytes aad = EncodeAad(ctx.GetAlgorithm(), binding.requestKid, binding.requestPiv,
                                ClassIOptionBytes(received.options));
    auto plaintext = AeadDecrypt(ctx.GetRecipientKey(), nonce, aad, received.payload);
    if (!plaintext)
    {
        return ResponseFailure(Status::DecryptionFailed, "Decryption failed");
    }
    auto inner = DecodePlaintext(*plaintext);
    if (!inner || !coap::IsResponseCode(inner->code))
    {
        return ResponseFailure(Status::BadPlaintext, "Failed to parse plaintext");
    }
    coap::Option* innerObserve = FindMutable(inner->options, coap::option::Observe);
    if (innerObserve != nullptr && !binding.observe)
    {
        // Section 4.1.3.5.2: a notification to a request that was no registration.
        return ResponseFailure(Status::UnexpectedResponse, "Observe in response to non-Observe");
    }

    // Verified: advance the binding.
    if (!piv)
    {
        binding.requestNonceUsed = true;
    }
    if (innerObserve != nullptr)
    {
        if (piv)
        {
            binding.notificationNumber = *piv;
        }
        // The client orders notifications by Partial IV and ignores the Outer Observe; the
        // application gets the three least significant bytes of the Partial IV (0 when absent:
        // the notification without Partial IV is the oldest).
        innerObserve->value
            = coap::EncodeUintOption(piv ? static_cast<uint32_t>(*piv & 0xFFFFFF) : 0);
    }
    else
    {
        binding.completed = true;
    }

    UnprotectResult r;
    r.partialIv = piv;
    r.kidContext = header->kidContext;
    r.message = BuildPlainMessage(received, std::move(*inner));
    return r;
}

} // namespace

ProtectResult
ProtectResponse(SecurityContext& ctx, const coap::Message& plain, RequestBinding& binding,
                const ResponseOptions& options)
{
    try
    {
        if (!plain.IsResponse())
        {
            return ProtectResult::Failure(Status::InvalidInput, "not a response code");
        }
        if (plain.token.size() > 8)
        {
            return ProtectResult::Failure(Status::InvalidInput, "token longer than 8 bytes");
        }
        if (binding.requestNonce.size() != kNonceLength)
        {
            return ProtectResult::Failure(Status::InvalidInput, "binding holds no request nonce");
        }
        std::string why;
        const auto split = SplitForSending(plain, &why);
        if (!split)
        {
            return ProtectResult::Failure(Status::InvalidInput, why);
        }
        const Bytes plaintext = EncodePlaintext(plain.code, split->inner, plain.payload);
        if (plaintext.size() > kMaxPlaintextLength)
        {
            return ProtectResult::Failure(Status::InvalidInput,
                                          "plaintext longer than 65535 bytes");
        }

        // Section 8.3 step 3: the request nonce, or a new Partial IV. A (key, nonce) pair must
        // never repeat, so once a response has used the request nonce every later response of
        // the binding (further notifications) takes a Partial IV.
        const bool usePartialIv = options.partialIv || binding.requestNonceUsed;
        OptionValue header;
        Bytes nonce;
        std::optional<uint64_t> persist;
        if (usePartialIv)
        {
            const auto ssn = ctx.TakeSequenceNumber(&persist);
            if (!ssn)
            {
                return ProtectResult::Failure(Status::SequenceExhausted,
                                              "Sender Sequence Number exhausted");
            }
            header.partialIv = EncodePartialIv(*ssn);
            nonce = BuildNonce(ctx.GetCommonIv(), ctx.GetSenderId(), *header.partialIv);
        }
        else
        {
            nonce = binding.requestNonce;
        }
        header.kidContext = options.kidContext;
        const Bytes aad = EncodeAad(ctx.GetAlgorithm(), binding.requestKid, binding.requestPiv,
                                    ClassIOptionBytes(split->classI));
        Bytes ciphertext = AeadEncrypt(ctx.GetSenderKey(), nonce, aad, plaintext);

        const bool notification = plain.FindOption(coap::option::Observe) != nullptr;
        ProtectResult r;
        r.message
            = BuildOscoreMessage(plain, notification ? coap::code::Content : coap::code::Changed,
                                 *split, header, std::move(ciphertext));
        if (!usePartialIv)
        {
            binding.requestNonceUsed = true;
        }
        r.persistSequenceNumber = persist;
        r.plainSize = EncodedSize(plain);
        r.protectedSize = EncodedSize(r.message);
        ++ctx.GetCounters().responsesProtected;
        return r;
    }
    catch (const std::exception& e)
    {
        return ProtectResult::Failure(Status::InvalidInput, e.what());
    }
}

UnprotectResult
UnprotectResponse(SecurityContext& ctx, const coap::Message& received, RequestBinding& binding)
{
    UnprotectResult r;
    try
    {
        r = Verify(ctx, received, binding);
    }
    catch (const std::exception&)
    {
        r = ResponseFailure(Status::Malformed, "Failed to decode COSE");
    }
    CountOutcome(ctx.GetCounters(), r.status, false);
    return r;
}

std::optional<Bytes>
GetEchoChallenge(const coap::Message& plainResponse)
{
    if (plainResponse.code != coap::code::Unauthorized)
    {
        return std::nullopt;
    }
    const coap::Option* echo = plainResponse.FindOption(coap::option::Echo);
    if (echo == nullptr)
    {
        return std::nullopt;
    }
    return echo->value;
}

} // namespace oscore
} // namespace lpwan
