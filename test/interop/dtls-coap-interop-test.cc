// CoAP over DTLS 1.2 ("coaps") between the real-socket tools and an independent
// implementation: libcoap 4.3.1 built on OpenSSL 3 (Debian's libcoap3-bin,
// coap-server-openssl and coap-client-openssl), over loopback UDP.
//   - lpwan-coap-client with a pre-shared key gets 2.05 from libcoap's server, with the
//     default suite TLS_PSK_WITH_AES_128_CCM_8 and, when asked, TLS_PSK_WITH_AES_128_GCM_SHA256;
//     with a wrong key it gets nothing;
//   - libcoap's client with a pre-shared key gets /hello (and /large block-wise) from
//     lpwan-coap-server; a wrong key fails the handshake and is counted;
//   - certificates (ECDHE-ECDSA, mutual authentication) from lpwan-test-pki in both
//     directions, and a server certificate from another CA is refused;
//   - OSCORE inside DTLS between our own client and server.
// Every child process is killed on every path (child-process.h).
#include "interop/udp-relay.h"
#include "support/child-process.h"
#include "support/temp-dir.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace
{

using interop_test::ChildProcess;

const std::string kBin = std::string(LPWAN_BINARY_DIR) + "/bin/";
const std::string kServer = kBin + "lpwan-coap-server";
const std::string kClient = kBin + "lpwan-coap-client";
const std::string kPki = kBin + "lpwan-test-pki";
const std::string kLibcoapClient = "/usr/bin/coap-client-openssl";
const std::string kLibcoapServer = "/usr/bin/coap-server-openssl";

const std::string kIdentity = "lpwan-device-1";
const std::string kKey = "secretPSK-0123";

/// True when a UDP socket on 127.0.0.1:port cannot be bound: someone has bound it.
bool
UdpPortTaken(uint16_t port)
{
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa = interop_test::Loopback(port);
    const bool taken = bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0;
    close(fd);
    return taken;
}

bool
Contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

class DtlsCoapInterop : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        if (!std::filesystem::exists(kLibcoapClient) || !std::filesystem::exists(kLibcoapServer))
        {
            GTEST_SKIP() << "libcoap3-bin (coap-*-openssl) is not installed";
        }
        m_tmp = std::make_unique<lpwantest::TempDir>("lpwan-dtls");
        m_dir = m_tmp->Path();
    }

    void TearDown() override
    {
        m_libcoapServer.reset();
        m_tmp.reset();
    }

    std::string Prefix(const std::string& name)
    {
        return m_dir + "/" + name + std::to_string(++m_runs);
    }

    /// Runs a program to completion (8 s at most); its exit status, *out and *err filled.
    std::optional<int> Run(const std::string& program, const std::vector<std::string>& args,
                           std::string* out, std::string* err = nullptr)
    {
        ChildProcess p(program, args, Prefix("run"));
        const std::optional<int> status = p.Wait(8);
        *out = p.Stdout();
        if (err != nullptr)
        {
            *err = p.Stderr();
        }
        return status;
    }

    /// Starts coap-server-openssl with extra (security) arguments; returns its DTLS port.
    /// libcoap listens for coap on -p PORT and for coaps on PORT + 1 (and on TCP for both):
    /// the test takes a free UDP port for coaps and waits until libcoap has bound it.
    uint16_t StartLibcoapServer(const std::vector<std::string>& security)
    {
        for (int attempt = 0; attempt < 5; ++attempt)
        {
            uint16_t coaps = 0;
            close(interop_test::OpenLoopbackSocket(&coaps));
            std::vector<std::string> args{"-A", "127.0.0.1", "-p", std::to_string(coaps - 1)};
            args.insert(args.end(), security.begin(), security.end());
            m_libcoapServer
                = std::make_unique<ChildProcess>(kLibcoapServer, args, Prefix("libcoap-server"));
            const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
            while (std::chrono::steady_clock::now() < end)
            {
                if (UdpPortTaken(coaps))
                {
                    return coaps;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            m_libcoapServer.reset(); // e.g. one of its other ports was taken: try others
        }
        ADD_FAILURE() << "coap-server-openssl did not start";
        return 0;
    }

    /// Starts lpwan-coap-server on a free port; returns the port (0 on failure).
    uint16_t StartOurServer(std::unique_ptr<ChildProcess>& server,
                            const std::vector<std::string>& security)
    {
        std::vector<std::string> args{"-A", "127.0.0.1", "-p", "0", "-v"};
        args.insert(args.end(), security.begin(), security.end());
        server = std::make_unique<ChildProcess>(kServer, args, Prefix("server"));
        const std::optional<std::string> line = server->WaitForLine("listening on 127.0.0.1:", 5);
        if (!line || !Contains(*line, "(DTLS)"))
        {
            ADD_FAILURE() << "lpwan-coap-server did not start: " << server->Stderr();
            return 0;
        }
        return static_cast<uint16_t>(std::stoi(*line));
    }

    /// Stops our server with SIGTERM; its stdout (the counter lines).
    static std::string StopOurServer(ChildProcess& server)
    {
        server.Signal(SIGTERM);
        EXPECT_EQ(server.Wait(5), std::optional<int>(0));
        return server.Stdout();
    }

    /// Writes a test PKI into a fresh subdirectory with lpwan-test-pki, which makes the
    /// directory and its missing parents itself (as the example of docs/tools.md expects); returns
    /// it.
    std::string MakePki(const std::string& name)
    {
        const std::string dir = m_dir + "/" + name + "/pki";
        EXPECT_FALSE(std::filesystem::exists(m_dir + "/" + name));
        std::string out;
        std::string err;
        EXPECT_EQ(Run(kPki, {dir}, &out, &err), std::optional<int>(0)) << err;
        return dir;
    }

    std::unique_ptr<lpwantest::TempDir> m_tmp;
    std::string m_dir;
    int m_runs = 0;
    std::unique_ptr<ChildProcess> m_libcoapServer;
};

std::string
PeerLine(uint16_t port, const std::string& suite)
{
    return "dtls: 127.0.0.1:" + std::to_string(port) + " established, cipher suite " + suite;
}

} // namespace

