/*
 * Strict number parsing; see argument-values.h.
 */

#include "argument-values.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace ns3
{
namespace tools
{

namespace
{

std::string
Range(double min, double max)
{
    auto show = [](double v)
    {
        std::string s = std::to_string(v);
        // "2.000000" -> "2", "0.500000" -> "0.5": ranges read like the usage text.
        s.erase(s.find_last_not_of('0') + 1);
        if (!s.empty() && s.back() == '.')
        {
            s.pop_back();
        }
        return s;
    };
    return "[" + show(min) + ", " + show(max) + "]";
}

} // namespace

std::optional<uint64_t>
ParseUnsigned(const std::string& option, const std::string& text, uint64_t min, uint64_t max,
              std::string* error)
{
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    errno = 0;
    const unsigned long long v = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
    if (!digits || errno == ERANGE)
    {
        *error = option + ": '" + text + "' is not a whole number";
        return std::nullopt;
    }
    if (v < min || v > max)
    {
        *error = option + ": " + text + " is out of range [" + std::to_string(min) + ", "
                 + std::to_string(max) + "]";
        return std::nullopt;
    }
    return static_cast<uint64_t>(v);
}

std::optional<double>
ParseNumber(const std::string& option, const std::string& text, double min, double max,
            std::string* error)
{
    char* end = nullptr;
    errno = 0;
    const double v = text.empty() ? 0.0 : std::strtod(text.c_str(), &end);
    if (text.empty() || end == nullptr || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    {
        *error = option + ": '" + text + "' is not a number";
        return std::nullopt;
    }
    if (v < min || v > max)
    {
        *error = option + ": " + text + " is out of range " + Range(min, max);
        return std::nullopt;
    }
    return v;
}

} // namespace tools
} // namespace ns3
