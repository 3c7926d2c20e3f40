// The DTLS/TLS side of the real-socket tools' command lines: coaps:// URIs, the --dtls-* and
// --tls-* flags and the lpwan::tls::Options they describe (credentials read from the PEM and DER
// files of a test PKI), and the ServerHello reader behind -v's cipher suite line (checked on
// a ServerHello mbedTLS wrote).
#include "posix/dtls-server-hello.h"
#include "protocols/coap/coap-uri.h"
#include "protocols/tls/tls-session.h"
#include "support/client-options.h"
#include "support/credential-files.h"
#include "support/publish-options.h"
#include "support/server-options.h"
#include "support/test-pki-files.h"
#include "tls/tls-test-util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace lpwan;
using namespace lpwan::tools;

namespace
{

/// A directory with the shared test PKI as PEM files, plus the CA as DER. One per process:
/// ctest runs each case in its own process, in parallel, and a directory shared between them
/// would be rewritten while another case reads it.
std::string
PkiDirectory()
{
    static const std::string dir = []
    {
        const std::string d = std::string(LPWAN_BINARY_DIR) + "/test-output/tls-flags-pki-"
                              + std::to_string(getpid());
        std::filesystem::create_directories(d);
        std::string error;
        EXPECT_TRUE(WriteTestPkiFiles(tlstest::SharedPki(), d, &error)) << error;
        const std::vector<uint8_t>& der = tlstest::SharedPki().ca.certificateDer;
        std::ofstream(d + "/ca-cert.der", std::ios::binary)
            .write(reinterpret_cast<const char*>(der.data()),
                   static_cast<std::streamsize>(der.size()));
        return d;
    }();
    return dir;
}

std::string
Pki(const std::string& name)
{
    return PkiDirectory() + "/" + name;
}

std::vector<uint8_t>
Text(const std::string& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

} // namespace

TEST(ToolsTlsFlags, CoapsUrisAreSecureWithPort5684)
{
    std::string error;
    auto uri = lpwan::coap::ParseCoapUri("coaps://example.net/a", &error);
    ASSERT_TRUE(uri) << error;
    EXPECT_TRUE(uri->secure);
    EXPECT_EQ(uri->port, 5684);
    uri = lpwan::coap::ParseCoapUri("COAPS://10.0.0.1:61616", &error);
    ASSERT_TRUE(uri) << error;
    EXPECT_TRUE(uri->secure);
    EXPECT_EQ(uri->port, 61616);
    uri = lpwan::coap::ParseCoapUri("coap://example.net", &error);
    ASSERT_TRUE(uri) << error;
    EXPECT_FALSE(uri->secure);
    EXPECT_EQ(uri->port, 5683);
    EXPECT_FALSE(lpwan::coap::ParseCoapUri("coaps+tcp://example.net", &error));
    EXPECT_EQ(error, "only coap:// and coaps:// URIs are supported");
}

TEST(ToolsTlsFlags, ClientPskFlagsDescribeADtlsClient)
{
    const ClientCommandLine c
        = ParseClientCommandLine({"--dtls-psk-identity", "dev1", "--dtls-psk-key", "secretPSK",
                                  "--dtls-handshake-timeout-min=0.25",
                                  "--dtls-handshake-timeout-max", "8", "coaps://127.0.0.1/time"});
    ASSERT_TRUE(c.options) << c.error;
    ASSERT_TRUE(c.options->dtls);
    const lpwan::tls::Options& o = *c.options->dtls;
    EXPECT_EQ(o.role, lpwan::tls::Role::Client);
    EXPECT_EQ(o.transport, lpwan::tls::Transport::Datagram);
    ASSERT_TRUE(o.psk);
    EXPECT_EQ(o.psk->identity, Text("dev1"));
    EXPECT_EQ(o.psk->key, Text("secretPSK"));
    EXPECT_EQ(o.cipherSuites, (std::vector<int>{lpwan::tls::kTlsPskWithAes128Ccm8,
                                                lpwan::tls::kTlsPskWithAes128GcmSha256}));
    EXPECT_EQ(o.handshakeTimeoutMinMs, 250u);
    EXPECT_EQ(o.handshakeTimeoutMaxMs, 8000u);
    EXPECT_FALSE(o.wallClockBase.has_value()) << "real tools need the real clock";
    EXPECT_EQ(c.options->uri.port, 5684);

    // The key in hex, and suites named either way.
    const ClientCommandLine h = ParseClientCommandLine(
        {"--dtls-psk-identity", "dev1", "--dtls-psk-key-hex", "0x0001ff", "--dtls-cipher-suite",
         "TLS_PSK_WITH_AES_128_GCM_SHA256", "--dtls-cipher-suite", "TLS-PSK-WITH-AES-128-CCM-8",
         "coaps://127.0.0.1/time"});
    ASSERT_TRUE(h.options) << h.error;
    EXPECT_EQ(h.options->dtls->psk->key, (std::vector<uint8_t>{0x00, 0x01, 0xff}));
    EXPECT_EQ(h.options->dtls->cipherSuites,
              (std::vector<int>{lpwan::tls::kTlsPskWithAes128GcmSha256,
                                lpwan::tls::kTlsPskWithAes128Ccm8}));
}

TEST(ToolsTlsFlags, BadClientFlagsAreOneLineErrors)
{
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--dtls-psk-identity", "a", "--dtls-psk-key", "b", "--dtls-psk-key-hex", "00",
          "coaps://h/"},
         "--dtls-psk-key and --dtls-psk-key-hex: only one key"},
        {{"--dtls-psk-identity", "", "--dtls-psk-key", "b", "coaps://h/"},
         "--dtls-psk-identity: must not be empty"},
        {{"--dtls-psk-identity", "a", "--dtls-psk-key-hex", "0g", "coaps://h/"},
         "--dtls-psk-key-hex: '0g' is not hex: odd number of digits"},
        {{"--dtls-psk-identity", "a", "--dtls-psk-key", "b", "--dtls-handshake-timeout-min", "5",
          "--dtls-handshake-timeout-max", "1", "coaps://h/"},
         "--dtls-handshake-timeout-max must not be below --dtls-handshake-timeout-min (5000 ms)"},
        {{"--dtls-cert", Pki("client-cert.pem"), "--dtls-key", Pki("client-key.pem"), "coaps://h/"},
         "--dtls-cert needs --dtls-ca (the CA of the server's certificate)"},
        {{"--dtls-ca", Pki("ca-cert.pem"), "--dtls-cert", Pki("client-cert.pem"), "coaps://h/"},
         "--dtls-cert and --dtls-key go together"},
        {{"--dtls-ca", Pki("ca-cert.pem"), "--dtls-cert", Pki("server-cert.pem"), "--dtls-key",
          Pki("client-key.pem"), "coaps://h/"},
         "--dtls-key: the private key does not belong to the certificate"},
        {{"--dtls-ca", Pki("ca-key.pem"), "coaps://h/"},
         "--dtls-ca: '" + Pki("ca-key.pem") + "' holds no certificate (PEM or DER)"},
        {{"--dtls-ca", Pki("ca-cert.pem"), "--dtls-cert", Pki("client-cert.pem"), "--dtls-key",
          Pki("client-cert.pem"), "coaps://h/"},
         "--dtls-key: '" + Pki("client-cert.pem")
             + "' holds no unencrypted private key (PEM or DER)"},
    };
    for (const auto& [args, error] : cases)
    {
        const ClientCommandLine c = ParseClientCommandLine(args);
        EXPECT_FALSE(c.options);
        EXPECT_EQ(c.error, error);
    }
}

