/*
 * Fuzz target scenario-config: YAML text into the scenario reader and the whole validation a
 * run does before it starts (ScenarioConfig::FromYaml, ValidateScenario: key types and ranges,
 * relations, profiles, topology keys and the topology they name or generate).
 *
 * The text is read as if it were scenarios/fuzz.yaml, so that relative topology files of the
 * catalogue resolve. Oracles: a scenario is either valid or refused with one ScenarioError
 * naming the file (or the topology file) and a key (no other exception, crash, hang or runaway
 * memory); a valid scenario's keys, set again from their own text, give the same scenario.
 *
 * The memory limit is fixed at kLimitMiB instead of this machine's free memory: an input's
 * verdict must not depend on the machine, and a scenario of tens of thousands of devices is
 * refused by the estimate before its topology is generated. Without it, inputs declaring
 * 50,000 generated devices took seconds each under ASan and held a campaign to 350 exec/s.
 * The refusal path stays fuzzed; large runs that fit are covered by the memory-estimate tests.
 * Seeds: the catalogue's scenarios (scenarios/*.yaml) and small variations.
 * Dictionary: test/fuzz/dict/scenario-config.dict (every key of the schema, choices, YAML).
 */
#include "scenario-config.h"

#include "fuzz-check.h"
#include "scenario-validation.h"

using namespace ns3;

namespace
{
/// About 2,000 generated devices or 5,000 in a cell (memory-estimate.cc's figures per device).
constexpr double kLimitMiB = 48;
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string origin = std::string(LPWAN_SOURCE_DIR) + "/scenarios/fuzz.yaml";
    std::optional<ScenarioConfig> config;
    try
    {
        config.emplace(ScenarioConfig::FromYaml(text, origin));
        (void) ValidateScenario(*config,
                                MemoryLimit::Given(kLimitMiB, "(the fuzz target's limit)"));
    }
    catch (const ScenarioError& e)
    {
        const std::string what = e.what();
        FUZZ_CHECK(!what.empty() && what.find('\n') == std::string::npos,
                   "a scenario error is not one line");
        return 0;
    }
    // Valid: every key's text sets the same value again.
    ScenarioConfig again;
    for (const auto& [key, value] : config->Items())
    {
        try
        {
            again.Set(key, value, "again", 1);
        }
        catch (const ScenarioError& e)
        {
            std::fprintf(stderr, "%s\n", e.what());
            FUZZ_CHECK(false, "a valid key's own text is refused");
        }
    }
    FUZZ_CHECK(again.Items() == config->Items(), "keys set from their text differ");
    return 0;
}
