/*
 * Walking a tool's command line: options as "-x VALUE", "--name VALUE" or "--name=VALUE",
 * flags without values, and positional arguments. The tools map every problem to one
 * clear line and exit status 2, so nothing here prints or exits: errors come back as text.
 * Written by hand because getopt_long keeps global state, prints its own messages and
 * cannot be run twice in one process (the tests parse many command lines).
 */
#ifndef LPWAN_TOOLS_ARGUMENT_READER_H
#define LPWAN_TOOLS_ARGUMENT_READER_H

#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace tools
{

class ArgumentReader
{
  public:
    /// args: the arguments after the program name.
    explicit ArgumentReader(std::vector<std::string> args);
    /// From main's argc/argv (argv[0] is skipped).
    ArgumentReader(int argc, const char* const* argv);

    bool Done() const
    {
        return m_next >= m_args.size();
    }

    /// Takes the next argument. For "--name=value" returns "--name" and keeps the value for
    /// Value(); after a lone "--" every later argument is returned as positional.
    std::string Take();

    /// True when the argument last taken is an option ("-x", "--name"), false for positional
    /// ones ("-" alone, the arguments after "--", anything not starting with '-').
    bool IsOption() const
    {
        return m_isOption;
    }

    /// The value of the option last taken: its "=value" part, or else the next argument.
    /// nullopt with *error set when there is none.
    std::optional<std::string> Value(std::string* error);

    /// For options without a value: false with *error set when one was given as "=value".
    bool NoValue(std::string* error) const;

  private:
    std::vector<std::string> m_args;
    size_t m_next = 0;
    std::string m_current;
    std::optional<std::string> m_inlineValue;
    bool m_isOption = false;
    bool m_positionalOnly = false;
};

} // namespace tools
} // namespace ns3

#endif // LPWAN_TOOLS_ARGUMENT_READER_H
