/*
 * Hex byte strings as the tools take them; see hex.h. The decoding is libsodium's (through
 * protocols/common/hex.h); this adds the "0x" prefix and the messages a user reads.
 */

#include "hex.h"

#include <cctype>

namespace lpwan
{
namespace tools
{

std::optional<std::vector<uint8_t>>
ParseHex(const std::string& text, std::string* error)
{
    size_t prefix = 0;
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    {
        prefix = 2;
    }
    size_t stop = 0;
    std::optional<std::vector<uint8_t>> bytes
        = lpwan::FromHex(std::string_view(text).substr(prefix), ":- ", &stop);
    if (!bytes)
    {
        const char c = text[prefix + stop];
        // Decoding stops at a lone digit (an incomplete pair) or at a character that is
        // neither a digit nor a separator between pairs.
        *error = std::isxdigit(static_cast<unsigned char>(c))
                     ? "'" + text + "' is not hex: odd number of digits"
                     : "'" + text + "' is not hex: unexpected '" + c + "'";
    }
    return bytes;
}

} // namespace tools
} // namespace lpwan
