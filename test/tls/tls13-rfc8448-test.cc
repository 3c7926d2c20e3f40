/*
 * RFC 8448 section 3 ("Simple 1-RTT Handshake") reproduced by the TLS 1.3 core: every secret,
 * key and IV the RFC lists, every handshake message (parsed and re-encoded byte for byte),
 * every protected record, and the client and server state machines replaying the trace with
 * the RFC's randoms and X25519 private keys injected through the RandomSource.
 *
 * The server's CertificateVerify uses rsa_pss_rsae_sha256, whose salt is random: a signature
 * made here cannot equal the RFC's. So the RFC's signature is verified with the RFC's
 * certificate, a signature made here with the RFC's key (section 2) is verified too, and for
 * the byte-for-byte server trace the RFC's signature is handed to the server through
 * ServerConfig::sign (after checking that the content it is asked to sign is the RFC's).
 */

#include "protocols/common/hex.h"
#include "protocols/tls13/tls13-client.h"
#include "protocols/tls13/tls13-key-exchange.h"
#include "protocols/tls13/tls13-key-schedule.h"
#include "protocols/tls13/tls13-messages.h"
#include "protocols/tls13/tls13-record.h"
#include "protocols/tls13/tls13-server.h"
#include "protocols/tls13/tls13-signature.h"
#include "support/seeded-random.h"
#include "tls13-rfc8448-vectors.h"

#include <gtest/gtest.h>

#include <deque>
#include <stdexcept>

namespace
{

using namespace lpwan::tls13;

Bytes
Hex(const std::string& hex)
{
    std::optional<Bytes> b = lpwan::FromHex(hex, " \n");
    if (!b)
    {
        throw std::invalid_argument("bad hex");
    }
    return *b;
}

std::string
ToHex(const Bytes& b)
{
    return lpwan::ToHex(b);
}

#define EXPECT_HEX(expected, actual) EXPECT_EQ(std::string(expected), ToHex(actual))

Bytes
Body(const Bytes& message)
{
    return Bytes(message.begin() + 4, message.end());
}

/// Replays the given bytes (big-endian per Uint32, as RandomBytes reads them), then continues
/// with a seeded generator: the RFC's randoms and keys first, then whatever a signature draws.
class ReplayThenSeeded : public lpwan::RandomSource
{
  public:
    explicit ReplayThenSeeded(const Bytes& prefix)
      : m_prefix(prefix.begin(), prefix.end())
      , m_rest(8448)
    {
        if (prefix.size() % 4 != 0)
        {
            throw std::invalid_argument("prefix must be whole words");
        }
    }

    double Uniform01() override
    {
        return Uint32() / 4294967296.0;
    }

    uint32_t Uint32() override
    {
        if (m_prefix.empty())
        {
            return m_rest.Uint32();
        }
        uint32_t w = 0;
        for (int i = 0; i < 4; ++i)
        {
            w = (w << 8) | m_prefix.front();
            m_prefix.pop_front();
        }
        return w;
    }

    size_t PrefixLeft() const
    {
        return m_prefix.size();
    }

