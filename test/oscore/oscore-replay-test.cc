/*
 * Replay protection of requests (RFC 8613 sections 3.2.2, 7.4, 8.2 step 3): the sliding
 * Replay Window on its own and behind UnprotectRequest. Default size 32, configurable; a
 * duplicate is rejected, a Partial IV left of the window is rejected, out-of-order arrival
 * within the window is accepted, and only successfully decrypted requests move the window.
 */

#include "oscore-test-util.h"
#include "protocols/oscore/oscore-nonce.h"
#include "protocols/oscore/oscore-protect.h"
#include "protocols/oscore/oscore-replay-window.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace
{

using namespace lpwan;
using namespace lpwan::oscore;
using namespace oscore_test;
using Verdict = ReplayWindow::Verdict;

/// Check and, when fresh, Update: what the server does for a verified request.
Verdict
Receive(ReplayWindow& w, uint64_t piv)
{
    const Verdict v = w.Check(piv);
    if (v == Verdict::Fresh)
    {
        w.Update(piv);
    }
    return v;
}

TEST(OscoreReplay, DefaultWindowIs32)
{
    EXPECT_EQ(ReplayWindow().Size(), 32u);
    EXPECT_EQ(ContextParameters().replayWindowSize, 32u);
    EXPECT_EQ(SecurityContext(Mirror(C1Client())).GetReplayWindow().Size(), 32u);

    ReplayWindow w;
    EXPECT_FALSE(w.Highest().has_value());
    EXPECT_EQ(Receive(w, 100), Verdict::Fresh);
    EXPECT_EQ(Receive(w, 100), Verdict::Replay);
    // 69..99 are inside the window (offsets 1..31), 68 (offset 32) is not.
    EXPECT_EQ(Receive(w, 69), Verdict::Fresh);
    EXPECT_EQ(Receive(w, 68), Verdict::TooOld);
    EXPECT_EQ(Receive(w, 0), Verdict::TooOld);
    EXPECT_EQ(Receive(w, 69), Verdict::Replay);
    EXPECT_EQ(w.Highest(), std::optional<uint64_t>(100));
}

TEST(OscoreReplay, OutOfOrderWithinWindowIsAccepted)
{
    ReplayWindow w;
    for (uint64_t piv : {0u, 5u, 3u, 4u, 1u, 2u, 31u, 6u, 30u})
    {
        EXPECT_EQ(Receive(w, piv), Verdict::Fresh) << piv;
    }
    for (uint64_t piv = 0; piv <= 6; ++piv)
    {
        EXPECT_EQ(w.Check(piv), Verdict::Replay) << piv;
    }
    EXPECT_EQ(w.Check(7), Verdict::Fresh);
    // Sliding right by 2 pushes 0 and 1 out of the window.
    EXPECT_EQ(Receive(w, 33), Verdict::Fresh);
    EXPECT_EQ(w.Check(0), Verdict::TooOld);
    EXPECT_EQ(w.Check(1), Verdict::TooOld);
    EXPECT_EQ(w.Check(2), Verdict::Replay);
    EXPECT_EQ(w.Check(7), Verdict::Fresh);
    EXPECT_EQ(w.Check(32), Verdict::Fresh);
    // A jump beyond the window forgets everything before it.
    EXPECT_EQ(Receive(w, 1000), Verdict::Fresh);
    EXPECT_EQ(w.Check(968), Verdict::TooOld);
    EXPECT_EQ(w.Check(969), Verdict::Fresh);
    EXPECT_EQ(w.Check(999), Verdict::Fresh);
}

TEST(OscoreReplay, WindowSizeIsConfigurable)
{
    for (uint32_t size : {1u, 7u, 64u, 65u, 200u})
    {
        SCOPED_TRACE(size);
        ReplayWindow w(size);
        EXPECT_EQ(w.Size(), size);
        EXPECT_EQ(Receive(w, 1000), Verdict::Fresh);
        EXPECT_EQ(Receive(w, 1000 - size), Verdict::TooOld);
        if (size > 1)
        {
            EXPECT_EQ(Receive(w, 1000 - (size - 1)), Verdict::Fresh);
            EXPECT_EQ(Receive(w, 1000 - (size - 1)), Verdict::Replay);
        }
        // Every Partial IV in the window, in a shuffled order, is accepted exactly once.
        std::vector<uint64_t> pivs;
        for (uint64_t p = 1001; p < 1001 + size; ++p)
        {
            pivs.push_back(p);
        }
        std::mt19937 rng(size);
        std::shuffle(pivs.begin(), pivs.end(), rng);
        const uint64_t top = 1000 + size;
        EXPECT_EQ(Receive(w, top), Verdict::Fresh);
        for (uint64_t p : pivs)
        {
            EXPECT_EQ(Receive(w, p), p == top ? Verdict::Replay : Verdict::Fresh) << p;
        }
        for (uint64_t p : pivs)
        {
            EXPECT_EQ(w.Check(p), Verdict::Replay) << p;
        }
    }
    EXPECT_THROW(ReplayWindow(0), std::invalid_argument);
    ContextParameters zero = C1Client();
    zero.replayWindowSize = 0;
    EXPECT_FALSE(ValidateParameters(zero).empty());
}

/// A client and a server whose replay window has the given size.
struct Peers
{
    explicit Peers(uint32_t windowSize = 32)
      : client(C1Client())
      , server(
            [windowSize]
            {
                ContextParameters p = Mirror(C1Client());
                p.replayWindowSize = windowSize;
                return p;
            }())
    {
    }

    SecurityContext client;
    SecurityContext server;
};

lpwan::coap::Message
Get()
{
    lpwan::coap::Message m;
    m.code = lpwan::coap::code::Get;
    m.SetUriPath("r");
    return m;
}

TEST(OscoreReplay, RequestsThroughUnprotectRequest)
{
    Peers p;
    std::vector<lpwan::coap::Message> sent;
    for (int i = 0; i < 40; ++i)
    {
        ProtectResult r = ProtectRequest(p.client, Get());
        ASSERT_TRUE(r.Ok());
        sent.push_back(OverTheWire(r.message));
    }
    // 39 first, then 8..38 out of order: all within 32 of 39 and new -> accepted.
    EXPECT_TRUE(UnprotectRequest(p.server, sent[39]).Ok());
    std::vector<int> order;
    for (int i = 8; i < 39; ++i)
    {
        order.push_back(i);
    }
    std::mt19937 rng(7);
    std::shuffle(order.begin(), order.end(), rng);
    for (int i : order)
    {
        UnprotectResult r = UnprotectRequest(p.server, sent[i]);
        EXPECT_TRUE(r.Ok()) << i << " " << StatusName(r.status);
        EXPECT_EQ(r.partialIv, std::optional<uint64_t>(i));
    }
    // 7 is left of the window, every other one a duplicate.
    for (int i = 0; i < 40; ++i)
    {
        UnprotectResult r = UnprotectRequest(p.server, sent[i]);
        EXPECT_EQ(r.status, Status::Replay) << i;
        ASSERT_TRUE(r.errorResponse.has_value());
        EXPECT_EQ(r.errorResponse->code, lpwan::coap::code::Unauthorized);
    }
    EXPECT_EQ(p.server.GetCounters().requestsVerified, 32u);
    EXPECT_EQ(p.server.GetCounters().replayed, 40u);
}

TEST(OscoreReplay, LargerWindowAcceptsOlderRequests)
{
    for (uint32_t size : {32u, 64u})
    {
        Peers p(size);
        std::vector<lpwan::coap::Message> sent;
        for (int i = 0; i < 61; ++i)
        {
            sent.push_back(OverTheWire(ProtectRequest(p.client, Get()).message));
        }
        ASSERT_TRUE(UnprotectRequest(p.server, sent[60]).Ok());
        // Partial IV 20 is 40 behind: too old for 32, fine for 64.
        EXPECT_EQ(UnprotectRequest(p.server, sent[20]).status,
                  size == 32 ? Status::Replay : Status::Ok)
            << size;
    }
}

TEST(OscoreReplay, OnlyVerifiedRequestsMoveTheWindow)
{
    Peers p;
    std::vector<lpwan::coap::Message> sent;
    for (int i = 0; i < 3; ++i)
    {
        sent.push_back(OverTheWire(ProtectRequest(p.client, Get()).message));
    }
    // Forged: request 0 with its Partial IV replaced by 1000 (and garbage in the payload).
    lpwan::coap::Message forged = sent[0];
    forged.RemoveOption(lpwan::coap::option::Oscore);
    OptionValue header;
    header.partialIv = EncodePartialIv(1000);
    header.kid = Bytes{};
    forged.AddOption(lpwan::coap::option::Oscore, EncodeOptionValue(header));
    EXPECT_EQ(UnprotectRequest(p.server, forged).status, Status::DecryptionFailed);
    EXPECT_FALSE(p.server.GetReplayWindow().Highest().has_value());

    for (int i = 0; i < 3; ++i)
    {
        EXPECT_TRUE(UnprotectRequest(p.server, sent[i]).Ok()) << i;
    }
    EXPECT_EQ(p.server.GetReplayWindow().Highest(), std::optional<uint64_t>(2));
}

TEST(OscoreReplay, NonMinimalPartialIvIsMalformed)
{
    // 0x0014 names the same nonce as 0x14; accepting it would give a second request_piv.
    EXPECT_FALSE(DecodePartialIv(Hex("0014")).has_value());
    EXPECT_FALSE(DecodePartialIv(Hex("0000")).has_value());
    EXPECT_FALSE(DecodePartialIv(Bytes{}).has_value());
    EXPECT_FALSE(DecodePartialIv(Hex("010203040506")).has_value());
    EXPECT_EQ(DecodePartialIv(Hex("00")), std::optional<uint64_t>(0));
    EXPECT_EQ(DecodePartialIv(Hex("ffffffffff")), std::optional<uint64_t>(kMaxSequenceNumber));
    EXPECT_EQ(EncodePartialIv(256), Hex("0100"));

    Peers p;
    lpwan::coap::Message m = OverTheWire(ProtectRequest(p.client, Get()).message);
    m.RemoveOption(lpwan::coap::option::Oscore);
    m.AddOption(lpwan::coap::option::Oscore, Hex("020000")); // n = 2, Partial IV 0x0000, kid absent
    EXPECT_EQ(UnprotectRequest(p.server, m).status, Status::Malformed);
    m.RemoveOption(lpwan::coap::option::Oscore);
    m.AddOption(lpwan::coap::option::Oscore, Hex("0a0000")); // n = 2, Partial IV 0x0000, kid ''
    EXPECT_EQ(UnprotectRequest(p.server, m).status, Status::Malformed);
}

} // namespace
