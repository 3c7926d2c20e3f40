/*
 * The TLS 1.3 client and server with an external PSK (RFC 8446 sections 2.2, 4.2.9, 4.2.11):
 * psk_dhe_ke and psk_ke for every suite, no certificate on either side; the binder and the
 * ClientHello layout (pre_shared_key last, binder over the truncated ClientHello); and the
 * failures: a wrong key is refused by the server's binder check with decrypt_error before it
 * sends a protected byte, an unknown identity falls back to certificates (or fails without
 * them), a pre_shared_key that is not the last extension is an illegal_parameter.
 */

#include "protocols/tls/test-pki.h"
#include "protocols/tls13/tls13-client.h"
#include "protocols/tls13/tls13-messages.h"
#include "protocols/tls13/tls13-psk.h"
#include "protocols/tls13/tls13-record.h"
#include "protocols/tls13/tls13-server.h"
#include "support/seeded-random.h"

#include <gtest/gtest.h>

namespace
{

using namespace lpwan::tls13;

const Bytes kIdentity = {'m', 'e', 't', 'e', 'r', '-', '1'};
const Bytes kKey = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};

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
    lpwan_test::SeededRandom64 clientRandom{11};
    lpwan_test::SeededRandom64 serverRandom{12};
    Client client;
    Server server;
    Bytes clientHello; ///< the first flight, as sent

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
            if (i == 0)
            {
                clientHello = toServer;
            }
            if (toServer.empty() && toClient.empty())
            {
                return;
            }
            server.Receive(i, toServer);
            client.Receive(i, toClient);
        }
    }
};

ClientConfig
PskClient(Bytes key = kKey)
{
    ClientConfig c;
    c.externalPsk = ExternalPsk{kIdentity, std::move(key)};
    return c; // no trust anchors: a certificate could not be verified
}

ServerConfig
PskServer()
{
    ServerConfig s;
    s.externalPsk = ExternalPsk{kIdentity, kKey};
    return s; // no certificate: like `openssl s_server -nocert`
}

void
ExpectDataBothWays(Pair& p)
{
    ASSERT_TRUE(p.client.SendApplicationData({'u', 'p'}));
    p.server.Receive(100, p.client.TakeOutput());
    EXPECT_EQ((Bytes{'u', 'p'}), p.server.TakeApplicationData());
    ASSERT_TRUE(p.server.SendApplicationData({'d', 'o', 'w', 'n'}));
    p.client.Receive(101, p.server.TakeOutput());
    EXPECT_EQ((Bytes{'d', 'o', 'w', 'n'}), p.client.TakeApplicationData());
}

class Tls13Psk : public ::testing::TestWithParam<uint16_t>
{
};

TEST_P(Tls13Psk, PskDheKeWithoutCertificates)
{
    ClientConfig c = PskClient();
    c.cipherSuites = {GetParam()};
    Pair p(c, PskServer());
    p.Run();
    ASSERT_TRUE(p.client.IsConnected()) << int(p.client.FailureAlert());
    ASSERT_TRUE(p.server.IsConnected()) << int(p.server.FailureAlert());
    EXPECT_TRUE(p.client.PskSelected());
    EXPECT_TRUE(p.server.PskSelected());
    EXPECT_EQ(GetParam(), p.client.CipherSuite());
    EXPECT_EQ(group::kX25519, p.client.KeyExchangeGroup());
    EXPECT_EQ(group::kX25519, p.server.KeyExchangeGroup());
    EXPECT_TRUE(p.client.PeerCertificates().empty());
    EXPECT_EQ(p.client.Secrets().binderKey, p.server.Secrets().binderKey);
    EXPECT_EQ(p.client.Secrets().masterSecret, p.server.Secrets().masterSecret);
    ExpectDataBothWays(p);
}

TEST_P(Tls13Psk, PskKeWithoutKeyExchange)
{
    ClientConfig c = PskClient();
    c.cipherSuites = {GetParam()};
    c.pskKeyExchangeModes = {kPskKe};
    Pair p(c, PskServer());
    p.Run();
    ASSERT_TRUE(p.client.IsConnected()) << int(p.client.FailureAlert());
    ASSERT_TRUE(p.server.IsConnected()) << int(p.server.FailureAlert());
    EXPECT_TRUE(p.client.PskSelected());
    EXPECT_EQ(0, p.client.KeyExchangeGroup());
    EXPECT_EQ(0, p.server.KeyExchangeGroup());
    // Section 7.1: without (EC)DHE the handshake secret extracts Hash.length zeros.
    EXPECT_EQ(HkdfExtract(p.client.Secrets().derivedForHandshake, Bytes(kHashLength, 0)),
              p.client.Secrets().handshakeSecret);
    ExpectDataBothWays(p);
}

INSTANTIATE_TEST_SUITE_P(Tls13PskSuites, Tls13Psk,
                         ::testing::Values(suite::kAes128GcmSha256, suite::kAes128CcmSha256,
                                           suite::kAes128Ccm8Sha256));