  private:
    std::deque<uint8_t> m_prefix;
    lpwan_test::SeededRandom64 m_rest;
};

Bytes
Concat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const Bytes& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

Bytes
CertificateDer()
{
    std::optional<Certificate> c = ParseCertificate(Body(Hex(rfc8448::kCertificate)));
    if (!c || c->entries.size() != 1)
    {
        throw std::runtime_error("RFC 8448 Certificate does not parse");
    }
    return c->entries[0].certData;
}

Bytes
RsaKeyDer()
{
    std::optional<Bytes> der = RsaPrivateKeyFromComponents(
        Hex(rfc8448::kRsaModulus), Hex(rfc8448::kRsaPublicExponent),
        Hex(rfc8448::kRsaPrivateExponent), Hex(rfc8448::kRsaPrime1), Hex(rfc8448::kRsaPrime2));
    if (!der)
    {
        throw std::runtime_error("RFC 8448 RSA key does not form a key");
    }
    return *der;
}

Bytes
ApplicationPayload()
{
    Bytes b(50);
    for (size_t i = 0; i < b.size(); ++i)
    {
        b[i] = static_cast<uint8_t>(i);
    }
    return b;
}

// ------------------------------------------------------------------ key schedule

TEST(Tls13Rfc8448, X25519SharedSecret)
{
    EXPECT_HEX(rfc8448::kClientPublicKey,
               *KeySharePublicKey(group::kX25519, Hex(rfc8448::kClientPrivateKey)));
    EXPECT_HEX(rfc8448::kServerPublicKey,
               *KeySharePublicKey(group::kX25519, Hex(rfc8448::kServerPrivateKey)));
    EXPECT_HEX(rfc8448::kSharedSecret,
               *KeyShareSharedSecret(group::kX25519, Hex(rfc8448::kClientPrivateKey),
                                     Hex(rfc8448::kServerPublicKey)));
    EXPECT_HEX(rfc8448::kSharedSecret,
               *KeyShareSharedSecret(group::kX25519, Hex(rfc8448::kServerPrivateKey),
                                     Hex(rfc8448::kClientPublicKey)));
}

TEST(Tls13Rfc8448, HkdfLabelInfo)
{
    // {server} derive secret for handshake "tls13 derived": info (49 octets)
    EXPECT_EQ(
        "00200d746c733133206465726976656420e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
        "a495991b7852b855",
        ToHex(HkdfLabel("derived", Sha256({}), 32)));
    // {server} derive write traffic keys: key info (13 octets), iv info (12 octets)
    EXPECT_EQ("001009746c733133206b657900", ToHex(HkdfLabel("key", {}, 16)));
    EXPECT_EQ("000c08746c73313320697600", ToHex(HkdfLabel("iv", {}, 12)));
}

TEST(Tls13Rfc8448, TranscriptHashes)
{
    Transcript t;
    t.Add(Hex(rfc8448::kClientHello));
    t.Add(Hex(rfc8448::kServerHello));
    EXPECT_HEX(rfc8448::kHelloHash, t.Hash());
    t.Add(Hex(rfc8448::kEncryptedExtensions));
    t.Add(Hex(rfc8448::kCertificate));
    EXPECT_HEX(rfc8448::kCertificateHash, t.Hash());
    t.Add(Hex(rfc8448::kCertificateVerify));
    EXPECT_HEX(rfc8448::kCertificateVerifyHash, t.Hash());
    t.Add(Hex(rfc8448::kServerFinished));
    EXPECT_HEX(rfc8448::kServerFinishedHash, t.Hash());
    t.Add(Hex(rfc8448::kClientFinished));
    EXPECT_HEX(rfc8448::kClientFinishedHash, t.Hash());
}

TEST(Tls13Rfc8448, KeySchedule)
{
    KeySchedule ks;
    const KeyScheduleSecrets& s = ks.Secrets();
    EXPECT_HEX(rfc8448::kEarlySecret, s.earlySecret);
    ks.EnterHandshake(Hex(rfc8448::kSharedSecret), Hex(rfc8448::kHelloHash));
    EXPECT_HEX(rfc8448::kDerivedForHandshake, s.derivedForHandshake);
    EXPECT_HEX(rfc8448::kHandshakeSecret, s.handshakeSecret);
    EXPECT_HEX(rfc8448::kClientHandshakeTrafficSecret, s.clientHandshakeTrafficSecret);
    EXPECT_HEX(rfc8448::kServerHandshakeTrafficSecret, s.serverHandshakeTrafficSecret);
    ks.EnterApplication(Hex(rfc8448::kServerFinishedHash));
    EXPECT_HEX(rfc8448::kDerivedForMaster, s.derivedForMaster);
    EXPECT_HEX(rfc8448::kMasterSecret, s.masterSecret);
    EXPECT_HEX(rfc8448::kClientApplicationTrafficSecret, s.clientApplicationTrafficSecret);
    EXPECT_HEX(rfc8448::kServerApplicationTrafficSecret, s.serverApplicationTrafficSecret);
    EXPECT_HEX(rfc8448::kExporterMasterSecret, s.exporterMasterSecret);
    ks.DeriveResumptionMaster(Hex(rfc8448::kClientFinishedHash));
    EXPECT_HEX(rfc8448::kResumptionMasterSecret, s.resumptionMasterSecret);
    EXPECT_HEX(rfc8448::kResumptionPsk, ResumptionPsk(s.resumptionMasterSecret, {0, 0}));
}

TEST(Tls13Rfc8448, TrafficKeysAndFinished)
{
    const TrafficKeys shs = DeriveTrafficKeys(Hex(rfc8448::kServerHandshakeTrafficSecret), 16);
    EXPECT_HEX(rfc8448::kServerHandshakeKey, shs.key);
    EXPECT_HEX(rfc8448::kServerHandshakeIv, shs.iv);
    const TrafficKeys chs = DeriveTrafficKeys(Hex(rfc8448::kClientHandshakeTrafficSecret), 16);
    EXPECT_HEX(rfc8448::kClientHandshakeKey, chs.key);
    EXPECT_HEX(rfc8448::kClientHandshakeIv, chs.iv);
    const TrafficKeys sap = DeriveTrafficKeys(Hex(rfc8448::kServerApplicationTrafficSecret), 16);
    EXPECT_HEX(rfc8448::kServerApplicationKey, sap.key);
    EXPECT_HEX(rfc8448::kServerApplicationIv, sap.iv);
    const TrafficKeys cap = DeriveTrafficKeys(Hex(rfc8448::kClientApplicationTrafficSecret), 16);
    EXPECT_HEX(rfc8448::kClientApplicationKey, cap.key);
    EXPECT_HEX(rfc8448::kClientApplicationIv, cap.iv);

    EXPECT_HEX(rfc8448::kServerFinishedKey,
               FinishedKey(Hex(rfc8448::kServerHandshakeTrafficSecret)));
    EXPECT_HEX(rfc8448::kClientFinishedKey,
               FinishedKey(Hex(rfc8448::kClientHandshakeTrafficSecret)));
    EXPECT_EQ(Hex(rfc8448::kServerFinished),
              EncodeFinished(FinishedVerifyData(Hex(rfc8448::kServerHandshakeTrafficSecret),
                                                Hex(rfc8448::kCertificateVerifyHash))));
    EXPECT_EQ(Hex(rfc8448::kClientFinished),
              EncodeFinished(FinishedVerifyData(Hex(rfc8448::kClientHandshakeTrafficSecret),
                                                Hex(rfc8448::kServerFinishedHash))));
}

// ------------------------------------------------------------------ messages

TEST(Tls13Rfc8448, ClientHelloRoundTrip)
{
    const Bytes message = Hex(rfc8448::kClientHello);
    std::optional<ClientHello> ch = ParseClientHello(Body(message));
    ASSERT_TRUE(ch);
    EXPECT_HEX(rfc8448::kClientRandom, ch->random);
    EXPECT_EQ(ch->cipherSuites, (std::vector<uint16_t>{0x1301, 0x1303, 0x1302}));
    EXPECT_EQ(EncodeClientHello(*ch), message);

    EXPECT_EQ("server", *DecodeServerName(FindExtension(ch->extensions, ext::kServerName)->data));
    std::optional<std::vector<KeyShareEntry>> shares
        = DecodeClientKeyShares(FindExtension(ch->extensions, ext::kKeyShare)->data);
    ASSERT_TRUE(shares && shares->size() == 1);
    EXPECT_EQ(group::kX25519, (*shares)[0].group);
    EXPECT_HEX(rfc8448::kClientPublicKey, (*shares)[0].keyExchange);
    EXPECT_EQ((std::vector<uint16_t>{0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103,
                                     0x0104}),
              *DecodeU16List(FindExtension(ch->extensions, ext::kSupportedGroups)->data));
    EXPECT_EQ(
        15u, DecodeU16List(FindExtension(ch->extensions, ext::kSignatureAlgorithms)->data)->size());
    EXPECT_EQ(std::vector<uint16_t>{kTls13},
              *DecodeClientSupportedVersions(
                  FindExtension(ch->extensions, ext::kSupportedVersions)->data));
    EXPECT_EQ(
        std::vector<uint8_t>{kPskDheKe},
        *DecodePskKeyExchangeModes(FindExtension(ch->extensions, ext::kPskKeyExchangeModes)->data));
    EXPECT_EQ(0x4001,
              *DecodeRecordSizeLimit(FindExtension(ch->extensions, ext::kRecordSizeLimit)->data));
}

TEST(Tls13Rfc8448, ServerMessagesRoundTrip)
{
    const Bytes sh = Hex(rfc8448::kServerHello);
    std::optional<ServerHello> hello = ParseServerHello(Body(sh));
    ASSERT_TRUE(hello);
    EXPECT_FALSE(hello->IsHelloRetryRequest());
    EXPECT_EQ(suite::kAes128GcmSha256, hello->cipherSuite);
    EXPECT_HEX(rfc8448::kServerRandom, hello->random);
    EXPECT_HEX(
        rfc8448::kServerPublicKey,
        DecodeServerKeyShare(FindExtension(hello->extensions, ext::kKeyShare)->data)->keyExchange);
    EXPECT_EQ(EncodeServerHello(*hello), sh);

    const Bytes ee = Hex(rfc8448::kEncryptedExtensions);
    EXPECT_EQ(EncodeEncryptedExtensions(*ParseEncryptedExtensions(Body(ee))), ee);
    const Bytes cert = Hex(rfc8448::kCertificate);
    EXPECT_EQ(EncodeCertificate(*ParseCertificate(Body(cert))), cert);
    const Bytes cv = Hex(rfc8448::kCertificateVerify);
    std::optional<CertificateVerify> verify = ParseCertificateVerify(Body(cv));
    ASSERT_TRUE(verify);
    EXPECT_EQ(scheme::kRsaPssRsaeSha256, verify->scheme);
    EXPECT_EQ(EncodeCertificateVerify(*verify), cv);
    const Bytes fin = Hex(rfc8448::kServerFinished);
    EXPECT_EQ(EncodeFinished(*ParseFinished(Body(fin))), fin);

    const Bytes nstBytes = Hex(rfc8448::kNewSessionTicket);
    std::optional<NewSessionTicket> nst = ParseNewSessionTicket(Body(nstBytes));
    ASSERT_TRUE(nst);
    EXPECT_EQ(30u, nst->lifetime);
    EXPECT_EQ(0xfad6aac5u, nst->ageAdd);
    EXPECT_EQ((Bytes{0, 0}), nst->nonce);
    EXPECT_HEX(rfc8448::kTicket, nst->ticket);
    EXPECT_EQ(1024u,
              *DecodeMaxEarlyDataSize(FindExtension(nst->extensions, ext::kEarlyData)->data));
    EXPECT_EQ(EncodeNewSessionTicket(*nst), nstBytes);
}

// ------------------------------------------------------------------ signature

TEST(Tls13Rfc8448, CertificateVerifySignature)
{
    const Bytes certDer = CertificateDer();
    const Bytes content = CertificateVerifyInput(true, Hex(rfc8448::kCertificateHash));
    const Bytes rfcSignature
        = ParseCertificateVerify(Body(Hex(rfc8448::kCertificateVerify)))->signature;
    // The RFC's own signature verifies with the RFC's certificate ...
    EXPECT_TRUE(Verify(certDer, scheme::kRsaPssRsaeSha256, content, rfcSignature));
    Bytes tampered = content;
    tampered.back() ^= 1;
    EXPECT_FALSE(Verify(certDer, scheme::kRsaPssRsaeSha256, tampered, rfcSignature));
    // ... and one made here with the section 2 key verifies too (a different salt, so
    // different bytes).
    ReplayThenSeeded random({});
    std::optional<Bytes> mine = Sign(RsaKeyDer(), scheme::kRsaPssRsaeSha256, content, random);
    ASSERT_TRUE(mine);
    EXPECT_EQ(rfcSignature.size(), mine->size());
    EXPECT_TRUE(Verify(certDer, scheme::kRsaPssRsaeSha256, content, *mine));
    EXPECT_EQ(std::vector<uint16_t>{scheme::kRsaPssRsaeSha256},
              SignatureSchemesForKey(RsaKeyDer()));
    // The certificate is its own trust anchor (pinned).
    EXPECT_TRUE(VerifyCertificateChain({certDer}, {certDer}, ""));
}

// ------------------------------------------------------------------ records

TEST(Tls13Rfc8448, ProtectedRecords)
{
    const CipherSuiteInfo gcm = *LookUpCipherSuite(suite::kAes128GcmSha256);
    const TrafficKeys shs = DeriveTrafficKeys(Hex(rfc8448::kServerHandshakeTrafficSecret), 16);
    const TrafficKeys chs = DeriveTrafficKeys(Hex(rfc8448::kClientHandshakeTrafficSecret), 16);
    const TrafficKeys sap = DeriveTrafficKeys(Hex(rfc8448::kServerApplicationTrafficSecret), 16);
    const TrafficKeys cap = DeriveTrafficKeys(Hex(rfc8448::kClientApplicationTrafficSecret), 16);

    const Bytes flight = Concat({Hex(rfc8448::kEncryptedExtensions), Hex(rfc8448::kCertificate),
                                 Hex(rfc8448::kCertificateVerify), Hex(rfc8448::kServerFinished)});
    RecordProtection serverHs(gcm, shs);
    EXPECT_HEX(rfc8448::kServerFlightRecord, serverHs.Protect(ContentType::Handshake, flight));
    RecordProtection clientHs(gcm, chs);
    EXPECT_HEX(rfc8448::kClientFinishedRecord,
               clientHs.Protect(ContentType::Handshake, Hex(rfc8448::kClientFinished)));

    RecordProtection serverAp(gcm, sap);
    EXPECT_HEX(rfc8448::kNewSessionTicketRecord,
               serverAp.Protect(ContentType::Handshake, Hex(rfc8448::kNewSessionTicket)));
    EXPECT_HEX(rfc8448::kServerApplicationDataRecord,
               serverAp.Protect(ContentType::ApplicationData, ApplicationPayload()));
    EXPECT_HEX(rfc8448::kServerAlertRecord, serverAp.Protect(ContentType::Alert, {1, 0}));
    RecordProtection clientAp(gcm, cap);
    EXPECT_HEX(rfc8448::kClientApplicationDataRecord,
               clientAp.Protect(ContentType::ApplicationData, ApplicationPayload()));
    EXPECT_HEX(rfc8448::kClientAlertRecord, clientAp.Protect(ContentType::Alert, {1, 0}));

    // And back: the reader cuts the record, unprotection restores type and content.
    RecordReader reader;
    const Bytes record = Hex(rfc8448::kServerFlightRecord);
    reader.Add(record.data(), record.size());
    std::optional<Record> r = reader.Next();
    ASSERT_TRUE(r);
    RecordProtection serverHsRead(gcm, shs);
    auto inner = serverHsRead.Unprotect(*r);
    ASSERT_TRUE(inner);
    EXPECT_EQ(ContentType::Handshake, inner->first);
    EXPECT_EQ(flight, inner->second);
    // A flipped bit anywhere fails the tag.
    Record bad = *r;
    bad.fragment[100] ^= 0x01;
    RecordProtection again(gcm, shs);
    EXPECT_FALSE(again.Unprotect(bad));
}

// ------------------------------------------------------------------ state machines

ClientConfig
Rfc8448ClientConfig()
{
    ClientConfig c;
    c.serverName = "server";
    c.cipherSuites
        = {suite::kAes128GcmSha256, suite::kChaCha20Poly1305Sha256, suite::kAes256GcmSha384};
    c.supportedGroups = {group::kX25519,    group::kSecp256r1, group::kSecp384r1,
                         group::kSecp521r1, group::kFfdhe2048, group::kFfdhe3072,
                         group::kFfdhe4096, group::kFfdhe6144, group::kFfdhe8192};
    c.keyShareGroups = {group::kX25519};
    c.signatureAlgorithms = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401,
                             0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202};
    c.pskKeyExchangeModes = {kPskDheKe};
    c.recordSizeLimit = 0x4001;
    c.sendSessionTicketExtension = true;
    c.sendRenegotiationInfo = true;
    c.trustAnchors = {CertificateDer()};
    return c;
}

