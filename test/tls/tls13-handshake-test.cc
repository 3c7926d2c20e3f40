/*
 * The TLS 1.3 client and server against each other (ECDSA P-256 certificates from the test
 * PKI, every implemented suite, both key exchange groups), and the strictness the fuzzers will
 * lean on: every truncation of RFC 8448's messages is refused by the parsers, and a client fed
 * a corrupted or cut server flight fails cleanly with an alert.
 */

#include "protocols/common/hex.h"
#include "protocols/tls/test-pki.h"
#include "protocols/tls13/tls13-client.h"
#include "protocols/tls13/tls13-messages.h"
#include "protocols/tls13/tls13-server.h"
#include "support/seeded-random.h"
#include "tls13-rfc8448-vectors.h"

#include <gtest/gtest.h>

namespace
{

using namespace lpwan::tls13;

Bytes
Hex(const char* hex)
{
    return *lpwan::FromHex(hex);
}

const lpwan::tls::TestPki&
Pki()
{
    static const lpwan::tls::TestPki pki = []
    {
        lpwan_test::SeededRandom64 random(1303);
        return lpwan::tls::GenerateTestPki(random);
    }();
    return pki;
}

struct Pair
{
    lpwan_test::SeededRandom64 clientRandom{1};
    lpwan_test::SeededRandom64 serverRandom{2};
    Client client;
    Server server;

    Pair(ClientConfig c, ServerConfig s)
      : client(std::move(c), clientRandom)
      , server(std::move(s), serverRandom)
    {
    }

