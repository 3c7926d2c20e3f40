// The project's TLS 1.3 core (protocols/tls13/, run by lpwan-tls13 over real TCP sockets)
// against OpenSSL 3.0 (Debian's /usr/bin/openssl) over loopback:
//   - lpwan-tls13 --role client against `openssl s_server -tls1_3 -rev` (which answers each
//     line reversed: the reply is exact), and `openssl s_client -tls1_3` against lpwan-tls13
//     --role server (a line up, a fixed line down), both ways for every suite the core
//     implements (TLS_AES_128_GCM_SHA256, TLS_AES_128_CCM_SHA256, TLS_AES_128_CCM_8_SHA256)
//     and both groups (X25519, P-256), with lpwan-test-pki's ECDSA P-256 server certificate,
//     which each client verifies against the CA (and the name server.lpwan.test);
//   - an external PSK (-psk_identity/-psk, no certificate anywhere) both ways, with
//     psk_dhe_ke and with psk_ke (OpenSSL's -allow_no_dhe_kex), and a wrong key refused by
//     the binder check both ways (our server: decrypt_error; OpenSSL 3.0: illegal_parameter).
// The key log (--keylog) of a connection equals OpenSSL's -keylogfile of it, both ways.
// Each side's own report is checked: what lpwan-tls13 prints (suite, group, authentication,
// the bytes received) and what s_client prints (cipher, server temp key, verification).
// Every child process is killed on every path (child-process.h); without openssl the tests
// are skipped.
#include "support/child-process.h"
#include "support/free-port.h"
#include "support/temp-dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace
{

using interop_test::ChildProcess;

const std::string kBin = std::string(LPWAN_BINARY_DIR) + "/bin/";
const std::string kTool = kBin + "lpwan-tls13";
const std::string kPkiTool = kBin + "lpwan-test-pki";
const std::string kOpenSsl = "/usr/bin/openssl";

const std::string kServerName = "server.lpwan.test";
const std::string kPskIdentity = "meter-0001";
const std::string kPskHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kWrongPskHex = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

bool
Contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

/// lpwan-tls13's name for an OpenSSL group name.
std::string
OurGroupName(const std::string& openSslGroup)
{
    return openSslGroup == "X25519" ? "X25519" : "P-256";
}

/// What lpwan-tls13 prints for a group (RFC names).
std::string
PrintedGroup(const std::string& openSslGroup)
{
    return openSslGroup == "X25519" ? "x25519" : "secp256r1";
}

/// What s_client prints as "Server Temp Key" for a group.
std::string
SClientTempKey(const std::string& openSslGroup)
{
    return openSslGroup == "X25519" ? "Server Temp Key: X25519"
                                    : "Server Temp Key: ECDH, prime256v1";
}

class Tls13OpenSslInterop : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        if (!std::filesystem::exists(kOpenSsl))
        {
            GTEST_SKIP() << kOpenSsl << " is not installed";
        }
        m_tmp = std::make_unique<lpwantest::TempDir>("lpwan-tls13");
        m_dir = m_tmp->Path();
        ChildProcess pki(kPkiTool, {m_dir}, m_dir + "/pki");
        ASSERT_EQ(0, pki.Wait(30)) << pki.Stderr();
    }

    void TearDown() override
    {
        m_children.clear(); // killed (if still running) before their directory goes
        m_tmp.reset();
    }

    ChildProcess& Start(const std::string& program, const std::vector<std::string>& args,
                        const std::string& name, const std::string& stdinPath = "/dev/null")
    {
        m_children.push_back(
            std::make_unique<ChildProcess>(program, args, m_dir + "/" + name, stdinPath));
        return *m_children.back();
    }

    /// `openssl s_server -tls1_3 -rev` on a free port, once it accepts; nullptr when it did
    /// not start (after a few ports: another process may take a port found free).
    ChildProcess* StartSServer(const std::vector<std::string>& extra, uint16_t* port)
    {
        for (int attempt = 0; attempt < 3; ++attempt)
        {
            *port = lpwantest::FreeTcpPort();
            std::vector<std::string> args
                = {"s_server", "-accept", "127.0.0.1:" + std::to_string(*port), "-tls1_3", "-rev",
                   "-naccept", "1"};
            args.insert(args.end(), extra.begin(), extra.end());
            ChildProcess& s
                = Start(kOpenSsl, args, "s_server-" + std::to_string(m_children.size()));
            if (s.WaitForLine("ACCEPT", 10))
            {
                return &s;
            }
        }
        return nullptr;
    }

    /// lpwan-tls13 --role server on a port the kernel picks; the port once it listens.
    std::optional<uint16_t> StartOurServer(const std::vector<std::string>& extra,
                                           ChildProcess** server)
    {
        std::vector<std::string> args = {"--role",    "server", "--port",    "0",
                                         "--lines",   "1",      "--message", "reply from lpwan\n",
                                         "--timeout", "15"};
        args.insert(args.end(), extra.begin(), extra.end());
        *server = &Start(kTool, args, "lpwan-server-" + std::to_string(m_children.size()));
        const std::optional<std::string> where
            = (*server)->WaitForLine("listening on 127.0.0.1:", 10);
        if (!where)
        {
            return std::nullopt;
        }
        return static_cast<uint16_t>(std::stoul(*where));
    }

    /// `openssl s_client -tls1_3` to port, sending one line and printing what comes back until
    /// the server closes (-ign_eof: the end of its input does not end the connection).
    ChildProcess& StartSClient(uint16_t port, const std::vector<std::string>& extra)
    {
        const std::string input = m_dir + "/s_client-input-" + std::to_string(m_children.size());
        std::ofstream(input) << "hello from openssl\n";
        std::vector<std::string> args
            = {"s_client", "-connect", "127.0.0.1:" + std::to_string(port),
               "-tls1_3",  "-ign_eof", "-nocommands"};
        args.insert(args.end(), extra.begin(), extra.end());
        return Start(kOpenSsl, args, "s_client-" + std::to_string(m_children.size()), input);
    }

    std::vector<std::string> CertificateClientArgs() const
    {
        return {"--ca", m_dir + "/ca-cert.pem", "--server-name", kServerName};
    }

    std::vector<std::string> CertificateServerArgs() const
    {
        return {"--cert", m_dir + "/server-cert.pem", "--key", m_dir + "/server-key.pem"};
    }

    std::unique_ptr<lpwantest::TempDir> m_tmp;
    std::string m_dir;
    std::vector<std::unique_ptr<ChildProcess>> m_children;
};