TEST_F(DtlsCoapInterop, OurPskClientGetsContentFromLibcoapServer)
{
    const uint16_t port = StartLibcoapServer({"-k", kKey, "-h", "CoAP"});
    ASSERT_NE(port, 0);
    const std::string base = "coaps://127.0.0.1:" + std::to_string(port);
    std::string out;
    std::string err;

    // Default suites (CCM_8 first): OpenSSL agrees on TLS_PSK_WITH_AES_128_CCM_8.
    EXPECT_EQ(Run(kClient,
                  {"-v", "--dtls-psk-identity", kIdentity, "--dtls-psk-key", kKey, base + "/"},
                  &out, &err),
              std::optional<int>(0))
        << err;
    EXPECT_EQ(out.rfind("2.05 Content\nThis is a test server made with libcoap", 0), 0u) << out;
    EXPECT_TRUE(Contains(err, PeerLine(port, "TLS-PSK-WITH-AES-128-CCM-8"))) << err;
    // The -v trace shows the plain CoAP inside the records.
    EXPECT_TRUE(Contains(err, "ACK 2.05")) << err;

    // The key in hex ("secretPSK-0123"), and AES-128-GCM on request.
    EXPECT_EQ(Run(kClient,
                  {"-v", "--dtls-psk-identity", kIdentity, "--dtls-psk-key-hex",
                   "7365637265745053 4b2d30313233", "--dtls-cipher-suite",
                   "TLS_PSK_WITH_AES_128_GCM_SHA256", base + "/time"},
                  &out, &err),
              std::optional<int>(0))
        << err;
    EXPECT_EQ(out.rfind("2.05 Content\n", 0), 0u) << out;
    EXPECT_TRUE(Contains(err, PeerLine(port, "TLS-PSK-WITH-AES-128-GCM-SHA256"))) << err;

    // A wrong key: OpenSSL drops the Finished it cannot verify; the handshake gives up.
    EXPECT_EQ(Run(kClient,
                  {"--dtls-psk-identity", kIdentity, "--dtls-psk-key", "wrong",
                   "--dtls-handshake-timeout-min", "0.05", "--dtls-handshake-timeout-max", "0.2",
                   base + "/"},
                  &out, &err),
              std::optional<int>(3))
        << err;
    EXPECT_EQ(out, "");
    EXPECT_TRUE(Contains(err, "lpwan-coap-client: dtls: 127.0.0.1:" + std::to_string(port)
                                  + " failed: handshake timeout"))
        << err;
}