ServerConfig
Rfc8448ServerConfig()
{
    ServerConfig s;
    s.cipherSuites = {suite::kAes128GcmSha256};
    s.keyExchangeGroups = {group::kX25519};
    s.advertisedGroups = {group::kX25519,    group::kSecp256r1, group::kSecp384r1,
                          group::kSecp521r1, group::kFfdhe2048, group::kFfdhe3072,
                          group::kFfdhe4096, group::kFfdhe6144, group::kFfdhe8192};
    s.certificateChain = {CertificateDer()};
    s.privateKey = RsaKeyDer();
    s.recordSizeLimit = 0x4001;
    s.ticketLifetime = 30;
    s.ticketNonceLength = 2;
    s.maxEarlyDataSize = 1024;
    s.sealTicket = [](const Bytes& psk)
    {
        // The RFC's ticket is an opaque blob of its server; the PSK it stands for must be the
        // RFC's resumption PSK.
        EXPECT_HEX(rfc8448::kResumptionPsk, psk);
        return Hex(rfc8448::kTicket);
    };
    return s;
}

TEST(Tls13Rfc8448, ClientReproducesTrace)
{
    ReplayThenSeeded random(Concat({Hex(rfc8448::kClientRandom), Hex(rfc8448::kClientPrivateKey)}));
    Client client(Rfc8448ClientConfig(), random);
    client.Start(0);
    EXPECT_HEX(rfc8448::kClientHelloRecord, client.TakeOutput());
    EXPECT_EQ(0u, random.PrefixLeft());

    // The server's records as the RFC lists them, in one delivery.
    client.Receive(1,
                   Concat({Hex(rfc8448::kServerHelloRecord), Hex(rfc8448::kServerFlightRecord)}));
    ASSERT_FALSE(client.HasFailed()) << int(client.FailureAlert());
    EXPECT_TRUE(client.IsConnected());
    EXPECT_HEX(rfc8448::kClientFinishedRecord, client.TakeOutput());
    const KeyScheduleSecrets& s = client.Secrets();
    EXPECT_HEX(rfc8448::kHandshakeSecret, s.handshakeSecret);
    EXPECT_HEX(rfc8448::kMasterSecret, s.masterSecret);
    EXPECT_HEX(rfc8448::kResumptionMasterSecret, s.resumptionMasterSecret);

    client.Receive(2, Hex(rfc8448::kNewSessionTicketRecord));
    ASSERT_EQ(1u, client.Tickets().size());
    EXPECT_HEX(rfc8448::kResumptionPsk, client.Tickets()[0].psk);
    EXPECT_HEX(rfc8448::kTicket, client.Tickets()[0].ticket);
    EXPECT_EQ(1024u, *client.Tickets()[0].maxEarlyDataSize);

    ASSERT_TRUE(client.SendApplicationData(ApplicationPayload()));
    EXPECT_HEX(rfc8448::kClientApplicationDataRecord, client.TakeOutput());
    client.Receive(3, Hex(rfc8448::kServerApplicationDataRecord));
    EXPECT_EQ(ApplicationPayload(), client.TakeApplicationData());
    client.Close();
    EXPECT_HEX(rfc8448::kClientAlertRecord, client.TakeOutput());
    client.Receive(4, Hex(rfc8448::kServerAlertRecord));
    const std::vector<Event> events = client.TakeEvents();
    ASSERT_EQ(3u, events.size());
    EXPECT_EQ(EventType::HandshakeComplete, events[0].type);
    EXPECT_EQ(EventType::TicketReceived, events[1].type);
    EXPECT_EQ(EventType::PeerClosed, events[2].type);
}