/// lpwan-tls13 --role client to s_server: one line up, the same line reversed down.
const std::string kClientLine = "lpwan tls13 to openssl\n";
const std::string kReversedLine = "received 23 bytes: \"lssnepo ot 31slt nawpl\\n\"\n";
/// s_client to lpwan-tls13 --role server.
const std::string kSClientLineReceived = "received 19 bytes: \"hello from openssl\\n\"\n";

class Tls13OpenSslSuitesAndGroups
  : public Tls13OpenSslInterop
  , public ::testing::WithParamInterface<std::tuple<std::string, std::string>>
{
};

TEST_P(Tls13OpenSslSuitesAndGroups, OurClientToSServerWithCertificate)
{
    const auto [suite, group] = GetParam();
    uint16_t port = 0;
    ChildProcess* server
        = StartSServer({"-cert", m_dir + "/server-cert.pem", "-key", m_dir + "/server-key.pem",
                        "-ciphersuites", suite, "-groups", group},
                       &port);
    ASSERT_NE(nullptr, server) << "openssl s_server did not start";
    std::vector<std::string> args
        = {"--role",          "client",    "--port",   std::to_string(port),
           "--cipher-suites", suite,       "--groups", OurGroupName(group),
           "--message",       kClientLine, "--lines",  "1",
           "--timeout",       "15"};
    const std::vector<std::string> cert = CertificateClientArgs();
    args.insert(args.end(), cert.begin(), cert.end());
    ChildProcess& client = Start(kTool, args, "lpwan-client");
    ASSERT_EQ(0, client.Wait(20)) << client.Stdout() << client.Stderr() << server->Stdout()
                                  << server->Stderr();
    EXPECT_EQ("connected: " + suite + " " + PrintedGroup(group) + " certificate\nsent 23 bytes\n"
                  + kReversedLine,
              client.Stdout());
    EXPECT_EQ(0, server->Wait(10)) << server->Stdout() << server->Stderr();
}

