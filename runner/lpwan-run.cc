/*
 * lpwan-run: runs one scenario and writes its traces. ./lpwan run calls it.
 *
 *   lpwan-run [SCENARIO.yaml | NAME] [--set key=value]... [--seed N] [--run N] [--out DIR]
 *   lpwan-run --list-keys
 *   lpwan-run --check [SCENARIO.yaml | NAME] [--set key=value]...   (validate only, run nothing)
 *   --memory-limit MiB: the memory a run may be expected to need (default: what the machine has
 *   available); a scenario whose estimate is above it is refused like a bad key.
 *
 * Exit status: 0 success, 2 bad scenario or command line (one line on stderr naming the file,
 * line and key), 1 any other failure.
 */
#include "attribute-overrides.h"
#include "run-summary.h"
#include "scenario-config.h"
#include "scenario-runner.h"

#include <boost/program_options.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
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
          "--memory-limit MiB refuses a scenario expected to need more memory (default: the\n"
          "memory this machine has available).\n"
          "NAME is looked up as SCENARIO_DIR/NAME.yaml (--scenario-dir, default ./scenarios).\n"
          "Without a scenario the default one (SCENARIO_DIR/default.yaml) runs.\n"
          "--ns3::Type::Attribute=value sets an ns-3 attribute on every object of that type\n"
          "(e.g. --ns3::NbIotUeNetDevice::T3324=5s), over what scenario keys set; summary.json\n"
          "lists it under ns3_attributes. NS_LOG works as in ns-3 (NS_LOG=MessageLedger=info).\n";
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
                  << " | `" << k.defaultValue << "` | " << DescribeRange(k) << " | "
                  << MarkdownCell(k.help) << " |\n";
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

/// What the command line asks for.
struct CommandLine
{
    enum class Action
    {
        Run,
        Help,
        ListKeys,
        ListKeysMarkdown,
    };

    Action action = Action::Run;
    std::string scenario;
    std::string scenarioDir = "scenarios";
    std::string outDir;
    std::vector<std::string> overrides;        ///< key=value, in command-line order
    std::vector<AttributeOverride> attributes; ///< --ns3::Type::Attr=value
    bool checkOnly = false;
    std::optional<double> memoryLimitMiB; ///< --memory-limit
};

/// Reads argv with Boost.Program_options. Throws CommandLineError naming the bad option.
CommandLine
ParseCommandLine(int argc, char** argv)
{
    namespace po = boost::program_options;
    po::options_description options;
    // clang-format off
    options.add_options()
        ("help,h", "this help")
        ("list-keys", "list the scenario keys")
        ("list-keys-markdown", "the key reference of docs/scenario-keys.md")
        ("check", "validate only, run nothing")
        ("set", po::value<std::string>(), "key=value override (repeatable)")
        ("seed", po::value<std::string>(), "simulation.seed")
        ("run", po::value<std::string>(), "simulation.run")
        ("out", po::value<std::string>(), "trace folder")
        ("scenario-dir", po::value<std::string>(), "where NAME is looked up")
        ("memory-limit", po::value<std::string>(), "MiB a run may be expected to need")
        ("scenario", po::value<std::vector<std::string>>(), "SCENARIO.yaml or NAME");
    // clang-format on
    po::positional_options_description positional;
    positional.add("scenario", -1);
    // ns-3 attribute overrides, as ns-3 programs take them, are not Boost options: taken out
    // and checked against ns-3's type registry here.
    std::vector<std::string> rest;
    std::vector<AttributeOverride> attributes;
    for (int i = 1; i < argc; ++i)
    {
        if (IsAttributeOverride(argv[i]))
        {
            try
            {
                attributes.push_back(ParseAttributeOverride(argv[i]));
            }
            catch (const std::invalid_argument& e)
            {
                throw CommandLineError(e.what());
            }
        }
        else
        {
            rest.emplace_back(argv[i]);
        }
    }
    po::parsed_options parsed(&options);
    try
    {
        // No guessing: an abbreviated option is an unknown one, as it always was.
        parsed = po::command_line_parser(rest)
                     .options(options)
                     .positional(positional)
                     .style(po::command_line_style::default_style
                            & ~po::command_line_style::allow_guessing)
                     .run();
    }
    catch (const po::unknown_option& e)
    {
        throw CommandLineError("unknown option '" + e.get_option_name() + "'");
    }
    catch (const po::invalid_command_line_syntax& e)
    {
        if (e.kind() == po::invalid_syntax::missing_parameter)
        {
            throw CommandLineError(e.get_option_name() + " needs a value");
        }
        throw CommandLineError(e.what());
    }
    catch (const po::error& e)
    {
        throw CommandLineError(e.what());
    }

    // The options are taken in the order given, not stored in a variables_map: --set, --seed
    // and --run are overrides applied left to right, and --help or --list-keys act as soon as
    // they are met, as they always did.
    CommandLine c;
    c.attributes = std::move(attributes);
    for (const po::option& o : parsed.options)
    {
        const std::string& key = o.string_key;
        const std::string value = o.value.empty() ? std::string() : o.value.front();
        if (key == "help")
        {
            c.action = CommandLine::Action::Help;
            return c;
        }
        else if (key == "list-keys")
        {
            c.action = CommandLine::Action::ListKeys;
            return c;
        }
        else if (key == "list-keys-markdown")
        {
            c.action = CommandLine::Action::ListKeysMarkdown;
            return c;
        }
        else if (key == "check")
        {
            c.checkOnly = true;
        }
        else if (key == "set")
        {
            c.overrides.push_back(value);
        }
        else if (key == "seed")
        {
            c.overrides.push_back("simulation.seed=" + value);
        }
        else if (key == "run")
        {
            c.overrides.push_back("simulation.run=" + value);
        }
        else if (key == "out")
        {
            c.outDir = value;
        }
        else if (key == "scenario-dir")
        {
            c.scenarioDir = value;
        }
        else if (key == "memory-limit")
        {
            char* end = nullptr;
            errno = 0;
            const double mib = std::strtod(value.c_str(), &end);
            if (value.empty() || errno != 0 || *end != '\0' || !std::isfinite(mib) || mib <= 0)
            {
                throw CommandLineError("--memory-limit: '" + value
                                       + "' is not a number of MiB above 0");
            }
            c.memoryLimitMiB = mib;
        }
        else if (key == "scenario")
        {
            if (!value.empty() && value[0] == '-')
            {
                throw CommandLineError("unknown option '" + value + "'");
            }
            if (!c.scenario.empty())
            {
                throw CommandLineError("more than one scenario given ('" + c.scenario + "', '"
                                       + value + "')");
            }
            c.scenario = value;
        }
    }
    return c;
}

