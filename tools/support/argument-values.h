/*
 * Numbers on a tool's command line, checked strictly: "3x", "", "-1" for a count, "nan" or a
 * value out of range is an error naming the option, never a silent default or a wrap-around.
 */
#ifndef LPWAN_TOOLS_ARGUMENT_VALUES_H
#define LPWAN_TOOLS_ARGUMENT_VALUES_H

#include <cstdint>
#include <optional>
#include <string>

namespace ns3
{
namespace tools
{

/// A decimal integer in [min, max]. On failure nullopt and *error = "<option>: <why>".
std::optional<uint64_t> ParseUnsigned(const std::string& option, const std::string& text,
                                      uint64_t min, uint64_t max, std::string* error);

/// A finite decimal number in [min, max].
std::optional<double> ParseNumber(const std::string& option, const std::string& text, double min,
                                  double max, std::string* error);

} // namespace tools
} // namespace ns3

#endif // LPWAN_TOOLS_ARGUMENT_VALUES_H