TEST_P(Tls13OpenSslSuitesAndGroups, SClientToOurServerWithCertificate)
{
    const auto [suite, group] = GetParam();
    ChildProcess* server = nullptr;
    std::vector<std::string> serverArgs = CertificateServerArgs();
    serverArgs.insert(serverArgs.end(),
                      {"--cipher-suites", suite, "--groups", OurGroupName(group)});
    const std::optional<uint16_t> port = StartOurServer(serverArgs, &server);
    ASSERT_TRUE(port.has_value()) << server->Stdout() << server->Stderr();
    ChildProcess& client = StartSClient(
        *port, {"-CAfile", m_dir + "/ca-cert.pem", "-verify_return_error", "-verify_hostname",
                kServerName, "-servername", kServerName, "-ciphersuites", suite, "-groups", group});
    EXPECT_EQ(0, server->Wait(20)) << server->Stdout() << server->Stderr();
    ASSERT_TRUE(client.Wait(10).has_value()) << client.Stdout() << client.Stderr();
    EXPECT_EQ("connected: " + suite + " " + PrintedGroup(group) + " certificate\n"
                  + kSClientLineReceived + "sent 17 bytes\n",
              server->Stdout().substr(server->Stdout().find('\n') + 1));
    const std::string sclient = client.Stdout();
    EXPECT_TRUE(Contains(sclient, "\nreply from lpwan\n")) << sclient;
    EXPECT_TRUE(Contains(sclient, "New, TLSv1.3, Cipher is " + suite)) << sclient;
    EXPECT_TRUE(Contains(sclient, SClientTempKey(group))) << sclient;
    EXPECT_TRUE(Contains(sclient, "Verify return code: 0 (ok)")) << sclient;
    EXPECT_TRUE(Contains(sclient, "Peer signature type: ECDSA")) << sclient;
}

INSTANTIATE_TEST_SUITE_P(Tls13OpenSsl, Tls13OpenSslSuitesAndGroups,
                         ::testing::Combine(::testing::Values("TLS_AES_128_GCM_SHA256",
                                                              "TLS_AES_128_CCM_SHA256",
                                                              "TLS_AES_128_CCM_8_SHA256"),
                                            ::testing::Values("X25519", "P-256")));

// Client authentication (RFC 8446 section 4.3.2): s_server -Verify asks for a certificate and
// verifies ours against the CA; our server asks s_client for one with --client-ca.
TEST_F(Tls13OpenSslInterop, OurClientPresentsItsCertificateToSServer)
{
    uint16_t port = 0;
    ChildProcess* server
        = StartSServer({"-cert", m_dir + "/server-cert.pem", "-key", m_dir + "/server-key.pem",
                        "-Verify", "1", "-CAfile", m_dir + "/ca-cert.pem", "-verify_return_error"},
                       &port);
    ASSERT_NE(nullptr, server) << "openssl s_server did not start";
    std::vector<std::string> args = {"--role",    "client",
                                     "--port",    std::to_string(port),
                                     "--message", kClientLine,
                                     "--lines",   "1",
                                     "--timeout", "15",
                                     "--cert",    m_dir + "/client-cert.pem",
                                     "--key",     m_dir + "/client-key.pem"};
    const std::vector<std::string> cert = CertificateClientArgs();
    args.insert(args.end(), cert.begin(), cert.end());
    ChildProcess& client = Start(kTool, args, "lpwan-client");
    ASSERT_EQ(0, client.Wait(20)) << client.Stdout() << client.Stderr() << server->Stdout()
                                  << server->Stderr();
    EXPECT_TRUE(Contains(client.Stdout(), kReversedLine)) << client.Stdout();
    EXPECT_EQ(0, server->Wait(10)) << server->Stdout() << server->Stderr();
    // s_server prints the verified client certificate's subject.
    const std::string sserver = server->Stdout() + server->Stderr();
    EXPECT_TRUE(Contains(sserver, "device-0001")) << sserver;
}

