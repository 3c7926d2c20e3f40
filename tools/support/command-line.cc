/*
 * Command lines on Boost.Program_options, and strict numbers; see command-line.h.
 */

#include "command-line.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace lpwan
{
namespace tools
{

namespace
{

/// The hidden option that collects the positional arguments.
constexpr const char* kPositional = "positional-arguments";

/// The option as the user spells it. Boost names a short-only option "--x" and keeps the
/// "=value" of an unknown long option: the tools' messages say "-x" and "--name".
std::string
Spelling(std::string name)
{
    if (name.size() == 3 && name.compare(0, 2, "--") == 0)
    {
        return "-" + name.substr(2);
    }
    if (name.compare(0, 2, "--") == 0)
    {
        name.resize(std::min(name.size(), name.find('=')));
    }
    return name;
}

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

void
validate(boost::any& value, const std::vector<std::string>& /* tokens */, Verbosity*, int)
{
    if (value.empty())
    {
        value = Verbosity{1};
    }
    else
    {
        ++boost::any_cast<Verbosity&>(value).count;
    }
}

po::typed_value<Verbosity>*
VerbositySwitch()
{
    return po::value<Verbosity>()->zero_tokens();
}

int
VerbosityOf(const po::variables_map& values, const std::string& key)
{
    const auto it = values.find(key);
    return it == values.end() ? 0 : it->second.as<Verbosity>().count;
}

std::optional<CommandLine>
ParseCommandLine(const std::vector<std::string>& args, const po::options_description& options,
                 std::string* error)
{
    po::options_description all;
    all.add(options);
    all.add_options()(kPositional, po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add(kPositional, -1);
    CommandLine result;
    try
    {
        // No guessing: an abbreviation that works today would break when an option is added.
        const po::parsed_options parsed = po::command_line_parser(args)
                                              .options(all)
                                              .positional(positional)
                                              .style(po::command_line_style::default_style
                                                     & ~po::command_line_style::allow_guessing)
                                              .run();
        po::store(parsed, result.values);
    }
    catch (const po::unknown_option& e)
    {
        *error = "unknown option '" + Spelling(e.get_option_name()) + "'";
        return std::nullopt;
    }
    catch (const po::invalid_command_line_syntax& e)
    {
        const std::string name = Spelling(e.get_option_name());
        switch (e.kind())
        {
            case po::invalid_syntax::missing_parameter:
                *error = name + " needs a value";
                break;
            case po::invalid_syntax::extra_parameter:
                *error = name + " takes no value";
                break;
            default:
                *error = e.what();
        }
        return std::nullopt;
    }
    catch (const po::multiple_occurrences& e)
    {
        *error = Spelling(e.get_option_name()) + " given more than once";
        return std::nullopt;
    }
    catch (const po::error& e)
    {
        *error = e.what();
        return std::nullopt;
    }
    result.positional = GivenValues(result.values, kPositional);
    return result;
}

const std::string*
GivenValue(const po::variables_map& values, const std::string& key)
{
    const auto it = values.find(key);
    return it == values.end() ? nullptr : &it->second.as<std::string>();
}

std::vector<std::string>
GivenValues(const po::variables_map& values, const std::string& key)
{
    const auto it = values.find(key);
    return it == values.end() ? std::vector<std::string>()
                              : it->second.as<std::vector<std::string>>();
}

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
} // namespace lpwan