TEST(ToolsTlsFlags, CertificateFilesLoadAsTheDerTheyEncode)
{
    const lpwan::tls::TestPki& pki = tlstest::SharedPki();
    std::string error;
    EXPECT_EQ(LoadCertificateDer(Pki("ca-cert.pem"), &error), pki.ca.certificateDer) << error;
    EXPECT_EQ(LoadCertificateDer(Pki("ca-cert.der"), &error), pki.ca.certificateDer) << error;
    EXPECT_EQ(LoadPrivateKeyDer(Pki("client-key.pem"), &error), pki.client.privateKeyDer) << error;
    EXPECT_EQ(std::filesystem::status(Pki("client-key.pem")).permissions()
                  & std::filesystem::perms::group_read,
              std::filesystem::perms::none);

    // A client in certificate mode; the host name is what the server certificate must carry.
    const ClientCommandLine c = ParseClientCommandLine(
        {"--dtls-ca", Pki("ca-cert.pem"), "--dtls-cert", Pki("client-cert.pem"), "--dtls-key",
         Pki("client-key.pem"), "coaps://server.lpwan.test/hello"});
    ASSERT_TRUE(c.options) << c.error;
    const lpwan::tls::Options& o = *c.options->dtls;
    EXPECT_EQ(o.trustedCaDer, pki.ca.certificateDer);
    EXPECT_EQ(o.certificateDer, pki.client.certificateDer);
    EXPECT_EQ(o.privateKeyDer, pki.client.privateKeyDer);
    EXPECT_EQ(o.serverName, "server.lpwan.test");
    EXPECT_TRUE(o.verifyPeer);
    EXPECT_FALSE(o.psk);
    EXPECT_EQ(o.cipherSuites, (std::vector<int>{lpwan::tls::kTlsEcdheEcdsaWithAes128Ccm8,
                                                lpwan::tls::kTlsEcdheEcdsaWithAes128GcmSha256}));
    // An IPv4 literal is not a name to check (only the chain is verified) unless one is given.
    const ClientCommandLine ip
        = ParseClientCommandLine({"--dtls-ca", Pki("ca-cert.pem"), "coaps://127.0.0.1/hello"});
    ASSERT_TRUE(ip.options) << ip.error;
    EXPECT_EQ(ip.options->dtls->serverName, "");
}

