// The real-socket tools over loopback UDP with EDHOC (RFC 9528): lpwan-coap-client runs EDHOC
// with lpwan-coap-server over POST /.well-known/edhoc -- or inside its first OSCORE request
// (RFC 9668) -- and then exchanges OSCORE-protected requests with the context EDHOC derived.
// Each program runs as a child process with a deadline and is killed on every path out of a
// test.
#include "support/child-process.h"
#include "support/temp-dir.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace
{

using interop_test::ChildProcess;

const std::string kServer = std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-coap-server";
const std::string kClient = std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-coap-client";

struct ClientRun
{
    std::optional<int> status;
    std::string out;
    std::string err;
};

/// "key=value" pairs of the output line that starts with prefix.
std::map<std::string, uint64_t>
CounterLine(const std::string& text, const std::string& prefix)
{
    std::map<std::string, uint64_t> counters;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
    {
        if (line.compare(0, prefix.size(), prefix) != 0)
        {
            continue;
        }
        std::istringstream words(line.substr(prefix.size()));
        std::string word;
        while (words >> word)
        {
            const size_t eq = word.find('=');
            if (eq != std::string::npos)
            {
                counters[word.substr(0, eq)] = std::stoull(word.substr(eq + 1));
            }
        }
    }
    return counters;
}

class RealSocketEdhoc : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        m_tmp = std::make_unique<lpwantest::TempDir>("lpwan-real-socket-edhoc");
        m_dir = m_tmp->Path();
    }

    void TearDown() override
    {
        m_server.reset();
        m_tmp.reset();
    }

    void StartServer(std::vector<std::string> extra)
    {
        std::vector<std::string> args = {"-A", "127.0.0.1", "-p", "0", "--edhoc"};
        args.insert(args.end(), extra.begin(), extra.end());
        m_server = std::make_unique<ChildProcess>(kServer, args, m_dir + "/server");
        const std::optional<std::string> port = m_server->WaitForLine("listening on 127.0.0.1:", 5);
        ASSERT_TRUE(port.has_value()) << m_server->Stderr();
        m_port = static_cast<uint16_t>(std::stoul(*port));
        ASSERT_NE(m_port, 0);
    }

    std::string StopServer()
    {
        m_server->Signal(SIGTERM);
        const std::optional<int> status = m_server->Wait(5);
        EXPECT_EQ(status, std::optional<int>(0)) << m_server->Stderr();
        return m_server->Stdout();
    }

    ClientRun RunClient(std::vector<std::string> args, const std::string& path)
    {
        std::vector<std::string> all = {"-B", "5", "--edhoc"};
        all.insert(all.end(), args.begin(), args.end());
        all.push_back("coap://127.0.0.1:" + std::to_string(m_port) + path);
        ChildProcess client(kClient, all, m_dir + "/client" + std::to_string(++m_runs));
        ClientRun r;
        r.status = client.Wait(8);
        r.out = client.Stdout();
        r.err = client.Stderr();
        return r;
    }

    std::unique_ptr<lpwantest::TempDir> m_tmp;
    std::string m_dir;
    std::unique_ptr<ChildProcess> m_server;
    uint16_t m_port = 0;
    int m_runs = 0;
};

TEST_F(RealSocketEdhoc, EveryMethodAndSuiteThenOscoreRequests)
{
    StartServer({});
    int runs = 0;
    for (const char* suite : {"0", "2"})
    {
        for (const char* method : {"0", "1", "2", "3"})
        {
            ClientRun r = RunClient({"--edhoc-suite", suite, "--edhoc-method", method}, "/hello");
            ASSERT_EQ(r.status, std::optional<int>(0)) << r.err;
            EXPECT_EQ(r.out, "2.05 Content\nHello, world!\n");
            EXPECT_NE(
                r.err.find(std::string("edhoc: completed method=") + method + " suite=" + suite),
                std::string::npos)
                << r.err;
            ++runs;
        }
    }
    // Block-wise download: many OSCORE requests (one per block) on one EDHOC context.
    ClientRun large = RunClient({"-b", "64"}, "/large");
    ASSERT_EQ(large.status, std::optional<int>(0)) << large.err;
    EXPECT_EQ(large.out.substr(0, 13), "2.05 Content\n");
    ++runs;

    const std::string report = StopServer();
    const std::map<std::string, uint64_t> edhoc = CounterLine(report, "edhoc:");
    EXPECT_EQ(edhoc.at("completed"), static_cast<uint64_t>(runs));
    EXPECT_EQ(edhoc.at("failed"), 0u);
    const std::map<std::string, uint64_t> oscore = CounterLine(report, "oscore:");
    EXPECT_GE(oscore.at("verified"), static_cast<uint64_t>(runs + 20)); // /large: 2000 / 64
    EXPECT_EQ(oscore.at("forged"), 0u);
}

TEST_F(RealSocketEdhoc, CombinedRequestAndMessage4)
{
    StartServer({"--edhoc-message4"});
    ClientRun combined = RunClient({"--edhoc-combined", "--edhoc-suite", "0"}, "/hello");
    ASSERT_EQ(combined.status, std::optional<int>(0)) << combined.err;
    EXPECT_EQ(combined.out, "2.05 Content\nHello, world!\n");
    EXPECT_NE(combined.err.find("combined"), std::string::npos) << combined.err;
    ClientRun withMessage4 = RunClient({"--edhoc-message4"}, "/hello");
    ASSERT_EQ(withMessage4.status, std::optional<int>(0)) << withMessage4.err;
    const std::string report = StopServer();
    EXPECT_EQ(CounterLine(report, "edhoc:").at("completed"), 2u);
    // The combined run needs two requests (message_1, then message_3 inside the OSCORE
    // request), the other three (message_1, message_3, the OSCORE request).
    EXPECT_EQ(CounterLine(report, "coap:").at("datagrams-received"), 5u);
}

TEST_F(RealSocketEdhoc, CipherSuiteNegotiationAndRefusal)
{
    StartServer({"--edhoc-suite", "0"});
    // Prefers 2, also runs 0: refused once (ERR_CODE 2, SUITES_R = 0), then succeeds.
    ClientRun r = RunClient({"--edhoc-suite", "2", "--edhoc-suite", "0"}, "/hello");
    ASSERT_EQ(r.status, std::optional<int>(0)) << r.err;
    EXPECT_NE(r.err.find("retrying with suite 0"), std::string::npos) << r.err;
    // Runs only 2: no suite in common, a security failure (exit status 4), no request sent.
    ClientRun refused = RunClient({"--edhoc-suite", "2"}, "/hello");
    EXPECT_EQ(refused.status, std::optional<int>(4)) << refused.err;
    EXPECT_EQ(refused.out, "");
    // Without EDHOC the server, which is OSCORE-only, refuses the request.
    std::vector<std::string> plain
        = {"-B", "5", "coap://127.0.0.1:" + std::to_string(m_port) + "/hello"};
    ChildProcess client(kClient, plain, m_dir + "/plain");
    EXPECT_EQ(client.Wait(8), std::optional<int>(1));
    EXPECT_NE(client.Stdout().find("4.01"), std::string::npos);
    const std::string report = StopServer();
    EXPECT_EQ(CounterLine(report, "edhoc:").at("completed"), 1u);
    EXPECT_EQ(CounterLine(report, "edhoc:").at("failed"), 2u);
}

} // namespace