TEST_F(DtlsCoapInterop, LibcoapPskClientGetsOurServersResponses)
{
    std::unique_ptr<ChildProcess> server;
    const uint16_t port
        = StartOurServer(server, {"--dtls-psk-identity", kIdentity, "--dtls-psk-key", kKey});
    ASSERT_NE(port, 0);
    const std::string base = "coaps://127.0.0.1:" + std::to_string(port);
    std::string out;

    EXPECT_EQ(Run(kLibcoapClient, {"-k", kKey, "-u", kIdentity, base + "/hello"}, &out),
              std::optional<int>(0));
    EXPECT_EQ(out, "Hello, world!\n");

    // Block2 over DTLS: 64-byte blocks asked for by libcoap (libcoap adds a newline).
    EXPECT_EQ(Run(kLibcoapClient, {"-k", kKey, "-u", kIdentity, "-b", "64", base + "/large"}, &out),
              std::optional<int>(0));
    ASSERT_EQ(out.size(), 2001u) << out;
    EXPECT_EQ(out.substr(1950), "0040 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR\n\n");

    // A wrong key: our server's Finished check fails (bad_record_mac) and nothing is served.
    EXPECT_EQ(
        Run(kLibcoapClient, {"-B", "2", "-k", "wrong", "-u", kIdentity, base + "/hello"}, &out),
        std::optional<int>(0)); // libcoap's exit status does not tell; it logs to stdout
    EXPECT_FALSE(Contains(out, "Hello")) << out;
    EXPECT_TRUE(Contains(out, "alert read:fatal:bad record mac")) << out;

    const std::string counters = StopOurServer(*server);
    EXPECT_TRUE(Contains(counters, "dtls: handshakes=3 completed=2 failed=1 ")) << counters;
    EXPECT_TRUE(Contains(counters, "server: requests=")) << counters;
    const std::string log = server->Stderr();
    EXPECT_TRUE(Contains(log, " established, cipher suite TLS-PSK-WITH-AES-128-CCM-8")) << log;
    EXPECT_TRUE(Contains(log,
                         " failed: handshake failed: SSL - Verification of the message MAC "
                         "failed"))
        << log;
}

TEST_F(DtlsCoapInterop, CertificatesBothWaysWithMutualAuthentication)
{
    const std::string pki = MakePki("pki");
    const std::string ca = pki + "/ca-cert.pem";
    const std::string serverCert = pki + "/server-cert.pem";
    const std::string serverKey = pki + "/server-key.pem";
    const std::string clientCert = pki + "/client-cert.pem";
    const std::string clientKey = pki + "/client-key.pem";
    std::string out;
    std::string err;

    // Our client against libcoap's server, which verifies our certificate (-C).
    const uint16_t libcoapPort = StartLibcoapServer({"-c", serverCert, "-j", serverKey, "-C", ca});
    ASSERT_NE(libcoapPort, 0);
    const std::string libcoap = "coaps://127.0.0.1:" + std::to_string(libcoapPort);
    EXPECT_EQ(Run(kClient,
                  {"-v", "--dtls-ca", ca, "--dtls-cert", clientCert, "--dtls-key", clientKey,
                   "--dtls-server-name", "server.lpwan.test", libcoap + "/"},
                  &out, &err),
              std::optional<int>(0))
        << err;
    EXPECT_EQ(out.rfind("2.05 Content\nThis is a test server made with libcoap", 0), 0u) << out;
    EXPECT_TRUE(Contains(err, PeerLine(libcoapPort, "TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8"))) << err;

    // The server's certificate names another host: refused, exit status 4.
    EXPECT_EQ(Run(kClient,
                  {"--dtls-ca", ca, "--dtls-cert", clientCert, "--dtls-key", clientKey,
                   "--dtls-server-name", "other.lpwan.test", libcoap + "/"},
                  &out, &err),
              std::optional<int>(4))
        << err;
    EXPECT_TRUE(Contains(err, "Certificate verification failed")) << err;

    // A certificate from another CA (a second, unrelated test PKI) is refused as well.
    const std::string otherCa = MakePki("other") + "/ca-cert.pem";
    EXPECT_EQ(Run(kClient, {"--dtls-ca", otherCa, libcoap + "/"}, &out, &err),
              std::optional<int>(4))
        << err;
    EXPECT_EQ(out, "");

    // libcoap's client against our server, which demands a client certificate (--dtls-ca).
    std::unique_ptr<ChildProcess> server;
    const uint16_t port = StartOurServer(
        server, {"--dtls-cert", serverCert, "--dtls-key", serverKey, "--dtls-ca", ca});
    ASSERT_NE(port, 0);
    const std::string ours = "coaps://127.0.0.1:" + std::to_string(port);
    EXPECT_EQ(
        Run(kLibcoapClient, {"-c", clientCert, "-j", clientKey, "-C", ca, ours + "/hello"}, &out),
        std::optional<int>(0));
    EXPECT_EQ(out, "Hello, world!\n");
    // Without a client certificate libcoap gets nothing.
    EXPECT_EQ(Run(kLibcoapClient, {"-B", "1", "-C", ca, ours + "/hello"}, &out),
              std::optional<int>(0));
    EXPECT_FALSE(Contains(out, "Hello")) << out;
    EXPECT_TRUE(Contains(out, "cannot send CoAP pdu")) << out;
    const std::string counters = StopOurServer(*server);
    EXPECT_TRUE(Contains(counters, "dtls: handshakes=2 completed=1 failed=1 ")) << counters;
    const std::string log = server->Stderr();
    EXPECT_TRUE(Contains(log, " established, cipher suite TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8"))
        << log;
    EXPECT_TRUE(Contains(log, "No client certification received")) << log;
}

