// The Responder pool's C_R allocation when C_R is also the server's OSCORE Recipient ID: never
// an identifier an installed context holds, one byte while one is free, then longer ones.
#include "edhoc-test-parties.h"
#include "protocols/edhoc/edhoc-coap-responder-pool.h"

#include <gtest/gtest.h>

#include <set>

namespace
{

using namespace edhoc_test;
using namespace lpwan;
using namespace lpwan::edhoc;

/// One EDHOC run through the pool (POSTs for message_1 and message_3); the server's result.
CoapResponderPool::Result
RunOnce(CoapResponderPool& pool, const InitiatorConfig& config, lpwan::RandomSource& random)
{
    Initiator initiator(config, random);
    CoapResponderPool::Result a
        = pool.HandleRequest(MakeMessage1Request(initiator.Start().message));
    EXPECT_TRUE(a.response.has_value());
    Outcome o3 = initiator.HandleMessage2(a.response->payload);
    EXPECT_EQ(o3.status, Status::Completed) << o3.diagnostic;
    CoapResponderPool::Result b
        = pool.HandleRequest(MakeMessage3Request(initiator.GetResponderConnectionId(), o3.message));
    EXPECT_TRUE(b.completed.has_value()) << b.log;
    if (b.completed)
    {
        // Both sides agree on the identifiers.
        EXPECT_EQ(b.completed->recipientId, initiator.GetOscoreMaterial()->senderId);
    }
    return b;
}

TEST(EdhocCoapPoolIds, ConnectionIdsAvoidInstalledRecipientIds)
{
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 7);
    SeededRandom ri(1);
    SeededRandom rr(2);
    std::set<Bytes> installed{Bytes{0x00}, Bytes{0x01}}; // e.g. pre-shared contexts
    CoapResponderPool pool(p.responder, rr, 64,
                           [&installed](const Bytes& id)
                           {
                               return installed.count(id) > 0;
                           });
    // More sessions than one-byte identifiers: every context stays installed.
    const size_t runs = 300;
    size_t oneByte = 0;
    for (size_t i = 0; i < runs; ++i)
    {
        CoapResponderPool::Result r = RunOnce(pool, p.initiator, ri);
        ASSERT_TRUE(r.completed);
        const Bytes& id = r.completed->recipientId;
        EXPECT_TRUE(installed.insert(id).second) << "C_R allocated twice, run " << i;
        EXPECT_NE(id, p.initiator.connectionId); // C_R != C_I
        EXPECT_LE(id.size(), 2u);
        if (id.size() == 1)
        {
            ++oneByte;
            EXPECT_LT(i, 253u) << "a one-byte C_R after the one-byte ones ran out";
        }
        // The Initiator's credential names the device whose context this is.
        EXPECT_EQ(r.peerIdCred, p.initiator.credentials[1].credential.idCred); // X25519
    }
    // 256 one-byte identifiers minus the two installed beforehand and C_I (0x05).
    EXPECT_EQ(oneByte, 253u);
    EXPECT_EQ(pool.GetCompletedSessions(), runs);

    // A context removed (its device re-keyed) frees its identifier for a later session.
    installed.erase(Bytes{0x07});
    CoapResponderPool::Result again = RunOnce(pool, p.initiator, ri);
    ASSERT_TRUE(again.completed);
    EXPECT_EQ(again.completed->recipientId, Bytes{0x07});
}

TEST(EdhocCoapPoolIds, WithoutTheStoreOneByteIdentifiersRepeat)
{
    // What the server must not do: without idInUse the pool only avoids open sessions, so a
    // completed session's C_R comes back and two installed contexts would share a kid.
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 8);
    SeededRandom ri(3);
    SeededRandom rr(4);
    CoapResponderPool pool(p.responder, rr);
    std::set<Bytes> seen;
    bool repeated = false;
    for (int i = 0; i < 260 && !repeated; ++i)
    {
        CoapResponderPool::Result r = RunOnce(pool, p.initiator, ri);
        ASSERT_TRUE(r.completed);
        repeated = !seen.insert(r.completed->recipientId).second;
    }
    EXPECT_TRUE(repeated);
}

} // namespace
