/*
 * Losing the mutable part of a security context (RFC 8613 Appendix B.1):
 *
 *  - B.1.1: with K = persistInterval, every Sender Sequence Number divisible by K is reported
 *    for non-volatile storage before use; after a reboot the endpoint resumes at SSN1 + K + F,
 *    beyond every number used before, so no nonce is ever reused.
 *  - B.1.2: a rebooted server does not know its replay window. The first request (even a
 *    genuine one, and any replay of an old one) gets an OSCORE-protected 4.01 with only an Echo
 *    option and the server's own Partial IV; the request returning the Echo is accepted and
 *    sets the lower limit of the window, so neither it nor older requests can be replayed.
 */

#include "oscore-test-util.h"
#include "protocols/oscore/oscore-context-store.h"
#include "protocols/oscore/oscore-nonce.h"
#include "protocols/oscore/oscore-protect.h"

#include <gtest/gtest.h>

#include <set>

namespace
{

using namespace lpwan;
using namespace lpwan::oscore;
using namespace oscore_test;

/// The Sender Sequence Number a protected request used.
std::optional<uint64_t>
DecodePartialIvOf(const ProtectResult& r)
{
    return DecodePartialIv(r.binding.requestPiv);
}

lpwan::coap::Message
Put(const std::string& value)
{
    lpwan::coap::Message m;
    m.type = lpwan::coap::Type::Confirmable;
    m.code = lpwan::coap::code::Put;
    m.token = Hex("c0");
    m.SetUriPath("valve");
    m.payload = Str(value);
    return m;
}

TEST(OscoreEcho, B11_SequenceNumberPersistence)
{
    ContextParameters params = C2Client();
    params.persistInterval = 10; // K
    SecurityContext client(params);
    SecurityContext server(Mirror(C2Client()));

    std::vector<uint64_t> persisted;
    uint64_t lastUsed = 0;
    for (int i = 0; i < 27; ++i)
    {
        ProtectResult r = ProtectRequest(client, Put("x"));
        ASSERT_TRUE(r.Ok());
        lastUsed = *DecodePartialIvOf(r);
        if (r.persistSequenceNumber)
        {
            // Reported for the number this very message uses, before it is sent.
            EXPECT_EQ(*r.persistSequenceNumber, lastUsed);
            persisted.push_back(*r.persistSequenceNumber);
        }
        ASSERT_TRUE(UnprotectRequest(server, OverTheWire(r.message)).Ok());
    }
    EXPECT_EQ(persisted, (std::vector<uint64_t>{0, 10, 20}));
    EXPECT_EQ(lastUsed, 26u);

    // Reboot: the stored value is 20; resume at 20 + K + F with F = 5.
    SecurityContext rebooted(params);
    EXPECT_EQ(rebooted.GetSenderSequenceNumber(), 0u);
    ASSERT_TRUE(rebooted.RestoreSequenceNumber(persisted.back(), 5));
    EXPECT_EQ(rebooted.GetSenderSequenceNumber(), 35u);
    ProtectResult next = ProtectRequest(rebooted, Put("y"));
    ASSERT_TRUE(next.Ok());
    EXPECT_GT(*DecodePartialIvOf(next), lastUsed);
    EXPECT_FALSE(next.persistSequenceNumber.has_value()); // 35 is not a multiple of 10
    // The server (whose window survived) accepts it: nothing was reused.
    EXPECT_TRUE(UnprotectRequest(server, OverTheWire(next.message)).Ok());

    // Restoring is refused without K, with F = 0 (F is positive in the RFC) and past 2^40 - 1.
    SecurityContext noK(C2Client());
    EXPECT_FALSE(noK.RestoreSequenceNumber(20, 5));
    EXPECT_FALSE(rebooted.RestoreSequenceNumber(20, 0));
    EXPECT_FALSE(rebooted.RestoreSequenceNumber(kMaxSequenceNumber - 12, 5));
    EXPECT_EQ(rebooted.GetSenderSequenceNumber(), 36u);
    EXPECT_TRUE(rebooted.RestoreSequenceNumber(kMaxSequenceNumber - 15, 5));
    EXPECT_EQ(rebooted.GetSenderSequenceNumber(), kMaxSequenceNumber);
}

TEST(OscoreEcho, B11_ResponsesReportTheirPartialIvToo)
{
    ContextParameters serverParams = Mirror(C2Client());
    serverParams.persistInterval = 4;
    SecurityContext client(C2Client());
    SecurityContext server(serverParams);
    std::vector<uint64_t> persisted;
    for (int i = 0; i < 9; ++i)
    {
        ProtectResult req = ProtectRequest(client, Put("x"));
        UnprotectResult u = UnprotectRequest(server, OverTheWire(req.message));
        ASSERT_TRUE(u.Ok());
        lpwan::coap::Message changed;
        changed.code = lpwan::coap::code::Changed;
        const bool withPiv = i % 2 == 0;
        ProtectResult resp = ProtectResponse(server, changed, u.binding, withPiv);
        ASSERT_TRUE(resp.Ok());
        if (!withPiv)
        {
            EXPECT_FALSE(resp.persistSequenceNumber.has_value());
        }
        if (resp.persistSequenceNumber)
        {
            persisted.push_back(*resp.persistSequenceNumber);
        }
    }
    EXPECT_EQ(server.GetSenderSequenceNumber(), 5u);
    EXPECT_EQ(persisted, (std::vector<uint64_t>{0, 4}));
}

/// A client and a server that accepted some requests; then the server reboots.
class OscoreEchoReboot : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        ContextParameters serverParams = Mirror(C2Client());
        serverParams.persistInterval = 16;
        m_serverParams = serverParams;
        m_server = std::make_unique<SecurityContext>(serverParams);
        for (int i = 0; i < 5; ++i)
        {
            ProtectResult r = ProtectRequest(m_client, Put("open " + std::to_string(i)));
            m_old.push_back(OverTheWire(r.message));
            ASSERT_TRUE(UnprotectRequest(*m_server, m_old.back()).Ok());
        }
        // Reboot: the Sender Sequence Number is restored (B.1.1), the window is gone (B.1.2).
        m_server = std::make_unique<SecurityContext>(m_serverParams);
        ASSERT_TRUE(m_server->RestoreSequenceNumber(0, 1));
        m_server->ForgetReplayWindow(m_random);
        ASSERT_FALSE(m_server->GetReplayWindow().IsInitialised());
    }

    /// Checks an Echo challenge and returns its Echo value as the client sees it.
    Bytes ExpectChallenge(const UnprotectResult& r, RequestBinding* clientBinding)
    {
        EXPECT_EQ(r.status, Status::EchoRequired);
        EXPECT_EQ(r.context, m_server.get());
        EXPECT_TRUE(r.message.options.empty()); // the request is not delivered
        if (!r.errorResponse)
        {
            ADD_FAILURE() << "no challenge";
            return {};
        }
        const lpwan::coap::Message wire = OverTheWire(*r.errorResponse);
        // Protected, with the server's Partial IV, and nothing readable but the OSCORE option.
        EXPECT_EQ(wire.code, lpwan::coap::code::Changed);
        const lpwan::coap::Option* oscore = wire.FindOption(lpwan::coap::option::Oscore);
        EXPECT_NE(oscore, nullptr);
        if (oscore == nullptr)
        {
            return {};
        }
        const auto header = DecodeOptionValue(oscore->value);
        EXPECT_TRUE(header && header->partialIv);
        EXPECT_EQ(wire.options.size(), 1u);
        if (clientBinding == nullptr)
        {
            return {};
        }
        UnprotectResult atClient = UnprotectResponse(m_client, wire, *clientBinding);
        EXPECT_TRUE(atClient.Ok()) << atClient.diagnostic;
        EXPECT_EQ(atClient.message.code, lpwan::coap::code::Unauthorized);
        EXPECT_TRUE(atClient.message.payload.empty()); // "no diagnostic payload"
        EXPECT_EQ(atClient.message.options.size(), 1u);
        const auto echo = GetEchoChallenge(atClient.message);
        EXPECT_TRUE(echo.has_value());
        return echo.value_or(Bytes{});
    }

    ContextParameters m_serverParams;
    SecurityContext m_client{C2Client()};
    std::unique_ptr<SecurityContext> m_server;
    TestRandom m_random{99};
    std::vector<lpwan::coap::Message> m_old;
};