    void Run()
    {
        client.Start(0);
        for (int i = 0; i < 10; ++i)
        {
            const Bytes toServer = client.TakeOutput();
            const Bytes toClient = server.TakeOutput();
            if (toServer.empty() && toClient.empty())
            {
                return;
            }
            server.Receive(i, toServer);
            client.Receive(i, toClient);
        }
    }
};

class Tls13Handshake : public ::testing::TestWithParam<std::tuple<uint16_t, uint16_t>>
{
};

TEST_P(Tls13Handshake, ClientAndServerAgree)
{
    const auto [cipherSuite, keyGroup] = GetParam();
    ClientConfig c;
    c.cipherSuites = {cipherSuite};
    c.keyShareGroups = {keyGroup};
    c.trustAnchors = {Pki().ca.certificateDer};
    c.serverName = "server.lpwan-sec.test";
    ServerConfig s;
    s.cipherSuites = {cipherSuite};
    s.certificateChain = {Pki().server.certificateDer};
    s.privateKey = Pki().server.privateKeyDer;
    s.ticketLifetime = 3600;
    s.sealTicket = [](const Bytes& psk)
    {
        return Bytes(psk.rbegin(), psk.rend());
    };
    Pair p(c, s);
    p.Run();
    ASSERT_FALSE(p.client.HasFailed()) << int(p.client.FailureAlert());
    ASSERT_FALSE(p.server.HasFailed()) << int(p.server.FailureAlert());
    ASSERT_TRUE(p.client.IsConnected());
    ASSERT_TRUE(p.server.IsConnected());
    EXPECT_EQ(cipherSuite, p.client.CipherSuite());
    EXPECT_EQ(p.client.Secrets().resumptionMasterSecret, p.server.Secrets().resumptionMasterSecret);
    ASSERT_EQ(1u, p.client.Tickets().size());
    EXPECT_EQ(ResumptionPsk(p.server.Secrets().resumptionMasterSecret, {0, 0}),
              p.client.Tickets()[0].psk);

    const Bytes big(40000, 0x5a); // more than two records' worth
    ASSERT_TRUE(p.client.SendApplicationData(big));
    p.server.Receive(100, p.client.TakeOutput());
    EXPECT_EQ(big, p.server.TakeApplicationData());
    ASSERT_TRUE(p.server.SendApplicationData({1, 2, 3}));
    p.client.Receive(101, p.server.TakeOutput());
    EXPECT_EQ((Bytes{1, 2, 3}), p.client.TakeApplicationData());
}

INSTANTIATE_TEST_SUITE_P(Tls13SuitesAndGroups, Tls13Handshake,
                         ::testing::Combine(::testing::Values(suite::kAes128GcmSha256,
                                                              suite::kAes128CcmSha256,
                                                              suite::kAes128Ccm8Sha256),
                                            ::testing::Values(group::kX25519, group::kSecp256r1)));

TEST(Tls13HandshakeFailures, UntrustedCertificateIsRefused)
{
    ClientConfig c;
    c.trustAnchors = {Hex(rfc8448::kRsaPublicExponent)}; // not a certificate at all
    ServerConfig s;
    s.certificateChain = {Pki().server.certificateDer};
    s.privateKey = Pki().server.privateKeyDer;
    Pair p(c, s);
    p.Run();
    EXPECT_TRUE(p.client.HasFailed());
    EXPECT_EQ(AlertDescription::BadCertificate, p.client.FailureAlert());
    EXPECT_TRUE(p.server.HasFailed()); // it received the alert
}

TEST(Tls13HandshakeFailures, NoCommonSuite)
{
    ClientConfig c;
    c.cipherSuites = {suite::kAes128Ccm8Sha256};
    ServerConfig s;
    s.cipherSuites = {suite::kAes128GcmSha256};
    s.certificateChain = {Pki().server.certificateDer};
    s.privateKey = Pki().server.privateKeyDer;
    Pair p(c, s);
    p.Run();
    EXPECT_EQ(AlertDescription::HandshakeFailure, p.server.FailureAlert());
    EXPECT_TRUE(p.client.HasFailed());
}

TEST(Tls13Strictness, EveryTruncationOfTheRfcMessagesIsRefused)
{
    struct Case
    {
        const char* hex;
        std::function<bool(const Bytes&)> parses;
    };
    const Case cases[] = {
        {rfc8448::kClientHello,
         [](const Bytes& b)
         {
             return ParseClientHello(b).has_value();
         }},
        {rfc8448::kServerHello,
         [](const Bytes& b)
         {
             return ParseServerHello(b).has_value();
         }},
        {rfc8448::kEncryptedExtensions,
         [](const Bytes& b)
         {
             return ParseEncryptedExtensions(b).has_value();
         }},
        {rfc8448::kCertificate,
         [](const Bytes& b)
         {
             return ParseCertificate(b).has_value();
         }},
        {rfc8448::kCertificateVerify,
         [](const Bytes& b)
         {
             return ParseCertificateVerify(b).has_value();
         }},
        {rfc8448::kServerFinished,
         [](const Bytes& b)
         {
             return ParseFinished(b).has_value();
         }},
        {rfc8448::kNewSessionTicket,
         [](const Bytes& b)
         {
             return ParseNewSessionTicket(b).has_value();
         }},
    };
    for (const Case& c : cases)
    {
        const Bytes message = Hex(c.hex);
        const Bytes body(message.begin() + 4, message.end());
        ASSERT_TRUE(c.parses(body)) << c.hex;
        for (size_t n = 0; n < body.size(); ++n)
        {
            EXPECT_FALSE(c.parses(Bytes(body.begin(), body.begin() + n))) << c.hex << " " << n;
        }
        Bytes longer = body;
        longer.push_back(0);
        EXPECT_FALSE(c.parses(longer)) << c.hex;
    }
}

TEST(Tls13Strictness, CorruptedServerFlightFailsCleanly)
{
    const Bytes flight = Hex(rfc8448::kServerFlightRecord);
    for (size_t i = 5; i < flight.size(); i += 37)
    {
        Bytes bad = flight;
        bad[i] ^= 0x80;
        lpwan_test::SeededRandom64 random(i);
        ClientConfig c;
        c.keyShareGroups = {group::kX25519};
        Client client(c, random);
        client.Start(0);
        client.Receive(1, Hex(rfc8448::kServerHelloRecord)); // a different key share: fails
        client.Receive(2, bad);
        EXPECT_TRUE(client.HasFailed());
        EXPECT_FALSE(client.TakeOutput().empty()); // ClientHello and an alert
    }
}

} // namespace
