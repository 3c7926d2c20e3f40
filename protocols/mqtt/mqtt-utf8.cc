/*
 * Strict UTF-8 validation for MQTT strings; see mqtt-utf8.h.
 *
 * The byte ranges are those of RFC 3629 section 4 (the UTF8-octets grammar), which excludes
 * overlong forms and surrogates by narrowing the second byte's range after E0, ED, F0 and F4.
 */

#include "mqtt-utf8.h"

#include <cstdint>

namespace lpwan
{
namespace mqtt
{

namespace
{

bool
Fail(std::string* why, const char* what, size_t offset)
{
    if (why != nullptr)
    {
        *why = std::string(what) + " at byte " + std::to_string(offset);
    }
    return false;
}

} // namespace

bool
IsValidMqttUtf8(std::string_view text, std::string* why)
{
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n)
    {
        const uint8_t b = s[i];
        if (b == 0x00)
        {
            return Fail(why, "U+0000 in a UTF-8 string [MQTT-1.5.3-2]", i);
        }
        if (b < 0x80)
        {
            ++i;
            continue;
        }
        size_t length = 0;
        uint8_t lo = 0x80; // allowed range of the second byte
        uint8_t hi = 0xbf;
        if (b >= 0xc2 && b <= 0xdf)
        {
            length = 2;
        }
        else if (b >= 0xe0 && b <= 0xef)
        {
            length = 3;
            if (b == 0xe0)
            {
                lo = 0xa0; // E0 80..9F would be overlong
            }
            else if (b == 0xed)
            {
                hi = 0x9f; // ED A0..BF would encode U+D800..U+DFFF [MQTT-1.5.3-1]
            }
        }
        else if (b >= 0xf0 && b <= 0xf4)
        {
            length = 4;
            if (b == 0xf0)
            {
                lo = 0x90; // F0 80..8F would be overlong
            }
            else if (b == 0xf4)
            {
                hi = 0x8f; // F4 90.. would exceed U+10FFFF
            }
        }
        else
        {
            return Fail(why, "invalid UTF-8 lead byte", i);
        }
        if (i + length > n)
        {
            return Fail(why, "truncated UTF-8 sequence", i);
        }
        if (s[i + 1] < lo || s[i + 1] > hi)
        {
            return Fail(why, "ill-formed UTF-8 sequence (overlong, surrogate or out of range)", i);
        }
        for (size_t k = 2; k < length; ++k)
        {
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
            {
                return Fail(why, "ill-formed UTF-8 continuation byte", i + k);
            }
        }
        i += length;
    }
    return true;
}

} // namespace mqtt
} // namespace lpwan