TEST_F(OscoreEchoReboot, ReplaysBeforeTheEchoAreNotAccepted)
{
    // Every old request decrypts but is challenged, never delivered.
    std::set<Bytes> echoes;
    for (const lpwan::coap::Message& old : m_old)
    {
        UnprotectResult r = UnprotectRequest(*m_server, old);
        ExpectChallenge(r, nullptr);
        ASSERT_TRUE(m_server->GetPendingEcho().has_value());
        echoes.insert(*m_server->GetPendingEcho());
    }
    EXPECT_EQ(echoes.size(), m_old.size()); // a fresh Echo value each time
    EXPECT_EQ(m_server->GetCounters().echoChallenges, m_old.size());
    EXPECT_EQ(m_server->GetCounters().requestsVerified, 0u);
    // Forged requests are still refused outright.
    lpwan::coap::Message forged = m_old[0];
    forged.payload[0] ^= 1;
    EXPECT_EQ(UnprotectRequest(*m_server, forged).status, Status::DecryptionFailed);
}

TEST_F(OscoreEchoReboot, EchoRoundTripRestoresTheWindow)
{
    // The client's first request after the server's reboot.
    ProtectResult first = ProtectRequest(m_client, Put("close"));
    UnprotectResult r1 = UnprotectRequest(*m_server, OverTheWire(first.message));
    const Bytes echo = ExpectChallenge(r1, &first.binding);
    ASSERT_EQ(echo.size(), kEchoLength);
    EXPECT_EQ(m_server->GetSenderSequenceNumber(), 18u); // 0 + K + F was 17, one used
    EXPECT_FALSE(r1.persistSequenceNumber.has_value());  // 17 is not a multiple of 16

    // A replay of an old request in between gets its own challenge (and a new Echo value).
    ExpectChallenge(UnprotectRequest(*m_server, m_old[4]), nullptr);
    const Bytes echo2 = *m_server->GetPendingEcho();

    // The client repeats its request with the latest Echo value: accepted, Echo not delivered.
    lpwan::coap::Message again = Put("close");
    again.AddOption(lpwan::coap::option::Echo, echo2);
    ProtectResult second = ProtectRequest(m_client, again);
    UnprotectResult r2 = UnprotectRequest(*m_server, OverTheWire(second.message));
    ASSERT_TRUE(r2.Ok()) << StatusName(r2.status) << " " << r2.diagnostic;
    EXPECT_EQ(r2.message, Put("close"));
    EXPECT_TRUE(m_server->GetReplayWindow().IsInitialised());
    EXPECT_FALSE(m_server->GetPendingEcho().has_value());
    EXPECT_EQ(m_server->GetReplayWindow().Highest(), DecodePartialIvOf(second));

    // The response to it verifies at the client.
    lpwan::coap::Message changed;
    changed.code = lpwan::coap::code::Changed;
    ProtectResult resp = ProtectResponse(*m_server, changed, r2.binding);
    ASSERT_TRUE(resp.Ok());
    EXPECT_TRUE(UnprotectResponse(m_client, OverTheWire(resp.message), second.binding).Ok());

    // Now the window is the lower limit: the Echo request and everything older are replays.
    EXPECT_EQ(UnprotectRequest(*m_server, OverTheWire(second.message)).status, Status::Replay);
    EXPECT_EQ(UnprotectRequest(*m_server, OverTheWire(first.message)).status, Status::Replay);
    for (const lpwan::coap::Message& old : m_old)
    {
        EXPECT_EQ(UnprotectRequest(*m_server, old).status, Status::Replay);
    }
    // New requests flow normally, with no Echo.
    ProtectResult third = ProtectRequest(m_client, Put("open"));
    EXPECT_TRUE(UnprotectRequest(*m_server, OverTheWire(third.message)).Ok());
}

