/*
 * Fuzz target coap-codec: CoAP datagrams (RFC 7252 section 3) into coap::Decode.
 *
 * Oracles: a datagram that decodes re-encodes to bytes that decode to the same message, and
 * encoding is a fixed point from then on (decode -> encode -> decode equal, encode twice the
 * same bytes); EncodedOverhead is the encoded size minus the payload. The option values the
 * stack interprets (Block1/Block2, Observe, uint options) and the describer used in logs run
 * on every decoded message; a Block value that decodes re-encodes to the same value.
 */
#include "protocols/coap/coap-codec.h"

#include "fuzz-check.h"
#include "protocols/coap/coap-block.h"
#include "protocols/coap/coap-describe.h"
#include "protocols/coap/coap-observe.h"

#include <cstddef>
#include <cstdint>

using namespace lpwan;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const coap::DecodeResult first = coap::Decode(data, size);
    if (!first.ok)
    {
        FUZZ_CHECK(!first.error.empty(), "a rejected datagram names why");
        return 0;
    }
    const std::vector<uint8_t> encoded = coap::Encode(first.message);
    const coap::DecodeResult second = coap::Decode(encoded);
    FUZZ_CHECK(second.ok, second.error.c_str());
    FUZZ_CHECK(second.message == first.message, "decode -> encode -> decode changed the message");
    FUZZ_CHECK(coap::Encode(second.message) == encoded, "encoding is not a fixed point");
    FUZZ_CHECK(encoded.size() <= size, "the canonical encoding is never longer");
    FUZZ_CHECK(coap::EncodedOverhead(first.message)
                   == encoded.size() - first.message.payload.size(),
               "EncodedOverhead");

    for (uint16_t number : {coap::option::Block1, coap::option::Block2})
    {
        const coap::Option* o = first.message.FindOption(number);
        if (o == nullptr)
        {
            continue;
        }
        const std::optional<coap::BlockValue> block = coap::DecodeBlock(o->value);
        if (block)
        {
            FUZZ_CHECK(coap::DecodeBlock(coap::EncodeBlock(*block)) == block,
                       "Block value round trip");
        }
    }
    (void) coap::GetObserve(first.message);
    (void) coap::IsObserveRegistration(first.message);
    for (const coap::Option& o : first.message.options)
    {
        if (o.value.size() <= 4)
        {
            const uint32_t v = coap::DecodeUintOption(o.value);
            FUZZ_CHECK(coap::DecodeUintOption(coap::EncodeUintOption(v)) == v, "uint option");
        }
    }
    (void) coap::Describe(first.message);
    (void) first.message.GetUriPath();
    return 0;
}
