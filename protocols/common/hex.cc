/*
 * Hex byte strings over libsodium; see hex.h.
 */

#include "hex.h"

#include <sodium.h>

namespace lpwan
{

std::string
ToHex(const uint8_t* data, size_t size)
{
    // sodium_bin2hex writes a terminating NUL after the 2 * size digits.
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), data, size);
    hex.resize(size * 2);
    return hex;
}

std::optional<std::vector<uint8_t>>
FromHex(std::string_view text, const char* separators, size_t* stop)
{
    // At most one byte per two characters, whatever the separators.
    std::vector<uint8_t> bytes(text.size() / 2);
    size_t length = 0;
    const char* end = nullptr;
    // An empty separator set is passed as NULL: strchr("", '\0') would match a NUL in text.
    const char* ignore = separators != nullptr && *separators != '\0' ? separators : nullptr;
    if (text.empty())
    {
        return std::vector<uint8_t>{};
    }
    // libsodium declares its pointers non-null: an empty vector's data() may be null (UBSan
    // reported it in the sanitizer build's unit suite), so point at a dummy byte then.
    uint8_t none = 0;
    uint8_t* out = bytes.empty() ? &none : bytes.data();
    const int rc
        = sodium_hex2bin(out, bytes.size(), text.data(), text.size(), ignore, &length, &end);
    if (rc != 0 || end != text.data() + text.size())
    {
        if (stop != nullptr)
        {
            *stop = static_cast<size_t>(end - text.data());
        }
        return std::nullopt;
    }
    bytes.resize(length);
    return bytes;
}

} // namespace lpwan
