/*
 * Every key a scenario file may hold: its type, default, unit, allowed range and meaning.
 * The one source of truth for validation, for --set, for `lpwan-run --list-keys` and for the
 * key reference in docs/scenario-keys.md (a test checks that the document lists every key).
 */
#ifndef LPWAN_SCENARIO_SCHEMA_H
#define LPWAN_SCENARIO_SCHEMA_H

#include <limits>
#include <string>
#include <vector>

namespace ns3
{

struct ScenarioKey
{
    enum class Type
    {
        Integer,
        Real,
        Boolean,
        Text,
        Choice,
    };

    std::string name; ///< dotted, e.g. "link.loss"
    Type type = Type::Real;
    std::string defaultValue;
    std::string unit; ///< e.g. "s", "bit/s", "bytes"; empty when unitless
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool minExclusive = false; ///< value must be strictly greater than min
    std::vector<std::string> choices;
    std::string help;
};

/// The schema, in documentation order.
const std::vector<ScenarioKey>& GetScenarioSchema();

/// The key with this dotted name, or nullptr.
const ScenarioKey* FindScenarioKey(const std::string& name);

/// True when name is a section (a prefix such as "link") of some key.
bool IsScenarioSection(const std::string& name);

/// Human-readable type of a key: "integer", "real", "boolean", "text", "one of a|b".
std::string DescribeType(const ScenarioKey& key);

/// The range of a numeric key, "[1, 16777213]" or "(0, inf]" (integer keys' bounds written out
/// in full); "" for other keys.
std::string DescribeRange(const ScenarioKey& key);

} // namespace ns3

#endif // LPWAN_SCENARIO_SCHEMA_H
