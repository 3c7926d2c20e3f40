/*
 * Building the OSCORE message from an original message and its ciphertext (RFC 8613 section
 * 4), and rebuilding the original from a received OSCORE message and its decrypted plaintext
 * (sections 8.2 / 8.4 steps 1 and 7). Used by both the request and the response paths.
 */
#ifndef LPWAN_OSCORE_MESSAGE_ASSEMBLY_H
#define LPWAN_OSCORE_MESSAGE_ASSEMBLY_H

#include "../coap/coap-message.h"
#include "oscore-option-classes.h"
#include "oscore-option-value.h"
#include "oscore-plaintext.h"
#include "oscore-types.h"

namespace lpwan
{
namespace oscore
{

/// Outer codes (section 4.2): POST / 2.04, or FETCH / 2.05 for messages with Observe.
constexpr uint8_t kCodeFetch = coap::MakeCode(0, 5);

/// The OSCORE message: Type, Message ID and Token of the original, the Outer code, the Outer
/// options plus the OSCORE option, and the ciphertext as payload.
coap::Message BuildOscoreMessage(const coap::Message& original, uint8_t outerCode,
                                 const SplitOptions& split, const OptionValue& header,
                                 Bytes ciphertext);

/// The decrypted message: header fields of the received message, the Code of the plaintext,
/// MergeReceivedOptions() of Outer and Inner options, the plaintext payload.
coap::Message BuildPlainMessage(const coap::Message& received, Plaintext plaintext);

/// Number of OSCORE options in message (the option is not repeatable).
size_t CountOscoreOptions(const coap::Message& message);

/// coap::Encode(message).size(), or 0 when the message cannot be encoded.
size_t EncodedSize(const coap::Message& message);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_MESSAGE_ASSEMBLY_H
