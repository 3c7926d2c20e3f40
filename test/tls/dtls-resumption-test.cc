/*
 * Session resumption: a client that kept its session (SaveSession) reconnects and the server
 * (session cache or ticket) agrees: an abbreviated handshake, fewer bytes and round trips.
 */

#include "tls-test-util.h"

#include <gtest/gtest.h>

namespace
{

using namespace tlstest;

struct Resumed
{
    SessionStats full;
    SessionStats abbreviated;
    SessionStats abbreviatedServer;
};

Resumed
ConnectTwice(Options client, Options server, Resumption resumption, uint64_t seed)
{
    client.resumption = resumption;
    server.resumption = resumption;
    Pair p(client, server, seed);
    Resumed r;
    EXPECT_TRUE(p.Handshake());
    EXPECT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    r.full = p.client->GetStats();
    const Bytes saved = p.client->SaveSession();
    EXPECT_FALSE(saved.empty());
    p.client->Close(p.network.Now());
    p.network.RunUntil(
        [&]
        {
            return p.server->GetState() == State::Closed;
        });

    p.network.SetNow(p.network.Now() + 60 * kSecond);
    SessionOptions again;
    again.resume = saved;
    p.Reconnect(again);
    EXPECT_TRUE(p.Handshake());
    EXPECT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    EXPECT_EQ(p.server->GetState(), State::Established) << p.server->GetFailureReason();
    r.abbreviated = p.client->GetStats();
    r.abbreviatedServer = p.server->GetStats();
    // The resumed session carries data.
    EXPECT_TRUE(p.client->Write(p.network.Now(), ToBytes("resumed")));
    EXPECT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.server->GetStats().applicationBytesRead > 0;
        }));
    EXPECT_EQ(Join(p.server->Read()), ToBytes("resumed"));
    return r;
}

TEST(DtlsResumption, PskWithSessionCacheIsAbbreviated)
{
    const Resumed r
        = ConnectTwice(PskClientOptions(), PskServerOptions(), Resumption::SessionCache, 21);
    EXPECT_FALSE(r.full.resumed);
    EXPECT_TRUE(r.abbreviated.resumed);
    EXPECT_TRUE(r.abbreviatedServer.resumed);
    // HelloVerifyRequest round trip, then ClientHello -> ServerHello/CCS/Finished; the
    // client's Finished needs no answer.
    EXPECT_EQ(r.full.roundTrips, 3u);
    EXPECT_EQ(r.abbreviated.roundTrips, 2u);
    EXPECT_EQ(r.full.flightsSent + r.full.flightsReceived, 6u);
    EXPECT_EQ(r.abbreviated.flightsSent + r.abbreviated.flightsReceived, 5u);
    // 50 ms each way: one round trip less is 100 ms less.
    EXPECT_EQ((r.full.handshakeEnd - r.full.handshakeStart)
                  - (r.abbreviated.handshakeEnd - r.abbreviated.handshakeStart),
              100 * kMs);
    // With PSK the bytes hardly change: the resumed Hellos carry the 32-byte session ID
    // (three times, counting the cookie exchange) where the full handshake had a
    // ClientKeyExchange (the identity) and a ServerHelloDone. Resumption saves round trips
    // and the key exchange, not bytes.
    const double full
        = static_cast<double>(r.full.handshakeBytesSent + r.full.handshakeBytesReceived);
    const double abbreviated = static_cast<double>(r.abbreviated.handshakeBytesSent
                                                   + r.abbreviated.handshakeBytesReceived);
    EXPECT_NEAR(abbreviated / full, 1.0, 0.1) << full << " vs " << abbreviated;
}

TEST(DtlsResumption, CertificateHandshakeResumesWithoutCertificates)
{
    const Resumed r = ConnectTwice(CertificateClientOptions(), CertificateServerOptions(),
                                   Resumption::SessionCache, 22);
    EXPECT_FALSE(r.full.resumed);
    EXPECT_TRUE(r.abbreviated.resumed);
    const uint64_t full = r.full.handshakeBytesSent + r.full.handshakeBytesReceived;
    const uint64_t abbreviated
        = r.abbreviated.handshakeBytesSent + r.abbreviated.handshakeBytesReceived;
    // No certificates, no ECDHE: well under a third of the bytes.
    EXPECT_LT(abbreviated * 3, full) << full << " vs " << abbreviated;
}

TEST(DtlsResumption, SessionTicketsResume)
{
    const Resumed r = ConnectTwice(CertificateClientOptions(), CertificateServerOptions(),
                                   Resumption::SessionTickets, 23);
    EXPECT_FALSE(r.full.resumed);
    EXPECT_TRUE(r.abbreviated.resumed);
    EXPECT_TRUE(r.abbreviatedServer.resumed);
    EXPECT_EQ(r.abbreviated.roundTrips, 2u);
    // The full handshake carried a NewSessionTicket; the resumed one presents the ticket
    // in both ClientHellos (before and after the cookie). Debian's mbedTLS keeps the peer's
    // certificate in the session (MBEDTLS_SSL_KEEP_PEER_CERTIFICATE), so the ticket holds
    // the client's certificate: resuming saves far fewer bytes than with the session cache.
    const uint64_t full = r.full.handshakeBytesSent + r.full.handshakeBytesReceived;
    const uint64_t abbreviated
        = r.abbreviated.handshakeBytesSent + r.abbreviated.handshakeBytesReceived;
    EXPECT_LT(abbreviated, full);
    EXPECT_GT(abbreviated * 2, full) << full << " vs " << abbreviated;
}

TEST(DtlsResumption, ServerThatForgotFallsBackToFullHandshake)
{
    Options client = PskClientOptions();
    Pair first(client, PskServerOptions(), 24);
    ASSERT_TRUE(first.Handshake());
    const Bytes saved = first.client->SaveSession();
    ASSERT_FALSE(saved.empty());

    // A different server (new Config: empty cache) gets the resumption offer.
    SessionOptions again;
    again.resume = saved;
    Pair second(client, PskServerOptions(), 25, again);
    ASSERT_TRUE(second.Handshake());
    EXPECT_EQ(second.client->GetState(), State::Established) << second.client->GetFailureReason();
    EXPECT_FALSE(second.client->GetStats().resumed);
    EXPECT_EQ(second.client->GetStats().roundTrips, 3u);
}

TEST(DtlsResumption, GarbageSavedSessionIsRejectedAtConstruction)
{
    SeededRandom random(26);
    auto config = Config::Create(PskClientOptions(), random);
    SessionOptions bad;
    bad.resume = ToBytes("not a session");
    EXPECT_THROW(Session(config, kServerPeer, bad), std::invalid_argument);
}

} // namespace