TEST_F(Tls13OpenSslInterop, OurServerVerifiesSClientsCertificate)
{
    ChildProcess* server = nullptr;
    std::vector<std::string> serverArgs = CertificateServerArgs();
    serverArgs.insert(serverArgs.end(), {"--client-ca", m_dir + "/ca-cert.pem"});
    const std::optional<uint16_t> port = StartOurServer(serverArgs, &server);
    ASSERT_TRUE(port.has_value()) << server->Stdout() << server->Stderr();
    ChildProcess& client
        = StartSClient(*port, {"-CAfile", m_dir + "/ca-cert.pem", "-verify_return_error",
                               "-servername", kServerName, "-cert", m_dir + "/client-cert.pem",
                               "-key", m_dir + "/client-key.pem"});
    EXPECT_EQ(0, server->Wait(20)) << server->Stdout() << server->Stderr();
    ASSERT_TRUE(client.Wait(10).has_value()) << client.Stdout() << client.Stderr();
    EXPECT_TRUE(Contains(server->Stdout(), kSClientLineReceived)) << server->Stdout();
    EXPECT_TRUE(Contains(client.Stdout(), "\nreply from lpwan\n")) << client.Stdout();
}

TEST_F(Tls13OpenSslInterop, OurServerRefusesSClientWithoutACertificate)
{
    ChildProcess* server = nullptr;
    std::vector<std::string> serverArgs = CertificateServerArgs();
    serverArgs.insert(serverArgs.end(), {"--client-ca", m_dir + "/ca-cert.pem"});
    const std::optional<uint16_t> port = StartOurServer(serverArgs, &server);
    ASSERT_TRUE(port.has_value()) << server->Stdout() << server->Stderr();
    ChildProcess& client
        = StartSClient(*port, {"-CAfile", m_dir + "/ca-cert.pem", "-servername", kServerName});
    EXPECT_NE(0, server->Wait(20)) << server->Stdout() << server->Stderr();
    ASSERT_TRUE(client.Wait(10).has_value());
    EXPECT_FALSE(Contains(client.Stdout(), "reply from lpwan")) << client.Stdout();
    // RFC 8446 section 4.4.2.4 / 6.2: certificate_required (116); s_client names the alert.
    EXPECT_TRUE(Contains(client.Stdout() + client.Stderr(), "certificate required"))
        << client.Stdout() << client.Stderr();
}

TEST_F(Tls13OpenSslInterop, OurClientToSServerWithPsk)
{
    uint16_t port = 0;
    ChildProcess* server
        = StartSServer({"-nocert", "-psk_identity", kPskIdentity, "-psk", kPskHex}, &port);
    ASSERT_NE(nullptr, server) << "openssl s_server did not start";
    ChildProcess& client
        = Start(kTool,
                {"--role", "client", "--port", std::to_string(port), "--psk-identity", kPskIdentity,
                 "--psk", kPskHex, "--message", kClientLine, "--lines", "1", "--timeout", "15"},
                "lpwan-client");
    ASSERT_EQ(0, client.Wait(20)) << client.Stdout() << client.Stderr() << server->Stdout();
    EXPECT_EQ("connected: TLS_AES_128_GCM_SHA256 x25519 psk\nsent 23 bytes\n" + kReversedLine,
              client.Stdout());
}

TEST_F(Tls13OpenSslInterop, OurClientToSServerWithPskAlone)
{
    // psk_ke: no (EC)DHE at all, which OpenSSL allows only with -allow_no_dhe_kex.
    uint16_t port = 0;
    ChildProcess* server = StartSServer(
        {"-nocert", "-psk_identity", kPskIdentity, "-psk", kPskHex, "-allow_no_dhe_kex"}, &port);
    ASSERT_NE(nullptr, server) << "openssl s_server did not start";
    ChildProcess& client
        = Start(kTool,
                {"--role", "client", "--port", std::to_string(port), "--psk-identity", kPskIdentity,
                 "--psk", kPskHex, "--psk-modes", "psk_ke", "--message", kClientLine, "--lines",
                 "1", "--timeout", "15"},
                "lpwan-client");
    ASSERT_EQ(0, client.Wait(20)) << client.Stdout() << client.Stderr() << server->Stdout();
    EXPECT_EQ("connected: TLS_AES_128_GCM_SHA256 none psk\nsent 23 bytes\n" + kReversedLine,
              client.Stdout());
}