TEST(ToolsTlsFlags, ServerDtlsFlags)
{
    ServerCommandLine s
        = ParseServerCommandLine({"--dtls-psk-identity", "dev1", "--dtls-psk-key", "k"});
    ASSERT_TRUE(s.options) << s.error;
    EXPECT_EQ(s.options->port, 5684) << "the coaps port when DTLS is on";
    EXPECT_EQ(s.options->dtls->role, lpwan::tls::Role::Server);
    EXPECT_EQ(s.options->dtls->psk->identity, Text("dev1"));

    s = ParseServerCommandLine(
        {"-p", "0", "--dtls-cert", Pki("server-cert.pem"), "--dtls-key", Pki("server-key.pem")});
    ASSERT_TRUE(s.options) << s.error;
    EXPECT_EQ(s.options->port, 0);
    EXPECT_FALSE(s.options->dtls->verifyPeer) << "no CA: client certificates are not asked for";
    s = ParseServerCommandLine({"--dtls-cert", Pki("server-cert.pem"), "--dtls-key",
                                Pki("server-key.pem"), "--dtls-ca", Pki("ca-cert.pem")});
    ASSERT_TRUE(s.options) << s.error;
    EXPECT_TRUE(s.options->dtls->verifyPeer);

    s = ParseServerCommandLine({"--dtls-ca", Pki("ca-cert.pem")});
    EXPECT_EQ(s.error,
              "(D)TLS needs --dtls-psk-identity and --dtls-psk-key, or --dtls-cert and "
              "--dtls-key");
    EXPECT_EQ(ParseServerCommandLine({}).options->port, 5683);
}

TEST(ToolsTlsFlags, PublishCommandLine)
{
    PublishCommandLine p = ParsePublishCommandLine({"-q", "0", "-r", "--tls-psk-identity", "dev1",
                                                    "--tls-psk-key-hex", "0102", "broker.example",
                                                    "8883", "meters/1", "reading=42"});
    ASSERT_TRUE(p.options) << p.error;
    EXPECT_EQ(p.options->host, "broker.example");
    EXPECT_EQ(p.options->port, 8883);
    EXPECT_EQ(p.options->topic, "meters/1");
    EXPECT_EQ(p.options->message, Text("reading=42"));
    EXPECT_EQ(p.options->qos, 0);
    EXPECT_TRUE(p.options->retain);
    ASSERT_TRUE(p.options->tls);
    EXPECT_EQ(p.options->tls->transport, lpwan::tls::Transport::Stream);
    EXPECT_EQ(p.options->tls->psk->key, (std::vector<uint8_t>{1, 2}));
    EXPECT_EQ(p.options->tls->serverName, "broker.example");

    p = ParsePublishCommandLine({"h", "1883", "t", "m"});
    ASSERT_TRUE(p.options) << p.error;
    EXPECT_FALSE(p.options->tls) << "no --tls-* flag: plain TCP";
    EXPECT_EQ(p.options->qos, 1);

    EXPECT_EQ(ParsePublishCommandLine({"h", "1883", "a/+", "m"}).error,
              "'a/+' is not a topic name one can publish to");
    EXPECT_EQ(ParsePublishCommandLine({"-q", "2", "h", "1883", "t", "m"}).error,
              "-q: 2 is out of range [0, 1]");
    EXPECT_EQ(
        ParsePublishCommandLine({"--tls-handshake-timeout-min", "1", "h", "1", "t", "m"}).error,
        "unknown option '--tls-handshake-timeout-min'");
    EXPECT_EQ(ParsePublishCommandLine({"h", "1883", "t"}).error,
              "expected HOST PORT TOPIC MESSAGE (3 arguments given)");
}

