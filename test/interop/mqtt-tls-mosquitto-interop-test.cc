/*
 * MQTT over TLS 1.2: our sans-I/O MQTT client with an mbedTLS session in stream mode on real
 * TCP (PosixTlsMqttClient, and the lpwan-mqtt-publish tool on it) against Debian's mosquitto
 * 2.0, whose TLS is OpenSSL 3: independent implementations of both layers.
 *   - a QoS 1 message published with lpwan-mqtt-publish over a pre-shared-key listener
 *     (psk_hint, psk_file) and over a certificate listener (cafile, certfile, keyfile,
 *     require_certificate, with the test PKI) reaches a mosquitto_sub on the plain listener;
 *   - our client subscribed over TLS receives mosquitto_pub's QoS 1 message;
 *   - a wrong key, a missing client certificate and a suite mosquitto does not offer are
 *     refused by the broker, and the tool says so (exit status 4).
 * One broker per test, with a plain, a PSK and a certificate listener on free ports; every
 * child process is killed on every path (spawned-process.h). Skipped only when mosquitto is
 * not installed.
 */

#include "interop/mosquitto-broker.h"
#include "interop/spawned-process.h"
#include "posix/os-random-source.h"
#include "posix/posix-tls-mqtt-client.h"
#include "protocols/mqtt/mqtt-client.h"
#include "protocols/tls/test-pki.h"
#include "protocols/tls/tls-config.h"
#include "support/test-pki-files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>

namespace
{

using namespace lpwan::mqtt;
using interop::ChildProcess;
using interop::FindExecutable;
using interop::ReadFile;
using lpwan::PosixTlsMqttClient;
using lpwan::SecondsToNs;
using Kind = ClientEvent::Kind;

const std::string kPublish = std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-mqtt-publish";
const std::string kIdentity = "lpwan-device-1";
const std::string kKeyHex = "00112233445566778899aabbccddeeff";

bool
Contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

class MqttTlsInterop : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        const std::string binary = FindExecutable(interop::kMosquittoPaths);
        if (binary.empty())
        {
            GTEST_SKIP() << "mosquitto is not installed (Debian: apt-get install mosquitto "
                            "mosquitto-clients)";
        }
        lpwan::OsRandomSource random;
        m_pki = lpwan::tls::GenerateTestPki(random);
        std::string why;
        ASSERT_TRUE(lpwan::tools::WriteTestPkiFiles(m_pki, m_dir.File(""), &why)) << why;
        std::ofstream(m_dir.File("psk")) << kIdentity << ":" << kKeyHex << "\n";
        const std::string psk = "psk_hint lpwan-broker\npsk_file " + m_dir.File("psk") + "\n";
        const std::string certificates = "cafile " + Pki("ca-cert.pem") + "\ncertfile "
                                         + Pki("server-cert.pem") + "\nkeyfile "
                                         + Pki("server-key.pem") + "\nrequire_certificate true\n";
        ASSERT_TRUE(broker.Start(binary, &why, {psk, certificates})) << why;
    }

    std::string Pki(const std::string& name) const
    {
        return m_dir.File(name);
    }

    uint16_t PskPort() const
    {
        return broker.ExtraPort(0);
    }

    uint16_t CertificatePort() const
    {
        return broker.ExtraPort(1);
    }

    std::vector<std::string> PskFlags() const
    {
        return {"--tls-psk-identity", kIdentity, "--tls-psk-key-hex", kKeyHex};
    }

    std::vector<std::string> CertificateFlags() const
    {
        return {"--tls-ca",  Pki("ca-cert.pem"),    "--tls-cert",        Pki("client-cert.pem"),
                "--tls-key", Pki("client-key.pem"), "--tls-server-name", "server.lpwan.test"};
    }

    /// A client id that no other run on this machine uses at the same time.
    static std::string Id(const std::string& name)
    {
        return "lpwan-tls-" + name + "-" + std::to_string(getpid());
    }

    /// Runs lpwan-mqtt-publish (5 s at most); its exit status, output in *out.
    std::optional<int> Publish(const std::vector<std::string>& flags, uint16_t port,
                               const std::string& id, const std::string& topic,
                               const std::string& message, std::string* out)
    {
        std::vector<std::string> argv{kPublish, "-v", "-i", id};
        argv.insert(argv.end(), flags.begin(), flags.end());
        for (const std::string& a :
             {std::string("127.0.0.1"), std::to_string(port), topic, message})
        {
            argv.push_back(a);
        }
        const std::string path = broker.File(id + ".out");
        ChildProcess p(argv, path);
        const std::optional<int> status = p.Wait(std::chrono::seconds(5));
        *out = ReadFile(path);
        return status;
    }

    /// Waits until the file contains text (5 s at most).
    static bool WaitForText(const std::string& path, const std::string& text)
    {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < end)
        {
            if (Contains(ReadFile(path), text))
            {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    /// Publishes over the TLS listener at port and checks that a mosquitto_sub on the plain
    /// listener receives it; returns the tool's output (which names the cipher suite).
    std::string PublishReachesSubscriber(const std::vector<std::string>& flags, uint16_t port,
                                         const std::string& name)
    {
        const std::string subTool = FindExecutable({"/usr/bin/mosquitto_sub"});
        if (subTool.empty())
        {
            ADD_FAILURE() << "mosquitto_sub is not installed (apt-get install mosquitto-clients)";
            return "";
        }
        const std::string topic = "lpwan/tls/" + std::to_string(getpid()) + "/" + name;
        const std::string subOut = broker.File(name + "-sub.out");
        const std::string subId = Id(name + "-sub");
        ChildProcess sub({subTool, "-i", subId, "-h", "127.0.0.1", "-p",
                          std::to_string(broker.Port()), "-t", topic, "-q", "1", "-C", "1", "-W",
                          "10"},
                         subOut);
        EXPECT_TRUE(WaitForText(broker.LogPath(), "Sending SUBACK to " + subId)) << broker.Log();

        const std::string id = Id(name);
        std::string out;
        EXPECT_EQ(Publish(flags, port, id, topic, "reading=42", &out), std::optional<int>(0))
            << out << broker.Log();
        EXPECT_TRUE(Contains(out, "published 10 bytes to " + topic + " (QoS 1, packet id 1)\n"))
            << out;
        EXPECT_EQ(sub.Wait(std::chrono::seconds(5)), std::optional<int>(0)) << ReadFile(subOut);
        EXPECT_EQ(ReadFile(subOut), "reading=42\n");

        // The broker saw the connection on the TLS listener and the QoS 1 PUBLISH on it.
        const std::string log = broker.Log();
        EXPECT_TRUE(Contains(log, "on port " + std::to_string(port) + ".")) << log;
        EXPECT_TRUE(Contains(log, "Received PUBLISH from " + id + " (d0, q1, r0, m1, '" + topic
                                      + "', ... (10 bytes))"))
            << log;
        EXPECT_TRUE(WaitForText(broker.LogPath(), "Received DISCONNECT from " + id)) << log;
        return out;
    }

    interop::TempDir m_dir;
    lpwan::tls::TestPki m_pki;
    interop::Mosquitto broker;
};

} // namespace

