// The lpwan-run program: a bad scenario or command line exits non-zero with one line on stderr
// naming the file, line and key; a good one runs and writes the traces.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

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
    std::string cmd = std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-run --scenario-dir "
                      + LPWAN_SOURCE_DIR + "/scenarios " + args + " 2>&1 >/dev/null";
    Result r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr)
    {
        return r;
    }
    std::array<char, 1024> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    {
        r.stderrText.append(buf.data(), n);
    }
    int status = pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
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