TEST(Tls13Rfc8448, ServerReproducesTraceWithTheRfcSignature)
{
    ServerConfig config = Rfc8448ServerConfig();
    const Bytes rfcSignature
        = ParseCertificateVerify(Body(Hex(rfc8448::kCertificateVerify)))->signature;
    config.sign = [&](uint16_t scheme, const Bytes& content) -> std::optional<Bytes>
    {
        EXPECT_EQ(scheme::kRsaPssRsaeSha256, scheme);
        EXPECT_EQ(CertificateVerifyInput(true, Hex(rfc8448::kCertificateHash)), content);
        return rfcSignature;
    };
    ReplayThenSeeded random(Concat({Hex(rfc8448::kServerRandom), Hex(rfc8448::kServerPrivateKey),
                                    Hex(rfc8448::kTicketAgeAdd)}));
    Server server(config, random);
    server.Receive(0, Hex(rfc8448::kClientHelloRecord));
    ASSERT_FALSE(server.HasFailed()) << int(server.FailureAlert());
    EXPECT_EQ(0u, random.PrefixLeft());
    EXPECT_EQ("server", server.ServerName());
    EXPECT_EQ(ToHex(Hex(rfc8448::kServerHelloRecord)) + ToHex(Hex(rfc8448::kServerFlightRecord)),
              ToHex(server.TakeOutput()));

    server.Receive(1, Hex(rfc8448::kClientFinishedRecord));
    ASSERT_FALSE(server.HasFailed()) << int(server.FailureAlert());
    EXPECT_TRUE(server.IsConnected());
    EXPECT_HEX(rfc8448::kNewSessionTicketRecord, server.TakeOutput());
    EXPECT_HEX(rfc8448::kResumptionMasterSecret, server.Secrets().resumptionMasterSecret);

    server.Receive(2, Hex(rfc8448::kClientApplicationDataRecord));
    EXPECT_EQ(ApplicationPayload(), server.TakeApplicationData());
    ASSERT_TRUE(server.SendApplicationData(ApplicationPayload()));
    EXPECT_HEX(rfc8448::kServerApplicationDataRecord, server.TakeOutput());
    server.Receive(3, Hex(rfc8448::kClientAlertRecord));
    server.Close();
    EXPECT_HEX(rfc8448::kServerAlertRecord, server.TakeOutput());
}

