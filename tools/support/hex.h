/*
 * Hexadecimal byte strings as the tools take them on the command line (OSCORE keys and IDs,
 * tokens) and print them in traces. Strict on input: a typo in a key must be an error, not a
 * silently different key.
 */
#ifndef LPWAN_TOOLS_HEX_H
#define LPWAN_TOOLS_HEX_H

#include "protocols/common/hex.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

/// Parses pairs of hex digits (either case). Accepted for readability and ignored: one
/// leading "0x", and ':' '-' or ' ' between bytes. An empty string is zero bytes. On anything
/// else (an odd digit count, a stray character) returns nullopt and sets *error.
std::optional<std::vector<uint8_t>> ParseHex(const std::string& text, std::string* error);

/// Lower-case hex digits, no separators (the common codec, for the tools' traces).
using lpwan::ToHex;

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_HEX_H