TEST_F(DtlsCoapInterop, OscoreInsideDtlsBetweenOurTools)
{
    // RFC 8613 Appendix C.1 context, as in the OSCORE real-socket tests.
    const std::vector<std::string> oscore{"--oscore-secret", "0102030405060708090a0b0c0d0e0f10",
                                          "--oscore-salt", "9e7ca92223786340"};
    std::vector<std::string> serverArgs{
        "--dtls-psk-identity", kIdentity, "--dtls-psk-key",        kKey,
        "--oscore-sender-id",  "01",      "--oscore-recipient-id", ""};
    serverArgs.insert(serverArgs.end(), oscore.begin(), oscore.end());
    std::unique_ptr<ChildProcess> server;
    const uint16_t port = StartOurServer(server, serverArgs);
    ASSERT_NE(port, 0);

    std::vector<std::string> clientArgs{
        "-v", "--dtls-psk-identity",   kIdentity, "--dtls-psk-key", kKey, "--oscore-sender-id",
        "",   "--oscore-recipient-id", "01"};
    clientArgs.insert(clientArgs.end(), oscore.begin(), oscore.end());
    clientArgs.push_back("coaps://127.0.0.1:" + std::to_string(port) + "/hello");
    std::string out;
    std::string err;
    EXPECT_EQ(Run(kClient, clientArgs, &out, &err), std::optional<int>(0)) << err;
    EXPECT_EQ(out, "2.05 Content\nHello, world!\n");
    // Inside the DTLS records travels an OSCORE message (the trace shows the outer CoAP).
    EXPECT_TRUE(Contains(err, "[OSCORE:")) << err;
    EXPECT_TRUE(Contains(err, PeerLine(port, "TLS-PSK-WITH-AES-128-CCM-8"))) << err;

    const std::string counters = StopOurServer(*server);
    EXPECT_TRUE(Contains(counters, "dtls: handshakes=1 completed=1 failed=0 ")) << counters;
    EXPECT_TRUE(Contains(counters, "oscore: verified=1 ")) << counters;
}

