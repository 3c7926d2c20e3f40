// The real-socket tools (lpwan-coap-server, lpwan-coap-client) over loopback UDP: CoAP with
// Observe and block-wise transfers, with and without OSCORE (RFC 8613 Appendix C.1
// parameters), and an attacker in the middle (interop/udp-relay.h) who replays and modifies
// datagrams. Every program runs as a child process with a deadline and is killed on every
// path out of a test.
#include "interop/udp-relay.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-message.h"
#include "protocols/common/hex.h"
#include "support/child-process.h"
#include "support/temp-dir.h"

#include <gtest/gtest.h>
#include <mbedtls/sha256.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace
{

using interop_test::ChildProcess;
using interop_test::UdpRelay;

const std::string kServer = std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-coap-server";
const std::string kClient = std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-coap-client";

// RFC 8613 Appendix C.1: Master Secret, Master Salt, client Sender ID empty, server Sender ID
// 0x01. Each tool names its own Sender ID, so the two command lines swap the IDs.
const std::vector<std::string> kOscoreCommon
    = {"--oscore-secret", "0102030405060708090a0b0c0d0e0f10", "--oscore-salt", "9e7ca92223786340"};

struct ClientRun
{
    std::optional<int> status; ///< nullopt: did not end in time (and was killed)
    std::string out;
    std::string err;
};

/// /large as the server documents it: 50-byte lines "NNNN " + 44 letters + '\n', cut at size.
/// Built here from the documentation, not by calling the server's code.
std::string
ExpectedLarge(size_t size)
{
    const std::string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR";
    std::string s;
    for (int line = 1; s.size() < size; ++line)
    {
        char number[16];
        std::snprintf(number, sizeof(number), "%04d ", line);
        s += number + letters + "\n";
    }
    return s.substr(0, size);
}

std::string
Sha256Hex(const std::string& data)
{
    unsigned char digest[32];
    mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, 0);
    return lpwan::ToHex(digest, sizeof(digest));
}

/// "key=value" pairs of the line of text that starts with prefix (e.g. "oscore:").
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

/// The payload lines of an Observe run: every line after a "2.05 Content" line.
std::vector<long>
ObservedValues(const std::string& out)
{
    std::vector<long> values;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line))
    {
        if (line == "2.05 Content" && std::getline(lines, line))
        {
            values.push_back(std::stol(line));
        }
    }
    return values;
}

/// Sends one datagram from a fresh socket (a new peer for the server's CoAP layer, whose
/// message deduplication therefore cannot hide a replay) and returns the first answer.
std::optional<std::vector<uint8_t>>
SendFromNewPeer(uint16_t port, const std::vector<uint8_t>& datagram)
{
    uint16_t ignored = 0;
    const int fd = interop_test::OpenLoopbackSocket(&ignored);
    const sockaddr_in to = interop_test::Loopback(port);
    sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to),
           sizeof(to));
    std::optional<std::vector<uint8_t>> answer;
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 3000) == 1)
    {
        std::vector<uint8_t> buffer(65536);
        const ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
        if (n >= 0)
        {
            buffer.resize(static_cast<size_t>(n));
            answer = std::move(buffer);
        }
    }
    close(fd);
    return answer;
}

std::string
Text(const std::vector<uint8_t>& bytes)
{
    return std::string(bytes.begin(), bytes.end());
}

