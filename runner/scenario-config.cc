#include "scenario-config.h"

#include "io/bounded-file.h"
#include "profiles/profile-registry.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace ns3
{

namespace
{

std::string
OneLine(const std::string& message)
{
    std::string out;
    out.reserve(message.size());
    for (unsigned char c : message)
    {
        if (c < 0x20 || c == 0x7f)
        {
            static const char* kHex = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
        else
        {
            out += static_cast<char>(c);
        }
    }
    return out;
}

} // namespace

ScenarioError::ScenarioError(const std::string& message)
  : std::runtime_error(OneLine(message))
{
}

namespace
{

std::string
Where(const std::string& origin, int line)
{
    return line > 0 ? origin + ":" + std::to_string(line) : origin;
}

/// Parses a whole string as a number; false if anything is left over or it is not finite.
bool
ParseReal(const std::string& text, double* out)
{
    if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])))
    {
        return false;
    }
    errno = 0;
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v))
    {
        return false;
    }
    *out = v;
    return true;
}

bool
ParseInteger(const std::string& text, int64_t* out)
{
    if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])))
    {
        return false;
    }
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || end != text.c_str() + text.size())
    {
        return false;
    }
    *out = v;
    return true;
}

/// Walks a YAML mapping, turning nested sections into dotted keys.
void
Walk(const YAML::Node& node, const std::string& prefix, const std::string& origin,
     ScenarioConfig* config)
{
    std::set<std::string> seen;
    for (const auto& item : node)
    {
        int line = item.first.Mark().line + 1;
        if (!item.first.IsScalar())
        {
            throw ScenarioError(Where(origin, line) + ": a key must be a plain name");
        }
        std::string name = item.first.Scalar();
        std::string key = prefix.empty() ? name : prefix + "." + name;
        if (!seen.insert(name).second)
        {
            throw ScenarioError(Where(origin, line) + ": " + key + ": key given twice");
        }
        const YAML::Node& value = item.second;
        if (FindScenarioKey(key) != nullptr)
        {
            if (value.IsNull() || !value.IsDefined())
            {
                throw ScenarioError(Where(origin, line) + ": " + key + ": has no value");
            }
            if (!value.IsScalar())
            {
                throw ScenarioError(Where(origin, line) + ": " + key
                                    + ": expected a single value, found a "
                                    + (value.IsMap() ? "section" : "list"));
            }
            config->Set(key, value.Scalar(), origin, value.Mark().line + 1);
        }
        else if (IsScenarioSection(key))
        {
            if (!value.IsMap())
            {
                throw ScenarioError(Where(origin, line) + ": " + key
                                    + ": is a section; expected keys below it");
            }
            Walk(value, key, origin, config);
        }
        else
        {
            throw ScenarioError(Where(origin, line) + ": " + key
                                + ": unknown key (lpwan-run --list-keys lists them all)");
        }
    }
}

} // namespace

ScenarioConfig::ScenarioConfig()
{
    for (const auto& k : GetScenarioSchema())
    {
        Set(k.name, k.defaultValue, "default", 0);
    }
}

ScenarioConfig
ScenarioConfig::FromFile(const std::string& path)
{
    std::string error;
    std::optional<std::string> text
        = ReadBoundedRegularFile(path, kMaxScenarioFileBytes, "scenario", &error);
    if (!text)
    {
        throw ScenarioError(error);
    }
    return FromYaml(*text, path);
}

ScenarioConfig
ScenarioConfig::FromYaml(const std::string& text, const std::string& origin)
{
    YAML::Node root;
    try
    {
        root = YAML::Load(text);
    }
    catch (const YAML::Exception& e)
    {
        throw ScenarioError(Where(origin, e.mark.line + 1) + ": not valid YAML: " + e.msg);
    }
    ScenarioConfig config;
    if (root.IsNull())
    {
        return config; // an empty file means "all defaults"
    }
    if (!root.IsMap())
    {
        throw ScenarioError(Where(origin, root.Mark().line + 1)
                            + ": a scenario must be a mapping of keys to values");
    }
    Walk(root, "", origin, &config);
    return config;
}

