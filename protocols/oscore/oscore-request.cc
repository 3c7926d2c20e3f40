/*
 * Protecting requests (RFC 8613 section 8.1) and verifying them (section 8.2), including the
 * Echo challenge of Appendix B.1.2 when the replay window is unknown after a reboot.
 */

#include "oscore-aead.h"
#include "oscore-cbor.h"
#include "oscore-message-assembly.h"
#include "oscore-nonce.h"
#include "oscore-protect.h"

#include <algorithm>
#include <exception>

namespace lpwan
{
namespace oscore
{

namespace
{

Bytes
FromText(const char* text)
{
    return Bytes(text, text + std::char_traits<char>::length(text));
}

bool
IsObserveRegistration(const std::vector<coap::Option>& options)
{
    for (const coap::Option& o : options)
    {
        if (o.number == coap::option::Observe)
        {
            return coap::DecodeUintOption(o.value) == 0 && o.value.size() <= 3;
        }
    }
    return false;
}

/// Appendix B.1.2: the protected 4.01 Unauthorized carrying only an Echo option, sent with a
/// Partial IV of the server's own Sender Sequence Number.
UnprotectResult
EchoChallenge(SecurityContext& ctx, const coap::Message& received, UnprotectResult r)
{
    coap::Message challenge;
    challenge.type = received.type == coap::Type::Confirmable ? coap::Type::Acknowledgement
                                                              : coap::Type::NonConfirmable;
    challenge.messageId = received.messageId;
    challenge.token = received.token;
    challenge.code = coap::code::Unauthorized;
    challenge.AddOption(coap::option::Echo, ctx.IssueEcho());
    ProtectResult p = ProtectResponse(ctx, challenge, r.binding, true);
    if (!p.Ok())
    {
        // Only a Sender Sequence Number exhausted by the reboot margin gets here.
        return RequestError(received, Status::DecryptionFailed, "Decryption failed");
    }
    r.status = Status::EchoRequired;
    r.diagnostic = "replay window unknown after reboot: Echo challenge";
    r.errorResponse = std::move(p.message);
    r.persistSequenceNumber = p.persistSequenceNumber;
    r.context = &ctx;
    return r;
}

} // namespace

UnprotectResult
RequestError(const coap::Message& received, Status status, const char* diagnostic)
{
    UnprotectResult r;
    r.status = status;
    r.diagnostic = diagnostic;
    uint8_t code = 0;
    switch (status)
    {
        case Status::Malformed:
            code = coap::code::BadOption;
            break;
        case Status::ContextNotFound:
        case Status::Replay:
            code = coap::code::Unauthorized;
            break;
        case Status::DecryptionFailed:
        case Status::BadPlaintext:
            code = coap::code::BadRequest;
            break;
        default:
            return r; // nothing to answer
    }
    coap::Message e;
    e.type = received.type == coap::Type::Confirmable ? coap::Type::Acknowledgement
                                                      : coap::Type::NonConfirmable;
    e.messageId = received.messageId;
    e.token = received.token.size() <= 8 ? received.token : Bytes{};
    e.code = code;
    // Section 4.1.3.1: Outer Max-Age 0 keeps OSCORE-unaware proxies from caching the error.
    e.AddUintOption(coap::option::MaxAge, 0);
    e.payload = FromText(diagnostic);
    r.errorResponse = std::move(e);
    return r;
}

ProtectResult
ProtectRequest(SecurityContext& ctx, const coap::Message& plain)
{
    try
    {
        if (!plain.IsRequest())
        {
            return ProtectResult::Failure(Status::InvalidInput, "not a request code");
        }
        if (plain.token.size() > 8)
        {
            return ProtectResult::Failure(Status::InvalidInput, "token longer than 8 bytes");
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

        // Section 8.1 step 3: the Partial IV is the Sender Sequence Number, which then grows.
        std::optional<uint64_t> persist;
        const auto ssn = ctx.TakeSequenceNumber(&persist);
        if (!ssn)
        {
            return ProtectResult::Failure(Status::SequenceExhausted,
                                          "Sender Sequence Number exhausted");
        }
        const Bytes piv = EncodePartialIv(*ssn);
        const Bytes& kid = ctx.GetSenderId();
        const Bytes nonce = BuildNonce(ctx.GetCommonIv(), kid, piv);
        const Bytes aad = EncodeAad(ctx.GetAlgorithm(), kid, piv, ClassIOptionBytes(split->classI));
        Bytes ciphertext = AeadEncrypt(ctx.GetSenderKey(), nonce, aad, plaintext);

        OptionValue header;
        header.partialIv = piv;
        header.kid = kid;
        header.kidContext = ctx.GetKidContextToSend();
        const bool observe = plain.FindOption(coap::option::Observe) != nullptr;

        ProtectResult r;
        r.message = BuildOscoreMessage(plain, observe ? kCodeFetch : coap::code::Post, *split,
                                       header, std::move(ciphertext));
        r.binding.requestKid = kid;
        r.binding.requestPiv = piv;
        r.binding.requestNonce = nonce;
        r.binding.observe = IsObserveRegistration(plain.options);
        r.persistSequenceNumber = persist;
        r.plainSize = EncodedSize(plain);
        r.protectedSize = EncodedSize(r.message);
        ++ctx.GetCounters().requestsProtected;
        return r;
    }
    catch (const std::exception& e)
    {
        return ProtectResult::Failure(Status::InvalidInput, e.what());
    }
}

std::optional<ParsedRequest>
ParseRequest(const coap::Message& received, UnprotectResult* failure)
{
    const size_t oscoreOptions = CountOscoreOptions(received);
    if (oscoreOptions == 0)
    {
        failure->status = Status::NotOscore;
        failure->diagnostic = "no OSCORE option";
        failure->message = received;
        return std::nullopt;
    }
    if (!received.IsRequest())
    {
        failure->status = Status::InvalidInput;
        failure->diagnostic = "not a request";
        return std::nullopt;
    }
    const char* kDecodeFailure = "Failed to decode COSE";
    // Section 2: an OSCORE message without payload is malformed; the option is not repeatable.
    if (oscoreOptions > 1 || received.payload.empty())
    {
        *failure = RequestError(received, Status::Malformed, kDecodeFailure);
        return std::nullopt;
    }
    const auto header = DecodeOptionValue(received.FindOption(coap::option::Oscore)->value);
    if (!header || !header->partialIv || !header->kid)
    {
        // Section 5: 'Partial IV' and 'kid' SHALL be present in requests.
        *failure = RequestError(received, Status::Malformed, kDecodeFailure);
        return std::nullopt;
    }
    const auto ssn = DecodePartialIv(*header->partialIv);
    if (!ssn)
    {
        *failure = RequestError(received, Status::Malformed, kDecodeFailure);
        return std::nullopt;
    }
    ParsedRequest p;
    p.header = *header;
    p.sequenceNumber = *ssn;
    return p;
}

UnprotectResult
VerifyRequest(SecurityContext& ctx, const coap::Message& received, const ParsedRequest& parsed)
{
    auto verify = [&]() -> UnprotectResult
    {
        const Bytes& piv = *parsed.header.partialIv;
        const Bytes& kid = *parsed.header.kid;
        ReplayWindow& window = ctx.GetReplayWindow();
        const bool windowKnown = window.IsInitialised();

        // Step 3: replay check before any cryptography.
        if (windowKnown && window.Check(parsed.sequenceNumber) != ReplayWindow::Verdict::Fresh)
        {
            return RequestError(received, Status::Replay, "Replay detected");
        }
        // Steps 4-6.
        const Bytes aad
            = EncodeAad(ctx.GetAlgorithm(), kid, piv, ClassIOptionBytes(received.options));
        const Bytes nonce = BuildNonce(ctx.GetCommonIv(), ctx.GetRecipientId(), piv);
        auto plaintext = AeadDecrypt(ctx.GetRecipientKey(), nonce, aad, received.payload);
        if (!plaintext)
        {
            return RequestError(received, Status::DecryptionFailed, "Decryption failed");
        }
        if (windowKnown)
        {
            // Step 6: only after successful decryption, even if the plaintext then turns out
            // not to parse (an empty one included): the sender did use this Partial IV.
            window.Update(parsed.sequenceNumber);
        }
        auto inner = DecodePlaintext(*plaintext);
        if (!inner || !coap::IsRequestCode(inner->code))
        {
            return RequestError(received, Status::BadPlaintext, "Failed to parse plaintext");
        }

        UnprotectResult ok;
        ok.binding.requestKid = kid;
        ok.binding.requestPiv = piv;
        ok.binding.requestNonce = nonce;
        ok.binding.observe = IsObserveRegistration(inner->options);
        ok.partialIv = parsed.sequenceNumber;
        ok.kidContext = parsed.header.kidContext;

        if (!windowKnown)
        {
            // Appendix B.1.2: the request decrypted but may be a replay. Accept it only if it
            // returns the Echo value we issued since the reboot; else challenge.
            auto echo = std::find_if(inner->options.begin(), inner->options.end(),
                                     [](const coap::Option& o)
                                     {
                                         return o.number == coap::option::Echo;
                                     });
            if (echo == inner->options.end() || !ctx.GetPendingEcho()
                || echo->value != *ctx.GetPendingEcho())
            {
                return EchoChallenge(ctx, received, std::move(ok));
            }
            window.InitialiseAt(parsed.sequenceNumber);
            ctx.ClearPendingEcho();
            inner->options.erase(echo); // consumed here, not meant for the application
        }
        ok.message = BuildPlainMessage(received, std::move(*inner));
        return ok;
    };
    UnprotectResult r;
    try
    {
        r = verify();
    }
    catch (const std::exception&)
    {
        // Drivers call VerifyRequest directly (after their own context lookup), so it keeps
        // the promise of never throwing itself: only allocation failure, or an Echo challenge
        // on a window uninitialised without ForgetReplayWindow's random source, gets here.
        r = RequestError(received, Status::Malformed, "Failed to decode COSE");
    }
    if (r.context == nullptr && (r.status == Status::Ok || r.status == Status::EchoRequired))
    {
        r.context = &ctx;
    }
    CountOutcome(ctx.GetCounters(), r.status, true);
    return r;
}

UnprotectResult
UnprotectRequest(SecurityContext& ctx, const coap::Message& received)
{
    try
    {
        UnprotectResult failure;
        const auto parsed = ParseRequest(received, &failure);
        if (!parsed)
        {
            CountOutcome(ctx.GetCounters(), failure.status, true);
            return failure;
        }
        const bool kidMatches = *parsed->header.kid == ctx.GetRecipientId();
        const bool contextMatches
            = !parsed->header.kidContext || parsed->header.kidContext == ctx.GetIdContext();
        if (!kidMatches || !contextMatches)
        {
            UnprotectResult r
                = RequestError(received, Status::ContextNotFound, "Security context not found");
            CountOutcome(ctx.GetCounters(), r.status, true);
            return r;
        }
        return VerifyRequest(ctx, received, *parsed);
    }
    catch (const std::exception&)
    {
        // Only allocation failure can get here; never let it escape to the driver.
        return RequestError(received, Status::Malformed, "Failed to decode COSE");
    }
}

} // namespace oscore
} // namespace lpwan
