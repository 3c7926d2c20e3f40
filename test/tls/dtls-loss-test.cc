/*
 * DTLS retransmission on simulated time: lost flights are resent when mbedTLS's timer
 * (mbedtls_ssl_set_timer_cb on the session's clock) fires, counted as retransmitted flights,
 * and the handshake completes; with everything lost it fails at the configured maximum
 * timeout instead of hanging.
 */

#include "tls-test-util.h"

#include <gtest/gtest.h>

namespace
{

using namespace tlstest;

/// Drops the n-th datagram (0-based) sent by one side, `times` times in a row (the n-th,
/// n+1-th, ... of that side).
Network::DropRule
DropFrom(bool client, int first, int count = 1)
{
    return [=](bool fromClient, int index, const Bytes&)
    {
        return fromClient == client && index >= first && index < first + count;
    };
}

int
CountRetransmittedDatagrams(const Network& network, bool fromClient)
{
    int n = 0;
    for (const Sent& s : network.Transcript())
    {
        n += (s.fromClient == fromClient && s.retransmission) ? 1 : 0;
    }
    return n;
}

/// A server whose own retransmission timer is slower than the client's, so that in these
/// tests it resends only when the client's repeated flight shows a loss. (With equal timers
/// and fixed delays, the server's timer expires exactly when the client's repeated flight
/// arrives, and mbedTLS resends for both reasons: see SimultaneousTimerAndRepeatedFlight.)
Options
PatientServer()
{
    Options o = PskServerOptions();
    o.handshakeTimeoutMinMs = 10000;
    return o;
}

TEST(DtlsLoss, LostServerHelloFlightIsRetransmitted)
{
    Pair p(PskClientOptions(), PatientServer(), 11);
    // Server datagrams: [0] HelloVerifyRequest, [1] ServerHello..ServerHelloDone.
    p.network.SetDropRule(DropFrom(false, 1));
    ASSERT_TRUE(p.Handshake());
    ASSERT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    ASSERT_EQ(p.server->GetState(), State::Established) << p.server->GetFailureReason();
    const SessionStats& c = p.client->GetStats();
    const SessionStats& s = p.server->GetStats();
    // The client's timer (1 s) fired once: it resent its ClientHello flight.
    EXPECT_EQ(c.retransmittedFlights, 1u);
    EXPECT_EQ(CountRetransmittedDatagrams(p.network, true), 1);
    // The server resent its lost flight on seeing the ClientHello again.
    EXPECT_EQ(s.retransmittedFlights, 1u);
    EXPECT_EQ(CountRetransmittedDatagrams(p.network, false), 1);
    // The wait is simulated time: ClientHello+cookie at 100 ms, resent at 1.1 s after the
    // 1 s timeout, then two more round trips of 100 ms.
    EXPECT_EQ(c.handshakeEnd - c.handshakeStart, 1300 * kMs);
    EXPECT_EQ(c.roundTrips, 3u); // a retransmission is not an extra round trip
}

TEST(DtlsLoss, LostClientFinishedFlightTwiceDoublesTheTimeout)
{
    Pair p(PskClientOptions(), PatientServer(), 12);
    // Client datagrams: [0] ClientHello, [1] ClientHello+cookie, [2] ClientKeyExchange,
    // ChangeCipherSpec, Finished -- dropped, and its first retransmission too.
    p.network.SetDropRule(DropFrom(true, 2, 2));
    ASSERT_TRUE(p.Handshake());
    ASSERT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    const SessionStats& c = p.client->GetStats();
    EXPECT_EQ(c.retransmittedFlights, 2u);
    // Flight 5 left at 200 ms, again at 1.2 s (1 s timeout) and 3.2 s (2 s, doubled); the
    // server's answer arrives 100 ms later.
    std::vector<TimeNs> clientFlightTimes;
    for (const Flight& f : c.flights)
    {
        if (f.outgoing)
        {
            clientFlightTimes.push_back(f.start);
        }
    }
    ASSERT_EQ(clientFlightTimes.size(), 5u);
    EXPECT_EQ(clientFlightTimes[3] - clientFlightTimes[2], 1000 * kMs);
    EXPECT_EQ(clientFlightTimes[4] - clientFlightTimes[3], 2000 * kMs);
    EXPECT_TRUE(c.flights.back().outgoing == false);
    EXPECT_EQ(c.handshakeEnd, clientFlightTimes[4] + 100 * kMs);
}

TEST(DtlsLoss, LostLastServerFlightIsResentByTheEstablishedServer)
{
    Pair p(PskClientOptions(), PatientServer(), 13);
    // Server datagrams: [0] HVR, [1] ServerHello flight, [2] ChangeCipherSpec+Finished.
    p.network.SetDropRule(DropFrom(false, 2));
    ASSERT_TRUE(p.Handshake());
    ASSERT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    // The server finished first and resent its last flight when the client's retransmitted
    // Finished flight showed that it was lost.
    EXPECT_EQ(p.client->GetStats().retransmittedFlights, 1u);
    EXPECT_EQ(p.server->GetStats().retransmittedFlights, 1u);
    EXPECT_EQ(CountRetransmittedDatagrams(p.network, false), 1);
    // And data flows afterwards.
    ASSERT_TRUE(p.client->Write(p.network.Now(), ToBytes("after loss")));
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.server->GetStats().applicationBytesRead > 0;
        }));
    EXPECT_EQ(Join(p.server->Read()), ToBytes("after loss"));
}

