/*
 * Command-line walking; see argument-reader.h.
 */

#include "argument-reader.h"

namespace ns3
{
namespace tools
{

ArgumentReader::ArgumentReader(std::vector<std::string> args)
  : m_args(std::move(args))
{
}

ArgumentReader::ArgumentReader(int argc, const char* const* argv)
{
    for (int i = 1; i < argc; ++i)
    {
        m_args.emplace_back(argv[i]);
    }
}

std::string
ArgumentReader::Take()
{
    m_inlineValue.reset();
    m_isOption = false;
    m_current = Done() ? std::string() : m_args[m_next++];
    if (m_positionalOnly || m_current.size() < 2 || m_current[0] != '-')
    {
        return m_current;
    }
    if (m_current == "--")
    {
        m_positionalOnly = true;
        return Done() ? std::string() : Take();
    }
    m_isOption = true;
    if (m_current.compare(0, 2, "--") == 0)
    {
        const size_t eq = m_current.find('=');
        if (eq != std::string::npos)
        {
            m_inlineValue = m_current.substr(eq + 1);
            m_current.resize(eq);
        }
    }
    return m_current;
}

std::optional<std::string>
ArgumentReader::Value(std::string* error)
{
    if (m_inlineValue)
    {
        std::string v = std::move(*m_inlineValue);
        m_inlineValue.reset();
        return v;
    }
    if (Done())
    {
        *error = m_current + " needs a value";
        return std::nullopt;
    }
    return m_args[m_next++];
}

bool
ArgumentReader::NoValue(std::string* error) const
{
    if (m_inlineValue)
    {
        *error = m_current + " takes no value";
        return false;
    }
    return true;
}

} // namespace tools
} // namespace ns3
