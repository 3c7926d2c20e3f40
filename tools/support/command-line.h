/*
 * The real-socket tools' command lines on Boost.Program_options: each tool (and each flag
 * group the tools share: tls-flags, oscore-flags, edhoc-flags, transmission-flags) declares its
 * options as a po::options_description, ParseCommandLine turns the arguments into a
 * po::variables_map, and the group's Read... function turns that into the typed struct the
 * sessions use. Values are kept as text in the map and converted here, strictly: Boost's own
 * conversion (lexical_cast) takes "-1" for an unsigned number and "nan" for a double, and
 * would word every error its own way, while the tools promise one line naming the option.
 * Nothing here prints or exits: errors come back as text, so tests can parse many command
 * lines in one process.
 */
#ifndef LPWAN_TOOLS_COMMAND_LINE_H
#define LPWAN_TOOLS_COMMAND_LINE_H

#include <boost/program_options.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

namespace po = boost::program_options;

/// A switch that may be repeated (-v, -vv, -v -v): how many times it was given.
struct Verbosity
{
    int count = 0;
};

/// Boost.Program_options' hook for Verbosity (found by argument-dependent lookup): counts the
/// occurrences instead of refusing the second one.
void validate(boost::any& value, const std::vector<std::string>& tokens, Verbosity*, int);

/// The value semantic of a repeatable switch such as -v.
po::typed_value<Verbosity>* VerbositySwitch();

/// How many times a VerbositySwitch option (e.g. "-v") was given.
int VerbosityOf(const po::variables_map& values, const std::string& key);

/// A parsed command line: the options and, in order, the positional arguments (everything not
/// an option, and everything after a lone "--").
struct CommandLine
{
    po::variables_map values;
    std::vector<std::string> positional;
};

/// Parses the arguments after the program name against options (long options as "--name
/// VALUE" or "--name=VALUE", short ones as "-x VALUE" or "-xVALUE", switches may be grouped:
/// "-vv"; no abbreviations). nullopt with *error, one line naming the option, when an option
/// is unknown, lacks its value, has one it does not take or is given twice.
std::optional<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                            const po::options_description& options,
                                            std::string* error);

/// The text given for an option taking one value (key: "name" for --name, "-x" for a short-only
/// -x), or nullptr when it was not given.
const std::string* GivenValue(const po::variables_map& values, const std::string& key);

/// The texts given for a repeatable option, in order (empty when not given).
std::vector<std::string> GivenValues(const po::variables_map& values, const std::string& key);

/// A decimal integer in [min, max]. On failure nullopt and *error = "<option>: <why>".
std::optional<uint64_t> ParseUnsigned(const std::string& option, const std::string& text,
                                      uint64_t min, uint64_t max, std::string* error);

/// A finite decimal number in [min, max].
std::optional<double> ParseNumber(const std::string& option, const std::string& text, double min,
                                  double max, std::string* error);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_COMMAND_LINE_H
