/*
 * The OSCORE plaintext (RFC 8613 section 5.3): a CoAP message without its 4-byte header and
 * token -- the Code, the Inner options in CoAP option encoding, and 0xFF + payload if any.
 *
 *    0               1
 *   |     Code      |    Class E options (if any) ...
 *   |1 1 1 1 1 1 1 1|    Payload (if any) ...
 *
 * Encoding and parsing reuse the CoAP codec (coap-codec.h) on a stand-in header, so the option
 * encoding and every rejection rule are exactly those of a CoAP datagram.
 */
#ifndef LPWAN_OSCORE_PLAINTEXT_H
#define LPWAN_OSCORE_PLAINTEXT_H

#include "../coap/coap-message.h"
#include "oscore-types.h"

#include <optional>
#include <vector>

namespace lpwan
{
namespace oscore
{

/// Serializes Code, Inner options and payload. Throws std::invalid_argument when an option is
/// too long for the CoAP option encoding.
Bytes EncodePlaintext(uint8_t code, const std::vector<coap::Option>& inner, const Bytes& payload);

/// A parsed plaintext.
struct Plaintext
{
    uint8_t code = 0;
    std::vector<coap::Option> options; ///< in wire (ascending) order
    Bytes payload;
};

/// Parses a decrypted plaintext; nullopt when it is empty or its options/payload marker are
/// malformed. Never throws.
std::optional<Plaintext> DecodePlaintext(const Bytes& plaintext);

/// Options alone in CoAP option encoding (deltas from 0), as the AAD carries Class I options.
Bytes EncodeOptionsOnly(const std::vector<coap::Option>& options);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_PLAINTEXT_H