TEST(Tls13Rfc8448, KeyLogHoldsTheRfcsSecrets)
{
    // The key log (NSS format, as Wireshark reads it) of both sides of the RFC's trace: five
    // lines at the end of the handshake, each the client random and the secret the RFC lists.
    const std::string random = ToHex(Hex(rfc8448::kClientRandom));
    const std::vector<std::string> expected = {
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET " + random + " "
            + ToHex(Hex(rfc8448::kClientHandshakeTrafficSecret)) + "\n",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET " + random + " "
            + ToHex(Hex(rfc8448::kServerHandshakeTrafficSecret)) + "\n",
        "CLIENT_TRAFFIC_SECRET_0 " + random + " "
            + ToHex(Hex(rfc8448::kClientApplicationTrafficSecret)) + "\n",
        "SERVER_TRAFFIC_SECRET_0 " + random + " "
            + ToHex(Hex(rfc8448::kServerApplicationTrafficSecret)) + "\n",
        "EXPORTER_SECRET " + random + " " + ToHex(Hex(rfc8448::kExporterMasterSecret)) + "\n",
    };

    std::vector<std::string> serverLog;
    ServerConfig serverConfig = Rfc8448ServerConfig();
    const Bytes rfcSignature
        = ParseCertificateVerify(Body(Hex(rfc8448::kCertificateVerify)))->signature;
    serverConfig.sign = [&rfcSignature](uint16_t, const Bytes&) -> std::optional<Bytes>
    {
        return rfcSignature; // the RFC's transcript needs the RFC's (salted) signature
    };
    serverConfig.keyLog = [&serverLog](const std::string& line)
    {
        serverLog.push_back(line);
    };
    ReplayThenSeeded serverRandom(
        Concat({Hex(rfc8448::kServerRandom), Hex(rfc8448::kServerPrivateKey),
                Hex(rfc8448::kTicketAgeAdd)}));
    Server server(serverConfig, serverRandom);
    server.Receive(0, Hex(rfc8448::kClientHelloRecord));
    EXPECT_TRUE(serverLog.empty()); // nothing before the handshake completes
    server.Receive(1, Hex(rfc8448::kClientFinishedRecord));
    ASSERT_TRUE(server.IsConnected());
    EXPECT_EQ(expected, serverLog);

    std::vector<std::string> clientLog;
    ClientConfig clientConfig = Rfc8448ClientConfig();
    clientConfig.keyLog = [&clientLog](const std::string& line)
    {
        clientLog.push_back(line);
    };
    ReplayThenSeeded clientRandom(
        Concat({Hex(rfc8448::kClientRandom), Hex(rfc8448::kClientPrivateKey)}));
    Client client(clientConfig, clientRandom);
    client.Start(0);
    client.Receive(1,
                   Concat({Hex(rfc8448::kServerHelloRecord), Hex(rfc8448::kServerFlightRecord)}));
    ASSERT_TRUE(client.IsConnected());
    EXPECT_EQ(expected, clientLog);
}

