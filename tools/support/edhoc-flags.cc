/*
 * EDHOC flags; see edhoc-flags.h.
 */

#include "edhoc-flags.h"

#include <stdexcept>

namespace lpwan
{
namespace tools
{

namespace
{

/// An integer in [lo, hi]; nullopt with *error otherwise.
std::optional<int>
ReadInt(const std::string& option, const std::string& text, int lo, int hi, std::string* error)
{
    try
    {
        size_t used = 0;
        const int n = std::stoi(text, &used);
        if (used == text.size() && n >= lo && n <= hi)
        {
            return n;
        }
    }
    catch (const std::exception&)
    {
    }
    *error = option + ": expected " + std::to_string(lo) + ".." + std::to_string(hi) + ", got '"
             + text + "'";
    return std::nullopt;
}

} // namespace

po::options_description
EdhocOptions()
{
    po::options_description o(
        "EDHOC (RFC 9528, with the built-in demonstration credentials), then OSCORE");
    // clang-format off
    o.add_options()
        ("edhoc", "run EDHOC over /.well-known/edhoc, then use OSCORE")
        ("edhoc-method", po::value<std::string>()->value_name("N"),
         "client: method 0..3 (default 3)")
        ("edhoc-suite", po::value<std::vector<std::string>>()->value_name("N"),
         "cipher suite 0 or 2 (client default 2; server: the suites offered, repeatable, "
         "default 0 and 2)")
        ("edhoc-combined", "client: message_3 inside the first OSCORE request (RFC 9668 EDHOC "
         "option)")
        ("edhoc-message4", "client: expect message_4; server: send it");
    // clang-format on
    return o;
}

bool
ReadEdhocFlags(const po::variables_map& values, EdhocFlags* flags, std::string* error)
{
    flags->enabled = values.count("edhoc") > 0;
    if (const std::string* text = GivenValue(values, "edhoc-method"))
    {
        flags->enabled = true;
        const std::optional<int> method = ReadInt("--edhoc-method", *text, 0, 3, error);
        if (!method)
        {
            return false;
        }
        flags->method = *method;
    }
    for (const std::string& text : GivenValues(values, "edhoc-suite"))
    {
        flags->enabled = true;
        const std::optional<int> suite = ReadInt("--edhoc-suite", text, 0, 2, error);
        if (!suite)
        {
            return false;
        }
        if (*suite == 1)
        {
            *error = "--edhoc-suite: only suites 0 and 2 are implemented";
            return false;
        }
        flags->suites.push_back(*suite);
    }
    if (values.count("edhoc-combined") > 0)
    {
        flags->enabled = true;
        flags->combined = true;
    }
    if (values.count("edhoc-message4") > 0)
    {
        flags->enabled = true;
        flags->message4 = true;
    }
    return true;
}

} // namespace tools
} // namespace lpwan