TEST_F(OscoreEchoReboot, WrongOrStaleEchoIsChallengedAgain)
{
    ProtectResult first = ProtectRequest(m_client, Put("close"));
    const Bytes echo
        = ExpectChallenge(UnprotectRequest(*m_server, OverTheWire(first.message)), &first.binding);

    lpwan::coap::Message wrong = Put("close");
    Bytes bad = echo;
    bad[0] ^= 0xff;
    wrong.AddOption(lpwan::coap::option::Echo, bad);
    ProtectResult r = ProtectRequest(m_client, wrong);
    ExpectChallenge(UnprotectRequest(*m_server, OverTheWire(r.message)), nullptr);
    EXPECT_FALSE(m_server->GetReplayWindow().IsInitialised());

    // The first Echo was superseded by the second challenge.
    lpwan::coap::Message stale = Put("close");
    stale.AddOption(lpwan::coap::option::Echo, echo);
    r = ProtectRequest(m_client, stale);
    ExpectChallenge(UnprotectRequest(*m_server, OverTheWire(r.message)), nullptr);
    EXPECT_FALSE(m_server->GetReplayWindow().IsInitialised());
    EXPECT_EQ(m_server->GetCounters().requestsVerified, 0u);
}

TEST(OscoreEcho, WindowForgottenWithoutRandomSourceFailsCleanly)
{
    // A driver that uninitialises the window itself (not through ForgetReplayWindow) leaves
    // no source for Echo values: the request is refused, nothing throws, even through the
    // ParseRequest / VerifyRequest building blocks the server application uses.
    SecurityContext client(C1Client());
    SecurityContext server(Mirror(C1Client()));
    server.GetReplayWindow().Uninitialise();
    ProtectResult req = ProtectRequest(client, Put("x"));
    const lpwan::coap::Message wire = OverTheWire(req.message);
    UnprotectResult failure;
    const auto parsed = ParseRequest(wire, &failure);
    ASSERT_TRUE(parsed.has_value());
    UnprotectResult r;
    EXPECT_NO_THROW(r = VerifyRequest(server, wire, *parsed));
    EXPECT_FALSE(r.Ok());
    EXPECT_TRUE(r.errorResponse.has_value());
    EXPECT_NO_THROW(r = UnprotectRequest(server, wire));
    EXPECT_FALSE(r.Ok());
}