void
ScenarioConfig::ApplyOverride(const std::string& assignment)
{
    std::string origin = "--set " + assignment;
    auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
    {
        throw ScenarioError(origin + ": expected key=value");
    }
    std::string key = assignment.substr(0, eq);
    if (FindScenarioKey(key) == nullptr)
    {
        throw ScenarioError(origin + ": " + key
                            + ": unknown key (lpwan-run --list-keys lists them all)");
    }
    Set(key, assignment.substr(eq + 1), origin, 0);
}

void
ScenarioConfig::Set(const std::string& key, const std::string& value, const std::string& origin,
                    int line)
{
    const ScenarioKey* spec = FindScenarioKey(key);
    std::string where = Where(origin, line) + ": " + key + ": ";
    if (spec == nullptr)
    {
        throw ScenarioError(where + "unknown key");
    }
    double number = 0;
    int64_t integer = 0;
    switch (spec->type)
    {
        case ScenarioKey::Type::Integer:
        {
            if (!ParseInteger(value, &integer))
            {
                throw ScenarioError(where + "'" + value + "' is not an integer");
            }
            number = static_cast<double>(integer);
            break;
        }
        case ScenarioKey::Type::Real:
            if (!ParseReal(value, &number))
            {
                throw ScenarioError(where + "'" + value + "' is not a number");
            }
            break;
        case ScenarioKey::Type::Boolean:
            if (value != "true" && value != "false")
            {
                throw ScenarioError(where + "'" + value + "' is not true or false");
            }
            break;
        case ScenarioKey::Type::Text:
            if (value.empty())
            {
                throw ScenarioError(where + "must not be empty");
            }
            try
            {
                // Text goes into summary.json: refuse what JSON cannot hold before any run.
                (void) nlohmann::json(value).dump();
            }
            catch (const nlohmann::json::exception&)
            {
                throw ScenarioError(where + "is not valid UTF-8 text");
            }
            break;
        case ScenarioKey::Type::Choice:
        {
            bool ok = false;
            for (const auto& c : spec->choices)
            {
                ok = ok || c == value;
            }
            if (!ok)
            {
                throw ScenarioError(where + "'" + value + "' is not " + DescribeType(*spec));
            }
            break;
        }
    }
    if (spec->type == ScenarioKey::Type::Integer || spec->type == ScenarioKey::Type::Real)
    {
        bool low = spec->minExclusive ? number <= spec->min : number < spec->min;
        if (low || number > spec->max)
        {
            throw ScenarioError(where + value + " is out of range " + DescribeRange(*spec)
                                + (spec->unit.empty() ? "" : " " + spec->unit));
        }
    }
    Value& v = m_values[key];
    v.spec = spec;
    v.text = value;
    v.integer = integer;
    v.real = number;
    v.boolean = value == "true";
    v.origin = origin;
    v.line = line;
}

void
ScenarioConfig::Fail(const std::string& key, const std::string& message) const
{
    const Value& v = m_values.at(key);
    throw ScenarioError(Where(v.origin, v.line) + ": " + key + ": " + message);
}

