/*
 * The EDHOC state machines beyond the RFC 9529 traces: every method with both suites (fresh
 * keys, including ES256 signatures), EAD carried in all four messages, and the errors the
 * Responder and Initiator must answer with: unknown credentials (ERR_CODE 3), unsupported
 * critical EAD, methods, downgrades and non-deterministic CBOR (ERR_CODE 1 with a diagnostic),
 * cipher suite refusal (ERR_CODE 2).
 */

#include "edhoc-test-parties.h"
#include "protocols/edhoc/edhoc-cbor.h"
#include "protocols/edhoc/edhoc-error-message.h"
#include "protocols/edhoc/edhoc-messages.h"
#include "protocols/oscore/oscore-security-context.h"

#include <gtest/gtest.h>

namespace
{

using namespace edhoc_test;

struct Handshake
{
    Outcome o1, o2, o3, o4, o5;
};

Handshake
RunHandshake(Initiator& i, Responder& r)
{
    Handshake run;
    run.o1 = i.Start();
    run.o2 = r.HandleMessage1(run.o1.message);
    if (run.o2.status != Status::Continue)
    {
        return run;
    }
    run.o3 = i.HandleMessage2(run.o2.message);
    if (run.o3.Failed())
    {
        return run;
    }
    run.o4 = r.HandleMessage3(run.o3.message);
    if (!run.o4.message.empty() && run.o4.status == Status::Completed)
    {
        run.o5 = i.HandleMessage4(run.o4.message);
    }
    return run;
}

ErrorMessage
DecodeErrorOrFail(const Bytes& b)
{
    ErrorMessage e;
    std::string why;
    EXPECT_TRUE(DecodeError(b, e, why)) << why << " " << ToHex(b);
    return e;
}

class EdhocMethodsAndSuites : public ::testing::TestWithParam<std::tuple<int, int>>
{
};

TEST_P(EdhocMethodsAndSuites, CompleteWithFreshKeysAndAgreeOnOscore)
{
    const Method method = static_cast<Method>(std::get<0>(GetParam()));
    const int64_t suite = std::get<1>(GetParam());
    Parties p = MakeParties(method, suite, 100 + std::get<0>(GetParam()));
    p.initiator.expectMessage4 = true;
    p.responder.sendMessage4 = true;
    SeededRandom ri(1);
    SeededRandom rr(2);
    Initiator i(p.initiator, ri);
    Responder r(p.responder, rr);
    Handshake run = RunHandshake(i, r);
    ASSERT_EQ(run.o2.status, Status::Continue) << run.o2.diagnostic;
    ASSERT_EQ(run.o3.status, Status::Continue) << run.o3.diagnostic;
    ASSERT_EQ(run.o4.status, Status::Completed) << run.o4.diagnostic;
    ASSERT_EQ(run.o5.status, Status::Completed) << run.o5.diagnostic;
    EXPECT_EQ(r.GetSuite()->id, suite);
    EXPECT_EQ(*r.GetMethod(), method);
    EXPECT_EQ(i.GetPrkOut(), r.GetPrkOut());
    EXPECT_EQ(i.Exporter(42, Bytes{1, 2}, 20), r.Exporter(42, Bytes{1, 2}, 20));
    // Each side authenticated the other's credential of the right kind.
    ASSERT_TRUE(i.GetPeerCredential() && r.GetPeerCredential());
    EXPECT_EQ(i.GetPeerCredential()->keyType,
              RequiredKeyType(*i.GetSuite(), ResponderSigns(method)));
    EXPECT_EQ(r.GetPeerCredential()->keyType,
              RequiredKeyType(*r.GetSuite(), InitiatorSigns(method)));
    // Signatures are 64 bytes, static DH MACs 8 bytes.
    EXPECT_EQ(r.GetIntermediates().signatureOrMac2.size(), ResponderSigns(method) ? 64u : 8u);
    EXPECT_EQ(i.GetIntermediates().signatureOrMac3.size(), InitiatorSigns(method) ? 64u : 8u);

    lpwan::oscore::SecurityContext ci(ToOscoreParameters(*i.GetOscoreMaterial()));
    lpwan::oscore::SecurityContext cr(ToOscoreParameters(*r.GetOscoreMaterial()));
    EXPECT_EQ(ci.GetSenderKey(), cr.GetRecipientKey());
    EXPECT_EQ(ci.GetRecipientKey(), cr.GetSenderKey());
    EXPECT_EQ(ci.GetSenderId(), Bytes({0xa0, 0x01})); // C_R
}

INSTANTIATE_TEST_SUITE_P(EdhocAllMethods, EdhocMethodsAndSuites,
                         ::testing::Combine(::testing::Values(0, 1, 2, 3),
                                            ::testing::Values(0, 2)));

TEST(EdhocSession, EadIsCarriedInEveryMessage)
{
    Parties p = MakeParties(Method::SignatureStaticDh, 0, 7);
    p.initiator.ead1 = {{5, Bytes{1, 2, 3}}};
    p.responder.ead2 = {{-6, Bytes{9}}, {7, std::nullopt}};
    p.initiator.ead3 = {{8, Bytes(40, 0xee)}};
    p.responder.ead4 = {{0, Bytes{}}}; // padding
    p.initiator.supportedCriticalEad = {-6};
    p.initiator.expectMessage4 = true;
    p.responder.sendMessage4 = true;
    SeededRandom ri(3);
    SeededRandom rr(4);
    Initiator i(p.initiator, ri);
    Responder r(p.responder, rr);
    Handshake run = RunHandshake(i, r);
    ASSERT_EQ(run.o5.status, Status::Completed) << run.o5.diagnostic;
    EXPECT_EQ(run.o2.ead, p.initiator.ead1);
    EXPECT_EQ(run.o3.ead, p.responder.ead2);
    EXPECT_EQ(run.o4.ead, p.initiator.ead3);
    EXPECT_EQ(run.o5.ead, p.responder.ead4);
}

TEST(EdhocSession, UnsupportedCriticalEadAborts)
{
    Parties p = MakeParties(Method::SignatureSignature, 0, 8);
    p.initiator.ead1 = {{-3, Bytes{1}}}; // critical, unknown to the Responder
    SeededRandom ri(3);
    SeededRandom rr(4);
    Initiator i(p.initiator, ri);
    Responder r(p.responder, rr);
    Outcome o = r.HandleMessage1(i.Start().message);
    ASSERT_EQ(o.status, Status::SentError);
    ErrorMessage e = DecodeErrorOrFail(o.message);
    EXPECT_EQ(e.code, 1);
    EXPECT_NE(e.diagnostic.find("critical EAD"), std::string::npos);
    // The Initiator learns why.
    Outcome back = i.HandleMessage2(o.message);
    EXPECT_EQ(back.status, Status::ReceivedError);
    ASSERT_TRUE(back.peerError);
    EXPECT_EQ(back.peerError->diagnostic, e.diagnostic);
    EXPECT_TRUE(i.IsAborted());
}

TEST(EdhocSession, UnknownCredentialsAnswerErrCode3)
{
    // The Initiator does not know the Responder's credential.
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 9);
    p.initiator.peerCredentials.clear();
    SeededRandom ri(3);
    SeededRandom rr(4);
    Initiator i(p.initiator, ri);
    Responder r(p.responder, rr);
    Outcome o3 = i.HandleMessage2(r.HandleMessage1(i.Start().message).message);
    ASSERT_EQ(o3.status, Status::SentError);
    EXPECT_EQ(ToHex(o3.message), "03f5"); // ( 3, true )
    EXPECT_EQ(r.HandleMessage3(o3.message).status, Status::ReceivedError);

