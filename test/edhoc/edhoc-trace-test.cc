/*
 * RFC 9529's two traces reproduced byte for byte by the Initiator and Responder state machines,
 * with the RFC's ephemeral keys injected through the RandomSource: every message, every
 * intermediate value of both sides, PRK_out / PRK_exporter, the OSCORE Master Secret / Salt and
 * Sender / Recipient IDs, and the key update.
 */

#include "edhoc-rfc9529-vectors.h"
#include "edhoc-test-util.h"
#include "protocols/edhoc/edhoc-credential.h"
#include "protocols/edhoc/edhoc-ecdh.h"
#include "protocols/edhoc/edhoc-initiator.h"
#include "protocols/edhoc/edhoc-key-schedule.h"
#include "protocols/edhoc/edhoc-messages.h"
#include "protocols/edhoc/edhoc-responder.h"
#include "protocols/edhoc/edhoc-signature.h"
#include "protocols/oscore/oscore-security-context.h"

#include <gtest/gtest.h>

namespace
{

using namespace lpwan::edhoc;
using namespace edhoc_test;

#define EXPECT_HEX(expected, actual) EXPECT_EQ(std::string(expected), ToHex(actual))

// ------------------------------------------------------------------ trace 1 (section 2)

struct Trace1Parties
{
    InitiatorConfig initiator;
    ResponderConfig responder;
};

Trace1Parties
Trace1Configs()
{
    using namespace trace1;
    std::optional<Credential> credI = MakeX509Credential(Hex(kCertI));
    std::optional<Credential> credR = MakeX509Credential(Hex(kCertR));
    EXPECT_TRUE(credI && credR);
    Trace1Parties p;
    p.initiator.method = Method::SignatureSignature;
    p.initiator.suites = {0};
    p.initiator.connectionId = Hex(kCI);
    p.initiator.credentials = {{*credI, Hex(kSkI)}};
    p.initiator.peerCredentials = {*credR};
    p.initiator.expectMessage4 = true;
    p.responder.suites = {0};
    p.responder.connectionId = Hex(kCR);
    p.responder.credentials = {{*credR, Hex(kSkR)}};
    p.responder.peerCredentials = {*credI};
    p.responder.sendMessage4 = true;
    return p;
}

TEST(EdhocRfc9529Trace1, Credentials)
{
    using namespace trace1;
    std::optional<Credential> credR = MakeX509Credential(Hex(kCertR));
    ASSERT_TRUE(credR);
    EXPECT_EQ(credR->keyType, KeyType::Ed25519);
    EXPECT_HEX(kPkR, credR->publicKey);
    EXPECT_HEX(kIdCredR, credR->idCred); // x5t = SHA-256/64 of the certificate
    EXPECT_EQ(ToHex(credR->cred), "58f1" + std::string(kCertR));
    std::optional<Credential> credI = MakeX509Credential(Hex(kCertI));
    ASSERT_TRUE(credI);
    EXPECT_HEX(kPkI, credI->publicKey);
    EXPECT_HEX(kIdCredI, credI->idCred);
    // The private keys are the RFC 8032 seeds of these public keys.
    EXPECT_HEX(kPkR, *SignaturePublicKey(SignatureAlgorithm::EdDsa, Hex(kSkR)));
    EXPECT_HEX(kPkI, *SignaturePublicKey(SignatureAlgorithm::EdDsa, Hex(kSkI)));
    EXPECT_HEX(kGX, *DhPublicKey(Curve::X25519, Hex(kX)));
    EXPECT_HEX(kGY, *DhPublicKey(Curve::X25519, Hex(kY)));
}

TEST(EdhocRfc9529Trace1, FullExchangeByteForByte)
{
    using namespace trace1;
    Trace1Parties cfg = Trace1Configs();
    ReplayRandom randomI(Hex(kX));
    ReplayRandom randomR(Hex(kY));
    Initiator initiator(cfg.initiator, randomI);
    Responder responder(cfg.responder, randomR);

    Outcome o1 = initiator.Start();
    ASSERT_EQ(o1.status, Status::Continue) << o1.diagnostic;
    EXPECT_HEX(kMessage1, o1.message);
    EXPECT_HEX(kHashMessage1, initiator.GetIntermediates().hashMessage1);

    Outcome o2 = responder.HandleMessage1(o1.message);
    ASSERT_EQ(o2.status, Status::Continue) << o2.diagnostic;
    EXPECT_HEX(kMessage2, o2.message);
    const Intermediates& r = responder.GetIntermediates();
    EXPECT_HEX(kHashMessage1, r.hashMessage1);
    EXPECT_HEX(kTh2, r.th2);
    EXPECT_HEX(kGXY, r.gXY);
    EXPECT_HEX(kPrk2e, r.prk2e);
    EXPECT_HEX(kPrk3e2m, r.prk3e2m);
    EXPECT_EQ(ToHex(r.context2), std::string("4118") + kIdCredR + "5820" + kTh2 + "58f1" + kCertR);
    EXPECT_HEX(kMac2, r.mac2);
    EXPECT_HEX(kSignatureOrMac2, r.signatureOrMac2);
    EXPECT_EQ(ToHex(r.plaintext2), std::string("4118") + kIdCredR + "5840" + kSignatureOrMac2);
    EXPECT_HEX(kKeystream2, r.keystream2);
    EXPECT_HEX(kCiphertext2, r.ciphertext2);
    EXPECT_HEX(kTh3, r.th3);

    Outcome o3 = initiator.HandleMessage2(o2.message);
    ASSERT_EQ(o3.status, Status::Continue) << o3.diagnostic; // message_4 expected
    EXPECT_HEX(kMessage3, o3.message);
    const Intermediates& i = initiator.GetIntermediates();
    EXPECT_HEX(kTh2, i.th2);
    EXPECT_HEX(kGXY, i.gXY);
    EXPECT_HEX(kPrk2e, i.prk2e);
    EXPECT_HEX(kKeystream2, i.keystream2);
    EXPECT_HEX(kMac2, i.mac2);
    EXPECT_HEX(kSignatureOrMac2, i.signatureOrMac2);
    EXPECT_HEX(kTh3, i.th3);
    EXPECT_HEX(kPrk3e2m, i.prk4e3m); // both sign: PRK_4e3m = PRK_3e2m = PRK_2e
    EXPECT_EQ(ToHex(i.context3), std::string(kIdCredI) + "5820" + kTh3 + "58f1" + kCertI);
    EXPECT_HEX(kMac3, i.mac3);
    EXPECT_HEX(kSignatureOrMac3, i.signatureOrMac3);
    EXPECT_EQ(ToHex(i.plaintext3), std::string(kIdCredI) + "5840" + kSignatureOrMac3);
    EXPECT_HEX(kK3, i.k3);
    EXPECT_HEX(kIv3, i.iv3);
    EXPECT_HEX(kCiphertext3, i.ciphertext3);
    EXPECT_HEX(kTh4, i.th4);
    EXPECT_FALSE(initiator.IsCompleted());

    Outcome o4 = responder.HandleMessage3(o3.message);
    ASSERT_EQ(o4.status, Status::Completed) << o4.diagnostic;
    EXPECT_HEX(kMessage4, o4.message);
    EXPECT_HEX(kTh4, r.th4);
    EXPECT_HEX(kMac3, r.mac3);
    EXPECT_HEX(kK4, r.k4);
    EXPECT_HEX(kIv4, r.iv4);
    EXPECT_HEX(kCiphertext4, r.ciphertext4);

    Outcome o5 = initiator.HandleMessage4(o4.message);
    ASSERT_EQ(o5.status, Status::Completed) << o5.diagnostic;
    EXPECT_TRUE(o5.message.empty());
    EXPECT_HEX(kK4, i.k4);
    EXPECT_HEX(kIv4, i.iv4);

    for (const Session* s :
         {static_cast<const Session*>(&initiator), static_cast<const Session*>(&responder)})
    {
        EXPECT_TRUE(s->IsCompleted());
        EXPECT_HEX(kPrkOut, s->GetPrkOut());
        EXPECT_HEX(kPrkExporter, s->GetPrkExporter());
    }
    // Both used all of the injected randomness and nothing more.
    EXPECT_EQ(randomI.Remaining(), 0u);
    EXPECT_EQ(randomR.Remaining(), 0u);

    // OSCORE (RFC 9528 appendix A.1): the Initiator sends with C_R and receives with C_I.
    std::optional<OscoreMaterial> mi = initiator.GetOscoreMaterial();
    std::optional<OscoreMaterial> mr = responder.GetOscoreMaterial();
    ASSERT_TRUE(mi && mr);
    EXPECT_HEX(kMasterSecret, mi->masterSecret);
    EXPECT_HEX(kMasterSalt, mi->masterSalt);
    EXPECT_HEX(kCR, mi->senderId);
    EXPECT_HEX(kCI, mi->recipientId);
    EXPECT_HEX(kMasterSecret, mr->masterSecret);
    EXPECT_HEX(kMasterSalt, mr->masterSalt);
    EXPECT_HEX(kCI, mr->senderId);
    EXPECT_HEX(kCR, mr->recipientId);

    // Key update (RFC 9528 appendix H), as in the trace.
    ASSERT_TRUE(initiator.KeyUpdate(Hex(kKeyUpdateContext)));
    EXPECT_HEX(kPrkOutUpdated, initiator.GetPrkOut());
    EXPECT_HEX(kPrkExporterUpdated, initiator.GetPrkExporter());
    EXPECT_HEX(kMasterSecretUpdated, initiator.GetOscoreMaterial()->masterSecret);
    EXPECT_HEX(kMasterSaltUpdated, initiator.GetOscoreMaterial()->masterSalt);
}

TEST(EdhocRfc9529Trace1, OscoreContextsFromBothSidesMatch)
{
    using namespace trace1;
    Trace1Parties cfg = Trace1Configs();
    cfg.initiator.expectMessage4 = false;
    cfg.responder.sendMessage4 = false;
    ReplayRandom randomI(Hex(kX));
    ReplayRandom randomR(Hex(kY));
    Initiator initiator(cfg.initiator, randomI);
    Responder responder(cfg.responder, randomR);
    Outcome o2 = responder.HandleMessage1(initiator.Start().message);
    Outcome o3 = initiator.HandleMessage2(o2.message);
    ASSERT_EQ(o3.status, Status::Completed) << o3.diagnostic; // no message_4: done now
    EXPECT_HEX(kMessage3, o3.message);
    Outcome o4 = responder.HandleMessage3(o3.message);
    ASSERT_EQ(o4.status, Status::Completed) << o4.diagnostic;
    EXPECT_TRUE(o4.message.empty());

    lpwan::oscore::ContextParameters pi = ToOscoreParameters(*initiator.GetOscoreMaterial());
    lpwan::oscore::ContextParameters pr = ToOscoreParameters(*responder.GetOscoreMaterial());
    ASSERT_EQ(lpwan::oscore::ValidateParameters(pi), "");
    ASSERT_EQ(lpwan::oscore::ValidateParameters(pr), "");
    lpwan::oscore::SecurityContext ci(pi);
    lpwan::oscore::SecurityContext cr(pr);
    EXPECT_EQ(ci.GetSenderKey(), cr.GetRecipientKey());
    EXPECT_EQ(ci.GetRecipientKey(), cr.GetSenderKey());
    EXPECT_EQ(ci.GetCommonIv(), cr.GetCommonIv());
}

// ------------------------------------------------------------------ trace 2 (section 3)

Credential
Trace2CredR()
{
    using namespace trace2;
    return MakeCcsCredential("example.edu", Hex("32"), KeyType::P256,
                             Concat({Hex(kPkRx), Hex(kPkRy)}));
}

Credential
Trace2CredI()
{
    using namespace trace2;
    return MakeCcsCredential("42-50-31-FF-EF-37-32-39", Hex("2b"), KeyType::P256,
                             Concat({Hex(kPkIx), Hex(kPkIy)}));
}

ResponderConfig
Trace2Responder()
{
    ResponderConfig c;
    c.suites = {2};
    c.connectionId = Hex(trace2::kCR);
    c.credentials = {{Trace2CredR(), Hex(trace2::kSkR)}};
    c.peerCredentials = {Trace2CredI()};
    c.sendMessage4 = true;
    return c;
}

InitiatorConfig
Trace2Initiator()
{
    InitiatorConfig c;
    c.method = Method::StaticDhStaticDh;
    c.suites = {6, 2}; // suite 6 preferred but not run here: SUITES_I = [6, 2]
    c.connectionId = Hex(trace2::kCI);
    c.credentials = {{Trace2CredI(), Hex(trace2::kSkI)}};
    c.peerCredentials = {Trace2CredR()};
    c.expectMessage4 = true;
    return c;
}

TEST(EdhocRfc9529Trace2, Credentials)
{
    using namespace trace2;
    EXPECT_HEX(kCredR, Trace2CredR().cred);
    EXPECT_HEX(kIdCredR, Trace2CredR().idCred);
    EXPECT_HEX(kCredI, Trace2CredI().cred);
    EXPECT_HEX(kIdCredI, Trace2CredI().idCred);
    EXPECT_EQ(ToHex(*DhPublicKey(Curve::P256, Hex(kSkR))), std::string(kPkRx) + kPkRy);
    EXPECT_EQ(ToHex(*DhPublicKey(Curve::P256, Hex(kSkI))), std::string(kPkIx) + kPkIy);
    // The ephemeral keys: only x travels (compact representation).
    EXPECT_EQ(ToHex(*DhPublicKey(Curve::P256, Hex(kX))).substr(0, 64), kGX);
    EXPECT_EQ(ToHex(*DhPublicKey(Curve::P256, Hex(kY))).substr(0, 64), kGY);
    // G_XY from an x-only G_Y (the y-coordinate is recomputed).
    EXPECT_HEX(kGXY, *DhSharedSecret(Curve::P256, Hex(kX), Hex(kGY)));
    EXPECT_HEX(kGXY, *DhSharedSecret(Curve::P256, Hex(kY), Hex(kGX)));
}

TEST(EdhocRfc9529Trace2, SuiteNegotiationError)
{
    // The first message_1 selects suite 6, which the Responder does not support: it answers
    // with ERR_CODE 2 and SUITES_R = 2.
    Message1 first;
    first.method = 3;
    first.suites = {6};
    first.gX = Hex(trace2::kGX);
    first.cI = Hex(trace2::kCI);
    SeededRandom random(1);
    Responder responder(Trace2Responder(), random);
    Outcome o = responder.HandleMessage1(EncodeMessage1(first));
    EXPECT_EQ(o.status, Status::SentError);
    EXPECT_HEX(trace2::kError, o.message);
    EXPECT_TRUE(responder.IsAborted());
}

TEST(EdhocRfc9529Trace2, FullExchangeByteForByte)
{
    using namespace trace2;
    ReplayRandom randomI(Hex(kX));
    ReplayRandom randomR(Hex(kY));
    Initiator initiator(Trace2Initiator(), randomI);
    Responder responder(Trace2Responder(), randomR);

    Outcome o1 = initiator.Start();
    ASSERT_EQ(o1.status, Status::Continue) << o1.diagnostic;
    EXPECT_HEX(kMessage1, o1.message);
    EXPECT_EQ(o1.message.size(), 39u);

    Outcome o2 = responder.HandleMessage1(o1.message);
    ASSERT_EQ(o2.status, Status::Continue) << o2.diagnostic;
    EXPECT_HEX(kMessage2, o2.message);
    EXPECT_EQ(o2.message.size(), 45u);
    const Intermediates& r = responder.GetIntermediates();
    EXPECT_HEX(kHashMessage1, r.hashMessage1);
    EXPECT_HEX(kTh2, r.th2);
    EXPECT_HEX(kGXY, r.gXY);
    EXPECT_HEX(kPrk2e, r.prk2e);
    EXPECT_HEX(kSalt3e2m, r.salt3e2m);
    EXPECT_HEX(kGRX, r.gRX);
    EXPECT_HEX(kPrk3e2m, r.prk3e2m);
    EXPECT_EQ(ToHex(r.context2), std::string(kCR) + kIdCredR + "5820" + kTh2 + kCredR);
    EXPECT_HEX(kMac2, r.mac2);
    EXPECT_HEX(kMac2, r.signatureOrMac2); // static DH: Signature_or_MAC_2 = MAC_2
    EXPECT_HEX(kPlaintext2, r.plaintext2);
    EXPECT_HEX(kKeystream2, r.keystream2);
    EXPECT_HEX(kCiphertext2, r.ciphertext2);
    EXPECT_HEX(kTh3, r.th3);

    Outcome o3 = initiator.HandleMessage2(o2.message);
    ASSERT_EQ(o3.status, Status::Continue) << o3.diagnostic;
    EXPECT_HEX(kMessage3, o3.message);
    EXPECT_EQ(o3.message.size(), 19u);
    const Intermediates& i = initiator.GetIntermediates();
    EXPECT_HEX(kTh2, i.th2);
    EXPECT_HEX(kPrk2e, i.prk2e);
    EXPECT_HEX(kSalt3e2m, i.salt3e2m);
    EXPECT_HEX(kGRX, i.gRX);
    EXPECT_HEX(kPrk3e2m, i.prk3e2m);
    EXPECT_HEX(kKeystream2, i.keystream2);
    EXPECT_HEX(kPlaintext2, i.plaintext2);
    EXPECT_HEX(kMac2, i.mac2);
    EXPECT_HEX(kTh3, i.th3);
    EXPECT_HEX(kSalt4e3m, i.salt4e3m);
    EXPECT_HEX(kGIY, i.gIY);
    EXPECT_HEX(kPrk4e3m, i.prk4e3m);
    EXPECT_EQ(ToHex(i.context3), std::string(kIdCredI) + "5820" + kTh3 + kCredI);
    EXPECT_HEX(kMac3, i.mac3);
    EXPECT_HEX(kPlaintext3, i.plaintext3);
    EXPECT_HEX(kK3, i.k3);
    EXPECT_HEX(kIv3, i.iv3);
    EXPECT_HEX(kCiphertext3, i.ciphertext3);
    EXPECT_HEX(kTh4, i.th4);

    Outcome o4 = responder.HandleMessage3(o3.message);
    ASSERT_EQ(o4.status, Status::Completed) << o4.diagnostic;
    EXPECT_HEX(kMessage4, o4.message);
    EXPECT_HEX(kSalt4e3m, r.salt4e3m);
    EXPECT_HEX(kGIY, r.gIY);
    EXPECT_HEX(kPrk4e3m, r.prk4e3m);
    EXPECT_HEX(kMac3, r.mac3);
    EXPECT_HEX(kTh4, r.th4);
    EXPECT_HEX(kK4, r.k4);
    EXPECT_HEX(kIv4, r.iv4);
    EXPECT_HEX(kCiphertext4, r.ciphertext4);

    Outcome o5 = initiator.HandleMessage4(o4.message);
    ASSERT_EQ(o5.status, Status::Completed) << o5.diagnostic;

    for (const Session* s :
         {static_cast<const Session*>(&initiator), static_cast<const Session*>(&responder)})
    {
        EXPECT_HEX(kPrkOut, s->GetPrkOut());
        EXPECT_HEX(kPrkExporter, s->GetPrkExporter());
    }
    EXPECT_EQ(randomI.Remaining(), 0u);
    EXPECT_EQ(randomR.Remaining(), 0u);

    std::optional<OscoreMaterial> mi = initiator.GetOscoreMaterial();
    std::optional<OscoreMaterial> mr = responder.GetOscoreMaterial();
    ASSERT_TRUE(mi && mr);
    EXPECT_HEX(kMasterSecret, mi->masterSecret);
    EXPECT_HEX(kMasterSalt, mi->masterSalt);
    EXPECT_HEX(kCR, mi->senderId);
    EXPECT_HEX(kCI, mi->recipientId);
    EXPECT_HEX(kCI, mr->senderId);
    EXPECT_HEX(kCR, mr->recipientId);
    EXPECT_EQ(mi->masterSecret, mr->masterSecret);

    ASSERT_TRUE(responder.KeyUpdate(Hex(kKeyUpdateContext)));
    EXPECT_HEX(kPrkOutUpdated, responder.GetPrkOut());
    EXPECT_HEX(kPrkExporterUpdated, responder.GetPrkExporter());
    EXPECT_HEX(kMasterSecretUpdated, responder.GetOscoreMaterial()->masterSecret);
    EXPECT_HEX(kMasterSaltUpdated, responder.GetOscoreMaterial()->masterSalt);
}

TEST(EdhocRfc9529Trace2, InitiatorRetriesAfterTheError)
{
    // An Initiator preferring suite 0 (which it runs) over 2 first selects 0; the Responder's
    // SUITES_R = 2 makes it retry with SUITES_I = [0, 2] and a fresh ephemeral key.
    InitiatorConfig ic = Trace2Initiator();
    ic.suites = {0, 2};
    ic.credentials.push_back({MakeCcsCredential("x", Hex("2c"), KeyType::X25519,
                                                *DhPublicKey(Curve::X25519, Hex(trace1::kX))),
                              Hex(trace1::kX)});
    SeededRandom ri(7);
    SeededRandom rr(8);
    Initiator initiator(ic, ri);
    Responder responder(Trace2Responder(), rr);
    Outcome o1 = initiator.Start();
    ASSERT_EQ(o1.status, Status::Continue);
    EXPECT_EQ(ToHex(o1.message).substr(0, 4), "0300"); // METHOD 3, SUITES_I 0
    Outcome err = responder.HandleMessage1(o1.message);
    ASSERT_EQ(err.status, Status::SentError);
    EXPECT_HEX(trace2::kError, err.message);
    Outcome retry = initiator.HandleMessage2(err.message);
    ASSERT_EQ(retry.status, Status::Retry) << retry.diagnostic;
    ASSERT_TRUE(retry.peerError);
    EXPECT_EQ(retry.peerError->suites, std::vector<int64_t>{2});
    EXPECT_EQ(ToHex(retry.message).substr(0, 8), "03820002"); // SUITES_I [0, 2]

    Responder responder2(Trace2Responder(), rr);
    Outcome o2 = responder2.HandleMessage1(retry.message);
    ASSERT_EQ(o2.status, Status::Continue) << o2.diagnostic;
    Outcome o3 = initiator.HandleMessage2(o2.message);
    ASSERT_EQ(o3.status, Status::Continue) << o3.diagnostic;
    Outcome o4 = responder2.HandleMessage3(o3.message);
    ASSERT_EQ(o4.status, Status::Completed) << o4.diagnostic;
    ASSERT_EQ(initiator.HandleMessage4(o4.message).status, Status::Completed);
    EXPECT_EQ(initiator.GetPrkOut(), responder2.GetPrkOut());
}

} // namespace
