/*
 * Our mbedTLS-driven DTLS against an independent implementation: libcoap 4.3.1 built with
 * OpenSSL 3 (Debian's libcoap3-bin), over real UDP sockets on 127.0.0.1.
 *
 * - our DTLS-PSK client (PosixTlsClient) handshakes with coap-server-openssl and carries a
 *   CoAP GET (encoded with our codec) and its 2.05 response;
 * - each PSK suite we offer is checked on its own against OpenSSL;
 * - an ECDHE-ECDSA handshake with mutual authentication, using the test PKI our X.509
 *   writer generated (OpenSSL verifies our certificates, we verify its use of them);
 * - coap-client-openssl against our DtlsServer (PosixDtlsServer).
 */

#include "interop-files.h"
#include "interop/tls-child-process.h"
#include "posix/os-random-source.h"
#include "posix/posix-dtls-server.h"
#include "posix/posix-tls-client.h"
#include "protocols/coap/coap-codec.h"
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

const std::string kIdentity = "lpwan-client";
const std::string kKey = "secret-key-0123";

/// coap-server-openssl on 127.0.0.1: CoAP on `port`, DTLS on port + 1.
struct LibcoapServer
{
    LibcoapServer(const std::vector<std::string>& securityArgs, const std::string& name)
    {
        for (uint32_t attempt = 0; attempt < 5 && !ready; ++attempt)
        {
            const std::optional<uint16_t> p = tls_interop::FreePorts(2, attempt + 17);
            if (!p)
            {
                return;
            }
            port = *p;
            std::vector<std::string> argv
                = {"coap-server-openssl", "-A", "127.0.0.1", "-p", std::to_string(port), "-v", "7"};
            argv.insert(argv.end(), securityArgs.begin(), securityArgs.end());
            log = lpwantest::InteropOutputDir() + "/" + name + ".log";
            process = std::make_unique<tls_interop::ChildProcess>(argv, log, 60);
            ready = process->Started()
                    && tls_interop::WaitForUdpListener(*process, static_cast<uint16_t>(port + 1),
                                                       5000ms);
            if (!ready)
            {
                process.reset(); // stopped and reaped; try other ports
            }
        }
    }

    uint16_t DtlsPort() const
    {
        return static_cast<uint16_t>(port + 1);
    }

    uint16_t port = 0;
    bool ready = false;
    std::string log;
    std::unique_ptr<tls_interop::ChildProcess> process;
};

std::shared_ptr<const lpwan::tls::Config>
PskClientConfig(lpwan::RandomSource& random, std::vector<int> suites)
{
    lpwan::tls::Options o;
    o.role = lpwan::tls::Role::Client;
    o.transport = lpwan::tls::Transport::Datagram;
    o.psk
        = lpwan::tls::PskIdentity{lpwantest::StringBytes(kIdentity), lpwantest::StringBytes(kKey)};
    o.cipherSuites = std::move(suites);
    o.wallClockBase = std::nullopt; // a real peer: real time
    o.handshakeTimeoutMinMs = 250;
    o.handshakeTimeoutMaxMs = 2000;
    return lpwan::tls::Config::Create(o, random);
}

/// GET coaps://127.0.0.1:port/ through the session; returns the decoded response.
lpwan::coap::DecodeResult
CoapGet(PosixTlsClient& client)
{
    lpwan::coap::Message get;
    get.type = lpwan::coap::Type::Confirmable;
    get.code = lpwan::coap::code::Get;
    get.messageId = 0x2b1c;
    get.token = {0xa1, 0xb2, 0xc3, 0xd4};
    EXPECT_TRUE(client.Send(lpwan::coap::Encode(get)));
    const std::optional<Bytes> reply = client.Receive(5000ms);
    if (!reply)
    {
        lpwan::coap::DecodeResult none;
        none.error = "no response";
        return none;
    }
    lpwan::coap::DecodeResult r = lpwan::coap::Decode(*reply);
    if (r.ok)
    {
        EXPECT_EQ(r.message.messageId, get.messageId);
        EXPECT_EQ(r.message.token, get.token);
    }
    return r;
}

