/*
 * lpwan-run: runs one scenario and writes its traces. ./lpwan run calls it.
 *
 *   lpwan-run [SCENARIO.yaml | NAME] [--set key=value]... [--seed N] [--run N] [--out DIR]
 *   lpwan-run --list-keys
 *   lpwan-run --check [SCENARIO.yaml | NAME] [--set key=value]...   (validate only, run nothing)
 *
 * Exit status: 0 success, 2 bad scenario or command line (one line on stderr naming the file,
 * line and key), 1 any other failure.
 */
#include "run-summary.h"
#include "scenario-config.h"
#include "scenario-runner.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

void
Usage(std::ostream& os)
{
    os << "usage: lpwan-run [SCENARIO.yaml | NAME] [--set key=value]... [--seed N] [--run N] "
          "[--out DIR]\n"
          "       lpwan-run --list-keys | --list-keys-markdown\n"
          "--check validates the scenario and overrides (exit 0 or 2) without running it.\n"
          "NAME is looked up as SCENARIO_DIR/NAME.yaml (--scenario-dir, default ./scenarios).\n"
          "Without a scenario the default one (SCENARIO_DIR/default.yaml) runs.\n";
}

std::string
Range(const ScenarioKey& k)
{
    if (k.type != ScenarioKey::Type::Integer && k.type != ScenarioKey::Type::Real)
    {
        return "";
    }
    auto fmt = [](double v)
    {
        std::ostringstream os;
        os << v;
        return os.str();
    };
    return std::string(k.minExclusive ? "(" : "[") + fmt(k.min) + ", " + fmt(k.max) + "]";
}

/// The key reference of docs/scenario-keys.md, generated from the schema.
/// A table cell: '|' would end the cell early.
std::string
MarkdownCell(const std::string& text)
{
    std::string out;
    for (char c : text)
    {
        out += c == '|' ? std::string("\\|") : std::string(1, c);
    }
    return out;
}

void
ListKeysMarkdown()
{
    std::cout << "| key | type | unit | default | range | meaning |\n"
                 "|---|---|---|---|---|---|\n";
    for (const auto& k : GetScenarioSchema())
    {
        std::cout << "| `" << k.name << "` | " << MarkdownCell(DescribeType(k)) << " | " << k.unit
                  << " | `" << k.defaultValue << "` | " << Range(k) << " | " << MarkdownCell(k.help)
                  << " |\n";
    }
}

void
ListKeys()
{
    for (const auto& k : GetScenarioSchema())
    {
        std::cout << k.name << " (" << DescribeType(k) << (k.unit.empty() ? "" : ", " + k.unit)
                  << ", default " << k.defaultValue << "): " << k.help << "\n";
    }
}

struct CommandLineError : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

std::string
NeedValue(int& i, int argc, char** argv)
{
    std::string flag = argv[i];
    if (i + 1 >= argc)
    {
        throw CommandLineError(flag + " needs a value");
    }
    return argv[++i];
}

} // namespace

int
main(int argc, char** argv)
{
    std::string scenario;
    std::string scenarioDir = "scenarios";
    std::string outDir;
    std::vector<std::string> overrides;
    bool checkOnly = false;
    try
    {
        for (int i = 1; i < argc; ++i)
        {
            std::string a = argv[i];
            if (a == "-h" || a == "--help")
            {
                Usage(std::cout);
                return 0;
            }
            else if (a == "--list-keys")
            {
                ListKeys();
                return 0;
            }
            else if (a == "--list-keys-markdown")
            {
                ListKeysMarkdown();
                return 0;
            }
            else if (a == "--check")
            {
                checkOnly = true;
            }
            else if (a == "--set")
            {
                overrides.push_back(NeedValue(i, argc, argv));
            }
            else if (a.rfind("--set=", 0) == 0)
            {
                overrides.push_back(a.substr(6));
            }
            else if (a == "--seed")
            {
                overrides.push_back("simulation.seed=" + NeedValue(i, argc, argv));
            }
            else if (a == "--run")
            {
                overrides.push_back("simulation.run=" + NeedValue(i, argc, argv));
            }
            else if (a == "--out")
            {
                outDir = NeedValue(i, argc, argv);
            }
            else if (a == "--scenario-dir")
            {
                scenarioDir = NeedValue(i, argc, argv);
            }
            else if (!a.empty() && a[0] == '-')
            {
                throw CommandLineError("unknown option '" + a + "'");
            }
            else if (scenario.empty())
            {
                scenario = a;
            }
            else
            {
                throw CommandLineError("more than one scenario given ('" + scenario + "', '" + a
                                       + "')");
            }
        }
    }
    catch (const CommandLineError& e)
    {
        std::cerr << "lpwan-run: " << e.what() << "\n";
        Usage(std::cerr);
        return 2;
    }

    namespace fs = std::filesystem;
    if (scenario.empty())
    {
        scenario = scenarioDir + "/default.yaml";
    }
    else if (!fs::exists(scenario))
    {
        std::string named = scenarioDir + "/" + scenario + ".yaml";
        if (!fs::exists(named))
        {
            std::cerr << "lpwan-run: " << scenario << ": no such scenario file (nor " << named
                      << ")\n";
            return 2;
        }
        scenario = named;
    }

    ValidatedScenario validated;
    try
    {
        ScenarioConfig config = ScenarioConfig::FromFile(scenario);
        for (const auto& o : overrides)
        {
            config.ApplyOverride(o);
        }
        validated = ValidateScenario(config); // a topology file is read here, once
    }
    catch (const ScenarioError& e)
    {
        std::cerr << "lpwan-run: " << e.what() << "\n";
        return 2;
    }
    if (checkOnly)
    {
        // The sweep validates every parameter point this way before any run starts.
        return 0;
    }

    if (outDir.empty())
    {
        outDir = "results/" + fs::path(scenario).stem().string();
    }
    try
    {
        ScenarioRunner runner(std::move(validated), outDir);
        RunOutcome outcome = runner.Run();
        PrintSummaryTable(outcome.summary, std::cout);
        std::cout << "  traces written to " << outDir << "/\n";
    }
    catch (const std::exception& e)
    {
        std::cerr << "lpwan-run: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
