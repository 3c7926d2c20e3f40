/*
 * Hexadecimal byte strings, over libsodium's sodium_bin2hex / sodium_hex2bin: the one hex
 * codec of the project (cores, tools and tests), so that no caller carries its own digit
 * table. libsodium's decoder is constant-time and strict: it accepts separators only where
 * the caller names them, and only between two-digit pairs.
 */
#ifndef LPWAN_HEX_H
#define LPWAN_HEX_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lpwan
{

/// Lower-case hex digits, two per byte, no separators.
std::string ToHex(const uint8_t* data, size_t size);

inline std::string
ToHex(const std::vector<uint8_t>& bytes)
{
    return ToHex(bytes.data(), bytes.size());
}

/// Decodes pairs of hex digits (either case). Characters in separators (may be empty) are
/// skipped between pairs, never inside one. Returns nullopt on anything else (a stray
/// character, an odd number of digits); *stop, when given, is then the index of the first
/// character that could not be decoded (the lone digit of an incomplete pair).
std::optional<std::vector<uint8_t>> FromHex(std::string_view text, const char* separators = "",
                                            size_t* stop = nullptr);

} // namespace lpwan

#endif // LPWAN_HEX_H
