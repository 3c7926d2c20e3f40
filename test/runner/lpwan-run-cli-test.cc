// The lpwan-run program: a bad scenario or command line exits non-zero with one line on stderr
// naming the file, line and key; a good one runs and writes the traces.
#include "support/address-sanitizer.h"
#include "support/shell-command.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace
{

struct Result
{
    int status = -1;
    std::string stderrText;
};

/// Runs lpwan-run with arguments, capturing stderr (stdout discarded).
Result
RunCli(const std::string& args)
{
    const lpwantest::ShellResult r = lpwantest::RunShellCommand(
        std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-run --scenario-dir " + LPWAN_SOURCE_DIR
        + "/scenarios " + args + " 2>&1 >/dev/null");
    return Result{r.status, r.output};
}

std::string
WriteScenario(const std::string& name, const std::string& text)
{
    std::string dir = std::string(LPWAN_BINARY_DIR) + "/test-output/cli";
    std::filesystem::create_directories(dir);
    std::string path = dir + "/" + name;
    std::ofstream(path) << text;
    return path;
}

void
ExpectOneLineError(const Result& r, const std::string& expected)
{
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.stderrText, "lpwan-run: " + expected + "\n");
}

} // namespace

TEST(LpwanRunCli, OutOfRangeValueInFile)
{
    std::string path = WriteScenario("range.yaml", "devices:\n  count: 5\nlink:\n  loss: 1.5\n");
    ExpectOneLineError(RunCli(path), path + ":4: link.loss: 1.5 is out of range [0, 1]");
}

TEST(LpwanRunCli, UnknownKeyInFile)
{
    std::string path = WriteScenario("unknown.yaml", "# comment\nlink:\n  speed: 3\n");
    ExpectOneLineError(RunCli(path),
                       path + ":3: link.speed: unknown key (lpwan-run --list-keys lists them all)");
}

TEST(LpwanRunCli, UnknownKeyOnCommandLine)
{
    ExpectOneLineError(RunCli("--set link.speed=3"),
                       "--set link.speed=3: link.speed: unknown key (lpwan-run --list-keys lists "
                       "them all)");
}

TEST(LpwanRunCli, MalformedValueOnCommandLine)
{
    ExpectOneLineError(RunCli("--seed zero"),
                       "--set simulation.seed=zero: simulation.seed: 'zero' is not an integer");
}

TEST(LpwanRunCli, MissingScenario)
{
    Result r = RunCli("no-such-scenario");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.stderrText.find("no-such-scenario: no such scenario file"), std::string::npos)
        << r.stderrText;
}

TEST(LpwanRunCli, GarbageFileIsAnErrorNotACrash)
{
    std::string path = WriteScenario("garbage.yaml", std::string("\x01\x02{[: :\n\xff\xfe", 10));
    Result r = RunCli(path);
    EXPECT_EQ(r.status, 2) << r.stderrText;
    EXPECT_EQ(r.stderrText.rfind("lpwan-run: " + path + ":", 0), 0u) << r.stderrText;
}

TEST(LpwanRunCli, DefaultScenarioRunsAndWritesTraces)
{
    std::string out = std::string(LPWAN_BINARY_DIR) + "/test-output/cli/default";
    std::filesystem::remove_all(out);
    Result r = RunCli("--set devices.count=10 --set simulation.duration_s=7200 --out " + out);
    EXPECT_EQ(r.status, 0) << r.stderrText;
    for (const char* f : {"summary.json", "messages.csv", "perf.json"})
    {
        EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
    }
}

// Inputs that are not regular files, or are too large, are one-line errors before anything
// is read (they used to read /dev/zero until memory ran out, run a directory as the default
// scenario and hang on a FIFO).
TEST(LpwanRunCli, ADeviceIsNotAScenarioFile)
{
    ExpectOneLineError(RunCli("--check /dev/zero"),
                       "/dev/zero: is not a regular file (a device, FIFO or socket), not a "
                       "scenario file");
}

TEST(LpwanRunCli, ADirectoryIsNotAScenarioFile)
{
    std::string dir = std::string(LPWAN_BINARY_DIR) + "/test-output/cli/a-directory";
    std::filesystem::create_directories(dir);
    ExpectOneLineError(RunCli("--check " + dir), dir + ": is a directory, not a scenario file");
}

TEST(LpwanRunCli, AFifoIsNotAScenarioFile)
{
    std::string fifo = std::string(LPWAN_BINARY_DIR) + "/test-output/cli/a-fifo";
    std::filesystem::create_directories(std::filesystem::path(fifo).parent_path());
    std::filesystem::remove(fifo);
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    ExpectOneLineError(RunCli("--check " + fifo),
                       fifo + ": is not a regular file (a device, FIFO or socket), not a "
                              "scenario file");
    std::filesystem::remove(fifo);
}

TEST(LpwanRunCli, AnOversizedScenarioFileIsRefused)
{
    std::string path = WriteScenario("huge.yaml", "name: huge\n" + std::string(1 << 20, '#'));
    ExpectOneLineError(RunCli("--check " + path),
                       path + ": is " + std::to_string(11 + (1 << 20))
                           + " bytes; a scenario file may have at most 1048576");
}