void
ScenarioConfig::ValidateRelations() const
{
    if (GetReal("traffic.jitter_s") >= GetReal("traffic.interval_s"))
    {
        Fail("traffic.jitter_s", "must be smaller than traffic.interval_s ("
                                     + m_values.at("traffic.interval_s").text + " s)");
    }
    if (GetReal("dtls.handshake_timeout_min_s") > GetReal("dtls.handshake_timeout_max_s"))
    {
        Fail("dtls.handshake_timeout_min_s", "must not exceed dtls.handshake_timeout_max_s ("
                                                 + m_values.at("dtls.handshake_timeout_max_s").text
                                                 + " s)");
    }
    GetSecurityProfile(*this).ValidateRelations(*this);
    if (GetBoolean("nbiot.nidd") && GetText("nbiot.rrc") != "cp")
    {
        Fail("nbiot.nidd", "non-IP data delivery runs over the control plane: set nbiot.rrc=cp");
    }
    if (GetReal("nbiot.cdrx_cycle_s") > 0
        && GetReal("nbiot.cdrx_on_s") > GetReal("nbiot.cdrx_cycle_s"))
    {
        Fail("nbiot.cdrx_on_s", "must not exceed nbiot.cdrx_cycle_s");
    }
    ValidateLinkKind();
    double reportsPerDevice = GetReal("simulation.duration_s") / GetReal("traffic.interval_s");
    if (reportsPerDevice * static_cast<double>(GetInteger("devices.count")) > 5e8)
    {
        Fail("traffic.interval_s", "the run would generate more than 5e8 reports");
    }
}

void
ScenarioConfig::ValidateLinkKind() const
{
    // A key that the chosen network ignores would otherwise be a silent no-op: a sweep of
    // link.loss over an NB-IoT cell would run the same cell four times.
    const std::string kind = GetText("link.kind");
    if (UsesTopology(*this))
    {
        if (kind != "lpwan")
        {
            Fail("link.kind",
                 "a topology's radio edges carry their own kind (kind=lpwan, nbiot or ltem in "
                 "the DOT file; the cellular generator's cells are nbiot): leave link.kind at "
                 "lpwan");
        }
        // The nbiot.* and energy.* keys are checked against the topology's cells where it is
        // read (ValidateTopologyKeys).
        return;
    }
    if (kind == "lpwan")
    {
        return;
    }
    for (const char* key : {"link.medium", "link.uplink_rate_bps", "link.downlink_rate_bps",
                            "link.delay_s", "link.loss"})
    {
        if (m_values.at(key).origin != "default")
        {
            Fail(key,
                 "applies to the generic LPWAN link only, not to link.kind=" + kind + " (set at "
                     + Origin("link.kind")
                     + "); a cell's losses come from nbiot.bler and the coverage level "
                       "(nbiot.coupling_loss_db, nbiot.cell_radius_m), its delays from the "
                       "coverage level (docs/nbiot.md)");
        }
    }
}

std::string
ScenarioConfig::Origin(const std::string& key) const
{
    const Value& v = m_values.at(key);
    return Where(v.origin, v.line);
}

const ScenarioConfig::Value&
ScenarioConfig::Get(const std::string& key, ScenarioKey::Type type) const
{
    auto it = m_values.find(key);
    if (it == m_values.end() || it->second.spec->type != type)
    {
        throw std::logic_error("scenario key '" + key + "' read with the wrong type");
    }
    return it->second;
}

int64_t
ScenarioConfig::GetInteger(const std::string& key) const
{
    return Get(key, ScenarioKey::Type::Integer).integer;
}

double
ScenarioConfig::GetReal(const std::string& key) const
{
    return Get(key, ScenarioKey::Type::Real).real;
}

bool
ScenarioConfig::GetBoolean(const std::string& key) const
{
    return Get(key, ScenarioKey::Type::Boolean).boolean;
}

const std::string&
ScenarioConfig::GetText(const std::string& key) const
{
    auto it = m_values.find(key);
    if (it != m_values.end() && it->second.spec->type == ScenarioKey::Type::Choice)
    {
        return it->second.text;
    }
    return Get(key, ScenarioKey::Type::Text).text;
}

std::vector<std::pair<std::string, std::string>>
ScenarioConfig::Items() const
{
    std::vector<std::pair<std::string, std::string>> items;
    for (const auto& k : GetScenarioSchema())
    {
        items.emplace_back(k.name, m_values.at(k.name).text);
    }
    return items;
}

bool
UsesTopology(const ScenarioConfig& c)
{
    return c.GetText("topology.file") != "none" || c.GetText("topology.generator") != "none";
}

} // namespace ns3
