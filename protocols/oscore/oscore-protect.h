/*
 * OSCORE message protection and verification (RFC 8613 section 8), sans-I/O: CoAP messages in,
 * CoAP messages out. OSCORE sits between the application and the CoAP message layer
 * (coap-endpoint.h):
 *
 *   client:  plain request --ProtectRequest--> OSCORE request --> Endpoint::SendRequest
 *            Endpoint response --UnprotectResponse(binding)--> plain response
 *   server:  Endpoint request --UnprotectRequest--> plain request (or an error to send back)
 *            plain response --ProtectResponse(binding)--> OSCORE response --> Endpoint::Respond
 *
 * Type, Message ID and Token are copied through untouched: they are the CoAP layer's. The
 * binding (oscore-results.h) must be kept per Token until the exchange (or observation) ends.
 *
 * Overhead: ProtectResult::Overhead() is the exact number of bytes protection added to the
 * encoded message (coap::Encode of the OSCORE message minus that of the original).
 *
 * Nothing here throws on received data: malformed input yields a Status and, on the server,
 * the error response section 8.2 prescribes:
 *
 *   OSCORE option / COSE object fails to decode, or no payload  -> 4.02 "Failed to decode COSE"
 *   no context for 'kid' / 'kid context'                        -> 4.01 "Security context not
 * found" Partial IV already received or left of the replay window    -> 4.01 "Replay detected" AEAD
 * verification fails                                     -> 4.00 "Decryption failed" decrypted
 * content is not a valid request                    -> 4.00 "Failed to parse plaintext"
 *
 * These error responses are not OSCORE-protected (section 8.3) and carry Outer Max-Age 0.
 */
#ifndef LPWAN_OSCORE_PROTECT_H
#define LPWAN_OSCORE_PROTECT_H

#include "../coap/coap-message.h"
#include "oscore-option-value.h"
#include "oscore-results.h"
#include "oscore-security-context.h"

#include <optional>

namespace lpwan
{
namespace oscore
{

/// Section 8.1: protects a request with the Sender Context, consuming one Sender Sequence
/// Number. Outer code POST, or FETCH when the request has an Observe option.
ProtectResult ProtectRequest(SecurityContext& ctx, const coap::Message& plain);

/// How a response is protected.
struct ResponseOptions
{
    /// Use a fresh Partial IV from the server's Sender Sequence Number instead of the request
    /// nonce (Observe notifications, Appendix B.1.2). Forced when the request nonce has
    /// already been used by an earlier response of the same binding.
    bool partialIv = false;
    /// A 'kid context' to put into the response (only Appendix B.2 response #1 does this).
    std::optional<Bytes> kidContext;
};

/// Section 8.3: protects a response to the request of binding. Outer code 2.04, or 2.05 when
/// the response has an Observe option (a notification; its Inner Observe is sent empty).
ProtectResult ProtectResponse(SecurityContext& ctx, const coap::Message& plain,
                              RequestBinding& binding, const ResponseOptions& options);

inline ProtectResult
ProtectResponse(SecurityContext& ctx, const coap::Message& plain, RequestBinding& binding,
                bool withPartialIv = false)
{
    ResponseOptions o;
    o.partialIv = withPartialIv;
    return ProtectResponse(ctx, plain, binding, o);
}

/// Section 8.2 with a single security context (the 'kid' must be its Recipient ID, a 'kid
/// context' its ID Context). Counters go to ctx. For several contexts see ContextStore.
/// If ctx's replay window is unknown (ForgetReplayWindow), a verified request without the
/// pending Echo value yields EchoRequired with a protected 4.01 + Echo in errorResponse; a
/// verified request returning it sets the window's lower limit and is delivered without it.
UnprotectResult UnprotectRequest(SecurityContext& ctx, const coap::Message& received);

/// Section 8.4: verifies a response to the request of binding (the Recipient Context of ctx).
/// Rejects a second response without Partial IV, a non-notification after a final response,
/// a notification whose Partial IV is not above the Notification Number, and a notification
/// to a non-Observe request. For notifications the delivered Observe value is the three least
/// significant bytes of the Partial IV (section 4.1.3.5.2), 0 without Partial IV.
UnprotectResult UnprotectResponse(SecurityContext& ctx, const coap::Message& received,
                                  RequestBinding& binding);

/// The Echo value of a decrypted 4.01 Unauthorized response (the Appendix B.1.2 challenge),
/// to be copied into a new request: plain.AddOption(coap::option::Echo, *echo).
std::optional<Bytes> GetEchoChallenge(const coap::Message& plainResponse);

// ---- building blocks for context lookup (used by ContextStore) ----

/// A received request after decompression (section 8.2 steps 1-2, before context lookup).
struct ParsedRequest
{
    OptionValue header;      ///< with partialIv and kid present
    uint64_t sequenceNumber; ///< the decoded Partial IV
};

/// Checks the OSCORE option and payload of a received request. On failure returns nullopt and
/// fills *failure (NotOscore, InvalidInput for a non-request, Malformed with a 4.02).
std::optional<ParsedRequest> ParseRequest(const coap::Message& received, UnprotectResult* failure);

/// Steps 3-7 of section 8.2 with the context the caller resolved for parsed.header. Counts the
/// outcome in ctx's counters.
UnprotectResult VerifyRequest(SecurityContext& ctx, const coap::Message& received,
                              const ParsedRequest& parsed);

/// An UnprotectResult for an OSCORE error on a request, with its unprotected error response.
UnprotectResult RequestError(const coap::Message& received, Status status, const char* diagnostic);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_PROTECT_H
