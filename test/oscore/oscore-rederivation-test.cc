/*
 * Appendix B.2 of RFC 8613: a client and a server that share only the pre-established input
 * parameters (Master Secret, Master Salt, Sender/Recipient IDs) derive a new security context
 * by exchanging the random values R1, R2 and R3 in 'kid context' (wrapped in a CBOR bstr):
 *
 *   request #1 (ID1 = R1) -> response #1 (4.01, ID2 = R2 || R1, kid context R2)
 *   request #2 (ID3 = R2 || R3) -> response #2 (ID3)
 *
 * Both sides must end with the same new context (ID Context R2 || R3, mirrored keys), the
 * established context must carry further traffic without 'kid context', and replays of the
 * exchange's messages must not be accepted.
 */

#include "oscore-test-util.h"
#include "protocols/oscore/oscore-cbor.h"
#include "protocols/oscore/oscore-context-store.h"
#include "protocols/oscore/oscore-protect.h"
#include "protocols/oscore/oscore-rederivation.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace
{

using namespace lpwan;
using namespace lpwan::oscore;
using namespace oscore_test;
using State = RederivationInitiator::State;

lpwan::coap::Message
Get(const std::string& path)
{
    lpwan::coap::Message m;
    m.type = lpwan::coap::Type::Confirmable;
    m.code = lpwan::coap::code::Get;
    m.token = Hex("b2");
    m.SetUriPath(path);
    return m;
}

lpwan::coap::Message
Content(const std::string& body)
{
    lpwan::coap::Message m;
    m.type = lpwan::coap::Type::Acknowledgement;
    m.code = lpwan::coap::code::Content;
    m.token = Hex("b2");
    m.payload = Str(body);
    return m;
}

Bytes
KidContextOf(const lpwan::coap::Message& m)
{
    const auto header = DecodeOptionValue(m.FindOption(lpwan::coap::option::Oscore)->value);
    EXPECT_TRUE(header.has_value());
    return header && header->kidContext ? *header->kidContext : Bytes{};
}

bool
HasKidContext(const lpwan::coap::Message& m)
{
    const auto header = DecodeOptionValue(m.FindOption(lpwan::coap::option::Oscore)->value);
    return header && header->kidContext;
}

struct Peers
{
    Peers()
    {
        // The server also knows the client under an old context (e.g. before its reboot).
        ContextParameters old = Mirror(C1Client());
        old.idContext = Hex("0101");
        store.Add(old);
        store.EnableRederivation(Mirror(C1Client()), serverRandom, 8);
    }

    TestRandom clientRandom{1};
    TestRandom serverRandom{2};
    RederivationInitiator client{C1Client(), clientRandom, 8};
    ContextStore store;
};

TEST(OscoreRederivation, ExchangeEstablishesTheSameContextOnBothSides)
{
    Peers s;
    EXPECT_EQ(s.client.GetState(), State::Idle);
    s.client.Start();
    ASSERT_EQ(s.client.GetState(), State::AwaitingResponse1);

    // Step 1: request #1 carries bstr(R1) and is protected with ID Context R1.
    SecurityContext& ctx1 = s.client.GetContext();
    ASSERT_TRUE(ctx1.GetIdContext().has_value());
    const Bytes r1 = *ctx1.GetIdContext();
    ASSERT_EQ(r1.size(), 8u);
    ProtectResult req1 = ProtectRequest(ctx1, Get("ping"));
    ASSERT_TRUE(req1.Ok()) << req1.diagnostic;
    const lpwan::coap::Message wireReq1 = OverTheWire(req1.message);
    EXPECT_EQ(KidContextOf(wireReq1), WrapBstr(r1));

    // Step 2: the server verifies with ID1 = R1 and answers with a protected 4.01 carrying R2.
    UnprotectResult at1 = s.store.UnprotectRequest(wireReq1);
    ASSERT_EQ(at1.status, Status::ContextRederivation) << at1.diagnostic;
    EXPECT_EQ(at1.context, nullptr);
    ASSERT_TRUE(at1.errorResponse.has_value());
    const lpwan::coap::Message wireResp1 = OverTheWire(*at1.errorResponse);
    const auto r2 = UnwrapBstr(KidContextOf(wireResp1));
    ASSERT_TRUE(r2.has_value());
    EXPECT_EQ(r2->size(), 8u);
    EXPECT_EQ(s.store.GetCounters().rederivations, 1u);
    EXPECT_EQ(s.store.Size(), 1u); // nothing installed yet

    // Step 3: the client verifies response #1 with ID2 = R2 || R1 and moves to ID3 = R2 || R3.
    UnprotectResult c1 = s.client.HandleResponse(wireResp1, req1.binding);
    ASSERT_TRUE(c1.Ok()) << StatusName(c1.status) << " " << c1.diagnostic;
    EXPECT_EQ(c1.message.code, lpwan::coap::code::Unauthorized);
    ASSERT_EQ(s.client.GetState(), State::AwaitingResponse2);
    SecurityContext& ctx3 = s.client.GetContext();
    const Bytes id3 = *ctx3.GetIdContext();
    ASSERT_EQ(id3.size(), 16u);
    EXPECT_TRUE(std::equal(r2->begin(), r2->end(), id3.begin()));

    // Step 4: request #2 (an ordinary request) with bstr(R2 || R3) establishes CTX3.
    ProtectResult req2 = ProtectRequest(ctx3, Get("temp"));
    ASSERT_TRUE(req2.Ok());
    const lpwan::coap::Message wireReq2 = OverTheWire(req2.message);
    EXPECT_EQ(KidContextOf(wireReq2), WrapBstr(id3));
    UnprotectResult at2 = s.store.UnprotectRequest(wireReq2);
    ASSERT_TRUE(at2.Ok()) << StatusName(at2.status) << " " << at2.diagnostic;
    EXPECT_EQ(at2.message, Get("temp"));
    ASSERT_NE(at2.context, nullptr);
    SecurityContext& server3 = *at2.context;
    EXPECT_EQ(s.store.Size(), 1u); // CTX3 replaced the old context of this client
    EXPECT_EQ(s.store.Find(C1Client().senderId, std::nullopt), &server3);

    // Both sides hold the same context: same ID Context, mirrored keys, same Common IV.
    EXPECT_EQ(server3.GetIdContext(), ctx3.GetIdContext());
    EXPECT_EQ(server3.GetSenderKey(), ctx3.GetRecipientKey());
    EXPECT_EQ(server3.GetRecipientKey(), ctx3.GetSenderKey());
    EXPECT_EQ(server3.GetCommonIv(), ctx3.GetCommonIv());
    // ... and it is the context the pre-established parameters give with ID Context R2 || R3.
    ContextParameters expected = C1Client();
    expected.idContext = id3;
    const SecurityContext reference(expected);
    EXPECT_EQ(ctx3.GetSenderKey(), reference.GetSenderKey());
    EXPECT_EQ(ctx3.GetCommonIv(), reference.GetCommonIv());
    EXPECT_NE(ctx3.GetSenderKey(), SecurityContext(C1Client()).GetSenderKey());

    // Step 5: response #2 verifies at the client: established.
    ProtectResult resp2 = ProtectResponse(server3, Content("21 C"), at2.binding);
    ASSERT_TRUE(resp2.Ok());
    UnprotectResult c2 = s.client.HandleResponse(OverTheWire(resp2.message), req2.binding);
    ASSERT_TRUE(c2.Ok()) << c2.diagnostic;
    EXPECT_EQ(c2.message.payload, Str("21 C"));
    EXPECT_EQ(s.client.GetState(), State::Established);

    // Further traffic: no 'kid context' any more, found by 'kid'.
    for (int i = 0; i < 3; ++i)
    {
        ProtectResult req = ProtectRequest(s.client.GetContext(), Get("more"));
        const lpwan::coap::Message wire = OverTheWire(req.message);
        EXPECT_FALSE(HasKidContext(wire));
        UnprotectResult at = s.store.UnprotectRequest(wire);
        ASSERT_TRUE(at.Ok()) << at.diagnostic;
        EXPECT_EQ(at.context, &server3);
        ProtectResult resp = ProtectResponse(*at.context, Content("ok"), at.binding);
        EXPECT_TRUE(s.client.HandleResponse(OverTheWire(resp.message), req.binding).Ok());
    }

    // Replays: request #2 is caught by CTX3's replay window; request #1 only starts another
    // run (a fresh R2) without touching the established context.
    EXPECT_EQ(s.store.UnprotectRequest(wireReq2).status, Status::Replay);
    UnprotectResult again1 = s.store.UnprotectRequest(wireReq1);
    EXPECT_EQ(again1.status, Status::ContextRederivation);
    EXPECT_NE(UnwrapBstr(KidContextOf(OverTheWire(*again1.errorResponse))), r2);
    EXPECT_EQ(s.store.Find(C1Client().senderId, std::nullopt), &server3);
    ProtectResult after = ProtectRequest(s.client.GetContext(), Get("after"));
    EXPECT_TRUE(s.store.UnprotectRequest(OverTheWire(after.message)).Ok());
}

TEST(OscoreRederivation, FailuresLeaveTheStateUnchanged)
{
    Peers s;
    s.client.Start();
    ProtectResult req1 = ProtectRequest(s.client.GetContext(), Get("ping"));
    UnprotectResult at1 = s.store.UnprotectRequest(OverTheWire(req1.message));
    ASSERT_EQ(at1.status, Status::ContextRederivation);

    // A corrupted response #1 is refused; the client still waits for response #1.
    lpwan::coap::Message bad = OverTheWire(*at1.errorResponse);
    bad.payload.back() ^= 1;
    RequestBinding binding = req1.binding;
    EXPECT_EQ(s.client.HandleResponse(bad, binding).status, Status::DecryptionFailed);
    EXPECT_EQ(s.client.GetState(), State::AwaitingResponse1);
    ASSERT_TRUE(s.client.HandleResponse(OverTheWire(*at1.errorResponse), req1.binding).Ok());
    ASSERT_EQ(s.client.GetState(), State::AwaitingResponse2);

    // A request #2 built on an R2 the server never sent is not accepted.
    ContextParameters forgedParams = C1Client();
    forgedParams.idContext = Hex("00112233445566778899aabbccddeeff");
    SecurityContext forged(forgedParams);
    forged.SetKidContextToSend(WrapBstr(*forgedParams.idContext));
    UnprotectResult rf
        = s.store.UnprotectRequest(OverTheWire(ProtectRequest(forged, Get("x")).message));
    EXPECT_FALSE(rf.Ok());
    EXPECT_EQ(s.store.Size(), 1u);

    // A 'kid context' that is not a CBOR byte string, or one whose header announces a huge
    // item, is refused without a context (and without a giant allocation in libcbor).
    for (const char* kidContext : {"9a10000000", "5a10000000", "a1", "ff", ""})
    {
        SecurityContext odd(C1Client());
        odd.SetKidContextToSend(Hex(kidContext));
        UnprotectResult r
            = s.store.UnprotectRequest(OverTheWire(ProtectRequest(odd, Get("x")).message));
        EXPECT_EQ(r.status, Status::ContextNotFound) << kidContext;
    }
    EXPECT_FALSE(UnwrapBstr(Hex("9a10000000")).has_value());
    EXPECT_FALSE(UnwrapBstr(Hex("5b0000001000000000")).has_value());
    EXPECT_EQ(UnwrapBstr(Hex("43010203")), Hex("010203"));
    EXPECT_EQ(UnwrapBstr(Hex("40")), Bytes{});
    EXPECT_FALSE(UnwrapBstr(Hex("4301020304")).has_value()); // trailing byte

    // The genuine request #2 still completes the run.
    ProtectResult req2 = ProtectRequest(s.client.GetContext(), Get("temp"));
    UnprotectResult at2 = s.store.UnprotectRequest(OverTheWire(req2.message));
    ASSERT_TRUE(at2.Ok()) << at2.diagnostic;
    ProtectResult resp2 = ProtectResponse(*at2.context, Content("x"), at2.binding);
    ASSERT_TRUE(s.client.HandleResponse(OverTheWire(resp2.message), req2.binding).Ok());
    EXPECT_EQ(s.client.GetState(), State::Established);
}

TEST(OscoreRederivation, ParallelRunsAndTheirLimit)
{
    Peers s;
    // Two runs in parallel (e.g. a client that restarted its run): both responses #1 verify at
    // their own run. Completing run a removes every cached R2 (step 4), so request #2 of run b
    // cannot replace the context afterwards: it only looks like a new request #1.
    RederivationInitiator second(C1Client(), s.clientRandom, 8);
    s.client.Start();
    second.Start();
    ProtectResult a = ProtectRequest(s.client.GetContext(), Get("a"));
    ProtectResult b = ProtectRequest(second.GetContext(), Get("b"));
    UnprotectResult ra = s.store.UnprotectRequest(OverTheWire(a.message));
    UnprotectResult rb = s.store.UnprotectRequest(OverTheWire(b.message));
    ASSERT_EQ(ra.status, Status::ContextRederivation);
    ASSERT_EQ(rb.status, Status::ContextRederivation);
    // Response #1 of run a does not verify for run b (bound to request #1 of b).
    RequestBinding bb = b.binding;
    EXPECT_FALSE(second.HandleResponse(OverTheWire(*ra.errorResponse), bb).Ok());
    EXPECT_EQ(second.GetState(), State::AwaitingResponse1);
    ASSERT_TRUE(s.client.HandleResponse(OverTheWire(*ra.errorResponse), a.binding).Ok());
    ASSERT_TRUE(second.HandleResponse(OverTheWire(*rb.errorResponse), b.binding).Ok());

    ProtectResult a2 = ProtectRequest(s.client.GetContext(), Get("a2"));
    UnprotectResult ra2 = s.store.UnprotectRequest(OverTheWire(a2.message));
    ASSERT_TRUE(ra2.Ok()) << ra2.diagnostic;
    SecurityContext* established = ra2.context;
    ProtectResult b2 = ProtectRequest(second.GetContext(), Get("b2"));
    UnprotectResult rb2 = s.store.UnprotectRequest(OverTheWire(b2.message));
    EXPECT_EQ(rb2.status, Status::ContextRederivation) << rb2.diagnostic;
    EXPECT_EQ(s.store.Size(), 1u);
    EXPECT_EQ(s.store.Find(C1Client().senderId, std::nullopt), established);
    EXPECT_EQ(established->GetIdContext(), s.client.GetContext().GetIdContext());
    // Run b's client cannot verify that new response #1 with its CTX3: it stays where it was.
    EXPECT_FALSE(second.HandleResponse(OverTheWire(*rb2.errorResponse), b2.binding).Ok());
    EXPECT_EQ(second.GetState(), State::AwaitingResponse2);

    // At most maxPending (4) R2 values are kept: the oldest run can no longer finish.
    Peers t;
    std::vector<std::unique_ptr<RederivationInitiator>> runs;
    std::vector<ProtectResult> requests;
    for (int i = 0; i < 5; ++i)
    {
        runs.push_back(std::make_unique<RederivationInitiator>(C1Client(), t.clientRandom, 8));
        runs.back()->Start();
        ProtectResult r = ProtectRequest(runs.back()->GetContext(), Get("r"));
        UnprotectResult u = t.store.UnprotectRequest(OverTheWire(r.message));
        ASSERT_EQ(u.status, Status::ContextRederivation);
        ASSERT_TRUE(runs.back()->HandleResponse(OverTheWire(*u.errorResponse), r.binding).Ok());
    }
    ProtectResult oldest = ProtectRequest(runs[0]->GetContext(), Get("r2"));
    EXPECT_FALSE(t.store.UnprotectRequest(OverTheWire(oldest.message)).Ok());
    ProtectResult newest = ProtectRequest(runs[4]->GetContext(), Get("r2"));
    EXPECT_TRUE(t.store.UnprotectRequest(OverTheWire(newest.message)).Ok());
}

TEST(OscoreRederivation, HostileKidContextDoesNotMakeLibcborAllocate)
{
    // A 'kid context' is attacker-chosen and goes through UnwrapBstr before any verification.
    // CBOR headers announcing an array of 2^28 members or a map of 2^28 pairs (5 bytes each)
    // would make libcbor 0.8 allocate their member tables (2 GB, 4 GB) before it finds out the
    // members are missing. Resident memory must not jump.
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    for (const char* header :
         {"9a10000000", "ba10000000", "9b0000000100000000", "5a10000000", "7a10000000"})
    {
        EXPECT_FALSE(UnwrapBstr(Hex(header)).has_value()) << header;
    }
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 64 * 1024) << "KB of peak resident memory";
}

} // namespace
