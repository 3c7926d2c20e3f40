/*
 * EDHOC over CoAP (RFC 9528 appendix A.2) and the combined EDHOC + OSCORE request (RFC 9668),
 * sans-I/O: message formatting, the server's pool of Responder sessions, and OSCORE traffic
 * with the contexts EDHOC derived -- every CoAP message going through the CoAP codec.
 */

#include "edhoc-test-parties.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/edhoc/edhoc-coap-responder-pool.h"
#include "protocols/edhoc/edhoc-coap.h"
#include "protocols/edhoc/edhoc-error-message.h"
#include "protocols/oscore/oscore-context-store.h"
#include "protocols/oscore/oscore-protect.h"

#include <gtest/gtest.h>

namespace
{

using namespace edhoc_test;
namespace coap = lpwan::coap;
namespace oscore = lpwan::oscore;

/// Encodes and decodes a message, as a datagram would carry it.
lpwan::coap::Message
OverTheWire(const lpwan::coap::Message& m)
{
    lpwan::coap::Message withIds = m;
    withIds.messageId = 0x1234;
    lpwan::coap::DecodeResult d = lpwan::coap::Decode(lpwan::coap::Encode(withIds));
    EXPECT_TRUE(d.ok) << d.error;
    return d.message;
}

lpwan::coap::Message
HelloRequest()
{
    lpwan::coap::Message m;
    m.type = lpwan::coap::Type::Confirmable;
    m.code = lpwan::coap::code::Get;
    m.SetUriPath("hello");
    return m;
}

ErrorMessage
ErrorIn(const lpwan::coap::Message& response)
{
    ErrorMessage e;
    std::string why;
    EXPECT_TRUE(DecodeError(response.payload, e, why)) << why;
    return e;
}

TEST(EdhocCoap, SeparateMessage3ThenOscore)
{
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 21);
    p.responder.sendMessage4 = true;
    p.initiator.expectMessage4 = true;
    SeededRandom ri(1);
    SeededRandom rr(2);
    Initiator initiator(p.initiator, ri);
    CoapResponderPool pool(p.responder, rr);

    lpwan::coap::Message r1 = OverTheWire(MakeMessage1Request(initiator.Start().message));
    EXPECT_TRUE(IsEdhocRequest(r1));
    EXPECT_EQ(r1.payload[0], 0xf5); // CBOR true: "this is message_1"
    CoapResponderPool::Result a = pool.HandleRequest(r1);
    ASSERT_TRUE(a.response);
    EXPECT_EQ(a.response->code, lpwan::coap::code::Changed) << a.log;
    EXPECT_EQ(pool.GetOpenSessions(), 1u);

    Outcome o3 = initiator.HandleMessage2(OverTheWire(*a.response).payload);
    ASSERT_EQ(o3.status, Status::Continue) << o3.diagnostic;
    lpwan::coap::Message r3
        = OverTheWire(MakeMessage3Request(initiator.GetResponderConnectionId(), o3.message));
    CoapResponderPool::Result b = pool.HandleRequest(r3);
    ASSERT_TRUE(b.response && b.completed) << b.log;
    EXPECT_EQ(b.response->code, lpwan::coap::code::Changed);
    ASSERT_EQ(initiator.HandleMessage4(OverTheWire(*b.response).payload).status, Status::Completed);
    EXPECT_EQ(pool.GetOpenSessions(), 0u);
    EXPECT_EQ(pool.GetCompletedSessions(), 1u);

    // OSCORE with the derived contexts: the server's store finds the client by kid = C_R.
    lpwan::oscore::SecurityContext client(ToOscoreParameters(*initiator.GetOscoreMaterial()));
    lpwan::oscore::ContextStore store;
    store.Add(ToOscoreParameters(*b.completed));
    lpwan::oscore::ProtectResult pr = lpwan::oscore::ProtectRequest(client, HelloRequest());
    ASSERT_TRUE(pr.Ok());
    lpwan::oscore::UnprotectResult ur = store.UnprotectRequest(OverTheWire(pr.message));
    ASSERT_EQ(ur.status, lpwan::oscore::Status::Ok) << ur.diagnostic;
    EXPECT_EQ(ur.message.GetUriPath(), "hello");
}