class RealSocketOscore : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        m_tmp = std::make_unique<lpwantest::TempDir>("lpwan-real-socket");
        m_dir = m_tmp->Path();
    }

    void TearDown() override
    {
        m_server.reset(); // kills it if a test failed before stopping it
        m_tmp.reset();
    }

    /// Starts the server on 127.0.0.1, port 0, and reads the port it bound.
    void StartServer(bool oscore, std::vector<std::string> extra = {})
    {
        std::vector<std::string> args = {"-A", "127.0.0.1", "-p", "0", "--notify-interval", "150"};
        if (oscore)
        {
            args.insert(args.end(), kOscoreCommon.begin(), kOscoreCommon.end());
            args.insert(args.end(), {"--oscore-sender-id", "01", "--oscore-recipient-id", "",
                                     "--oscore-seq-file", m_dir + "/server.seq"});
        }
        args.insert(args.end(), extra.begin(), extra.end());
        m_server = std::make_unique<ChildProcess>(kServer, args, m_dir + "/server");
        const std::optional<std::string> port = m_server->WaitForLine("listening on 127.0.0.1:", 5);
        ASSERT_TRUE(port.has_value()) << m_server->Stderr();
        m_port = static_cast<uint16_t>(std::stoul(*port)); // "PORT" or "PORT (OSCORE only)"
        ASSERT_NE(m_port, 0);
    }

    /// Stops the server with SIGTERM and returns its stdout (the counter lines).
    std::string StopServer()
    {
        m_server->Signal(SIGTERM);
        const std::optional<int> status = m_server->Wait(5);
        EXPECT_EQ(status, std::optional<int>(0)) << m_server->Stderr();
        return m_server->Stdout();
    }

    /// Runs the client with args (and the client's side of the C.1 context when oscore).
    ClientRun RunClient(std::vector<std::string> args, bool oscore, const std::string& secret = "")
    {
        std::vector<std::string> all = {"-B", "5"};
        if (oscore)
        {
            all.insert(all.end(), kOscoreCommon.begin(), kOscoreCommon.end());
            if (!secret.empty())
            {
                all[3] = secret;
            }
            all.insert(all.end(), {"--oscore-sender-id", "", "--oscore-recipient-id", "01",
                                   "--oscore-seq-file", m_dir + "/client.seq"});
        }
        all.insert(all.end(), args.begin(), args.end());
        ChildProcess client(kClient, all, m_dir + "/client" + std::to_string(++m_runs));
        ClientRun r;
        r.status = client.Wait(8);
        r.out = client.Stdout();
        r.err = client.Stderr();
        return r;
    }

    std::string Uri(const std::string& path, uint16_t port = 0) const
    {
        return "coap://127.0.0.1:" + std::to_string(port ? port : m_port) + path;
    }

    std::string WriteFile(const std::string& name, const std::string& content)
    {
        const std::string path = m_dir + "/" + name;
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }

    std::unique_ptr<lpwantest::TempDir> m_tmp;
    std::string m_dir;
    std::unique_ptr<ChildProcess> m_server;
    uint16_t m_port = 0;
    int m_runs = 0;
};

/// 5000 bytes no server could guess.
std::string
RandomBody()
{
    std::mt19937 rng(8613);
    std::string body(5000, '\0');
    for (char& c : body)
    {
        c = static_cast<char>(rng());
    }
    return body;
}

} // namespace

TEST_F(RealSocketOscore, GetAndPostOverOscore)
{
    ASSERT_NO_FATAL_FAILURE(StartServer(true));
    const ClientRun hello = RunClient({Uri("/hello")}, true);
    EXPECT_EQ(hello.status, std::optional<int>(0)) << hello.err;
    EXPECT_EQ(hello.out, "2.05 Content\nHello, world!\n");

    const ClientRun echo
        = RunClient({"-m", "post", "-e", "ping over OSCORE", "-t", "text", Uri("/echo")}, true);
    EXPECT_EQ(echo.status, std::optional<int>(0)) << echo.err;
    EXPECT_EQ(echo.out, "2.04 Changed\nping over OSCORE\n");

    const auto oscore = CounterLine(StopServer(), "oscore:");
    EXPECT_EQ(oscore.at("verified"), 2u);
    EXPECT_EQ(oscore.at("responses-protected"), 2u);
}