TEST(LpwanRunCli, ADeviceIsNotATopologyFile)
{
    ExpectOneLineError(RunCli("--check lpwan-star --set topology.file=/dev/zero"),
                       "--set topology.file=/dev/zero: topology.file: /dev/zero: is not a regular "
                       "file (a device, FIFO or socket), not a topology file");
}

TEST(LpwanRunCli, TextThatIsNotUtf8IsRefusedBeforeTheRun)
{
    std::string path = WriteScenario("latin1.yaml", "name: caf\xe9\n"); // ISO 8859-1 é
    Result r = RunCli("--check " + path);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.stderrText.rfind("lpwan-run: " + path + ":1: name: ", 0), 0u) << r.stderrText;
}

// F2: keys each within range that multiply past memory. The run's memory is estimated during
// validation, before anything large is built, and held against --memory-limit (the machine's
// available memory by default); the key or file that makes the run large is named. These
// cases used to grow to 4.6 GB, end in "std::bad_alloc", or pass --check.
namespace
{

/// The one-line error of a run that would not fit: "lpwan-run: <prefix>... would need about
/// N MiB of memory ..., more than the <limit> MiB given by --memory-limit".
void
ExpectMemoryRefusal(const Result& r, const std::string& prefix, const std::string& limitMiB)
{
    EXPECT_EQ(r.status, 2) << r.stderrText;
    EXPECT_EQ(r.stderrText.rfind("lpwan-run: " + prefix + " would need about ", 0), 0u)
        << r.stderrText;
    const std::string tail = "more than the " + limitMiB + " MiB given by --memory-limit\n";
    EXPECT_TRUE(r.stderrText.size() > tail.size()
                && r.stderrText.compare(r.stderrText.size() - tail.size(), tail.size(), tail) == 0)
        << r.stderrText;
    EXPECT_EQ(std::count(r.stderrText.begin(), r.stderrText.end(), '\n'), 1);
}

std::string
WriteTopology(const std::string& name, const std::string& text)
{
    return WriteScenario(name, text);
}

} // namespace

TEST(LpwanRunCli, GeneratedTopologyTooLargeForMemoryNamesDevicesCount)
{
    ExpectMemoryRefusal(RunCli("--check lpwan-star --memory-limit 20000 --set "
                               "topology.generator=gateways --set topology.gateways=1000 --set "
                               "devices.count=60000"),
                        "--set devices.count=60000: devices.count: 60000000 devices "
                        "(topology.gateways 1000 x devices.count 60000)",
                        "20000");
}

TEST(LpwanRunCli, GeneratedDevicesOfADotFileCountBeforeTheyAreMade)
{
    // 200 gateways with devices=60000 each: 12 million devices from a 12 KB file.
    std::string dot
        = "graph big { server [role=server]; core [role=router]; server -- core "
          "[kind=p2p];\n";
    for (int g = 1; g <= 200; ++g)
    {
        const std::string gw = "gw" + std::to_string(g);
        dot += gw + " [role=gateway, devices=60000]; " + gw + " -- core [kind=p2p];\n";
    }
    const std::string path = WriteTopology("big.dot", dot + "}\n");
    ExpectMemoryRefusal(
        RunCli("--check lpwan-star --memory-limit 20000 --set topology.file=" + path),
        "--set topology.file=" + path + ": topology.file: " + path + ": its 12000000 devices",
        "20000");
}

TEST(LpwanRunCli, ExplicitDeviceNodesCountLikeDevicesCount)
{
    // A DOT file naming 300,001 devices: refused while it is scanned (a file may name at most
    // 300,000 nodes), before read_graphviz holds it (about 1.7 KB a node and edge).
    std::string dot = "graph many { s [role=server];\n";
    for (int g = 1; g <= 10; ++g)
    {
        dot += "gw" + std::to_string(g) + " [role=gateway]; gw" + std::to_string(g)
               + " -- s [kind=p2p];\n";
    }
    dot += "node [role=device]; edge [kind=lpwan];\n";
    for (int i = 1; i <= 300001; ++i)
    {
        dot += "d" + std::to_string(i) + " -- gw" + std::to_string(i % 10 + 1) + ";\n";
    }
    const std::string path = WriteTopology("many.dot", dot + "}\n");
    // s and gw1 .. gw10 are named on lines 1 to 11, d1 on line 13: d299990, on line
    // 300002, is the 300,001st name.
    ExpectOneLineError(RunCli("--check lpwan-star --set topology.file=" + path),
                       "--set topology.file=" + path + ": topology.file: " + path + ": line "
                           + std::to_string(300002)
                           + ": more than 300000 nodes; a topology file may name at most 300000 "
                             "(a hub's devices=N adds devices without naming them)");

    // A hub may generate as many devices as its subnet in 10.0.0.0/8 addresses; the memory
    // check refuses a file that declares that many before any of them is made.
    const std::string hub
        = WriteTopology("hub.dot",
                        "graph hub { s [role=server]; gw [role=gateway, devices=16777213]; "
                        "gw -- s [kind=p2p]; }\n");
    ExpectMemoryRefusal(RunCli("--check lpwan-star --memory-limit 1000 --set topology.file=" + hub),
                        "--set topology.file=" + hub + ": topology.file: " + hub
                            + ": its 16777213 devices",
                        "1000");
}