TEST(DtlsLoss, SimultaneousTimerAndRepeatedFlight)
{
    // Equal timers: the server's ServerHello flight is lost; its timer expires at 1.15 s,
    // exactly when the client's repeated ClientHello (sent on its own 1 s timer) arrives.
    // mbedTLS resends on the timer, then again for the repeated flight; both copies are
    // counted as retransmissions, and the handshake still completes.
    Pair p(PskClientOptions(), PskServerOptions(), 16);
    p.network.SetDropRule(DropFrom(false, 1));
    ASSERT_TRUE(p.Handshake());
    ASSERT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    ASSERT_EQ(p.server->GetState(), State::Established) << p.server->GetFailureReason();
    EXPECT_GE(p.server->GetStats().retransmittedFlights, 1u);
    EXPECT_EQ(static_cast<int>(p.server->GetStats().retransmittedFlights),
              CountRetransmittedDatagrams(p.network, false));
    EXPECT_EQ(static_cast<int>(p.client->GetStats().retransmittedFlights),
              CountRetransmittedDatagrams(p.network, true));
}

TEST(DtlsLoss, EverythingLostFailsAtTheMaximumTimeout)
{
    Options client = PskClientOptions();
    client.handshakeTimeoutMinMs = 500;
    client.handshakeTimeoutMaxMs = 4000;
    Pair p(client, PskServerOptions(), 14);
    p.network.SetDropRule(
        [](bool, int, const Bytes&)
        {
            return true;
        });
    p.client->Start(0);
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.client->GetState() != State::Handshaking;
        },
        3600 * kSecond));
    EXPECT_EQ(p.client->GetState(), State::Failed);
    EXPECT_NE(p.client->GetFailureReason().find("timeout"), std::string::npos)
        << p.client->GetFailureReason();
    // mbedTLS waits 0.5, 1, 2 and 4 s (doubling up to the maximum), resending after each
    // wait but the last: 3 retransmissions, failure at 7.5 s.
    const SessionStats& c = p.client->GetStats();
    EXPECT_EQ(c.flightsSent, 4u);
    EXPECT_EQ(c.retransmittedFlights, 3u);
    EXPECT_EQ(p.network.Now(), 7500 * kMs);
    EXPECT_FALSE(p.client->NextTimer().has_value());
    const std::vector<Event> events = p.client->TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::Failed);
    EXPECT_EQ(events[0].time, 7500 * kMs);
}

TEST(DtlsLoss, DefaultTimeoutsGiveUpAfterTwoMinutes)
{
    Pair p(PskClientOptions(), PskServerOptions(), 15);
    p.network.SetDropRule(
        [](bool, int, const Bytes&)
        {
            return true;
        });
    p.client->Start(0);
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.client->GetState() != State::Handshaking;
        },
        3600 * kSecond));
    EXPECT_EQ(p.client->GetState(), State::Failed);
    // 1 + 2 + 4 + 8 + 16 + 32 s, then the 60 s cap once: 123 s, 6 retransmissions.
    EXPECT_EQ(p.network.Now(), 123 * kSecond);
    EXPECT_EQ(p.client->GetStats().retransmittedFlights, 6u);
}

} // namespace
