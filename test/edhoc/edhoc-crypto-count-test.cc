/*
 * The asymmetric operations each EDHOC party performs, counted from mbedTLS and libsodium
 * (protocols/common/crypto-tally.h), are those RFC 9528 prescribes for the method: an
 * ephemeral key pair, the ephemeral-ephemeral ECDH (G_XY), and per side either a signature
 * (made by one party, verified by the other) or a static-DH secret (G_RX for the Responder's
 * authentication, G_IY for the Initiator's). All of it is handshake work.
 */
#include "edhoc-test-parties.h"
#include "protocols/common/crypto-tally.h"

#include <gtest/gtest.h>

namespace
{

using namespace edhoc_test;
using lpwan::CryptoTally;
using lpwan::ScopedCryptoTally;

struct PartyWork
{
    CryptoTally initiator;
    CryptoTally responder;
    CryptoTally exchange; ///< anything counted outside the handshake phase
};

PartyWork
RunCounted(Method method, int64_t suite)
{
    Parties p = MakeParties(method, suite, 40);
    SeededRandom ri(1);
    SeededRandom rr(2);
    Initiator i(p.initiator, ri);
    Responder r(p.responder, rr);
    PartyWork work;
    auto step = [&work](CryptoTally& party, auto&& fn)
    {
        ScopedCryptoTally tally;
        auto outcome = fn();
        party += tally.Handshake();
        work.exchange += tally.Exchange();
        return outcome;
    };
    Outcome o1 = step(work.initiator,
                      [&]
                      {
                          return i.Start();
                      });
    Outcome o2 = step(work.responder,
                      [&]
                      {
                          return r.HandleMessage1(o1.message);
                      });
    EXPECT_EQ(o2.status, Status::Continue) << o2.diagnostic;
    Outcome o3 = step(work.initiator,
                      [&]
                      {
                          return i.HandleMessage2(o2.message);
                      });
    EXPECT_EQ(o3.status, Status::Completed) << o3.diagnostic; // no message_4 expected
    Outcome o4 = step(work.responder,
                      [&]
                      {
                          return r.HandleMessage3(o3.message);
                      });
    EXPECT_EQ(o4.status, Status::Completed) << o4.diagnostic;
    // The OSCORE context both sides derive from the session is key establishment too.
    step(work.initiator,
         [&]
         {
             return i.GetOscoreMaterial();
         });
    step(work.responder,
         [&]
         {
             return r.GetOscoreMaterial();
         });
    return work;
}

} // namespace

TEST(EdhocCryptoCount, StaticDhP256)
{
    PartyWork w = RunCounted(Method::StaticDhStaticDh, 2);
    // Initiator: X = x*G; G_XY = x*G_Y; G_RX = x*G_R; G_IY = i*G_Y.
    EXPECT_EQ(w.initiator.p256BaseMul, 1u);
    EXPECT_EQ(w.initiator.p256Mul, 3u);
    EXPECT_EQ(w.initiator.p256MulAdd, 0u);
    // Responder: Y = y*G; G_XY = y*G_X; G_RX = r*G_X; G_IY = y*G_I.
    EXPECT_EQ(w.responder.p256BaseMul, 1u);
    EXPECT_EQ(w.responder.p256Mul, 3u);
    EXPECT_EQ(w.responder.p256MulAdd, 0u);
    EXPECT_GT(w.initiator.sha256Blocks, 0u);
    EXPECT_GT(w.initiator.aesBlocks, 0u); // CIPHERTEXT_3 is AES-CCM
    EXPECT_TRUE(w.exchange.IsZero());
}

TEST(EdhocCryptoCount, SignaturesP256)
{
    PartyWork w = RunCounted(Method::SignatureSignature, 2);
    // Each side: its ephemeral key, G_XY, one ECDSA signature (k*G) and one verification.
    for (const CryptoTally* t : {&w.initiator, &w.responder})
    {
        EXPECT_EQ(t->p256BaseMul, 2u);
        EXPECT_EQ(t->p256Mul, 1u);
        EXPECT_EQ(t->p256MulAdd, 1u);
        EXPECT_EQ(t->x25519Mul + t->ed25519Sign + t->ed25519Verify, 0u);
    }
    EXPECT_TRUE(w.exchange.IsZero());
}

TEST(EdhocCryptoCount, SignaturesEd25519X25519)
{
    PartyWork w = RunCounted(Method::SignatureSignature, 0);
    for (const CryptoTally* t : {&w.initiator, &w.responder})
    {
        EXPECT_EQ(t->x25519Mul, 2u); // the ephemeral key and G_XY
        EXPECT_EQ(t->ed25519Sign, 1u);
        EXPECT_EQ(t->ed25519Verify, 1u);
        EXPECT_EQ(t->p256BaseMul + t->p256Mul + t->p256MulAdd, 0u);
    }
    EXPECT_TRUE(w.exchange.IsZero());
}