    // The Responder does not know the Initiator's credential.
    Parties q = MakeParties(Method::StaticDhStaticDh, 0, 9);
    q.responder.peerCredentials.clear();
    Initiator i2(q.initiator, ri);
    Responder r2(q.responder, rr);
    Outcome o4 = r2.HandleMessage3(
        i2.HandleMessage2(r2.HandleMessage1(i2.Start().message).message).message);
    ASSERT_EQ(o4.status, Status::SentError);
    EXPECT_EQ(DecodeErrorOrFail(o4.message).code, 3);
}

TEST(EdhocSession, WrongCredentialForTheMethodIsRejected)
{
    // The Initiator's store maps the Responder's ID_CRED to a credential of a different key:
    // the MAC (static DH) cannot verify.
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 10);
    Parties other = MakeParties(Method::StaticDhStaticDh, 0, 11);
    p.initiator.peerCredentials = other.initiator.peerCredentials; // same kids, other keys
    SeededRandom ri(3);
    SeededRandom rr(4);
    Initiator i(p.initiator, ri);
    Responder r(p.responder, rr);
    Outcome o3 = i.HandleMessage2(r.HandleMessage1(i.Start().message).message);
    ASSERT_EQ(o3.status, Status::SentError);
    ErrorMessage e = DecodeErrorOrFail(o3.message);
    EXPECT_EQ(e.code, 1);
    EXPECT_NE(e.diagnostic.find("MAC_2"), std::string::npos);
}