TEST(ToolsTlsFlags, ServerHelloNamesTheNegotiatedSuite)
{
    // A ClientHello and the server's first flight, as mbedTLS writes them (no cookie
    // exchange, so that the flight answers the first ClientHello).
    tlstest::SeededRandom clientRandom(1);
    tlstest::SeededRandom serverRandom(2);
    lpwan::tls::Options serverOptions = tlstest::PskServerOptions();
    serverOptions.helloVerify = false;
    serverOptions.cipherSuites
        = {lpwan::tls::kTlsPskWithAes128GcmSha256, lpwan::tls::kTlsPskWithAes128Ccm8};
    lpwan::tls::Options clientOptions = tlstest::PskClientOptions();
    clientOptions.cipherSuites
        = {lpwan::tls::kTlsPskWithAes128Ccm8, lpwan::tls::kTlsPskWithAes128GcmSha256};
    lpwan::tls::Session client(lpwan::tls::Config::Create(clientOptions, clientRandom),
                               tlstest::kServerPeer);
    lpwan::tls::Session server(lpwan::tls::Config::Create(serverOptions, serverRandom),
                               tlstest::kClientPeer);
    client.Start(0);
    const std::vector<lpwan::Datagram> hello = client.TakeOutput();
    ASSERT_EQ(hello.size(), 1u);
    EXPECT_FALSE(FindServerHelloCipherSuite(hello[0].bytes.data(), hello[0].bytes.size()));
    server.Start(0);
    server.Receive(0, hello[0].bytes);
    const std::vector<lpwan::Datagram> flight = server.TakeOutput();
    ASSERT_FALSE(flight.empty());
    const std::vector<uint8_t>& bytes = flight[0].bytes;
    const std::optional<uint16_t> suite = FindServerHelloCipherSuite(bytes.data(), bytes.size());
    ASSERT_TRUE(suite);
    EXPECT_EQ(*suite, lpwan::tls::kTlsPskWithAes128GcmSha256) << "the server's preference";
    EXPECT_EQ(CipherSuiteName(*suite), "TLS-PSK-WITH-AES-128-GCM-SHA256");
    EXPECT_EQ(CipherSuiteName(0xfefe), "0xfefe");
    // The sessions agree once the handshake is over.
    for (const lpwan::Datagram& d : flight)
    {
        client.Receive(0, d.bytes);
    }
    for (int round = 0; round < 4 && server.GetState() != lpwan::tls::State::Established; ++round)
    {
        for (const lpwan::Datagram& d : client.TakeOutput())
        {
            server.Receive(0, d.bytes);
        }
        for (const lpwan::Datagram& d : server.TakeOutput())
        {
            client.Receive(0, d.bytes);
        }
    }
    ASSERT_EQ(client.GetState(), lpwan::tls::State::Established);
    EXPECT_EQ(client.GetCipherSuite(), "TLS-PSK-WITH-AES-128-GCM-SHA256");

    // Every truncation and every single-byte corruption is read safely (ASan/valgrind would
    // see an overread); a truncated hello names no suite or the right one.
    for (size_t n = 0; n < bytes.size(); ++n)
    {
        const std::optional<uint16_t> s = FindServerHelloCipherSuite(bytes.data(), n);
        EXPECT_TRUE(!s || *s == *suite) << n;
        std::vector<uint8_t> corrupt = bytes;
        corrupt[n] ^= 0xff;
        FindServerHelloCipherSuite(corrupt.data(), corrupt.size());
    }
}