TEST_F(Tls13OpenSslInterop, OurClientWithAWrongPskIsRefusedBySServer)
{
    uint16_t port = 0;
    ChildProcess* server
        = StartSServer({"-nocert", "-psk_identity", kPskIdentity, "-psk", kPskHex}, &port);
    ASSERT_NE(nullptr, server) << "openssl s_server did not start";
    ChildProcess& client
        = Start(kTool,
                {"--role", "client", "--port", std::to_string(port), "--psk-identity", kPskIdentity,
                 "--psk", kWrongPskHex, "--message", kClientLine, "--timeout", "15"},
                "lpwan-client");
    EXPECT_EQ(4, client.Wait(20)) << client.Stdout() << client.Stderr();
    // OpenSSL 3.0 checks the binder (RFC 8446 section 4.2.11) and answers illegal_parameter
    // (ssl/statem/extensions.c, tls_psk_do_binder), where our server says decrypt_error (RFC
    // 8446 section 6.2 names PSK binders under decrypt_error); both abort before anything
    // protected is sent.
    EXPECT_TRUE(Contains(client.Stderr(), "handshake failed: illegal_parameter(47)"))
        << client.Stderr();
    server->Wait(5);
    EXPECT_TRUE(Contains(server->Stderr() + server->Stdout(), "binder does not verify"))
        << server->Stdout() << server->Stderr();
    EXPECT_EQ("", client.Stdout());
}

TEST_F(Tls13OpenSslInterop, SClientToOurServerWithPsk)
{
    ChildProcess* server = nullptr;
    const std::optional<uint16_t> port
        = StartOurServer({"--psk-identity", kPskIdentity, "--psk", kPskHex}, &server);
    ASSERT_TRUE(port.has_value()) << server->Stdout() << server->Stderr();
    ChildProcess& client = StartSClient(*port, {"-psk_identity", kPskIdentity, "-psk", kPskHex});
    EXPECT_EQ(0, server->Wait(20)) << server->Stdout() << server->Stderr();
    ASSERT_TRUE(client.Wait(10).has_value()) << client.Stdout() << client.Stderr();
    EXPECT_EQ("connected: TLS_AES_128_GCM_SHA256 x25519 psk\n" + kSClientLineReceived
                  + "sent 17 bytes\n",
              server->Stdout().substr(server->Stdout().find('\n') + 1));
    EXPECT_TRUE(Contains(client.Stdout(), "\nreply from lpwan\n")) << client.Stdout();
    // OpenSSL counts a session from an external PSK as a resumed one.
    EXPECT_TRUE(Contains(client.Stdout(), "Reused, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256"))
        << client.Stdout();
}

TEST_F(Tls13OpenSslInterop, SClientToOurServerWithPskAlone)
{
    // s_client -allow_no_dhe_kex offers psk_ke next to psk_dhe_ke; our server, told to
    // prefer psk_ke, takes it.
    ChildProcess* server = nullptr;
    const std::optional<uint16_t> port = StartOurServer(
        {"--psk-identity", kPskIdentity, "--psk", kPskHex, "--psk-modes", "psk_ke"}, &server);
    ASSERT_TRUE(port.has_value()) << server->Stdout() << server->Stderr();
    ChildProcess& client = StartSClient(
        *port, {"-psk_identity", kPskIdentity, "-psk", kPskHex, "-allow_no_dhe_kex"});
    EXPECT_EQ(0, server->Wait(20)) << server->Stdout() << server->Stderr();
    ASSERT_TRUE(client.Wait(10).has_value()) << client.Stdout() << client.Stderr();
    EXPECT_EQ("connected: TLS_AES_128_GCM_SHA256 none psk\n" + kSClientLineReceived
                  + "sent 17 bytes\n",
              server->Stdout().substr(server->Stdout().find('\n') + 1));
    EXPECT_TRUE(Contains(client.Stdout(), "\nreply from lpwan\n")) << client.Stdout();
}