TEST(EdhocSession, ResponderRefusesMethodsItDoesNotAccept)
{
    Parties p = MakeParties(Method::SignatureSignature, 0, 12);
    p.responder.methods = {Method::StaticDhStaticDh};
    SeededRandom ri(3);
    SeededRandom rr(4);
    Initiator i(p.initiator, ri);
    Responder r(p.responder, rr);
    Outcome o = r.HandleMessage1(i.Start().message);
    ASSERT_EQ(o.status, Status::SentError);
    ErrorMessage e = DecodeErrorOrFail(o.message);
    EXPECT_EQ(e.code, 1);
    EXPECT_NE(e.diagnostic.find("METHOD"), std::string::npos);
}

TEST(EdhocSession, DowngradeProtection)
{
    // SUITES_I = [0, 2] selects 2 while listing 0 as preferred: a Responder that supports 0
    // must refuse (ERR_CODE 2), since an attacker may have removed 0 from a previous attempt.
    Message1 m;
    m.method = 3;
    m.suites = {0, 2};
    m.gX = Bytes(32, 9);
    m.cI = Bytes{0x01};
    Parties p = MakeParties(Method::StaticDhStaticDh, 2, 13);
    SeededRandom rr(4);
    Responder r(p.responder, rr);
    Outcome o = r.HandleMessage1(EncodeMessage1(m));
    ASSERT_EQ(o.status, Status::SentError);
    ErrorMessage e = DecodeErrorOrFail(o.message);
    EXPECT_EQ(e.code, 2);
    EXPECT_EQ(e.suites, (std::vector<int64_t>{0, 2}));
    EXPECT_EQ(ToHex(o.message), "02820002");
}

TEST(EdhocSession, ConnectionIdentifiersMustDiffer)
{
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 14);
    p.responder.connectionId = p.initiator.connectionId;
    SeededRandom ri(3);
    SeededRandom rr(4);
    Initiator i(p.initiator, ri);
    Responder r(p.responder, rr);
    Outcome o = r.HandleMessage1(i.Start().message);
    EXPECT_EQ(o.status, Status::SentError);
    EXPECT_EQ(DecodeErrorOrFail(o.message).code, 1);

    // Without a configured C_R, the Responder draws one that differs from C_I.
    p.responder.connectionId.reset();
    for (uint32_t seed = 0; seed < 50; ++seed)
    {
        SeededRandom a(seed);
        SeededRandom b(seed + 1000);
        Initiator i2(p.initiator, a);
        Responder r2(p.responder, b);
        Handshake run = RunHandshake(i2, r2);
        ASSERT_EQ(run.o4.status, Status::Completed) << run.o4.diagnostic;
        EXPECT_NE(r2.GetResponderConnectionId(), r2.GetInitiatorConnectionId());
        EXPECT_EQ(i2.GetResponderConnectionId(), r2.GetResponderConnectionId());
    }
}