TEST(OscoreEcho, ContextStoreChallengesAfterReboot)
{
    ContextStore store;
    SecurityContext& s = store.Add(Mirror(C1Client()));
    TestRandom random(5);
    s.ForgetReplayWindow(random);
    SecurityContext client(C1Client());
    client.SetSenderSequenceNumber(100);

    ProtectResult first = ProtectRequest(client, Put("a"));
    UnprotectResult r1 = store.UnprotectRequest(OverTheWire(first.message));
    ASSERT_EQ(r1.status, Status::EchoRequired);
    ASSERT_EQ(r1.context, &s);
    UnprotectResult c1 = UnprotectResponse(client, OverTheWire(*r1.errorResponse), first.binding);
    ASSERT_TRUE(c1.Ok());
    lpwan::coap::Message again = Put("a");
    again.AddOption(lpwan::coap::option::Echo, *GetEchoChallenge(c1.message));
    ProtectResult second = ProtectRequest(client, again);
    UnprotectResult r2 = store.UnprotectRequest(OverTheWire(second.message));
    ASSERT_TRUE(r2.Ok()) << r2.diagnostic;
    EXPECT_EQ(store.GetCounters().echoChallenges, 1u);
    EXPECT_EQ(store.GetCounters().requestsVerified, 1u);
    EXPECT_EQ(store.UnprotectRequest(OverTheWire(second.message)).status, Status::Replay);
}

} // namespace
