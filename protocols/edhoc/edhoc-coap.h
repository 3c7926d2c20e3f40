/*
 * EDHOC carried over CoAP (RFC 9528 appendix A.2) and the combined EDHOC + OSCORE request
 * (RFC 9668), as message formatting without I/O:
 *
 *  - The client (Initiator) POSTs to /.well-known/edhoc. The request payload is
 *    application/cid-edhoc+cbor-seq: message_1 prefixed with CBOR true (0xf5), and message_3
 *    (or an error message) prefixed with C_R, so that a stateless-transport server finds the
 *    Responder session. Responses carry message_2 / message_4 (2.04 Changed) or an error
 *    message (4.00 Bad Request) as application/edhoc+cbor-seq.
 *  - RFC 9668: instead of POSTing message_3, the client sends its first OSCORE-protected
 *    request with the EDHOC option (21, empty, class U) and the payload
 *    message_3 || OSCORE ciphertext; the OSCORE 'kid' is C_R (the Initiator's Sender ID). The
 *    server splits the payload, completes EDHOC, derives the OSCORE context and verifies the
 *    request with the EDHOC option and message_3 removed.
 */
#ifndef LPWAN_EDHOC_COAP_H
#define LPWAN_EDHOC_COAP_H

#include "../coap/coap-message.h"
#include "edhoc-types.h"

#include <string>

namespace lpwan
{
namespace edhoc
{

constexpr const char* kWellKnownEdhocPath = ".well-known/edhoc";
constexpr uint16_t kContentFormatEdhoc = 64;    ///< application/edhoc+cbor-seq
constexpr uint16_t kContentFormatCidEdhoc = 65; ///< application/cid-edhoc+cbor-seq
constexpr uint16_t kEdhocOption = 21;           ///< RFC 9668 section 3.1

/// The POST to /.well-known/edhoc carrying message_1 (prefixed with true).
coap::Message MakeMessage1Request(const Bytes& message1);

/// The POST carrying message_3 or an error message, prefixed with C_R.
coap::Message MakeMessage3Request(const Bytes& cR, const Bytes& message);

/// True for a request addressed to /.well-known/edhoc.
bool IsEdhocRequest(const coap::Message& request);

/// What a /.well-known/edhoc request carries.
struct EdhocRequestPayload
{
    bool message1 = false; ///< true: message is message_1; false: C_R names the session
    Bytes cR;
    Bytes message;
};

/// Splits the request payload; false with a reason when it is malformed.
bool ParseEdhocRequestPayload(const Bytes& payload, EdhocRequestPayload& out, std::string& error);

/// The response carrying message_2 / message_4 (2.04) or an error message (4.00).
coap::Message MakeEdhocResponse(const Bytes& message, bool isError);

/// RFC 9668, client: turns an OSCORE-protected request into the combined request.
void MakeCombinedRequest(coap::Message& protectedRequest, const Bytes& message3);

/// True when the request carries the EDHOC option.
bool IsCombinedRequest(const coap::Message& request);

/// RFC 9668, server: removes the EDHOC option, takes message_3 (the first CBOR data item of
/// the payload) and leaves the OSCORE ciphertext as the payload. Also returns the OSCORE
/// option's 'kid', which is C_R. False with a reason when the request is malformed.
bool SplitCombinedRequest(coap::Message& request, Bytes& message3, Bytes& cR, std::string& error);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_COAP_H