TEST_F(Tls13OpenSslInterop, SClientWithAWrongPskIsRefusedByOurServer)
{
    ChildProcess* server = nullptr;
    const std::optional<uint16_t> port
        = StartOurServer({"--psk-identity", kPskIdentity, "--psk", kPskHex}, &server);
    ASSERT_TRUE(port.has_value()) << server->Stdout() << server->Stderr();
    ChildProcess& client
        = StartSClient(*port, {"-psk_identity", kPskIdentity, "-psk", kWrongPskHex});
    EXPECT_EQ(4, server->Wait(20)) << server->Stdout() << server->Stderr();
    EXPECT_TRUE(Contains(server->Stderr(), "handshake failed: decrypt_error(51)"))
        << server->Stderr();
    ASSERT_TRUE(client.Wait(10).has_value());
    // OpenSSL names the alert it received.
    EXPECT_TRUE(Contains(client.Stderr(), "decrypt error")) << client.Stderr();
}

} // namespace

namespace
{

/// The lines of a key log file, sorted (the two implementations write the same lines, not
/// necessarily in the same order).
std::vector<std::string>
SortedLines(const std::string& path)
{
    std::ifstream in(path);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line))
    {
        if (!line.empty() && line[0] != '#')
        {
            lines.push_back(line);
        }
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

} // namespace

// The key log (--keylog) holds what OpenSSL's -keylogfile holds for the same connection, line
// for line: the same five labels, the same client random, the same secrets, each side
// derived independently. Both directions: our client with s_server, s_client with our server.
TEST_F(Tls13OpenSslInterop, KeyLogEqualsOpenSslsForTheSameConnection)
{
    uint16_t port = 0;
    const std::string openSslLog = m_dir + "/openssl-server.keylog";
    const std::string ourLog = m_dir + "/lpwan-client.keylog";
    ChildProcess* server = StartSServer({"-cert", m_dir + "/server-cert.pem", "-key",
                                         m_dir + "/server-key.pem", "-keylogfile", openSslLog},
                                        &port);
    ASSERT_NE(nullptr, server) << "openssl s_server did not start";
    std::vector<std::string> args = {"--role",    "client",    "--port",   std::to_string(port),
                                     "--message", kClientLine, "--lines",  "1",
                                     "--timeout", "15",        "--keylog", ourLog};
    const std::vector<std::string> cert = CertificateClientArgs();
    args.insert(args.end(), cert.begin(), cert.end());
    ChildProcess& client = Start(kTool, args, "lpwan-client");
    ASSERT_EQ(0, client.Wait(20)) << client.Stdout() << client.Stderr();
    EXPECT_EQ(0, server->Wait(10)) << server->Stdout() << server->Stderr();
    const std::vector<std::string> ours = SortedLines(ourLog);
    EXPECT_EQ(5u, ours.size());
    EXPECT_EQ(SortedLines(openSslLog), ours);

    ChildProcess* ourServer = nullptr;
    const std::string ourServerLog = m_dir + "/lpwan-server.keylog";
    const std::string openSslClientLog = m_dir + "/openssl-client.keylog";
    std::vector<std::string> serverArgs = CertificateServerArgs();
    serverArgs.insert(serverArgs.end(), {"--keylog", ourServerLog});
    const std::optional<uint16_t> ourPort = StartOurServer(serverArgs, &ourServer);
    ASSERT_TRUE(ourPort.has_value()) << ourServer->Stdout() << ourServer->Stderr();
    ChildProcess& sclient
        = StartSClient(*ourPort, {"-CAfile", m_dir + "/ca-cert.pem", "-servername", kServerName,
                                  "-keylogfile", openSslClientLog});
    EXPECT_EQ(0, ourServer->Wait(20)) << ourServer->Stdout() << ourServer->Stderr();
    ASSERT_TRUE(sclient.Wait(10).has_value()) << sclient.Stdout() << sclient.Stderr();
    const std::vector<std::string> ourServerLines = SortedLines(ourServerLog);
    EXPECT_EQ(5u, ourServerLines.size());
    EXPECT_EQ(SortedLines(openSslClientLog), ourServerLines);
}