TEST(Tls13Rfc8448, ServerSigningItselfStillMatchesEveryOtherByte)
{
    // Signing with the section 2 key (a fresh PSS salt): ServerHello and the flight's length
    // are the RFC's; decrypted, the flight is EncryptedExtensions and Certificate as in the
    // RFC, a CertificateVerify of the same shape that verifies, and a Finished over it.
    ReplayThenSeeded random(Concat({Hex(rfc8448::kServerRandom), Hex(rfc8448::kServerPrivateKey),
                                    Hex(rfc8448::kTicketAgeAdd)}));
    Server server(Rfc8448ServerConfig(), random);
    server.Receive(0, Hex(rfc8448::kClientHelloRecord));
    ASSERT_FALSE(server.HasFailed());
    const Bytes out = server.TakeOutput();
    const Bytes shRecord = Hex(rfc8448::kServerHelloRecord);
    const Bytes rfcFlight = Hex(rfc8448::kServerFlightRecord);
    ASSERT_EQ(shRecord.size() + rfcFlight.size(), out.size());
    EXPECT_EQ(shRecord, Bytes(out.begin(), out.begin() + shRecord.size()));
    Record r;
    r.type = ContentType::ApplicationData;
    r.fragment.assign(out.begin() + shRecord.size() + 5, out.end());
    RecordProtection read(*LookUpCipherSuite(suite::kAes128GcmSha256),
                          DeriveTrafficKeys(Hex(rfc8448::kServerHandshakeTrafficSecret), 16));
    auto inner = read.Unprotect(r);
    ASSERT_TRUE(inner);
    HandshakeReassembler messages;
    messages.Add(inner->second);
    EXPECT_HEX(rfc8448::kEncryptedExtensions, messages.Next()->full);
    EXPECT_HEX(rfc8448::kCertificate, messages.Next()->full);
    const HandshakeMessage cv = *messages.Next();
    const Bytes rfcCv = Hex(rfc8448::kCertificateVerify);
    EXPECT_EQ(Bytes(rfcCv.begin(), rfcCv.begin() + 8), Bytes(cv.full.begin(), cv.full.begin() + 8));
    EXPECT_TRUE(Verify(CertificateDer(), scheme::kRsaPssRsaeSha256,
                       CertificateVerifyInput(true, Hex(rfc8448::kCertificateHash)),
                       ParseCertificateVerify(cv.body)->signature));
    EXPECT_EQ(HandshakeType::Finished, messages.Next()->type);
    EXPECT_TRUE(messages.Empty());
}

} // namespace