TEST_F(MqttTlsInterop, Qos1PublishedOverTlsWithAPreSharedKeyReachesMosquittoSub)
{
    const std::string out = PublishReachesSubscriber(PskFlags(), PskPort(), "psk");
    // mosquitto's OpenSSL does not offer the CCM_8 suites; our second choice is agreed on.
    EXPECT_TRUE(Contains(out, "tls: established, cipher suite TLS-PSK-WITH-AES-128-GCM-SHA256"))
        << out;
}

TEST_F(MqttTlsInterop, Qos1PublishedOverTlsWithCertificatesReachesMosquittoSub)
{
    const std::string out = PublishReachesSubscriber(CertificateFlags(), CertificatePort(), "cert");
    EXPECT_TRUE(
        Contains(out, "tls: established, cipher suite TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256"))
        << out;
}

TEST_F(MqttTlsInterop, OurSubscriberOverTlsReceivesMosquittoPubQos1)
{
    const std::string pubTool = FindExecutable({"/usr/bin/mosquitto_pub"});
    if (pubTool.empty())
    {
        GTEST_SKIP() << "mosquitto_pub is not installed (apt-get install mosquitto-clients)";
    }
    lpwan::tls::Options options;
    options.transport = lpwan::tls::Transport::Stream;
    options.wallClockBase = std::nullopt; // real time, as the broker sees it
    options.psk = lpwan::tls::PskIdentity{std::vector<uint8_t>(kIdentity.begin(), kIdentity.end()),
                                          {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                           0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}};
    options.cipherSuites = {lpwan::tls::kTlsPskWithAes128GcmSha256};
    lpwan::OsRandomSource random;
    ClientConfig config;
    config.clientId = Id("subscriber");
    Client client(config);
    PosixTlsMqttClient driver(client, lpwan::tls::Config::Create(options, random));
    driver.Open("127.0.0.1", PskPort());

    auto waitFor = [&driver](Kind kind) -> std::optional<ClientEvent>
    {
        const lpwan::TimeNs end = driver.Now() + SecondsToNs(5);
        while (driver.IsOpen() && driver.Now() < end)
        {
            for (ClientEvent& e : driver.Poll(end))
            {
                if (e.kind == kind)
                {
                    return e;
                }
                if (e.kind == Kind::ConnectionLost)
                {
                    ADD_FAILURE() << "connection lost: " << e.reason;
                    return std::nullopt;
                }
            }
        }
        return std::nullopt;
    };
    ASSERT_TRUE(waitFor(Kind::Connected).has_value()) << broker.Log();
    EXPECT_TRUE(driver.IsSecured());
    EXPECT_EQ(driver.GetCipherSuite(), "TLS-PSK-WITH-AES-128-GCM-SHA256");
    const std::string topic = "lpwan/tls/" + std::to_string(getpid()) + "/cmd";
    ASSERT_TRUE(client.Subscribe(driver.Now(), {{topic, 1}}).ok);
    const auto subscribed = waitFor(Kind::Subscribed);
    ASSERT_TRUE(subscribed.has_value()) << broker.Log();
    EXPECT_EQ(subscribed->returnCodes, (std::vector<uint8_t>{1}));

    const std::string pubOut = broker.File("pub.out");
    ChildProcess pub({pubTool, "-h", "127.0.0.1", "-p", std::to_string(broker.Port()), "-t", topic,
                      "-q", "1", "-m", "open valve 3"},
                     pubOut);
    ASSERT_EQ(pub.Wait(std::chrono::seconds(5)), std::optional<int>(0)) << ReadFile(pubOut);
    const auto got = waitFor(Kind::MessageReceived);
    ASSERT_TRUE(got.has_value()) << broker.Log();
    EXPECT_EQ(got->message.topic, topic);
    EXPECT_EQ(got->message.payload,
              Bytes({'o', 'p', 'e', 'n', ' ', 'v', 'a', 'l', 'v', 'e', ' ', '3'}));
    EXPECT_EQ(got->message.qos, 1);
    EXPECT_TRUE(WaitForText(broker.LogPath(), "Received PUBACK from " + config.clientId))
        << broker.Log();

    client.Disconnect(driver.Now());
    driver.Poll(driver.Now());
    EXPECT_FALSE(driver.IsOpen()); // DISCONNECT and close_notify written, socket closed
    EXPECT_TRUE(WaitForText(broker.LogPath(), "Received DISCONNECT from " + config.clientId))
        << broker.Log();
}