TEST_F(RealSocketOscore, OnTheWireOnlyTheOscoreMessageIsVisible)
{
    // -v prints every datagram in hex: the path and payload travel encrypted (Class E), the
    // request is an OSCORE POST and the response an OSCORE 2.04 (RFC 8613 section 4.2).
    ASSERT_NO_FATAL_FAILURE(StartServer(true));
    const ClientRun r
        = RunClient({"-v", "-m", "put", "-e", "secret reading 42", Uri("/echo")}, true);
    ASSERT_EQ(r.status, std::optional<int>(0)) << r.err;
    EXPECT_EQ(r.out, "2.04 Changed\nsecret reading 42\n");
    std::istringstream lines(r.err);
    std::string line;
    int sent = 0;
    int received = 0;
    while (std::getline(lines, line))
    {
        const bool out = line.compare(0, 3, "-> ") == 0;
        const bool in = line.compare(0, 3, "<- ") == 0;
        if (!out && !in)
        {
            continue;
        }
        std::string hex;
        std::getline(lines, hex);
        sent += out ? 1 : 0;
        received += in ? 1 : 0;
        EXPECT_NE(line.find("[OSCORE:"), std::string::npos) << line;
        EXPECT_EQ(line.find("Uri-Path"), std::string::npos) << line;
        EXPECT_NE(line.find(out ? "CON POST" : "ACK 2.04"), std::string::npos) << line;
        EXPECT_EQ(hex.find("6563686f"), std::string::npos) << "'echo' in clear: " << hex;
        EXPECT_EQ(hex.find("736563726574"), std::string::npos) << "'secret' in clear: " << hex;
    }
    EXPECT_EQ(sent, 1);
    EXPECT_EQ(received, 1);
    // The plain messages (before protection, after verification) are shown too.
    EXPECT_NE(r.err.find("request:  CON PUT"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Uri-Path:echo"), std::string::npos) << r.err;
}

TEST_F(RealSocketOscore, ObserveOverOscoreNotificationsCarryPartialIv)
{
    ASSERT_NO_FATAL_FAILURE(StartServer(true));
    UdpRelay relay(m_port); // only watches here
    const ClientRun r = RunClient({"-s", "1", Uri("/counter", relay.GetPort())}, true);
    ASSERT_EQ(r.status, std::optional<int>(0)) << r.err;
    const std::vector<long> values = ObservedValues(r.out);
    ASSERT_GE(values.size(), 3u) << r.out; // the registration's answer and >= 2 notifications
    for (size_t i = 1; i < values.size(); ++i)
    {
        EXPECT_GT(values[i], values[i - 1]) << r.out;
    }
    // Every response with an outer Observe option (the registration's answer and each
    // notification) is an OSCORE 2.05 whose OSCORE option carries a Partial IV (n > 0), and
    // the Partial IVs increase (RFC 8613 sections 4.1.3.5 and 8.3.1).
    int notifications = 0;
    std::optional<uint8_t> lastPiv;
    for (const std::vector<uint8_t>& d : relay.ServerDatagrams())
    {
        const lpwan::coap::DecodeResult m = lpwan::coap::Decode(d);
        ASSERT_TRUE(m.ok) << m.error;
        if (m.message.IsEmpty() || m.message.FindOption(lpwan::coap::option::Observe) == nullptr)
        {
            continue;
        }
        ++notifications;
        EXPECT_EQ(m.message.code, lpwan::coap::code::Content);
        const lpwan::coap::Option* o = m.message.FindOption(lpwan::coap::option::Oscore);
        ASSERT_NE(o, nullptr);
        ASSERT_FALSE(o->value.empty());
        const uint8_t n = o->value[0] & 0x07;
        ASSERT_EQ(n, 1) << "a one-byte Partial IV for these small sequence numbers";
        if (lastPiv)
        {
            EXPECT_GT(o->value[1], *lastPiv);
        }
        lastPiv = o->value[1];
    }
    EXPECT_GE(notifications, 3);
    const std::string counters = StopServer();
    // The client deregistered (Observe = 1) before leaving: the observer is gone.
    const auto server = CounterLine(counters, "server:");
    EXPECT_EQ(server.at("observers-added"), 1u) << counters;
    EXPECT_EQ(server.at("observers-removed"), 1u) << counters;
    EXPECT_EQ(CounterLine(counters, "oscore:").at("verified"), 2u) << counters;
}

TEST_F(RealSocketOscore, ForgedNotificationIsDroppedAndObservationContinues)
{
    ASSERT_NO_FATAL_FAILURE(StartServer(true));
    UdpRelay relay(m_port);
    // Server datagrams: 0 = the registration's answer (piggybacked), 1 = first notification,
    // 2 = second notification: flip a bit of its AEAD tag.
    relay.SetServerTamper(
        [](std::vector<uint8_t>& d, size_t index)
        {
            if (index == 2)
            {
                d.back() ^= 0x80;
            }
            return true;
        });
    const ClientRun r = RunClient({"-s", "1", Uri("/counter", relay.GetPort())}, true);
    ASSERT_EQ(r.status, std::optional<int>(0)) << r.err;
    EXPECT_NE(r.err.find("dropped a notification: OSCORE: the response did not verify: "
                         "DecryptionFailed"),
              std::string::npos)
        << r.err;
    const std::vector<long> values = ObservedValues(r.out);
    ASSERT_GE(values.size(), 3u) << r.out;
    // The forged one is missing: its value never printed, the next ones were.
    EXPECT_EQ(values[2] - values[1], 2) << r.out;
}

TEST_F(RealSocketOscore, Block2DownloadOverOscore)
{
    ASSERT_NO_FATAL_FAILURE(StartServer(true));
    // 64-byte blocks: 32 separately protected request/response pairs with inner Block2.
    const ClientRun small = RunClient({"-b", "64", Uri("/large")}, true);
    EXPECT_EQ(small.status, std::optional<int>(0)) << small.err;
    EXPECT_EQ(small.out, "2.05 Content\n" + ExpectedLarge(2000));
    // No -b: the server picks 1024-byte blocks itself (late negotiation).
    const ClientRun big = RunClient({Uri("/large")}, true);
    EXPECT_EQ(big.status, std::optional<int>(0)) << big.err;
    EXPECT_EQ(big.out, "2.05 Content\n" + ExpectedLarge(2000));
    EXPECT_EQ(CounterLine(StopServer(), "oscore:").at("verified"), 32u + 2u);
}

TEST_F(RealSocketOscore, Block1UploadOverOscore)
{
    ASSERT_NO_FATAL_FAILURE(StartServer(true));
    const std::string body = RandomBody();
    const std::string file = WriteFile("upload.bin", body);
    const ClientRun r = RunClient({"-m", "post", "-f", file, "-b", "256", Uri("/upload")}, true);
    EXPECT_EQ(r.status, std::optional<int>(0)) << r.err;
    EXPECT_EQ(r.out, "2.04 Changed\nreceived 5000 bytes sha256=" + Sha256Hex(body) + "\n");
    // ceil(5000 / 256) = 20 protected blocks.
    EXPECT_EQ(CounterLine(StopServer(), "oscore:").at("verified"), 20u);
}

TEST_F(RealSocketOscore, PlainCoapWithoutOscore)
{
    ASSERT_NO_FATAL_FAILURE(StartServer(false));
    const ClientRun hello = RunClient({Uri("/hello")}, false);
    EXPECT_EQ(hello.status, std::optional<int>(0)) << hello.err;
    EXPECT_EQ(hello.out, "2.05 Content\nHello, world!\n");

    const ClientRun echo
        = RunClient({"-N", "-m", "put", "-e", "non-confirmable", Uri("/echo")}, false);
    EXPECT_EQ(echo.status, std::optional<int>(0)) << echo.err;
    EXPECT_EQ(echo.out, "2.04 Changed\nnon-confirmable\n");

    const ClientRun large = RunClient({"-b", "128", Uri("/large")}, false);
    EXPECT_EQ(large.status, std::optional<int>(0)) << large.err;
    EXPECT_EQ(large.out, "2.05 Content\n" + ExpectedLarge(2000));

    const std::string body = RandomBody();
    const ClientRun upload
        = RunClient({"-m", "post", "-f", WriteFile("u.bin", body), Uri("/upload")}, false);
    EXPECT_EQ(upload.status, std::optional<int>(0)) << upload.err;
    EXPECT_EQ(upload.out, "2.04 Changed\nreceived 5000 bytes sha256=" + Sha256Hex(body) + "\n");

    const ClientRun observe = RunClient({"-s", "0.6", Uri("/counter")}, false);
    EXPECT_EQ(observe.status, std::optional<int>(0)) << observe.err;
    EXPECT_GE(ObservedValues(observe.out).size(), 3u) << observe.out;

    const ClientRun missing = RunClient({Uri("/missing")}, false);
    EXPECT_EQ(missing.status, std::optional<int>(1));
    EXPECT_EQ(missing.out, "4.04 Not Found\n");

    const std::string counters = StopServer();
    EXPECT_EQ(counters.find("oscore:"), std::string::npos) << counters;
    EXPECT_EQ(CounterLine(counters, "server:").at("rejected"), 0u) << counters;
}

TEST_F(RealSocketOscore, OscoreServerRefusesUnprotectedRequests)
{
    ASSERT_NO_FATAL_FAILURE(StartServer(true));
    const ClientRun r = RunClient({Uri("/hello")}, false);
    EXPECT_EQ(r.status, std::optional<int>(1));
    EXPECT_EQ(r.out, "4.01 Unauthorized\nOSCORE required\n");
    const auto oscore = CounterLine(StopServer(), "oscore:");
    EXPECT_EQ(oscore.at("not-oscore"), 1u);
    EXPECT_EQ(oscore.at("verified"), 0u);
}

TEST_F(RealSocketOscore, WrongSecretFailsClearly)
{
    ASSERT_NO_FATAL_FAILURE(StartServer(true));
    const ClientRun r = RunClient({Uri("/hello")}, true, "0102030405060708090a0b0c0d0e0fff");
    EXPECT_EQ(r.status, std::optional<int>(4)); // the OSCORE failure status
    EXPECT_EQ(r.out, "4.00 Bad Request\nDecryption failed\n");
    EXPECT_EQ(r.err,
              "lpwan-coap-client: OSCORE: the server rejected the request: 4.00 Bad "
              "Request \"Decryption failed\"\n");
    EXPECT_EQ(CounterLine(StopServer(), "oscore:").at("forged"), 1u);
}

TEST_F(RealSocketOscore, ReplayedAndModifiedRequestsAreRejected)
{
    ASSERT_NO_FATAL_FAILURE(StartServer(true));
    UdpRelay relay(m_port);

    // 1. The attacker flips one bit of the AEAD tag of the client's request in flight.
    relay.SetClientTamper(
        [](std::vector<uint8_t>& d, size_t index)
        {
            if (index == 0)
            {
                d.back() ^= 0x01;
            }
            return true;
        });
    const ClientRun modified = RunClient({Uri("/hello", relay.GetPort())}, true);
    EXPECT_EQ(modified.status, std::optional<int>(4)) << modified.err;
    EXPECT_EQ(modified.out, "4.00 Bad Request\nDecryption failed\n");

    // 2. Untouched, the next request (the next Partial IV) goes through: the rejected one
    //    did not move the replay window.
    relay.SetClientTamper(nullptr);
    relay.ClearRecorded();
    const ClientRun genuine = RunClient({Uri("/hello", relay.GetPort())}, true);
    EXPECT_EQ(genuine.status, std::optional<int>(0)) << genuine.err;
    EXPECT_EQ(genuine.out, "2.05 Content\nHello, world!\n");
    const std::vector<std::vector<uint8_t>> captured = relay.ClientDatagrams();
    ASSERT_EQ(captured.size(), 1u);
    const lpwan::coap::DecodeResult request = lpwan::coap::Decode(captured[0]);
    ASSERT_TRUE(request.ok);
    ASSERT_NE(request.message.FindOption(lpwan::coap::option::Oscore), nullptr);
    EXPECT_EQ(request.message.FindOption(lpwan::coap::option::UriPath), nullptr);

    // 3. The attacker replays the captured request, byte for byte.
    const std::optional<std::vector<uint8_t>> answer = SendFromNewPeer(m_port, captured[0]);
    ASSERT_TRUE(answer.has_value()) << "no answer to the replay";
    const lpwan::coap::DecodeResult replayed = lpwan::coap::Decode(*answer);
    ASSERT_TRUE(replayed.ok) << replayed.error;
    EXPECT_EQ(replayed.message.code, lpwan::coap::code::Unauthorized);
    EXPECT_EQ(Text(replayed.message.payload), "Replay detected");
    EXPECT_EQ(replayed.message.FindOption(lpwan::coap::option::Oscore), nullptr)
        << "OSCORE errors are sent unprotected (section 8.2)";
    const lpwan::coap::Option* maxAge = replayed.message.FindOption(lpwan::coap::option::MaxAge);
    ASSERT_NE(maxAge, nullptr);
    EXPECT_EQ(lpwan::coap::DecodeUintOption(maxAge->value), 0u);
    EXPECT_EQ(replayed.message.token, request.message.token);

    const std::string counters = StopServer();
    const auto oscore = CounterLine(counters, "oscore:");
    EXPECT_EQ(oscore.at("verified"), 1u) << counters;
    EXPECT_EQ(oscore.at("replayed"), 1u) << counters;
    EXPECT_EQ(oscore.at("forged"), 1u) << counters;
    EXPECT_EQ(CounterLine(counters, "server:").at("rejected"), 2u) << counters;
}

TEST_F(RealSocketOscore, BadCommandLinesExitWithStatus2AndOneLine)
{
    struct Case
    {
        std::string program;
        std::vector<std::string> args;
        std::string error;
    };
    const std::vector<Case> cases = {
        {kClient,
         {"--oscore-secret", "zz", "coap://127.0.0.1/x"},
         "lpwan-coap-client: --oscore-secret: 'zz' is not hex: unexpected 'z' (see --help)"},
        {kClient,
         {"--oscore-secret", "00", "coap://127.0.0.1/x"},
         "lpwan-coap-client: OSCORE needs --oscore-sender-id (with --oscore-secret, "
         "--oscore-sender-id and --oscore-recipient-id) (see --help)"},
        {kClient,
         {"-b", "100", "coap://127.0.0.1/x"},
         "lpwan-coap-client: -b: 100 is not a block size (16, 32, 64, ..., 1024) (see --help)"},
        {kClient,
         {"--frobnicate", "coap://127.0.0.1/x"},
         "lpwan-coap-client: unknown option '--frobnicate' (see --help)"},
        {kClient, {"coaps://127.0.0.1/x"}, ""},
        {kClient, {}, "lpwan-coap-client: missing the URI (coap://HOST[:PORT]/PATH) (see --help)"},
        {kServer,
         {"-p", "http"},
         "lpwan-coap-server: -p: 'http' is not a whole number (see --help)"},
        {kServer,
         {"--oscore-secret", "00", "--oscore-sender-id", "01", "--oscore-recipient-id", "01"},
         "lpwan-coap-server: OSCORE context: Sender ID equals Recipient ID (see --help)"},
        {kServer,
         {"--notify-interval"},
         "lpwan-coap-server: --notify-interval needs a value (see "
         "--help)"},
    };
    for (const Case& c : cases)
    {
        ChildProcess p(c.program, c.args, m_dir + "/bad" + std::to_string(++m_runs));
        EXPECT_EQ(p.Wait(5), std::optional<int>(2)) << c.error;
        const std::string err = p.Stderr();
        if (c.error.empty())
        {
            // Any reason, but one line naming the program.
            EXPECT_EQ(err.rfind("lpwan-coap-client: ", 0), 0u) << err;
            EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
        }
        else
        {
            EXPECT_EQ(err, c.error + "\n");
        }
        EXPECT_EQ(p.Stdout(), "");
    }
}

TEST_F(RealSocketOscore, HelpDocumentsTheOptions)
{
    for (const std::string& program : {kClient, kServer})
    {
        ChildProcess p(program, {"--help"}, m_dir + "/help" + std::to_string(++m_runs));
        EXPECT_EQ(p.Wait(5), std::optional<int>(0));
        const std::string help = p.Stdout();
        for (const char* flag :
             {"--oscore-secret", "--oscore-salt", "--oscore-sender-id", "--oscore-recipient-id",
              "--oscore-id-context", "--oscore-send-kid-context", "--oscore-replay-window",
              "--oscore-seq-file", "--ack-timeout", "Exit status"})
        {
            EXPECT_NE(help.find(flag), std::string::npos) << program << " " << flag;
        }
    }
}