int
Main(int argc, char** argv)
{
    CommandLine cli;
    try
    {
        cli = ParseCommandLine(argc, argv);
    }
    catch (const CommandLineError& e)
    {
        // One line naming the bad option (a script reads it); --help has the rest.
        std::cerr << "lpwan-run: " << e.what() << "\n";
        return 2;
    }
    switch (cli.action)
    {
        case CommandLine::Action::Help:
            Usage(std::cout);
            return 0;
        case CommandLine::Action::ListKeys:
            ListKeys();
            return 0;
        case CommandLine::Action::ListKeysMarkdown:
            ListKeysMarkdown();
            return 0;
        case CommandLine::Action::Run:
            break;
    }
    std::string scenario = cli.scenario;
    const std::string& scenarioDir = cli.scenarioDir;
    std::string outDir = cli.outDir;
    const std::vector<std::string>& overrides = cli.overrides;
    const bool checkOnly = cli.checkOnly;

    namespace fs = std::filesystem;
    std::error_code ignored; // a name that cannot even be looked up is a missing one
    if (scenario.empty())
    {
        scenario = scenarioDir + "/default.yaml";
    }
    else if (!fs::exists(scenario, ignored))
    {
        std::string named = scenarioDir + "/" + scenario + ".yaml";
        if (!fs::exists(named, ignored))
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
        // A topology file is read here, once; a run expected not to fit memory stops here.
        validated = ValidateScenario(config, cli.memoryLimitMiB ? MemoryLimit::Given(
                                                 *cli.memoryLimitMiB, "given by --memory-limit")
                                                                : MemoryLimit::OfThisMachine());
    }
    catch (const ScenarioError& e)
    {
        std::cerr << "lpwan-run: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        // Anything else before the run (memory, I/O) is still one line and status 2.
        std::cerr << "lpwan-run: " << scenario << ": " << e.what() << "\n";
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
        runner.SetAttributeOverrides(cli.attributes);
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

} // namespace

int
main(int argc, char** argv)
{
    // Every error has its own message and status in Main; this is the last resort, so that no
    // exception ends the program with std::terminate's abort.
    try
    {
        return Main(argc, argv);
    }
    catch (const std::exception& e)
    {
        std::cerr << "lpwan-run: " << e.what() << "\n";
    }
    catch (...)
    {
        std::cerr << "lpwan-run: unknown error\n";
    }
    return 1;
}