TEST_F(MqttTlsInterop, RefusedHandshakesExitWithStatus4)
{
    std::string out;
    // A wrong key: mosquitto cannot decrypt our Finished and says so with an alert.
    EXPECT_EQ(Publish({"--tls-psk-identity", kIdentity, "--tls-psk-key-hex",
                       "00112233445566778899aabbccddeefe"},
                      PskPort(), Id("wrong-key"), "lpwan/tls/x", "x", &out),
              std::optional<int>(4))
        << out;
    EXPECT_TRUE(Contains(out, "connection lost: TLS handshake failed: fatal alert 20")) << out;

    // No client certificate for a listener with require_certificate.
    EXPECT_EQ(Publish({"--tls-ca", Pki("ca-cert.pem")}, CertificatePort(), Id("no-cert"),
                      "lpwan/tls/x", "x", &out),
              std::optional<int>(4))
        << out;
    EXPECT_TRUE(Contains(out, "connection lost: TLS handshake failed: fatal alert 40")) << out;

    // Only CCM_8, which mosquitto's OpenSSL cipher list does not include: no shared cipher.
    std::vector<std::string> ccm8 = PskFlags();
    ccm8.insert(ccm8.end(), {"--tls-cipher-suite", "TLS_PSK_WITH_AES_128_CCM_8"});
    EXPECT_EQ(Publish(ccm8, PskPort(), Id("ccm8"), "lpwan/tls/x", "x", &out), std::optional<int>(4))
        << out;
    EXPECT_TRUE(Contains(out, "connection lost: TLS handshake failed: fatal alert 40")) << out;

    const std::string log = broker.Log();
    EXPECT_TRUE(Contains(log, "decryption failed or bad record mac")) << log;
    EXPECT_TRUE(Contains(log, "peer did not return a certificate")) << log;
    EXPECT_TRUE(Contains(log, "no shared cipher")) << log;
    EXPECT_FALSE(Contains(log, "Received PUBLISH")) << log;
}