// DTLS 1.3 (--dtls-version 1.3) between our own tools: no other DTLS 1.3 implementation
// exists here (see docs/tls.md), so this checks the real-socket drivers, timers and the
// server's sessions on the wire; OSCORE rides inside as in the DTLS 1.2 case above.
TEST_F(DtlsCoapInterop, Dtls13BetweenOurTools)
{
    std::unique_ptr<ChildProcess> server;
    const uint16_t port = StartOurServer(server, {"--dtls-version", "1.3", "--dtls-psk-identity",
                                                  kIdentity, "--dtls-psk-key", kKey});
    ASSERT_NE(port, 0);
    const std::string base = "coaps://127.0.0.1:" + std::to_string(port);
    std::string out;
    std::string err;
    EXPECT_EQ(Run(kClient,
                  {"-v", "--dtls-version", "1.3", "--dtls-psk-identity", kIdentity,
                   "--dtls-psk-key", kKey, base + "/hello"},
                  &out, &err),
              std::optional<int>(0))
        << err;
    EXPECT_EQ(out, "2.05 Content\nHello, world!\n");
    // A wrong key: the server's binder check refuses the ClientHello (decrypt_error).
    EXPECT_NE(Run(kClient,
                  {"--dtls-version", "1.3", "--dtls-psk-identity", kIdentity, "--dtls-psk-key",
                   "wrong", "--dtls-handshake-timeout-min", "0.05", "--dtls-handshake-timeout-max",
                   "0.2", base + "/hello"},
                  &out, &err),
              std::optional<int>(0));
    const std::string counters = StopOurServer(*server);
    EXPECT_TRUE(Contains(counters, "dtls: handshakes=2 completed=1 failed=1 ")) << counters;
    // DTLS 1.3 takes a pre-shared key only in the tools.
    EXPECT_EQ(Run(kClient,
                  {"--dtls-version", "1.3", "--dtls-psk-identity", kIdentity, "--dtls-psk-key",
                   kKey, "--dtls-cipher-suite", "TLS_PSK_WITH_AES_128_CCM_8", base + "/hello"},
                  &out, &err),
              std::optional<int>(2));
    EXPECT_TRUE(Contains(err, "--dtls-version 1.3 takes a pre-shared key only")) << err;
}

TEST_F(DtlsCoapInterop, BadDtlsCommandLinesExitWithStatus2)
{
    struct Case
    {
        std::string program;
        std::vector<std::string> args;
        std::string error;
    };
    const std::vector<Case> cases = {
        {kClient,
         {"coaps://127.0.0.1/x"},
         "lpwan-coap-client: coaps:// needs --dtls-psk-identity and --dtls-psk-key, or "
         "--dtls-ca (certificates) (see --help)"},
        {kClient,
         {"--dtls-psk-identity", "a", "--dtls-psk-key", "b", "coap://127.0.0.1/x"},
         "lpwan-coap-client: --dtls-* flags need a coaps:// URI (see --help)"},
        {kClient,
         {"--dtls-psk-identity", "a", "coaps://127.0.0.1/x"},
         "lpwan-coap-client: a pre-shared key needs --dtls-psk-identity and --dtls-psk-key (or "
         "--dtls-psk-key-hex) (see --help)"},
        {kClient,
         {"--dtls-ca", m_dir + "/missing.pem", "coaps://127.0.0.1/x"},
         "lpwan-coap-client: --dtls-ca: cannot open '" + m_dir + "/missing.pem' (see --help)"},
        {kClient,
         {"--dtls-psk-identity", "a", "--dtls-psk-key", "b", "--dtls-cipher-suite", "TLS_FOO",
          "coaps://127.0.0.1/x"},
         "lpwan-coap-client: --dtls-cipher-suite: 'TLS_FOO' is not a cipher suite this mbedTLS "
         "supports (see --help)"},
        {kServer,
         {"--dtls-psk-identity", "a", "--dtls-psk-key", "b", "--dtls-server-name", "x"},
         "lpwan-coap-server: unknown option '--dtls-server-name' (see --help)"},
        {kServer,
         {"--dtls-ca", m_dir + "/missing.pem"},
         "lpwan-coap-server: --dtls-ca: cannot open '" + m_dir + "/missing.pem' (see --help)"},
    };
    for (const Case& c : cases)
    {
        ChildProcess p(c.program, c.args, Prefix("bad"));
        EXPECT_EQ(p.Wait(5), std::optional<int>(2)) << c.error;
        EXPECT_EQ(p.Stderr(), c.error + "\n");
        EXPECT_EQ(p.Stdout(), "");
    }
}
