/*
 * TLS 1.2 over TCP (the MQTT-over-TLS case) with our mbedTLS-driven Session against OpenSSL 3
 * (`openssl s_server`) and the mosquitto broker, over real sockets on 127.0.0.1.
 *
 * What the suite choice means for MQTT: OpenSSL 3's DEFAULT cipher list -- what mosquitto
 * uses unless its `ciphers` option says otherwise -- leaves out the CCM_8 suites. A
 * constrained device talking TLS to a stock broker must offer TLS_PSK_WITH_AES_128_GCM_SHA256
 * (or the ECDHE-ECDSA GCM suite); the tests check both sides of that.
 */

#include "interop-files.h"
#include "interop/tls-child-process.h"
#include "posix/os-random-source.h"
#include "posix/posix-tls-client.h"
#include "protocols/common/hex.h"
#include "protocols/tls/test-pki.h"
#include "protocols/tls/tls-config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace
{

using namespace lpwan;
using namespace std::chrono_literals;
using Bytes = std::vector<uint8_t>;

const std::string kIdentity = "meter-0001";
const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f";

Bytes
KeyBytes()
{
    return lpwan::FromHex(kKeyHex).value();
}

/// A TCP server child process listening on a free port of 127.0.0.1.
struct TcpServer
{
    TcpServer(const std::function<std::vector<std::string>(uint16_t port)>& argv,
              const std::string& name)
    {
        for (uint32_t attempt = 0; attempt < 5 && !ready; ++attempt)
        {
            const std::optional<uint16_t> p = tls_interop::FreePorts(1, attempt + 31);
            if (!p)
            {
                return;
            }
            port = *p;
            log = lpwantest::InteropOutputDir() + "/" + name + ".log";
            process = std::make_unique<tls_interop::ChildProcess>(argv(port), log, 60);
            ready = process->Started()
                    && tls_interop::WaitForListener(*process, port, SOCK_STREAM, 5000ms);
            if (!ready)
            {
                process.reset();
            }
        }
    }

    uint16_t port = 0;
    bool ready = false;
    std::string log;
    std::unique_ptr<tls_interop::ChildProcess> process;
};

std::vector<std::string>
OpenSslPskServer(uint16_t port, const std::string& cipher)
{
    std::vector<std::string> argv = {"openssl",
                                     "s_server",
                                     "-accept",
                                     "127.0.0.1:" + std::to_string(port),
                                     "-tls1_2",
                                     "-nocert",
                                     "-psk",
                                     kKeyHex,
                                     "-psk_identity",
                                     kIdentity,
                                     "-rev",
                                     "-naccept",
                                     "1"};
    if (!cipher.empty())
    {
        argv.push_back("-cipher");
        argv.push_back(cipher);
    }
    return argv;
}

std::shared_ptr<const lpwan::tls::Config>
PskStreamClient(lpwan::RandomSource& random, std::vector<int> suites)
{
    lpwan::tls::Options o;
    o.role = lpwan::tls::Role::Client;
    o.transport = lpwan::tls::Transport::Stream;
    o.psk = lpwan::tls::PskIdentity{lpwantest::StringBytes(kIdentity), KeyBytes()};
    o.cipherSuites = std::move(suites);
    o.wallClockBase = std::nullopt;
    return lpwan::tls::Config::Create(o, random);
}

/// Sends a line to an `s_server -rev` and returns what comes back (up to the newline).
std::string
EchoReversed(PosixTlsClient& client, const std::string& line)
{
    EXPECT_TRUE(client.Send(lpwantest::StringBytes(line + "\n")));
    std::string back;
    while (back.find('\n') == std::string::npos)
    {
        const std::optional<Bytes> piece = client.Receive(5000ms);
        if (!piece)
        {
            break;
        }
        back.append(piece->begin(), piece->end());
    }
    return back;
}

#define REQUIRE_PROGRAM(name)                        \
    if (!tls_interop::OnPath(name))                  \
    {                                                \
        GTEST_SKIP() << name << " is not installed"; \
    }

TEST(TlsInterop, PskGcmWithOpenSslDefaultCipherList)
{
    REQUIRE_PROGRAM("openssl");
    TcpServer server(
        [](uint16_t port)
        {
            return OpenSslPskServer(port, "");
        },
        "s_server-psk");
    ASSERT_TRUE(server.ready) << "openssl s_server did not start; see " << server.log;
    OsRandomSource random;
    // Offered CCM_8 first: OpenSSL's default list lacks it and picks GCM.
    PosixTlsClient client(PskStreamClient(random, {lpwan::tls::kTlsPskWithAes128Ccm8,
                                                   lpwan::tls::kTlsPskWithAes128GcmSha256}),
                          "127.0.0.1", server.port);
    ASSERT_TRUE(client.Handshake(5000ms)) << client.GetSession().GetFailureReason();
    EXPECT_EQ(client.GetSession().GetCipherSuite(), "TLS-PSK-WITH-AES-128-GCM-SHA256");
    EXPECT_EQ(EchoReversed(client, "lpwan over tls"), "slt revo nawpl\n");
    client.Close();
}

TEST(TlsInterop, PskCcm8NeedsTheServerToEnableIt)
{
    REQUIRE_PROGRAM("openssl");
    {
        TcpServer server(
            [](uint16_t port)
            {
                return OpenSslPskServer(port, "");
            },
            "s_server-psk-default");
        ASSERT_TRUE(server.ready) << server.log;
        OsRandomSource random;
        PosixTlsClient client(PskStreamClient(random, {lpwan::tls::kTlsPskWithAes128Ccm8}),
                              "127.0.0.1", server.port);
        EXPECT_FALSE(client.Handshake(5000ms));
        EXPECT_EQ(client.GetSession().GetState(), lpwan::tls::State::Failed);
        // handshake_failure (40): no suite in common.
        EXPECT_NE(client.GetSession().GetFailureReason().find("fatal alert 40"), std::string::npos)
            << client.GetSession().GetFailureReason();
    }
    TcpServer server(
        [](uint16_t port)
        {
            return OpenSslPskServer(port, "PSK-AES128-CCM8");
        },
        "s_server-psk-ccm8");
    ASSERT_TRUE(server.ready) << server.log;
    OsRandomSource random;
    PosixTlsClient client(PskStreamClient(random, {lpwan::tls::kTlsPskWithAes128Ccm8}), "127.0.0.1",
                          server.port);
    ASSERT_TRUE(client.Handshake(5000ms)) << client.GetSession().GetFailureReason();
    EXPECT_EQ(client.GetSession().GetCipherSuite(), "TLS-PSK-WITH-AES-128-CCM-8");
    EXPECT_EQ(EchoReversed(client, "ccm8"), "8mcc\n");
    client.Close();
}

TEST(TlsInterop, EcdheEcdsaMutualAuthenticationWithOpenSsl)
{
    REQUIRE_PROGRAM("openssl");
    OsRandomSource pkiRandom;
    const lpwan::tls::TestPki pki = lpwan::tls::GenerateTestPki(pkiRandom);
    const std::string dir = lpwantest::InteropOutputDir();
    std::ofstream(dir + "/tls-ca.pem") << pki.ca.certificatePem;
    std::ofstream(dir + "/tls-server.pem") << pki.server.certificatePem;
    std::ofstream(dir + "/tls-server-key.pem") << pki.server.privateKeyPem;
    TcpServer server(
        [&](uint16_t port)
        {
            return std::vector<std::string>{"openssl",
                                            "s_server",
                                            "-accept",
                                            "127.0.0.1:" + std::to_string(port),
                                            "-tls1_2",
                                            "-cert",
                                            dir + "/tls-server.pem",
                                            "-key",
                                            dir + "/tls-server-key.pem",
                                            "-CAfile",
                                            dir + "/tls-ca.pem",
                                            "-Verify",
                                            "1",
                                            "-verify_return_error",
                                            "-rev",
                                            "-naccept",
                                            "1"};
        },
        "s_server-ecdsa");
    ASSERT_TRUE(server.ready) << server.log;

    lpwan::tls::Options o;
    o.role = lpwan::tls::Role::Client;
    o.transport = lpwan::tls::Transport::Stream;
    o.trustedCaDer = pki.ca.certificateDer;
    o.certificateDer = pki.client.certificateDer;
    o.privateKeyDer = pki.client.privateKeyDer;
    o.serverName = "server.lpwan.test";
    o.cipherSuites = {lpwan::tls::kTlsEcdheEcdsaWithAes128GcmSha256};
    o.wallClockBase = std::nullopt;
    OsRandomSource random;
    PosixTlsClient client(lpwan::tls::Config::Create(o, random), "127.0.0.1", server.port);
    ASSERT_TRUE(client.Handshake(5000ms)) << client.GetSession().GetFailureReason();
    EXPECT_EQ(client.GetSession().GetCipherSuite(), "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256");
    EXPECT_EQ(EchoReversed(client, "signed"), "dengis\n");
    client.Close();
    server.process->Wait(2000ms);
    // OpenSSL verified the client certificate our X.509 writer made.
    EXPECT_NE(lpwantest::ReadTextFile(server.log).find("CN = device-0001"), std::string::npos)
        << lpwantest::ReadTextFile(server.log);
}

TEST(TlsInterop, MqttConnectThroughTlsPskToMosquitto)
{
    REQUIRE_PROGRAM("mosquitto");
    const std::string dir = lpwantest::InteropOutputDir();
    const std::string pskFile = dir + "/mosquitto-psk.txt";
    std::ofstream(pskFile) << kIdentity << ":" << kKeyHex << "\n";
    const std::string conf = dir + "/mosquitto.conf";
    TcpServer broker(
        [&](uint16_t port)
        {
            std::ofstream(conf) << "per_listener_settings true\n"
                                << "listener " << port << " 127.0.0.1\n"
                                << "psk_hint lpwan-sec\n"
                                << "psk_file " << pskFile << "\n"
                                << "use_identity_as_username true\n"
                                << "allow_anonymous true\n";
            return std::vector<std::string>{"mosquitto", "-v", "-c", conf};
        },
        "mosquitto");
    ASSERT_TRUE(broker.ready) << "mosquitto did not start; see " << broker.log << ":\n"
                              << lpwantest::ReadTextFile(broker.log);

    OsRandomSource random;
    PosixTlsClient client(PskStreamClient(random, {lpwan::tls::kTlsPskWithAes128GcmSha256}),
                          "127.0.0.1", broker.port);
    ASSERT_TRUE(client.Handshake(5000ms)) << client.GetSession().GetFailureReason();
    // MQTT 3.1.1 CONNECT (OASIS MQTT 3.1.1 section 3.1): clean session, keep-alive 60 s,
    // client id "lpwan". Spelled out here because the MQTT core is not part of this change.
    const Bytes connect = {0x10, 0x11, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02,
                           0x00, 0x3c, 0x00, 0x05, 'l', 'p', 'w', 'a', 'n'};
    ASSERT_TRUE(client.Send(connect));
    Bytes connack;
    while (connack.size() < 4)
    {
        const std::optional<Bytes> piece = client.Receive(5000ms);
        ASSERT_TRUE(piece.has_value()) << lpwantest::ReadTextFile(broker.log);
        connack.insert(connack.end(), piece->begin(), piece->end());
    }
    // CONNACK, remaining length 2, no session present, return code 0 (accepted).
    EXPECT_EQ(connack, (Bytes{0x20, 0x02, 0x00, 0x00}));
    client.Close();
    broker.process->Stop();
    EXPECT_NE(lpwantest::ReadTextFile(broker.log).find("u'" + kIdentity + "'"), std::string::npos)
        << lpwantest::ReadTextFile(broker.log);
}

} // namespace