TEST(LpwanRunCli, DevicesBeyondTheCellsSubnetsAreOneErrorBeforeTheMemoryCheck)
{
    // 64 cells of 262,144 meters: each /18 needs three more addresses, and 64 /17s do not fit
    // 10.0.0.0/8. One line naming the key, before the memory check (which would also refuse it).
    const Result r = RunCli("--check default --set devices.count=16777213 --set nbiot.cells=64");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.stderrText,
              "lpwan-run: --set devices.count=16777213: devices.count: 16777213 devices in 64 "
              "cells (262144 in a cell) do not fit the radio subnets' 10.0.0.0/8: a cell or the "
              "star holds at most 262141 devices here\n");
}

TEST(LpwanRunCli, StarTooLargeForTheLimitNamesTheKeyThatMakesIt)
{
    ExpectMemoryRefusal(RunCli("--check lpwan-star --memory-limit 100 --set devices.count=60000 "
                               "--set security.profile=dtls-psk"),
                        "--set devices.count=60000: devices.count: 60000 devices", "100");
    // Few devices, but 10 reports a second each for 3.5 days (3e8 reports, below the 5e8 that
    // are refused anyway): the reports' figures make it large.
    ExpectMemoryRefusal(RunCli("--check lpwan-star --memory-limit 1000 --set devices.count=10 "
                               "--set traffic.interval_s=0.1 --set traffic.jitter_s=0 "
                               "--set simulation.duration_s=3e6"),
                        "--set traffic.interval_s=0.1: traffic.interval_s: 10 devices", "1000");
    // The same scenarios fit a larger limit.
    EXPECT_EQ(RunCli("--check lpwan-star --memory-limit 100000 --set devices.count=60000 --set "
                     "security.profile=dtls-psk")
                  .status,
              0);
}

TEST(LpwanRunCli, MemoryLimitMustBeAPositiveNumber)
{
    ExpectOneLineError(RunCli("--check --memory-limit lots"),
                       "--memory-limit: 'lots' is not a number of MiB above 0");
    ExpectOneLineError(RunCli("--check --memory-limit 0"),
                       "--memory-limit: '0' is not a number of MiB above 0");
}

// The estimate against the peak a real run measures (both in perf.json). Not under
// AddressSanitizer, whose shadow memory inflates the peak several times.
TEST(LpwanRunCli, MemoryEstimateIsNearTheMeasuredPeak)
{
#ifdef LPWAN_ASAN
    GTEST_SKIP() << "AddressSanitizer's shadow memory inflates the measured peak";
#endif
    for (const char* profile : {"none", "dtls-psk"})
    {
        const std::string out
            = std::string(LPWAN_BINARY_DIR) + "/test-output/cli/estimate-" + profile;
        std::filesystem::remove_all(out);
        Result r = RunCli(
            "lpwan-star --set devices.count=300 --set simulation.duration_s=3600 "
            "--set security.profile="
            + std::string(profile) + " --out " + out);
        ASSERT_EQ(r.status, 0) << r.stderrText;
        std::ifstream in(out + "/perf.json");
        std::stringstream text;
        text << in.rdbuf();
        auto number = [&text](const std::string& key)
        {
            const std::string s = text.str();
            const size_t at = s.find("\"" + key + "\": ");
            return at == std::string::npos ? -1.0 : std::stod(s.substr(at + key.size() + 4));
        };
        const double estimate = number("memory_estimate_mib");
        const double peak = number("peak_memory_mib");
        ASSERT_GT(peak, 0) << text.str();
        EXPECT_GE(estimate, 0.5 * peak) << profile << ": " << text.str();
        EXPECT_LE(estimate, 3.0 * peak) << profile << ": " << text.str();
    }
}

// A name the file system cannot even look up (longer than NAME_MAX) used to end lpwan-run with
// an uncaught std::filesystem::filesystem_error (abort) or a message naming no key.
TEST(LpwanRunCli, ANameTooLongToLookUpIsAnErrorNotAnAbort)
{
    const std::string name(5000, 'a');
    Result r = RunCli("--check " + name);
    EXPECT_EQ(r.status, 2) << r.stderrText;
    EXPECT_EQ(r.stderrText.rfind("lpwan-run: " + name + ": no such scenario file", 0), 0u)
        << r.stderrText;
    EXPECT_EQ(std::count(r.stderrText.begin(), r.stderrText.end(), '\n'), 1);
    ExpectOneLineError(RunCli("--check lpwan-star --set topology.file=" + name),
                       "--set topology.file=" + name + ": topology.file: " + name
                           + ": cannot open topology file");
}
