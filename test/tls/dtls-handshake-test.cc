/*
 * DTLS 1.2 handshakes between two lpwan::tls::Sessions over an in-memory link: PSK and ECDHE-ECDSA
 * complete, carry application data both ways, close cleanly, and are reproducible from the
 * seed alone.
 */

#include "tls-test-util.h"

#include <gtest/gtest.h>

namespace
{

using namespace tlstest;

void
ExpectApplicationDataBothWays(Pair& p)
{
    const Bytes request = ToBytes("GET /meter/1 reading please");
    const Bytes response = ToBytes("reading: 1234.5 m3");
    ASSERT_TRUE(p.client->Write(p.network.Now(), request));
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.server->GetStats().applicationBytesRead > 0;
        }));
    const std::vector<Bytes> atServer = p.server->Read();
    ASSERT_EQ(atServer.size(), 1u); // DTLS keeps message boundaries
    EXPECT_EQ(atServer[0], request);
    ASSERT_TRUE(p.server->Write(p.network.Now(), response));
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.client->GetStats().applicationBytesRead > 0;
        }));
    EXPECT_EQ(Join(p.client->Read()), response);
}

TEST(DtlsHandshake, PskCompletesAndCarriesDataBothWays)
{
    Pair p(PskClientOptions(), PskServerOptions(), 1);
    ASSERT_TRUE(p.Handshake());
    EXPECT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    EXPECT_EQ(p.server->GetState(), State::Established) << p.server->GetFailureReason();
    EXPECT_EQ(p.client->GetCipherSuite(), "TLS-PSK-WITH-AES-128-CCM-8");
    EXPECT_EQ(p.server->GetPeerPskIdentity(), TestPsk().identity);
    ExpectApplicationDataBothWays(p);

    // Events: exactly one Established each.
    const std::vector<Event> events = p.client->TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::Established);
}

TEST(DtlsHandshake, EcdheEcdsaWithMutualCertificatesCompletes)
{
    Pair p(CertificateClientOptions(), CertificateServerOptions(), 2);
    ASSERT_TRUE(p.Handshake());
    ASSERT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    ASSERT_EQ(p.server->GetState(), State::Established) << p.server->GetFailureReason();
    EXPECT_EQ(p.client->GetCipherSuite(), "TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8");
    EXPECT_EQ(p.client->GetPeerCertificateSubject(), "CN=server.lpwan.test, O=lpwan-sec");
    EXPECT_EQ(p.server->GetPeerCertificateSubject(), "CN=device-0001, O=lpwan-sec");
    ExpectApplicationDataBothWays(p);
    // Certificates make the handshake much larger than PSK.
    EXPECT_GT(p.client->GetStats().handshakeBytesReceived, 700u);
}

TEST(DtlsHandshake, WrongServerNameFailsVerification)
{
    Options client = CertificateClientOptions();
    client.serverName = "other.lpwan.test";
    Pair p(client, CertificateServerOptions(), 3);
    p.Handshake();
    EXPECT_EQ(p.client->GetState(), State::Failed);
    EXPECT_NE(p.client->GetFailureReason().find("handshake failed"), std::string::npos)
        << p.client->GetFailureReason();
}

TEST(DtlsHandshake, UnknownPskIdentityIsRejected)
{
    Options client = PskClientOptions();
    client.psk->identity = ToBytes("intruder");
    Pair p(client, PskServerOptions(), 4);
    p.Handshake();
    EXPECT_EQ(p.server->GetState(), State::Failed);
    // The server's alert reaches the client, which fails too instead of waiting.
    EXPECT_EQ(p.client->GetState(), State::Failed);
    EXPECT_NE(p.client->GetFailureReason().find("fatal alert 115"), std::string::npos)
        << p.client->GetFailureReason(); // unknown_psk_identity
}

TEST(DtlsHandshake, CookieExchangeAddsOneRoundTrip)
{
    Options withoutCookies = PskServerOptions();
    withoutCookies.helloVerify = false;
    Pair plain(PskClientOptions(), withoutCookies, 5);
    ASSERT_TRUE(plain.Handshake());
    Pair cookie(PskClientOptions(), PskServerOptions(), 5);
    ASSERT_TRUE(cookie.Handshake());

    const SessionStats& a = plain.client->GetStats();
    const SessionStats& b = cookie.client->GetStats();
    EXPECT_EQ(a.helloVerifyRequests, 0u);
    EXPECT_EQ(b.helloVerifyRequests, 1u);
    EXPECT_EQ(cookie.server->GetStats().helloVerifyRequests, 1u);
    EXPECT_EQ(a.roundTrips, 2u);
    EXPECT_EQ(b.roundTrips, 3u);
    // ClientHello, [HelloVerifyRequest, ClientHello], ServerHello..Done, client Finished
    // flight, server Finished flight.
    EXPECT_EQ(a.flightsSent + a.flightsReceived, 4u);
    EXPECT_EQ(b.flightsSent + b.flightsReceived, 6u);
    EXPECT_GT(b.handshakeBytesSent, a.handshakeBytesSent);
    EXPECT_EQ(a.retransmittedFlights, 0u);
    EXPECT_FALSE(a.resumed);
    // Simulated time: 50 ms each way, so one more round trip is 100 ms more.
    EXPECT_EQ((b.handshakeEnd - b.handshakeStart) - (a.handshakeEnd - a.handshakeStart), 100 * kMs);
}

TEST(DtlsHandshake, SameSeedGivesByteIdenticalTranscripts)
{
    auto transcript = [](uint64_t seed, const Options& c, const Options& s)
    {
        Pair p(c, s, seed);
        EXPECT_TRUE(p.Handshake());
        EXPECT_TRUE(p.client->Write(p.network.Now(), ToBytes("hello")));
        p.network.RunUntil(
            [&]
            {
                return p.server->GetStats().applicationBytesRead > 0;
            });
        std::vector<std::tuple<TimeNs, bool, Bytes>> all;
        for (const Sent& sent : p.network.Transcript())
        {
            all.emplace_back(sent.time, sent.fromClient, sent.bytes);
        }
        return all;
    };
    for (const bool certificates : {false, true})
    {
        const Options c = certificates ? CertificateClientOptions() : PskClientOptions();
        const Options s = certificates ? CertificateServerOptions() : PskServerOptions();
        const auto first = transcript(42, c, s);
        const auto again = transcript(42, c, s);
        const auto other = transcript(43, c, s);
        ASSERT_GE(first.size(), 6u);
        EXPECT_EQ(first, again) << "certificates=" << certificates;
        ASSERT_EQ(first.size(), other.size());
        // Every datagram differs (randoms, cookies, keys) except none.
        size_t identical = 0;
        for (size_t i = 0; i < first.size(); ++i)
        {
            identical += std::get<2>(first[i]) == std::get<2>(other[i]) ? 1 : 0;
        }
        EXPECT_EQ(identical, 0u) << "certificates=" << certificates;
    }
}

TEST(DtlsHandshake, CloseNotifyClosesThePeer)
{
    Pair p(PskClientOptions(), PskServerOptions(), 6);
    ASSERT_TRUE(p.Handshake());
    p.client->Close(p.network.Now());
    EXPECT_EQ(p.client->GetState(), State::Closed);
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.server->GetState() == State::Closed;
        }));
    const std::vector<Event> events = p.server->TakeEvents();
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().kind, Event::Kind::Closed);
    EXPECT_EQ(events.back().reason, "peer sent close_notify");
    EXPECT_FALSE(p.client->Write(p.network.Now(), ToBytes("late")));
    EXPECT_GT(p.client->GetStats().alertBytesSent, 0u);
}

} // namespace
