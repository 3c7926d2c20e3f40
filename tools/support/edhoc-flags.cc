#include "edhoc-flags.h"

#include <stdexcept>

namespace ns3
{
namespace tools
{

namespace
{

bool
ReadInt(const std::string& name, ArgumentReader& reader, int lo, int hi, int& out,
        std::string* error)
{
    const std::optional<std::string> v = reader.Value(error);
    if (!v)
    {
        return true;
    }
    try
    {
        size_t used = 0;
        const int n = std::stoi(*v, &used);
        if (used != v->size() || n < lo || n > hi)
        {
            throw std::out_of_range(*v);
        }
        out = n;
    }
    catch (const std::exception&)
    {
        *error = name + ": expected " + std::to_string(lo) + ".." + std::to_string(hi) + ", got '"
                 + *v + "'";
    }
    return true;
}

bool
Flag(ArgumentReader& reader, bool& flag, std::string* error)
{
    if (reader.NoValue(error))
    {
        flag = true;
    }
    return true;
}

} // namespace

bool
ConsumeEdhocFlag(const std::string& name, ArgumentReader& reader, EdhocFlags& flags,
                 std::string* error)
{
    if (name == "--edhoc")
    {
        return Flag(reader, flags.enabled, error);
    }
    if (name == "--edhoc-method")
    {
        flags.enabled = true;
        return ReadInt(name, reader, 0, 3, flags.method, error);
    }
    if (name == "--edhoc-suite")
    {
        flags.enabled = true;
        int suite = 0;
        ReadInt(name, reader, 0, 2, suite, error);
        if (error->empty() && suite == 1)
        {
            *error = "--edhoc-suite: only suites 0 and 2 are implemented";
        }
        flags.suites.push_back(suite);
        return true;
    }
    if (name == "--edhoc-combined")
    {
        flags.enabled = true;
        return Flag(reader, flags.combined, error);
    }
    if (name == "--edhoc-message4")
    {
        flags.enabled = true;
        return Flag(reader, flags.message4, error);
    }
    return false;
}

const char*
EdhocFlagsUsage()
{
    return "EDHOC (RFC 9528, with the built-in demonstration credentials), then OSCORE:\n"
           "  --edhoc                  run EDHOC over /.well-known/edhoc, then use OSCORE\n"
           "  --edhoc-method N         client: method 0..3 (default 3)\n"
           "  --edhoc-suite N          cipher suite 0 or 2 (client default 2; server: the\n"
           "                           suites offered, repeatable, default 0 and 2)\n"
           "  --edhoc-combined         client: message_3 inside the first OSCORE request\n"
           "                           (RFC 9668 EDHOC option)\n"
           "  --edhoc-message4         client: expect message_4; server: send it\n";
}

} // namespace tools
} // namespace ns3
