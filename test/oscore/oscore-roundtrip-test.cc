/*
 * Client <-> server round trips through the OSCORE core, every message encoded and decoded as
 * it would cross the network: GET and POST, responses with and without Partial IV, Observe
 * notifications (section 4.1.3.5, 7.4.1, 8.3.1, 8.4.2), message binding (section 7.1), the
 * unprotected error responses of section 8.2 and context lookup in a ContextStore.
 */

#include "oscore-test-util.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/oscore/oscore-context-store.h"
#include "protocols/oscore/oscore-nonce.h"
#include "protocols/oscore/oscore-protect.h"

#include <gtest/gtest.h>

namespace
{

using namespace lpwan;
using namespace lpwan::oscore;
using namespace oscore_test;

lpwan::coap::Message
GetRequest(const std::string& path)
{
    lpwan::coap::Message m;
    m.type = lpwan::coap::Type::Confirmable;
    m.code = lpwan::coap::code::Get;
    m.messageId = 0x1234;
    m.token = Hex("a1b2c3d4");
    m.AddStringOption(lpwan::coap::option::UriHost, "meter.example");
    m.SetUriPath(path);
    m.AddUintOption(lpwan::coap::option::Accept, 60);
    return m;
}

lpwan::coap::Message
ContentResponse(const lpwan::coap::Message& request, const std::string& body)
{
    lpwan::coap::Message m;
    m.type = lpwan::coap::Type::Acknowledgement;
    m.code = lpwan::coap::code::Content;
    m.messageId = request.messageId;
    m.token = request.token;
    m.AddUintOption(lpwan::coap::option::ContentFormat, 0);
    m.payload = Str(body);
    return m;
}

/// A client and a server sharing the C.2 parameters (Sender IDs 00 and 01).
struct Peers
{
    SecurityContext client{C2Client()};
    SecurityContext server{Mirror(C2Client())};
};

TEST(OscoreRoundTrip, GetWithResponseWithoutPartialIv)
{
    Peers p;
    const lpwan::coap::Message get = GetRequest("sensors/temp");
    ProtectResult req = ProtectRequest(p.client, get);
    ASSERT_TRUE(req.Ok()) << req.diagnostic;

    // On the wire: POST, Uri-Host and OSCORE outer; the path and Accept are encrypted.
    const lpwan::coap::Message wireRequest = OverTheWire(req.message);
    EXPECT_EQ(wireRequest.code, lpwan::coap::code::Post);
    EXPECT_EQ(CountOption(wireRequest, lpwan::coap::option::UriHost), 1u);
    EXPECT_EQ(CountOption(wireRequest, lpwan::coap::option::UriPath), 0u);
    EXPECT_EQ(CountOption(wireRequest, lpwan::coap::option::Accept), 0u);
    EXPECT_FALSE(Contains(lpwan::coap::Encode(wireRequest), "sensors"));
    EXPECT_EQ(wireRequest.token, get.token);
    EXPECT_EQ(wireRequest.messageId, get.messageId);

    UnprotectResult atServer = UnprotectRequest(p.server, wireRequest);
    ASSERT_TRUE(atServer.Ok()) << atServer.diagnostic;
    EXPECT_EQ(atServer.message, get);
    EXPECT_EQ(atServer.message.GetUriPath(), "sensors/temp");

    const lpwan::coap::Message content = ContentResponse(get, "21.5 C");
    ProtectResult resp = ProtectResponse(p.server, content, atServer.binding);
    ASSERT_TRUE(resp.Ok()) << resp.diagnostic;
    const lpwan::coap::Message wireResponse = OverTheWire(resp.message);
    EXPECT_EQ(wireResponse.code, lpwan::coap::code::Changed);
    EXPECT_EQ(wireResponse.FindOption(lpwan::coap::option::Oscore)->value,
              Bytes{}); // no Partial IV
    EXPECT_EQ(CountOption(wireResponse, lpwan::coap::option::ContentFormat), 0u);
    EXPECT_FALSE(Contains(lpwan::coap::Encode(wireResponse), "21.5"));
    EXPECT_EQ(p.server.GetSenderSequenceNumber(), 0u);

    UnprotectResult atClient = UnprotectResponse(p.client, wireResponse, req.binding);
    ASSERT_TRUE(atClient.Ok()) << atClient.diagnostic;
    EXPECT_EQ(atClient.message, content);
    EXPECT_FALSE(atClient.partialIv.has_value());

    // The exchange is over: the same response again is a replay.
    UnprotectResult again = UnprotectResponse(p.client, wireResponse, req.binding);
    EXPECT_EQ(again.status, Status::Replay);
    EXPECT_EQ(p.client.GetCounters().responsesVerified, 1u);
    EXPECT_EQ(p.client.GetCounters().replayed, 1u);
}

TEST(OscoreRoundTrip, PostWithResponseWithPartialIv)
{
    Peers p;
    lpwan::coap::Message post;
    post.type = lpwan::coap::Type::NonConfirmable;
    post.code = lpwan::coap::code::Post;
    post.messageId = 7;
    post.token = Hex("01");
    post.SetUriPath("readings");
    post.AddUintOption(lpwan::coap::option::ContentFormat, 60);
    post.payload = Bytes(200, 0x5a);

    for (uint64_t i = 0; i < 3; ++i)
    {
        post.messageId = static_cast<uint16_t>(7 + i);
        ProtectResult req = ProtectRequest(p.client, post);
        ASSERT_TRUE(req.Ok());
        EXPECT_EQ(req.binding.requestPiv, EncodePartialIv(i));
        EXPECT_EQ(req.Overhead(), req.protectedSize - static_cast<int64_t>(req.plainSize));
        UnprotectResult atServer = UnprotectRequest(p.server, OverTheWire(req.message));
        ASSERT_TRUE(atServer.Ok()) << atServer.diagnostic;
        EXPECT_EQ(atServer.message, post);
        EXPECT_EQ(atServer.partialIv, std::optional<uint64_t>(i));

        lpwan::coap::Message changed;
        changed.type = lpwan::coap::Type::NonConfirmable;
        changed.code = lpwan::coap::code::Changed;
        changed.messageId = static_cast<uint16_t>(100 + i);
        changed.token = post.token;
        ProtectResult resp = ProtectResponse(p.server, changed, atServer.binding, true);
        ASSERT_TRUE(resp.Ok());
        EXPECT_EQ(p.server.GetSenderSequenceNumber(), i + 1);
        UnprotectResult atClient
            = UnprotectResponse(p.client, OverTheWire(resp.message), req.binding);
        ASSERT_TRUE(atClient.Ok()) << atClient.diagnostic;
        EXPECT_EQ(atClient.message, changed);
        EXPECT_EQ(atClient.partialIv, std::optional<uint64_t>(i));
    }
    EXPECT_EQ(p.server.GetCounters().requestsVerified, 3u);
    EXPECT_EQ(p.server.GetCounters().responsesProtected, 3u);
    EXPECT_EQ(p.client.GetCounters().requestsProtected, 3u);
    EXPECT_EQ(p.client.GetCounters().responsesVerified, 3u);
}

TEST(OscoreRoundTrip, ResponseIsBoundToItsRequest)
{
    Peers p;
    ProtectResult a = ProtectRequest(p.client, GetRequest("a"));
    ProtectResult b = ProtectRequest(p.client, GetRequest("b"));
    UnprotectResult atServerA = UnprotectRequest(p.server, OverTheWire(a.message));
    UnprotectResult atServerB = UnprotectRequest(p.server, OverTheWire(b.message));
    ASSERT_TRUE(atServerA.Ok());
    ASSERT_TRUE(atServerB.Ok());

    for (bool piv : {false, true})
    {
        SCOPED_TRACE(piv ? "with Partial IV" : "request nonce");
        RequestBinding serverA = atServerA.binding;
        RequestBinding clientB = b.binding;
        ProtectResult respA
            = ProtectResponse(p.server, ContentResponse(GetRequest("a"), "A"), serverA, piv);
        ASSERT_TRUE(respA.Ok());
        // The response to request a does not verify as a response to request b.
        UnprotectResult wrong = UnprotectResponse(p.client, OverTheWire(respA.message), clientB);
        EXPECT_EQ(wrong.status, Status::DecryptionFailed);
        EXPECT_FALSE(clientB.completed);
    }
}

TEST(OscoreRoundTrip, ObserveNotifications)
{
    Peers p;
    lpwan::coap::Message reg = GetRequest("glucose");
    reg.AddUintOption(lpwan::coap::option::Observe, 0);
    ProtectResult req = ProtectRequest(p.client, reg);
    ASSERT_TRUE(req.Ok());
    EXPECT_TRUE(req.binding.observe);

    // Section 4.1.3.5: FETCH outer code, Observe both Outer and Inner with the same value.
    const lpwan::coap::Message wireReq = OverTheWire(req.message);
    EXPECT_EQ(wireReq.code, lpwan::coap::MakeCode(0, 5));
    ASSERT_EQ(CountOption(wireReq, lpwan::coap::option::Observe), 1u);
    EXPECT_EQ(wireReq.FindOption(lpwan::coap::option::Observe)->value, Bytes{});

    UnprotectResult atServer = UnprotectRequest(p.server, wireReq);
    ASSERT_TRUE(atServer.Ok()) << atServer.diagnostic;
    EXPECT_EQ(atServer.message, reg);
    EXPECT_TRUE(atServer.binding.observe);
    RequestBinding& serverBinding = atServer.binding;

    // The server's Sender Sequence Number is already at 5 (other exchanges).
    p.server.SetSenderSequenceNumber(5);

    auto notification = [&](uint32_t observe, const std::string& body)
    {
        lpwan::coap::Message n = ContentResponse(reg, body);
        n.type = lpwan::coap::Type::NonConfirmable;
        n.AddUintOption(lpwan::coap::option::Observe, observe);
        return n;
    };

    // First notification with the request nonce (allowed once), then with Partial IVs.
    std::vector<lpwan::coap::Message> sent;
    ProtectResult n0 = ProtectResponse(p.server, notification(11, "220"), serverBinding, false);
    ASSERT_TRUE(n0.Ok());
    EXPECT_EQ(n0.message.FindOption(lpwan::coap::option::Oscore)->value, Bytes{});
    sent.push_back(OverTheWire(n0.message));
    for (uint32_t i = 1; i <= 3; ++i)
    {
        // Asking for the request nonce again is overridden: a fresh Partial IV is forced.
        ProtectResult n = ProtectResponse(p.server, notification(11 + i, std::to_string(220 - i)),
                                          serverBinding, false);
        ASSERT_TRUE(n.Ok());
        const lpwan::coap::Message w = OverTheWire(n.message);
        EXPECT_EQ(w.code, lpwan::coap::code::Content); // Observe responses keep 2.05 outside
        ASSERT_NE(w.FindOption(lpwan::coap::option::Observe), nullptr);
        EXPECT_EQ(lpwan::coap::DecodeUintOption(w.FindOption(lpwan::coap::option::Observe)->value),
                  11 + i);
        const auto header = DecodeOptionValue(w.FindOption(lpwan::coap::option::Oscore)->value);
        ASSERT_TRUE(header && header->partialIv);
        EXPECT_EQ(*header->partialIv, EncodePartialIv(4 + i));
        sent.push_back(w);
    }
    EXPECT_EQ(p.server.GetSenderSequenceNumber(), 8u);

    // The client sees n0, n2 (Partial IV 6), then the stale n1 (5), then n3 (7).
    UnprotectResult r0 = UnprotectResponse(p.client, sent[0], req.binding);
    ASSERT_TRUE(r0.Ok()) << r0.diagnostic;
    EXPECT_EQ(r0.message.payload, Str("220"));
    ASSERT_NE(r0.message.FindOption(lpwan::coap::option::Observe), nullptr);
    // Without Partial IV the notification is the oldest: Observe value 0.
    EXPECT_EQ(
        lpwan::coap::DecodeUintOption(r0.message.FindOption(lpwan::coap::option::Observe)->value),
        0u);
    EXPECT_FALSE(req.binding.completed);

    UnprotectResult r2 = UnprotectResponse(p.client, sent[2], req.binding);
    ASSERT_TRUE(r2.Ok()) << r2.diagnostic;
    EXPECT_EQ(r2.message.payload, Str("218"));
    EXPECT_EQ(
        lpwan::coap::DecodeUintOption(r2.message.FindOption(lpwan::coap::option::Observe)->value),
        6u);
    EXPECT_EQ(req.binding.notificationNumber, std::optional<uint64_t>(6));

    UnprotectResult stale = UnprotectResponse(p.client, sent[1], req.binding);
    EXPECT_EQ(stale.status, Status::Replay);
    UnprotectResult duplicate = UnprotectResponse(p.client, sent[2], req.binding);
    EXPECT_EQ(duplicate.status, Status::Replay);
    UnprotectResult firstAgain = UnprotectResponse(p.client, sent[0], req.binding);
    EXPECT_EQ(firstAgain.status, Status::Replay); // the request nonce only once

    UnprotectResult r3 = UnprotectResponse(p.client, sent[3], req.binding);
    ASSERT_TRUE(r3.Ok()) << r3.diagnostic;
    EXPECT_EQ(r3.message.payload, Str("217"));
    EXPECT_EQ(
        lpwan::coap::DecodeUintOption(r3.message.FindOption(lpwan::coap::option::Observe)->value),
        7u);
    EXPECT_EQ(req.binding.notificationNumber, std::optional<uint64_t>(7));

    // A final response without Observe ends the observation; later notifications are replays.
    lpwan::coap::Message last = ContentResponse(reg, "bye");
    last.code = lpwan::coap::code::NotFound;
    ProtectResult fin = ProtectResponse(p.server, last, serverBinding);
    ASSERT_TRUE(fin.Ok());
    EXPECT_FALSE(fin.message.FindOption(lpwan::coap::option::Oscore)->value.empty()); // forced PIV
    ProtectResult after = ProtectResponse(p.server, notification(20, "late"), serverBinding);
    UnprotectResult rf = UnprotectResponse(p.client, OverTheWire(fin.message), req.binding);
    ASSERT_TRUE(rf.Ok()) << rf.diagnostic;
    EXPECT_EQ(rf.message.code, lpwan::coap::code::NotFound);
    EXPECT_TRUE(req.binding.completed);
    EXPECT_EQ(UnprotectResponse(p.client, OverTheWire(after.message), req.binding).status,
              Status::Replay);
    EXPECT_EQ(p.client.GetCounters().responsesVerified, 4u);
    EXPECT_EQ(p.client.GetCounters().replayed, 4u);
}

TEST(OscoreRoundTrip, NotificationToNonObserveRequestIsRejected)
{
    Peers p;
    ProtectResult req = ProtectRequest(p.client, GetRequest("x"));
    UnprotectResult atServer = UnprotectRequest(p.server, OverTheWire(req.message));
    ASSERT_TRUE(atServer.Ok());
    lpwan::coap::Message n = ContentResponse(GetRequest("x"), "1");
    n.AddUintOption(lpwan::coap::option::Observe, 3);
    ProtectResult resp = ProtectResponse(p.server, n, atServer.binding, true);
    ASSERT_TRUE(resp.Ok());
    UnprotectResult r = UnprotectResponse(p.client, OverTheWire(resp.message), req.binding);
    EXPECT_EQ(r.status, Status::UnexpectedResponse);
    EXPECT_FALSE(req.binding.completed);
}

// ---- Section 8.2 error responses: unprotected, Outer Max-Age 0, diagnostic payload ----

void
ExpectErrorResponse(const UnprotectResult& r, const lpwan::coap::Message& request, uint8_t code,
                    const std::string& diagnostic)
{
    ASSERT_TRUE(r.errorResponse.has_value()) << StatusName(r.status);
    const lpwan::coap::Message e = OverTheWire(*r.errorResponse);
    EXPECT_EQ(e.code, code) << lpwan::coap::CodeToString(e.code);
    EXPECT_EQ(CountOption(e, lpwan::coap::option::Oscore), 0u);
    ASSERT_NE(e.FindOption(lpwan::coap::option::MaxAge), nullptr);
    EXPECT_EQ(lpwan::coap::DecodeUintOption(e.FindOption(lpwan::coap::option::MaxAge)->value), 0u);
    EXPECT_EQ(e.payload, Str(diagnostic));
    EXPECT_EQ(e.token, request.token);
    EXPECT_EQ(e.messageId, request.messageId);
    EXPECT_EQ(e.type, request.type == lpwan::coap::Type::Confirmable
                          ? lpwan::coap::Type::Acknowledgement
                          : lpwan::coap::Type::NonConfirmable);
    EXPECT_EQ(r.context, nullptr);
    EXPECT_TRUE(r.message.options.empty()); // nothing delivered
}

TEST(OscoreRoundTrip, ErrorFailedToDecode)
{
    Peers p;
    ProtectResult req = ProtectRequest(p.client, GetRequest("x"));
    lpwan::coap::Message bad = OverTheWire(req.message);
    // Reserved flag bit 7 set in the OSCORE option.
    bad.RemoveOption(lpwan::coap::option::Oscore);
    bad.AddOption(lpwan::coap::option::Oscore, Hex("890000"));
    UnprotectResult r = UnprotectRequest(p.server, OverTheWire(bad));
    EXPECT_EQ(r.status, Status::Malformed);
    ExpectErrorResponse(r, bad, lpwan::coap::code::BadOption, "Failed to decode COSE");

    // No payload: malformed too (section 2).
    lpwan::coap::Message empty = OverTheWire(req.message);
    empty.payload.clear();
    r = UnprotectRequest(p.server, empty);
    EXPECT_EQ(r.status, Status::Malformed);
    ExpectErrorResponse(r, empty, lpwan::coap::code::BadOption, "Failed to decode COSE");

    // A request without 'kid' or without Partial IV.
    for (const char* value : {"0114", "0800"})
    {
        lpwan::coap::Message m = OverTheWire(req.message);
        m.RemoveOption(lpwan::coap::option::Oscore);
        m.AddOption(lpwan::coap::option::Oscore, Hex(value));
        r = UnprotectRequest(p.server, m);
        EXPECT_EQ(r.status, Status::Malformed) << value;
        ExpectErrorResponse(r, m, lpwan::coap::code::BadOption, "Failed to decode COSE");
    }
    EXPECT_EQ(p.server.GetCounters().malformed, 4u);

    // The original still verifies: nothing above touched the replay window.
    EXPECT_TRUE(UnprotectRequest(p.server, OverTheWire(req.message)).Ok());
}

TEST(OscoreRoundTrip, ErrorContextNotFound)
{
    Peers p;
    SecurityContext stranger(
        []
        {
            ContextParameters c = C2Client();
            c.senderId = Hex("77");
            return c;
        }());
    ProtectResult req = ProtectRequest(stranger, GetRequest("x"));
    const lpwan::coap::Message wire = OverTheWire(req.message);
    UnprotectResult r = UnprotectRequest(p.server, wire);
    EXPECT_EQ(r.status, Status::ContextNotFound);
    ExpectErrorResponse(r, wire, lpwan::coap::code::Unauthorized, "Security context not found");

    ContextStore store;
    store.Add(Mirror(C2Client()));
    r = store.UnprotectRequest(wire);
    EXPECT_EQ(r.status, Status::ContextNotFound);
    ExpectErrorResponse(r, wire, lpwan::coap::code::Unauthorized, "Security context not found");
    EXPECT_EQ(store.GetCounters().noContext, 1u);
}

TEST(OscoreRoundTrip, ErrorReplayDetected)
{
    Peers p;
    lpwan::coap::Message get = GetRequest("x");
    get.type = lpwan::coap::Type::NonConfirmable;
    ProtectResult req = ProtectRequest(p.client, get);
    const lpwan::coap::Message wire = OverTheWire(req.message);
    ASSERT_TRUE(UnprotectRequest(p.server, wire).Ok());
    UnprotectResult r = UnprotectRequest(p.server, wire);
    EXPECT_EQ(r.status, Status::Replay);
    ExpectErrorResponse(r, wire, lpwan::coap::code::Unauthorized, "Replay detected");
    EXPECT_EQ(p.server.GetCounters().replayed, 1u);
}

TEST(OscoreRoundTrip, ErrorDecryptionFailed)
{
    Peers p;
    ProtectResult req = ProtectRequest(p.client, GetRequest("x"));
    lpwan::coap::Message wire = OverTheWire(req.message);
    wire.payload[0] ^= 0x01;
    UnprotectResult r = UnprotectRequest(p.server, wire);
    EXPECT_EQ(r.status, Status::DecryptionFailed);
    ExpectErrorResponse(r, wire, lpwan::coap::code::BadRequest, "Decryption failed");
    EXPECT_EQ(p.server.GetCounters().decryptionFailed, 1u);

    // A forged request does not move the replay window: the genuine one still verifies.
    EXPECT_TRUE(UnprotectRequest(p.server, OverTheWire(req.message)).Ok());
}

TEST(OscoreRoundTrip, ClientSurfacesUnprotectedErrorResponses)
{
    Peers p;
    ProtectResult req = ProtectRequest(p.client, GetRequest("x"));
    lpwan::coap::Message wire = OverTheWire(req.message);
    wire.payload[0] ^= 0x01;
    UnprotectResult r = UnprotectRequest(p.server, wire);
    ASSERT_TRUE(r.errorResponse.has_value());

    // The client gets the 4.00 as NotOscore (not authenticated) and keeps waiting.
    UnprotectResult atClient
        = UnprotectResponse(p.client, OverTheWire(*r.errorResponse), req.binding);
    EXPECT_EQ(atClient.status, Status::NotOscore);
    EXPECT_EQ(atClient.message.code, lpwan::coap::code::BadRequest);
    EXPECT_FALSE(req.binding.completed);
    EXPECT_EQ(p.client.GetCounters().notOscore, 1u);
}

TEST(OscoreRoundTrip, ProtectRejectsWhatItCannotProtect)
{
    Peers p;
    lpwan::coap::Message notRequest = ContentResponse(GetRequest("x"), "x");
    EXPECT_EQ(ProtectRequest(p.client, notRequest).status, Status::InvalidInput);
    lpwan::coap::Message nested = GetRequest("x");
    nested.AddOption(lpwan::coap::option::Oscore, Bytes{});
    EXPECT_EQ(ProtectRequest(p.client, nested).status, Status::InvalidInput);
    lpwan::coap::Message longToken = GetRequest("x");
    longToken.token = Bytes(9, 1);
    EXPECT_EQ(ProtectRequest(p.client, longToken).status, Status::InvalidInput);
    // None of these consumed a sequence number.
    EXPECT_EQ(p.client.GetSenderSequenceNumber(), 0u);

    RequestBinding empty;
    EXPECT_EQ(ProtectResponse(p.server, notRequest, empty).status, Status::InvalidInput);

    // Section 7.2.1: after 2^40 - 1 the context is exhausted.
    p.client.SetSenderSequenceNumber(kMaxSequenceNumber);
    ProtectResult last = ProtectRequest(p.client, GetRequest("x"));
    ASSERT_TRUE(last.Ok());
    EXPECT_EQ(last.binding.requestPiv, Hex("ffffffffff"));
    EXPECT_EQ(UnprotectRequest(p.server, OverTheWire(last.message)).status, Status::Ok);
    EXPECT_EQ(ProtectRequest(p.client, GetRequest("x")).status, Status::SequenceExhausted);
}

// ---- ContextStore: several clients, lookup by 'kid' and 'kid context' ----

TEST(OscoreRoundTrip, ContextStoreFindsContextsByKidAndKidContext)
{
    // Three clients: kid 00 (no ID Context), and kid 01 under two ID Contexts.
    ContextParameters a = C2Client();
    ContextParameters b = C2Client();
    b.senderId = Hex("01");
    b.recipientId = Hex("00");
    b.idContext = Hex("aa");
    b.sendKidContext = true;
    ContextParameters c = b;
    c.idContext = Hex("bbbb");

    ContextStore store;
    SecurityContext& sa = store.Add(Mirror(a));
    SecurityContext& sb = store.Add(Mirror(b));
    SecurityContext& sc = store.Add(Mirror(c));
    EXPECT_EQ(store.Size(), 3u);
    EXPECT_EQ(store.Find(Hex("00"), std::nullopt), &sa);
    EXPECT_EQ(store.Find(Hex("01"), Hex("aa")), &sb);
    EXPECT_EQ(store.Find(Hex("01"), Hex("bbbb")), &sc);
    EXPECT_EQ(store.Find(Hex("01"), Hex("cc")), nullptr);
    EXPECT_EQ(store.Find(Hex("02"), std::nullopt), nullptr);

    SecurityContext ca(a);
    SecurityContext cb(b);
    SecurityContext cc(c);
    for (SecurityContext* client : {&ca, &cb, &cc})
    {
        for (int i = 0; i < 2; ++i)
        {
            ProtectResult req = ProtectRequest(*client, GetRequest("p"));
            UnprotectResult r = store.UnprotectRequest(OverTheWire(req.message));
            ASSERT_TRUE(r.Ok()) << r.diagnostic;
            ASSERT_NE(r.context, nullptr);
            EXPECT_EQ(r.context->GetRecipientId(), client->GetSenderId());
            EXPECT_EQ(r.context->GetIdContext(), client->GetIdContext());
            ProtectResult resp
                = ProtectResponse(*r.context, ContentResponse(GetRequest("p"), "ok"), r.binding);
            ASSERT_TRUE(resp.Ok());
            EXPECT_TRUE(UnprotectResponse(*client, OverTheWire(resp.message), req.binding).Ok());
        }
    }
    EXPECT_EQ(sa.GetCounters().requestsVerified, 2u);
    EXPECT_EQ(sb.GetCounters().requestsVerified, 2u);
    EXPECT_EQ(sc.GetCounters().requestsVerified, 2u);
    EXPECT_EQ(store.GetCounters().requestsVerified, 6u);

    // A request of client c with its 'kid context' changed to b's does not verify under b.
    ProtectResult req = ProtectRequest(cc, GetRequest("p"));
    lpwan::coap::Message moved = OverTheWire(req.message);
    auto header = DecodeOptionValue(moved.FindOption(lpwan::coap::option::Oscore)->value);
    header->kidContext = Hex("aa");
    moved.RemoveOption(lpwan::coap::option::Oscore);
    moved.AddOption(lpwan::coap::option::Oscore, EncodeOptionValue(*header));
    EXPECT_EQ(store.UnprotectRequest(moved).status, Status::DecryptionFailed);
    EXPECT_EQ(sb.GetCounters().decryptionFailed, 1u);

    // Not OSCORE at all: passed through untouched, without an error response.
    lpwan::coap::Message plain = GetRequest("p");
    UnprotectResult np = store.UnprotectRequest(plain);
    EXPECT_EQ(np.status, Status::NotOscore);
    EXPECT_EQ(np.message, plain);
    EXPECT_FALSE(np.errorResponse.has_value());
}

} // namespace