TEST(EdhocSession, CallsOutOfOrderAreInvalidState)
{
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 15);
    SeededRandom ri(3);
    SeededRandom rr(4);
    Initiator i(p.initiator, ri);
    Responder r(p.responder, rr);
    EXPECT_EQ(i.HandleMessage2(Bytes{0x40}).status, Status::InvalidState);
    EXPECT_EQ(i.HandleMessage4(Bytes{0x40}).status, Status::InvalidState);
    EXPECT_EQ(r.HandleMessage3(Bytes{0x40}).status, Status::InvalidState);
    Outcome o1 = i.Start();
    EXPECT_EQ(i.Start().status, Status::InvalidState);
    Outcome o2 = r.HandleMessage1(o1.message);
    EXPECT_EQ(r.HandleMessage1(o1.message).status, Status::InvalidState); // no replay
    EXPECT_EQ(i.HandleMessage4(o2.message).status, Status::InvalidState);
    EXPECT_TRUE(i.Exporter(0, {}, 16).empty()); // nothing before completion
    EXPECT_FALSE(i.GetOscoreMaterial());
}

TEST(EdhocSession, NonDeterministicCborIsRejected)
{
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 16);
    SeededRandom ri(3);
    Initiator i(p.initiator, ri);
    const Bytes m1 = i.Start().message;
    auto reject = [&](const Bytes& bad, const std::string& what)
    {
        SeededRandom rr(4);
        Responder r(p.responder, rr);
        Outcome o = r.HandleMessage1(bad);
        ASSERT_EQ(o.status, Status::SentError) << what;
        ErrorMessage e = DecodeErrorOrFail(o.message);
        EXPECT_EQ(e.code, 1) << what;
        EXPECT_FALSE(e.diagnostic.empty()) << what;
    };
    // METHOD 3 encoded in two bytes (18 03)
    Bytes longMethod = m1;
    longMethod[0] = 0x18;
    longMethod.insert(longMethod.begin() + 1, 0x03);
    reject(longMethod, "long METHOD");
    // G_X with a 2-byte length head (59 00 20)
    Bytes longLength = m1;
    ASSERT_EQ(longLength[2], 0x58);
    longLength[2] = 0x59;
    longLength.insert(longLength.begin() + 3, 0x00);
    reject(longLength, "long bstr head");
    // SUITES_I as a one-element array [0]
    Bytes array1 = m1;
    array1.insert(array1.begin() + 1, 0x81);
    reject(array1, "one-element SUITES_I");
    // C_I = h'05' sent as a byte string instead of the integer 5
    Bytes cI = m1;
    cI.back() = 0x41;
    cI.push_back(0x05);
    reject(cI, "bstr C_I");
    // a byte string announcing 2^64 - 1 bytes
    reject(Hex("03005bffffffffffffffff"), "huge length");
    // indefinite-length G_X
    reject(Hex("03005f4101ff05"), "indefinite bstr");
    // trailing EAD label that is not an integer
    Bytes trailing = m1;
    trailing.push_back(0x60);
    reject(trailing, "tstr as EAD label");
}

TEST(EdhocSession, ErrorMessageCodec)
{
    EXPECT_EQ(ToHex(EncodeUnspecifiedError("x")), "016178");
    EXPECT_EQ(ToHex(EncodeWrongSelectedSuite({2})), "0202");
    EXPECT_EQ(ToHex(EncodeWrongSelectedSuite({0, 2})), "02820002");
    EXPECT_EQ(ToHex(EncodeUnknownCredential()), "03f5");
    ErrorMessage e;
    std::string why;
    EXPECT_FALSE(DecodeError(Hex("0101"), e, why));             // code 1 needs a tstr
    EXPECT_FALSE(DecodeError(Hex("02"), e, why));               // ERR_INFO missing
    EXPECT_FALSE(DecodeError(Hex("020200"), e, why));           // bytes after ERR_INFO
    EXPECT_FALSE(DecodeError(Hex("03f4"), e, why));             // code 3 needs true
    EXPECT_TRUE(DecodeError(Hex("1864a1f6f6"), e, why)) << why; // unknown code: kept raw
    EXPECT_EQ(e.code, 100);
    EXPECT_EQ(ToHex(e.rawInfo), "a1f6f6");
}

} // namespace
