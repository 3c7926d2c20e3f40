/*
 * What the OSCORE protect/verify functions return, and the request/response binding both
 * endpoints keep between a request and its response(s) (RFC 8613 section 8: the association
 * Token -> {security context, Partial IV of the request}).
 */
#ifndef LPWAN_OSCORE_RESULTS_H
#define LPWAN_OSCORE_RESULTS_H

#include "../coap/coap-message.h"
#include "oscore-types.h"

#include <optional>
#include <string>

namespace lpwan
{
namespace oscore
{

class SecurityContext;

/// The request parameters a response is bound to (section 7.1), plus the per-exchange state
/// of responses. The client gets one from ProtectRequest, the server from UnprotectRequest;
/// both keep it, keyed by the CoAP Token, until the last response (the whole observation).
struct RequestBinding
{
    Bytes requestKid;     ///< 'kid' of the request = the client's Sender ID
    Bytes requestPiv;     ///< 'Partial IV' of the request
    Bytes requestNonce;   ///< AEAD nonce of the request, reused by a response without Partial IV
    bool observe = false; ///< the request was an Observe registration (Observe = 0)
    /// A response has used the request nonce. Any further response (a second notification)
    /// must carry its own Partial IV: the server enforces it, the client rejects otherwise.
    bool requestNonceUsed = false;
    /// Client: highest Partial IV of the verified notifications (section 7.4.1).
    std::optional<uint64_t> notificationNumber;
    /// Client: a final (non-notification) response was accepted; later ones are replays.
    bool completed = false;
};

/// Outcome of ProtectRequest / ProtectResponse.
struct ProtectResult
{
    Status status = Status::Ok;
    std::string diagnostic; ///< why, when status != Ok
    coap::Message message;  ///< the OSCORE message; header fields copied from the original
    RequestBinding binding; ///< ProtectRequest: keep it to verify the response(s)
    /// Appendix B.1.1: store this Sender Sequence Number in non-volatile memory before sending.
    std::optional<uint64_t> persistSequenceNumber;
    size_t plainSize = 0;     ///< bytes of coap::Encode(original)
    size_t protectedSize = 0; ///< bytes of coap::Encode(message)

    bool Ok() const
    {
        return status == Status::Ok;
    }

    /// A failed protection: nothing to send.
    static ProtectResult Failure(Status status, std::string diagnostic)
    {
        ProtectResult r;
        r.status = status;
        r.diagnostic = std::move(diagnostic);
        return r;
    }

    /// The exact bytes OSCORE adds to this message: OSCORE option, AEAD tag, the code byte
    /// moved into the ciphertext, and any change in option encoding (e.g. Proxy-Uri split).
    int64_t Overhead() const
    {
        return static_cast<int64_t>(protectedSize) - static_cast<int64_t>(plainSize);
    }
};

/// Outcome of UnprotectRequest / UnprotectResponse (and of the context store and the
/// Appendix B.2 helpers).
struct UnprotectResult
{
    Status status = Status::Ok;
    std::string diagnostic;
    /// Ok: the decrypted message. ContextRederivation: the decrypted request #1 (not to be
    /// acted upon). NotOscore: the received message unchanged (it is not authenticated).
    coap::Message message;
    /// Server: keep it to protect the response(s) with ProtectResponse.
    RequestBinding binding;
    /// Server: the context that verified the request (owned by the caller or the store).
    SecurityContext* context = nullptr;
    /// Server: what to send back, when anything. Unprotected 4.02 / 4.01 / 4.00 with Outer
    /// Max-Age 0 and a diagnostic payload for OSCORE errors; an OSCORE-protected 4.01 for
    /// EchoRequired and ContextRederivation. Type, Message ID and Token are set as for a
    /// piggybacked response; a CoAP endpoint's Respond() overrides them anyway.
    std::optional<coap::Message> errorResponse;
    /// Appendix B.1.1: persist this before sending a protected errorResponse.
    std::optional<uint64_t> persistSequenceNumber;
    std::optional<uint64_t> partialIv; ///< the received Partial IV, if any
    std::optional<Bytes> kidContext;   ///< the received 'kid context', if any

    bool Ok() const
    {
        return status == Status::Ok;
    }
};

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_RESULTS_H
