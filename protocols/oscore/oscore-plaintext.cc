/*
 * OSCORE plaintext on top of the CoAP codec: a plaintext is a CoAP datagram whose header and
 * token have been replaced by the single Code byte.
 */

#include "oscore-plaintext.h"

#include "../coap/coap-codec.h"

namespace lpwan
{
namespace oscore
{

namespace
{

constexpr size_t kHeaderSize = 4;
/// Stand-in header: version 1, CON, no token, code 0.01. Code 0.01 rather than the real code
/// because the codec rejects an Empty (0.00) message that carries options or a payload; the
/// real code travels in the first plaintext byte either way.
constexpr uint8_t kStandInHeader[kHeaderSize] = {0x40, 0x01, 0x00, 0x00};

/// The bytes after the header of an encoded token-less message.
Bytes
EncodeAfterHeader(const std::vector<coap::Option>& options, const Bytes& payload)
{
    coap::Message m;
    m.code = kStandInHeader[1];
    m.options = options;
    m.payload = payload;
    const Bytes encoded = coap::Encode(m);
    return Bytes(encoded.begin() + kHeaderSize, encoded.end());
}

} // namespace

Bytes
EncodePlaintext(uint8_t code, const std::vector<coap::Option>& inner, const Bytes& payload)
{
    Bytes out(1, code);
    const Bytes rest = EncodeAfterHeader(inner, payload);
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

std::optional<Plaintext>
DecodePlaintext(const Bytes& plaintext)
{
    if (plaintext.empty())
    {
        return std::nullopt;
    }
    Bytes datagram(kStandInHeader, kStandInHeader + kHeaderSize);
    datagram.insert(datagram.end(), plaintext.begin() + 1, plaintext.end());
    coap::DecodeResult r = coap::Decode(datagram);
    if (!r.ok)
    {
        return std::nullopt;
    }
    Plaintext p;
    p.code = plaintext[0];
    p.options = std::move(r.message.options);
    p.payload = std::move(r.message.payload);
    return p;
}

Bytes
EncodeOptionsOnly(const std::vector<coap::Option>& options)
{
    return EncodeAfterHeader(options, Bytes{});
}

} // namespace oscore
} // namespace lpwan
