/*
 * Hex byte strings; see hex.h.
 */

#include "hex.h"

namespace ns3
{
namespace tools
{

namespace
{

int
Digit(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F')
    {
        return c - 'A' + 10;
    }
    return -1;
}

bool
IsSeparator(char c)
{
    return c == ':' || c == '-' || c == ' ';
}

} // namespace

std::optional<std::vector<uint8_t>>
ParseHex(const std::string& text, std::string* error)
{
    size_t i = 0;
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    {
        i = 2;
    }
    std::vector<uint8_t> out;
    while (i < text.size())
    {
        if (IsSeparator(text[i]))
        {
            ++i;
            continue;
        }
        const int hi = Digit(text[i]);
        if (hi < 0)
        {
            *error = "'" + text + "' is not hex: unexpected '" + text[i] + "'";
            return std::nullopt;
        }
        if (i + 1 >= text.size() || Digit(text[i + 1]) < 0)
        {
            *error = "'" + text + "' is not hex: odd number of digits";
            return std::nullopt;
        }
        out.push_back(static_cast<uint8_t>(hi * 16 + Digit(text[i + 1])));
        i += 2;
    }
    return out;
}

std::string
ToHex(const std::vector<uint8_t>& bytes)
{
    static const char* kDigits = "0123456789abcdef";
    std::string s;
    s.reserve(bytes.size() * 2);
    for (uint8_t b : bytes)
    {
        s.push_back(kDigits[b >> 4]);
        s.push_back(kDigits[b & 0xf]);
    }
    return s;
}

} // namespace tools
} // namespace ns3
