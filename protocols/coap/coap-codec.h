/*
 * The CoAP wire format (RFC 7252 section 3): 4-byte header, token, options with delta and
 * length extensions (13 -> 1 byte, 14 -> 2 bytes), 0xFF payload marker, payload.
 *
 * Written by hand because libcoap 4.3.1 (the packaged reference) has no public serializer;
 * libcoap's coap_pdu_parse is used in the tests as the independent check of every byte.
 */
#ifndef LPWAN_COAP_CODEC_H
#define LPWAN_COAP_CODEC_H

#include "coap-message.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lpwan
{
namespace coap
{

/// Serializes a message. Precondition: token <= 8 bytes (checked: throws std::invalid_argument).
std::vector<uint8_t> Encode(const Message& message);

/// Number of encoded bytes that are not payload: header, token, options and the 0xFF marker.
size_t EncodedOverhead(const Message& message);

/// Outcome of Decode.
struct DecodeResult
{
    bool ok = false;
    Message message;
    std::string error; ///< why decoding failed, for logs and counters
    /// True when at least the 4-byte header was valid (version 1, TKL <= 8), so that the
    /// type and message ID are known: a malformed CON may then be answered with RST.
    bool headerValid = false;
};

/// Parses a datagram. Never throws, never reads outside [data, data+size).
/// Rejects: version != 1, TKL > 8, truncated token/option/extension, option delta or length
/// nibble 15 outside a payload marker, payload marker followed by no payload, empty message
/// (code 0.00) with token, options or payload, option numbers above 65535.
DecodeResult Decode(const uint8_t* data, size_t size);

inline DecodeResult
Decode(const std::vector<uint8_t>& bytes)
{
    return Decode(bytes.data(), bytes.size());
}

} // namespace coap
} // namespace lpwan

#endif // LPWAN_COAP_CODEC_H
