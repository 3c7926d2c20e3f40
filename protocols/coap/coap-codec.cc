/*
 * The CoAP wire format (RFC 7252 section 3).
 *
 *     0                   1                   2                   3
 *    |Ver| T |  TKL  |      Code     |          Message ID           |
 *    |   Token (if any, TKL bytes) ...
 *    |   Options (if any) ...
 *    |1 1 1 1 1 1 1 1|    Payload (if any) ...
 *
 * Each option is a byte of two nibbles (delta from the previous option number, value
 * length), each nibble extended by 1 byte (13: value - 13) or 2 bytes (14: value - 269);
 * 15 is reserved, and 0xFF (both nibbles 15) is the payload marker.
 *
 * The decoder is written for hostile input: every read is preceded by a bounds check
 * against the remaining length, and arithmetic on decoded numbers is done in 32 bits so
 * that nothing can wrap before the range check.
 */

#include "coap-codec.h"

#include <algorithm>
#include <stdexcept>

namespace lpwan
{
namespace coap
{

namespace
{

constexpr uint8_t kVersion = 1;
constexpr uint8_t kPayloadMarker = 0xFF;
constexpr size_t kHeaderSize = 4;
constexpr size_t kMaxTokenLength = 8;
/// Largest value an extended nibble can carry: 269 + 0xFFFF.
constexpr uint32_t kMaxExtended = 269 + 0xFFFF;

/// Nibble for a delta or length value, and the number of extension bytes it needs.
uint8_t
Nibble(uint32_t value, size_t* extensionBytes)
{
    if (value < 13)
    {
        *extensionBytes = 0;
        return static_cast<uint8_t>(value);
    }
    if (value < 269)
    {
        *extensionBytes = 1;
        return 13;
    }
    *extensionBytes = 2;
    return 14;
}

void
AppendExtension(std::vector<uint8_t>& out, uint32_t value, size_t extensionBytes)
{
    if (extensionBytes == 1)
    {
        out.push_back(static_cast<uint8_t>(value - 13));
    }
    else if (extensionBytes == 2)
    {
        const uint32_t v = value - 269;
        out.push_back(static_cast<uint8_t>(v >> 8));
        out.push_back(static_cast<uint8_t>(v));
    }
}

/// The options in wire order. Message::AddOption keeps them sorted, but a caller may have
/// filled the vector directly; a stable sort keeps repeated options in their given order.
std::vector<const Option*>
OrderedOptions(const Message& message)
{
    std::vector<const Option*> ordered;
    ordered.reserve(message.options.size());
    for (const auto& o : message.options)
    {
        ordered.push_back(&o);
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const Option* a, const Option* b)
                     {
                         return a->number < b->number;
                     });
    return ordered;
}

/// Bytes one option takes on the wire after an option numbered prev.
size_t
OptionSize(const Option& o, uint16_t prev)
{
    if (o.value.size() > kMaxExtended)
    {
        throw std::invalid_argument("CoAP option value longer than 65804 bytes");
    }
    size_t deltaExt = 0;
    size_t lengthExt = 0;
    Nibble(static_cast<uint32_t>(o.number - prev), &deltaExt);
    Nibble(static_cast<uint32_t>(o.value.size()), &lengthExt);
    return 1 + deltaExt + lengthExt + o.value.size();
}

void
CheckToken(const Message& message)
{
    if (message.token.size() > kMaxTokenLength)
    {
        throw std::invalid_argument("CoAP token longer than 8 bytes");
    }
}

/// Reads a nibble's extended value at data[*pos]; false when the extension is truncated
/// or the nibble is the reserved 15.
bool
ReadExtended(uint8_t nibble, const uint8_t* data, size_t size, size_t* pos, uint32_t* value)
{
    if (nibble < 13)
    {
        *value = nibble;
        return true;
    }
    if (nibble == 13)
    {
        if (size - *pos < 1)
        {
            return false;
        }
        *value = 13u + data[*pos];
        *pos += 1;
        return true;
    }
    if (nibble == 14)
    {
        if (size - *pos < 2)
        {
            return false;
        }
        *value = 269u + ((static_cast<uint32_t>(data[*pos]) << 8) | data[*pos + 1]);
        *pos += 2;
        return true;
    }
    return false; // 15 is reserved outside the payload marker
}

DecodeResult
Fail(DecodeResult r, const char* why)
{
    r.ok = false;
    r.error = why;
    return r;
}

} // namespace

size_t
EncodedOverhead(const Message& message)
{
    CheckToken(message);
    size_t n = kHeaderSize + message.token.size();
    uint16_t prev = 0;
    for (const Option* o : OrderedOptions(message))
    {
        n += OptionSize(*o, prev);
        prev = o->number;
    }
    if (!message.payload.empty())
    {
        n += 1; // payload marker
    }
    return n;
}

std::vector<uint8_t>
Encode(const Message& message)
{
    CheckToken(message);
    const std::vector<const Option*> ordered = OrderedOptions(message);

    std::vector<uint8_t> out;
    out.reserve(EncodedOverhead(message) + message.payload.size());

    out.push_back(static_cast<uint8_t>((kVersion << 6)
                                       | ((static_cast<uint8_t>(message.type) & 0x3) << 4)
                                       | message.token.size()));
    out.push_back(message.code);
    out.push_back(static_cast<uint8_t>(message.messageId >> 8));
    out.push_back(static_cast<uint8_t>(message.messageId));
    out.insert(out.end(), message.token.begin(), message.token.end());

    uint16_t prev = 0;
    for (const Option* o : ordered)
    {
        if (o->value.size() > kMaxExtended)
        {
            throw std::invalid_argument("CoAP option value longer than 65804 bytes");
        }
        const uint32_t delta = static_cast<uint32_t>(o->number - prev);
        const uint32_t length = static_cast<uint32_t>(o->value.size());
        size_t deltaExt = 0;
        size_t lengthExt = 0;
        const uint8_t deltaNibble = Nibble(delta, &deltaExt);
        const uint8_t lengthNibble = Nibble(length, &lengthExt);
        out.push_back(static_cast<uint8_t>((deltaNibble << 4) | lengthNibble));
        AppendExtension(out, delta, deltaExt);
        AppendExtension(out, length, lengthExt);
        out.insert(out.end(), o->value.begin(), o->value.end());
        prev = o->number;
    }

    // RFC 7252 section 3: the marker is present only when a payload follows.
    if (!message.payload.empty())
    {
        out.push_back(kPayloadMarker);
        out.insert(out.end(), message.payload.begin(), message.payload.end());
    }
    return out;
}

DecodeResult
Decode(const uint8_t* data, size_t size)
{
    DecodeResult r;
    if (data == nullptr || size < kHeaderSize)
    {
        return Fail(std::move(r), "shorter than the 4-byte header");
    }
    if ((data[0] >> 6) != kVersion)
    {
        return Fail(std::move(r), "version is not 1");
    }
    const size_t tkl = data[0] & 0x0f;
    if (tkl > kMaxTokenLength)
    {
        // TKL 9-15 are reserved in RFC 7252 (RFC 8974 gives them a meaning we do not speak).
        return Fail(std::move(r), "token length above 8");
    }

    // From here on the type and message ID are trustworthy, so a caller may RST a bad CON.
    r.headerValid = true;
    Message& m = r.message;
    m.type = static_cast<Type>((data[0] >> 4) & 0x3);
    m.code = data[1];
    m.messageId = static_cast<uint16_t>((data[2] << 8) | data[3]);

    if (m.code == code::Empty && size != kHeaderSize)
    {
        // RFC 7252 section 4.1: an empty message is the 4-byte header and nothing else.
        return Fail(std::move(r), "empty message with token, options or payload");
    }
    if (size - kHeaderSize < tkl)
    {
        return Fail(std::move(r), "truncated token");
    }
    m.token.assign(data + kHeaderSize, data + kHeaderSize + tkl);

    size_t pos = kHeaderSize + tkl;
    uint32_t number = 0;
    while (pos < size)
    {
        const uint8_t b = data[pos++];
        if (b == kPayloadMarker)
        {
            if (pos == size)
            {
                // RFC 7252 section 3: a marker followed by a zero-length payload is an error.
                return Fail(std::move(r), "payload marker with no payload");
            }
            m.payload.assign(data + pos, data + size);
            break;
        }
        const uint8_t deltaNibble = b >> 4;
        const uint8_t lengthNibble = b & 0x0f;
        if (deltaNibble == 15 || lengthNibble == 15)
        {
            return Fail(std::move(r), "reserved option nibble 15");
        }
        uint32_t delta = 0;
        uint32_t length = 0;
        if (!ReadExtended(deltaNibble, data, size, &pos, &delta))
        {
            return Fail(std::move(r), "truncated option delta");
        }
        if (!ReadExtended(lengthNibble, data, size, &pos, &length))
        {
            return Fail(std::move(r), "truncated option length");
        }
        number += delta; // at most 65535 + 65804: no overflow in 32 bits
        if (number > 0xFFFF)
        {
            return Fail(std::move(r), "option number above 65535");
        }
        if (size - pos < length)
        {
            return Fail(std::move(r), "truncated option value");
        }
        Option o;
        o.number = static_cast<uint16_t>(number);
        o.value.assign(data + pos, data + pos + length);
        m.options.push_back(std::move(o));
        pos += length;
    }

    r.ok = true;
    return r;
}

} // namespace coap
} // namespace lpwan