#define REQUIRE_PROGRAM(name)                                                      \
    if (!tls_interop::OnPath(name))                                                \
    {                                                                              \
        GTEST_SKIP() << name << " is not installed (Debian package libcoap3-bin)"; \
    }

TEST(DtlsInterop, PskClientGetsCoapResponseFromLibcoapOpenSslServer)
{
    REQUIRE_PROGRAM("coap-server-openssl");
    LibcoapServer server({"-k", kKey, "-h", "lpwan-hint"}, "coap-server-psk");
    ASSERT_TRUE(server.ready) << "coap-server-openssl did not start; see " << server.log;

    OsRandomSource random;
    PosixTlsClient client(PskClientConfig(random, {lpwan::tls::kTlsPskWithAes128Ccm8,
                                                   lpwan::tls::kTlsPskWithAes128GcmSha256}),
                          "127.0.0.1", server.DtlsPort());
    ASSERT_TRUE(client.Handshake(5000ms))
        << lpwan::tls::ToString(client.GetSession().GetState()) << ": "
        << client.GetSession().GetFailureReason() << "; server log " << server.log;
    const std::string suite = client.GetSession().GetCipherSuite();
    RecordProperty("negotiated_suite", suite);
    EXPECT_TRUE(suite == "TLS-PSK-WITH-AES-128-CCM-8" || suite == "TLS-PSK-WITH-AES-128-GCM-SHA256")
        << suite;
    // OpenSSL answers the first ClientHello with a HelloVerifyRequest too.
    EXPECT_EQ(client.GetSession().GetStats().helloVerifyRequests, 1u);

    const lpwan::coap::DecodeResult response = CoapGet(client);
    ASSERT_TRUE(response.ok) << response.error;
    EXPECT_EQ(response.message.code, lpwan::coap::code::Content);
    const std::string payload(response.message.payload.begin(), response.message.payload.end());
    EXPECT_NE(payload.find("libcoap"), std::string::npos) << payload;
    client.Close();

    // The server saw our identity.
    server.process->Stop();
    EXPECT_NE(lpwantest::ReadTextFile(server.log).find("got psk_identity: '" + kIdentity + "'"),
              std::string::npos);
}

TEST(DtlsInterop, EachPskSuiteAgainstOpenSsl)
{
    REQUIRE_PROGRAM("coap-server-openssl");
    LibcoapServer server({"-k", kKey}, "coap-server-psk-suites");
    ASSERT_TRUE(server.ready) << "coap-server-openssl did not start; see " << server.log;
    for (const auto& [suite, name] :
         {std::make_pair(lpwan::tls::kTlsPskWithAes128Ccm8, "TLS-PSK-WITH-AES-128-CCM-8"),
          std::make_pair(lpwan::tls::kTlsPskWithAes128GcmSha256,
                         "TLS-PSK-WITH-AES-128-GCM-SHA256")})
    {
        OsRandomSource random;
        PosixTlsClient client(PskClientConfig(random, {suite}), "127.0.0.1", server.DtlsPort());
        ASSERT_TRUE(client.Handshake(5000ms))
            << name << ": " << client.GetSession().GetFailureReason();
        EXPECT_EQ(client.GetSession().GetCipherSuite(), name);
        const lpwan::coap::DecodeResult response = CoapGet(client);
        ASSERT_TRUE(response.ok) << name << ": " << response.error;
        EXPECT_EQ(response.message.code, lpwan::coap::code::Content);
        client.Close();
    }
}