TEST(Tls13PskHello, PreSharedKeyIsLastAndItsBinderCoversTheTruncatedHello)
{
    Pair p(PskClient(), PskServer());
    p.client.Start(0);
    const Bytes records = p.client.TakeOutput();
    const Bytes message(records.begin() + 5, records.end()); // one plaintext record
    const std::optional<ClientHello> ch
        = ParseClientHello(Bytes(message.begin() + 4, message.end()));
    ASSERT_TRUE(ch.has_value());
    ASSERT_EQ(ext::kPreSharedKey, ch->extensions.back().type);
    const std::optional<OfferedPsks> offer = DecodeOfferedPsks(ch->extensions.back().data);
    ASSERT_TRUE(offer.has_value());
    ASSERT_EQ(1u, offer->identities.size());
    EXPECT_EQ(kIdentity, offer->identities[0].identity);
    EXPECT_EQ(0u, offer->identities[0].obfuscatedTicketAge); // section 4.2.11, external
    KeySchedule early(kKey);
    EXPECT_EQ(PskBinder(early.DeriveBinderKey(false),
                        TruncateClientHello(message, OfferedPsksBindersLength(*offer))),
              offer->binders[0]);
    // psk_key_exchange_modes accompanies it (section 4.2.9).
    EXPECT_NE(nullptr, FindExtension(ch->extensions, ext::kPskKeyExchangeModes));
}

TEST(Tls13PskFailures, WrongKeyIsRefusedByTheBinderWithDecryptError)
{
    Bytes wrong = kKey;
    wrong[0] ^= 1;
    Pair p(PskClient(wrong), PskServer());
    p.Run();
    EXPECT_TRUE(p.server.HasFailed());
    EXPECT_EQ(AlertDescription::DecryptError, p.server.FailureAlert());
    EXPECT_FALSE(p.server.PskSelected());
    EXPECT_TRUE(p.client.HasFailed()); // it received the alert
    EXPECT_EQ(AlertDescription::DecryptError, p.client.FailureAlert());
    EXPECT_FALSE(p.client.IsConnected());
}

TEST(Tls13PskFailures, UnknownIdentityWithoutCertificateFails)
{
    ClientConfig c = PskClient();
    c.externalPsk->identity = {'s', 'o', 'm', 'e', 'o', 'n', 'e'};
    Pair p(c, PskServer());
    p.Run();
    EXPECT_TRUE(p.server.HasFailed());
    EXPECT_EQ(AlertDescription::HandshakeFailure, p.server.FailureAlert());
    EXPECT_TRUE(p.client.HasFailed());
}

TEST(Tls13PskFailures, UnknownIdentityFallsBackToTheCertificate)
{
    ClientConfig c = PskClient();
    c.externalPsk->identity = {'s', 'o', 'm', 'e', 'o', 'n', 'e'};
    c.trustAnchors = {Pki().ca.certificateDer};
    ServerConfig s = PskServer();
    s.certificateChain = {Pki().server.certificateDer};
    s.privateKey = Pki().server.privateKeyDer;
    Pair p(c, s);
    p.Run();
    ASSERT_TRUE(p.client.IsConnected()) << int(p.client.FailureAlert());
    ASSERT_TRUE(p.server.IsConnected()) << int(p.server.FailureAlert());
    EXPECT_FALSE(p.client.PskSelected());
    EXPECT_FALSE(p.server.PskSelected());
    EXPECT_EQ(1u, p.client.PeerCertificates().size());
    ExpectDataBothWays(p);
}

TEST(Tls13PskFailures, ServerWithoutPskKeRefusesAPskKeOnlyClient)
{
    ClientConfig c = PskClient();
    c.pskKeyExchangeModes = {kPskKe};
    ServerConfig s = PskServer();
    s.pskKeyExchangeModes = {kPskDheKe};
    Pair p(c, s);
    p.Run();
    EXPECT_TRUE(p.server.HasFailed());
    EXPECT_EQ(AlertDescription::HandshakeFailure, p.server.FailureAlert());
}

TEST(Tls13PskFailures, PreSharedKeyNotLastIsAnIllegalParameter)
{
    // A ClientHello with pre_shared_key followed by another extension, written by hand.
    ClientHello hello;
    hello.random = Bytes(32, 7);
    hello.cipherSuites = {suite::kAes128GcmSha256};
    OfferedPsks offer;
    offer.identities.push_back({kIdentity, 0});
    offer.binders.push_back(Bytes(kHashLength, 0));
    hello.extensions.push_back({ext::kSupportedVersions, EncodeClientSupportedVersions({kTls13})});
    hello.extensions.push_back({ext::kPskKeyExchangeModes, EncodePskKeyExchangeModes({kPskKe})});
    hello.extensions.push_back({ext::kPreSharedKey, EncodeOfferedPsks(offer)});
    hello.extensions.push_back({ext::kRecordSizeLimit, EncodeRecordSizeLimit(1024)});
    lpwan_test::SeededRandom64 random(3);
    Server server(PskServer(), random);
    server.Receive(0, EncodeRecord(ContentType::Handshake, kTls12, EncodeClientHello(hello)));
    EXPECT_TRUE(server.HasFailed());
    EXPECT_EQ(AlertDescription::IllegalParameter, server.FailureAlert());
}

TEST(Tls13PskFailures, PskWithoutModesIsAMissingExtension)
{
    ClientConfig c = PskClient();
    c.pskKeyExchangeModes = {};
    Pair p(c, PskServer());
    p.Run();
    // The client refuses to offer a PSK it could not use.
    EXPECT_TRUE(p.client.HasFailed());
    EXPECT_EQ(AlertDescription::InternalError, p.client.FailureAlert());
}

} // namespace
