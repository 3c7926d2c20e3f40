/*
 * A validated scenario: the YAML file's keys, then --set overrides, on top of the schema's
 * defaults. Every problem is a ScenarioError whose message is one line naming the file (or
 * the command line), the line and the key.
 */
#ifndef LPWAN_SCENARIO_CONFIG_H
#define LPWAN_SCENARIO_CONFIG_H

#include "scenario-schema.h"

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

class ScenarioError : public std::runtime_error
{
  public:
    /// The message stays one line whatever the file held: control characters that come from
    /// it (in a key, a value, a file name) are shown as \xNN (found by the scenario-config fuzz
    /// target: a key with a newline or NUL split or cut the error).
    explicit ScenarioError(const std::string& message);
};

/// A scenario file larger than this is refused (the catalogue's are a few kB).
constexpr uint64_t kMaxScenarioFileBytes = 1 << 20;

class ScenarioConfig
{
  public:
    /// All keys at their defaults.
    ScenarioConfig();

    /// Loads a YAML scenario file over the defaults. Throws ScenarioError.
    static ScenarioConfig FromFile(const std::string& path);
    /// Loads YAML text (origin names it in errors). Throws ScenarioError.
    static ScenarioConfig FromYaml(const std::string& text, const std::string& origin);

    /// Applies "key=value" from the command line. Throws ScenarioError.
    void ApplyOverride(const std::string& assignment);
    /// Sets one key from text; origin and line say where the text came from.
    void Set(const std::string& key, const std::string& value, const std::string& origin, int line);
    /// Checks the relations between keys (e.g. jitter below interval). Throws ScenarioError.
    /// The topology keys are checked with the topology they describe (ValidateScenario).
    void ValidateRelations() const;

    int64_t GetInteger(const std::string& key) const;
    double GetReal(const std::string& key) const;
    bool GetBoolean(const std::string& key) const;
    const std::string& GetText(const std::string& key) const;

    /// Every key and its value as text, in schema order (for summary.json).
    std::vector<std::pair<std::string, std::string>> Items() const;

    /// Where a key's value came from, "file:line" or "default".
    std::string Origin(const std::string& key) const;

    /// Throws the ScenarioError of a key: "origin:line: key: message".
    [[noreturn]] void Fail(const std::string& key, const std::string& message) const;

  private:
    /// A key's value, parsed once when it is set (the getters return it as parsed).
    struct Value
    {
        const ScenarioKey* spec = nullptr;
        std::string text;
        int64_t integer = 0; ///< Integer keys
        double real = 0;     ///< Integer and Real keys
        bool boolean = false;
        std::string origin = "default";
        int line = 0;
    };

    const Value& Get(const std::string& key, ScenarioKey::Type type) const;
    /// Refuses keys that the chosen network (link.kind, or a topology) would ignore.
    void ValidateLinkKind() const;

    std::map<std::string, Value> m_values;
};

/// True when the scenario names a topology (topology.file or topology.generator).
bool UsesTopology(const ScenarioConfig& c);

} // namespace ns3

#endif // LPWAN_SCENARIO_CONFIG_H