TEST(DtlsInterop, EcdheEcdsaWithGeneratedPkiAgainstLibcoapOpenSsl)
{
    REQUIRE_PROGRAM("coap-server-openssl");
    // Our X.509 writer's PKI, as PEM files for OpenSSL.
    OsRandomSource pkiRandom;
    const lpwan::tls::TestPki pki = lpwan::tls::GenerateTestPki(pkiRandom);
    const std::string dir = lpwantest::InteropOutputDir();
    std::ofstream(dir + "/ca.pem") << pki.ca.certificatePem;
    std::ofstream(dir + "/server.pem") << pki.server.certificatePem;
    std::ofstream(dir + "/server-key.pem") << pki.server.privateKeyPem;
    LibcoapServer server(
        {"-c", dir + "/server.pem", "-j", dir + "/server-key.pem", "-C", dir + "/ca.pem"},
        "coap-server-pki");
    ASSERT_TRUE(server.ready) << "coap-server-openssl did not start; see " << server.log;

    for (const int suite :
         {lpwan::tls::kTlsEcdheEcdsaWithAes128Ccm8, lpwan::tls::kTlsEcdheEcdsaWithAes128GcmSha256})
    {
        lpwan::tls::Options o;
        o.role = lpwan::tls::Role::Client;
        o.trustedCaDer = pki.ca.certificateDer;
        o.certificateDer = pki.client.certificateDer;
        o.privateKeyDer = pki.client.privateKeyDer;
        o.serverName = "server.lpwan.test";
        o.cipherSuites = {suite};
        o.wallClockBase = std::nullopt;
        OsRandomSource random;
        PosixTlsClient client(lpwan::tls::Config::Create(o, random), "127.0.0.1",
                              server.DtlsPort());
        ASSERT_TRUE(client.Handshake(5000ms))
            << suite << ": " << client.GetSession().GetFailureReason() << "; " << server.log;
        EXPECT_EQ(client.GetSession().GetPeerCertificateSubject(),
                  "CN=server.lpwan.test, O=lpwan-sec");
        const lpwan::coap::DecodeResult response = CoapGet(client);
        ASSERT_TRUE(response.ok) << response.error;
        EXPECT_EQ(response.message.code, lpwan::coap::code::Content);
        client.Close();
    }
}

TEST(DtlsInterop, LibcoapOpenSslClientAgainstOurDtlsServer)
{
    REQUIRE_PROGRAM("coap-client-openssl");
    lpwan::tls::Options o;
    o.role = lpwan::tls::Role::Server;
    o.pskTable = {
        lpwan::tls::PskIdentity{lpwantest::StringBytes(kIdentity), lpwantest::StringBytes(kKey)}};
    o.cipherSuites = {lpwan::tls::kTlsPskWithAes128Ccm8, lpwan::tls::kTlsPskWithAes128GcmSha256};
    o.wallClockBase = std::nullopt;
    OsRandomSource random;
    PosixDtlsServer server(lpwan::tls::Config::Create(o, random), "127.0.0.1", 0);

    const std::string log = lpwantest::InteropOutputDir() + "/coap-client.log";
    tls_interop::ChildProcess client(
        {"coap-client-openssl", "-B", "10", "-v", "6", "-k", kKey, "-u", kIdentity,
         "coaps://127.0.0.1:" + std::to_string(server.GetLocalPort()) + "/meter/reading"},
        log, 30);
    ASSERT_TRUE(client.Started());
    const std::string payload = "1234.5 m3 from lpwan-sec over mbedTLS";
    const lpwan::TimeNs deadline = server.Now() + 15'000'000'000LL;
    int answered = 0;
    while (client.Running() && server.Now() < deadline)
    {
        for (const lpwan::tls::ReceivedData& r : server.Poll(server.Now() + 100'000'000LL))
        {
            const lpwan::coap::DecodeResult request = lpwan::coap::Decode(r.bytes);
            ASSERT_TRUE(request.ok) << request.error;
            EXPECT_EQ(request.message.code, lpwan::coap::code::Get);
            lpwan::coap::Message response;
            response.type = lpwan::coap::Type::Acknowledgement;
            response.code = lpwan::coap::code::Content;
            response.messageId = request.message.messageId;
            response.token = request.message.token;
            response.payload = lpwantest::StringBytes(payload);
            ASSERT_TRUE(server.Send(r.peer, lpwan::coap::Encode(response)));
            ++answered;
        }
    }
    const std::optional<int> status = client.Wait(2000ms);
    ASSERT_TRUE(status.has_value()) << "coap-client-openssl did not finish; see " << log;
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << lpwantest::ReadTextFile(log);
    EXPECT_EQ(answered, 1);
    EXPECT_NE(lpwantest::ReadTextFile(log).find(payload), std::string::npos)
        << lpwantest::ReadTextFile(log);
    EXPECT_EQ(server.GetServer().GetCounters().sessionsCreated, 1u);
    EXPECT_EQ(server.GetServer().GetCounters().helloVerifyRequestsSent, 1u);
}

} // namespace