TEST(EdhocCoap, CombinedEdhocOscoreRequest)
{
    for (int suite : {0, 2})
    {
        Parties p = MakeParties(Method::SignatureSignature, suite, 22);
        SeededRandom ri(1);
        SeededRandom rr(2);
        Initiator initiator(p.initiator, ri);
        CoapResponderPool pool(p.responder, rr);
        CoapResponderPool::Result a
            = pool.HandleRequest(OverTheWire(MakeMessage1Request(initiator.Start().message)));
        ASSERT_TRUE(a.response);
        Outcome o3 = initiator.HandleMessage2(a.response->payload);
        ASSERT_EQ(o3.status, Status::Completed) << o3.diagnostic;

        // Client: protect the first request, then add message_3 and the EDHOC option.
        lpwan::oscore::SecurityContext client(ToOscoreParameters(*initiator.GetOscoreMaterial()));
        lpwan::oscore::ProtectResult pr = lpwan::oscore::ProtectRequest(client, HelloRequest());
        ASSERT_TRUE(pr.Ok());
        lpwan::coap::Message combined = pr.message;
        MakeCombinedRequest(combined, o3.message);
        combined = OverTheWire(combined);
        ASSERT_TRUE(IsCombinedRequest(combined));

        // Server: complete EDHOC from the request, install the context, verify the request.
        CoapResponderPool::Result b = pool.HandleCombinedRequest(combined);
        ASSERT_TRUE(b.completed) << b.log;
        EXPECT_FALSE(b.response);
        EXPECT_FALSE(IsCombinedRequest(combined));
        lpwan::oscore::ContextStore store;
        store.Add(ToOscoreParameters(*b.completed));
        lpwan::oscore::UnprotectResult ur = store.UnprotectRequest(combined);
        ASSERT_EQ(ur.status, lpwan::oscore::Status::Ok) << ur.diagnostic;
        EXPECT_EQ(ur.message.GetUriPath(), "hello");
        // ... and the client verifies the server's protected response.
        lpwan::coap::Message plainResponse;
        plainResponse.code = lpwan::coap::code::Content;
        plainResponse.payload = {'h', 'i'};
        lpwan::oscore::ProtectResult resp
            = lpwan::oscore::ProtectResponse(*ur.context, plainResponse, ur.binding);
        ASSERT_TRUE(resp.Ok());
        lpwan::oscore::UnprotectResult back
            = lpwan::oscore::UnprotectResponse(client, OverTheWire(resp.message), pr.binding);
        ASSERT_EQ(back.status, lpwan::oscore::Status::Ok) << back.diagnostic;
        EXPECT_EQ(back.message.payload, plainResponse.payload);
    }
}

TEST(EdhocCoap, MalformedRequestsGetEdhocErrors)
{
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 23);
    SeededRandom rr(2);
    CoapResponderPool pool(p.responder, rr, 4);
    auto post = [](Bytes payload)
    {
        lpwan::coap::Message m = MakeMessage1Request({});
        m.payload = std::move(payload);
        return m;
    };
    for (const Bytes& bad :
         {Hex(""), Hex("f4"), Hex("f5"), Hex("f5ff"), Hex("4118"), Hex("f5030058"), Hex("9f")})
    {
        CoapResponderPool::Result r = pool.HandleRequest(post(bad));
        ASSERT_TRUE(r.response) << ToHex(bad);
        EXPECT_EQ(r.response->code, lpwan::coap::code::BadRequest) << ToHex(bad);
        ErrorMessage e = ErrorIn(*r.response);
        EXPECT_EQ(e.code, 1);
        EXPECT_FALSE(e.diagnostic.empty());
    }
    // message_3 for a session that does not exist
    CoapResponderPool::Result r = pool.HandleRequest(MakeMessage3Request({0x07}, Hex("4100")));
    EXPECT_EQ(ErrorIn(*r.response).code, 1);
    // A combined request without message_3 in front of the ciphertext
    lpwan::coap::Message c = HelloRequest();
    c.AddOption(lpwan::coap::option::Oscore, {0x09, 0x01, 0x07});
    c.AddOption(kEdhocOption, {});
    c.payload = Hex("0102");
    CoapResponderPool::Result rc = pool.HandleCombinedRequest(c);
    ASSERT_TRUE(rc.response);
    EXPECT_EQ(ErrorIn(*rc.response).code, 1);
    EXPECT_EQ(pool.GetCompletedSessions(), 0u);
}

TEST(EdhocCoap, PoolBoundsOpenSessions)
{
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 24);
    SeededRandom rr(2);
    CoapResponderPool pool(p.responder, rr, 3);
    std::vector<std::unique_ptr<Initiator>> initiators;
    std::vector<Bytes> messages2;
    for (int k = 0; k < 5; ++k)
    {
        static SeededRandom ri(99);
        initiators.push_back(std::make_unique<Initiator>(p.initiator, ri));
        CoapResponderPool::Result a
            = pool.HandleRequest(MakeMessage1Request(initiators.back()->Start().message));
        ASSERT_EQ(a.response->code, lpwan::coap::code::Changed) << a.log;
        messages2.push_back(a.response->payload);
        EXPECT_LE(pool.GetOpenSessions(), 3u);
    }
    // The two oldest sessions were dropped; the newest completes.
    Outcome old = initiators[0]->HandleMessage2(messages2[0]);
    ASSERT_EQ(old.status, Status::Completed);
    CoapResponderPool::Result gone = pool.HandleRequest(
        MakeMessage3Request(initiators[0]->GetResponderConnectionId(), old.message));
    EXPECT_FALSE(gone.completed);
    Outcome fresh = initiators[4]->HandleMessage2(messages2[4]);
    CoapResponderPool::Result done = pool.HandleRequest(
        MakeMessage3Request(initiators[4]->GetResponderConnectionId(), fresh.message));
    EXPECT_TRUE(done.completed) << done.log;
}

} // namespace
