// DtlsTransport: the DTLS layer under CoAP. Datagrams handed to a client before its session
// exists wait for the handshake; the server keeps one session per authenticated client; a
// client that comes back from a new port resumes its session with an abbreviated handshake.
#include "protocols/tls/dtls-transport.h"
#include "tls-test-util.h"

#include <gtest/gtest.h>

using namespace tlstest;
using lpwan::TransportEvent;
using lpwan::WireDatagram;
using lpwan::tls::DtlsTransport;

namespace
{

/// A client and a server transport joined by an in-memory network with a fixed one-way delay;
/// a datagram from the client carries the client's current PeerId (its "port").
struct TransportPair
{
    SeededRandom clientRandom{11};
    SeededRandom serverRandom{12};
    DtlsTransport client;
    DtlsTransport server;
    PeerId clientPeer = kClientPeer;
    TimeNs now = 0;
    TimeNs delay = 500 * kMs;
    bool answersArrive = true;
    std::vector<Bytes> serverGot;
    std::vector<Bytes> clientGot;
    std::vector<TransportEvent> clientEvents;
    uint64_t wireBytes = 0;

    TransportPair(Options clientOptions, Options serverOptions)
      : client(Config::Create(clientOptions, clientRandom))
      , server(Config::Create(serverOptions, serverRandom))
    {
    }

    /// Moves datagrams until both sides are idle and no timer is due within `horizon`.
    void Run(TimeNs horizon)
    {
        TimeNs end = now + horizon;
        std::vector<std::pair<TimeNs, WireDatagram>> toServer;
        std::vector<std::pair<TimeNs, WireDatagram>> toClient;
        while (now <= end)
        {
            for (auto& w : client.TakeWire())
            {
                wireBytes += w.bytes.size();
                toServer.push_back({now + delay, w});
            }
            for (auto& w : server.TakeWire())
            {
                wireBytes += w.bytes.size();
                toClient.push_back({now + delay, w});
            }
            for (auto& d : server.TakePlain())
            {
                serverGot.push_back(d.bytes);
            }
            for (auto& d : client.TakePlain())
            {
                clientGot.push_back(d.bytes);
            }
            for (auto& e : client.TakeEvents())
            {
                clientEvents.push_back(e);
            }
            server.TakeEvents();
            // Next thing to happen.
            TimeNs next = end + 1;
            for (auto& [t, w] : toServer)
            {
                next = std::min(next, t);
            }
            for (auto& [t, w] : toClient)
            {
                next = std::min(next, t);
            }
            for (auto t : {client.NextTimer(), server.NextTimer()})
            {
                if (t)
                {
                    next = std::min(next, *t);
                }
            }
            if (next > end)
            {
                now = end; // time passes while nothing happens
                break;
            }
            now = next;
            for (size_t i = 0; i < toServer.size();)
            {
                if (toServer[i].first <= now)
                {
                    auto w = toServer[i].second;
                    toServer.erase(toServer.begin() + i);
                    server.Receive(clientPeer, w.bytes.data(), w.bytes.size(), now);
                }
                else
                {
                    ++i;
                }
            }
            for (size_t i = 0; i < toClient.size();)
            {
                if (toClient[i].first <= now)
                {
                    auto w = toClient[i].second;
                    toClient.erase(toClient.begin() + i);
                    if (answersArrive && w.peer == clientPeer)
                    {
                        client.Receive(kServerPeer, w.bytes.data(), w.bytes.size(), now);
                    }
                }
                else
                {
                    ++i;
                }
            }
            client.OnTimer(now);
            server.OnTimer(now);
        }
    }
};

lpwan::Datagram
AppDatagram(PeerId peer, const std::string& text)
{
    return lpwan::Datagram{peer, ToBytes(text), false};
}

} // namespace

TEST(DtlsTransport, DataSentBeforeTheHandshakeWaitsAndThenFlowsBothWays)
{
    TransportPair t(PskClientOptions(), PskServerOptions());
    t.client.Send(AppDatagram(kServerPeer, "first"), t.now);
    t.client.Send(AppDatagram(kServerPeer, "second"), t.now);
    EXPECT_FALSE(t.client.IsEstablished(kServerPeer));
    t.Run(30 * kSecond);
    ASSERT_TRUE(t.client.IsEstablished(kServerPeer));
    ASSERT_EQ(t.serverGot.size(), 2u);
    EXPECT_EQ(t.serverGot[0], ToBytes("first"));
    EXPECT_EQ(t.serverGot[1], ToBytes("second"));
    ASSERT_EQ(t.clientEvents.size(), 1u);
    EXPECT_EQ(t.clientEvents[0].kind, TransportEvent::Kind::Established);

    t.server.Send(AppDatagram(kClientPeer, "reply"), t.now);
    t.Run(5 * kSecond);
    ASSERT_EQ(t.clientGot.size(), 1u);
    EXPECT_EQ(t.clientGot[0], ToBytes("reply"));

    auto f = t.client.GetFigures(true);
    EXPECT_EQ(f.started, 1u);
    EXPECT_EQ(f.completed, 1u);
    EXPECT_EQ(f.abbreviated, 0u);
    EXPECT_EQ(f.helloVerifyRequests, 1u); // cookies are on by default
    EXPECT_EQ(f.roundTrips, 3u);          // HelloVerifyRequest + two PSK round trips
    EXPECT_GT(f.bytesSent, 0u);
    ASSERT_EQ(f.durations.size(), 1u);
    EXPECT_NEAR(f.durations[0], 3.0, 0.01); // three round trips of 2 x 500 ms
}

TEST(DtlsTransport, ApplicationRecordsCarryTheirPlaintextForAccounting)
{
    TransportPair t(PskClientOptions(), PskServerOptions());
    t.client.Connect(kServerPeer, t.now);
    t.Run(30 * kSecond);
    ASSERT_TRUE(t.client.IsEstablished(kServerPeer));
    t.client.Send(AppDatagram(kServerPeer, "0123456789"), t.now);
    auto wire = t.client.TakeWire();
    ASSERT_EQ(wire.size(), 1u);
    EXPECT_FALSE(wire[0].handshake);
    EXPECT_EQ(wire[0].plaintext, ToBytes("0123456789"));
    // DTLS 1.2 record header (13) + explicit nonce (8) + CCM_8 tag (8).
    EXPECT_EQ(wire[0].bytes.size(), 10u + 29u);
}

TEST(DtlsTransport, AClientFromANewPortResumesAndTheStaleSessionIsEvicted)
{
    TransportPair t(PskClientOptions(), PskServerOptions());
    t.server.SetIdleTimeout(20 * kSecond);
    t.client.Send(AppDatagram(kServerPeer, "before"), t.now);
    t.Run(10 * kSecond);
    ASSERT_EQ(t.server.GetSessionCount(), 1u);
    uint64_t fullBytes = t.wireBytes;

    // The NAT binding expired: the client's datagrams now come from another port.
    t.client.DropSession(kServerPeer);
    t.clientPeer = kClientPeer + 1;
    t.wireBytes = 0;
    t.client.Send(AppDatagram(kServerPeer, "after"), t.now);
    t.Run(10 * kSecond);
    ASSERT_EQ(t.serverGot.size(), 2u);
    EXPECT_EQ(t.serverGot[1], ToBytes("after"));
    auto f = t.client.GetFigures(true);
    EXPECT_EQ(f.completed, 2u);
    EXPECT_EQ(f.abbreviated, 1u);
    EXPECT_LT(t.wireBytes, fullBytes); // an abbreviated handshake is smaller
    // A resumed client does not present its PSK identity again: the server cannot tell that
    // the old session is the same client's, until it has been idle for the idle timeout.
    EXPECT_EQ(t.server.GetSessionCount(), 2u);
    for (int i = 0; i < 4; ++i)
    {
        t.client.Send(AppDatagram(kServerPeer, "keep-alive"), t.now);
        t.Run(5 * kSecond);
    }
    EXPECT_EQ(t.server.GetSessionCount(), 1u) << "the stale session was not evicted";
    EXPECT_TRUE(t.client.IsEstablished(kServerPeer));
}

TEST(DtlsTransport, AFullHandshakeFromANewPortReplacesTheOldSessionAtOnce)
{
    TransportPair t(PskClientOptions(), PskServerOptions());
    t.client.SetResumption(false);
    t.client.Send(AppDatagram(kServerPeer, "before"), t.now);
    t.Run(10 * kSecond);
    t.client.DropSession(kServerPeer);
    t.clientPeer = kClientPeer + 1;
    t.client.Send(AppDatagram(kServerPeer, "after"), t.now);
    t.Run(10 * kSecond);
    EXPECT_EQ(t.client.GetFigures(true).abbreviated, 0u);
    EXPECT_EQ(t.server.GetSessionCount(), 1u) << "same PSK identity: one session";
}

TEST(DtlsTransport, AClientThatDroppedItsSessionHandshakesAgainFromTheSamePort)
{
    // A report timed out, the device dropped its session and starts over from the same port:
    // the server's established session must not swallow the new ClientHello.
    for (bool resumption : {true, false})
    {
        TransportPair t(PskClientOptions(), PskServerOptions());
        t.client.SetResumption(resumption);
        t.client.Send(AppDatagram(kServerPeer, "before"), t.now);
        t.Run(10 * kSecond);
        ASSERT_TRUE(t.client.IsEstablished(kServerPeer));
        t.client.DropSession(kServerPeer);
        t.client.Send(AppDatagram(kServerPeer, "after"), t.now);
        t.Run(20 * kSecond);
        ASSERT_EQ(t.serverGot.size(), 2u) << "resumption " << resumption;
        EXPECT_EQ(t.serverGot[1], ToBytes("after"));
        auto f = t.client.GetFigures(true);
        EXPECT_EQ(f.completed, 2u);
        EXPECT_EQ(f.failed, 0u);
        EXPECT_EQ(f.abbreviated, resumption ? 1u : 0u);
        EXPECT_EQ(t.server.GetSessionCount(), 1u);
    }
}

TEST(DtlsTransport, CertificateHandshakeCompletes)
{
    TransportPair t(CertificateClientOptions(), CertificateServerOptions());
    t.client.Send(AppDatagram(kServerPeer, "signed"), t.now);
    t.Run(60 * kSecond);
    ASSERT_EQ(t.serverGot.size(), 1u);
    auto f = t.client.GetFigures(true);
    EXPECT_EQ(f.completed, 1u);
    // Certificates make the flights far larger than PSK's.
    EXPECT_GT(f.bytesSent + f.bytesReceived, 1000u);
}

TEST(DtlsTransport, AHandshakeWithoutAnswerFailsAndDropsTheWaitingData)
{
    Options client = PskClientOptions();
    client.handshakeTimeoutMinMs = 1000;
    client.handshakeTimeoutMaxMs = 4000;
    TransportPair t(client, PskServerOptions());
    t.answersArrive = false;
    t.client.Send(AppDatagram(kServerPeer, "lost"), t.now);
    t.Run(60 * kSecond);
    ASSERT_FALSE(t.clientEvents.empty());
    EXPECT_EQ(t.clientEvents.back().kind, TransportEvent::Kind::Failed);
    EXPECT_EQ(t.client.GetDroppedDatagrams(), 1u);
    auto f = t.client.GetFigures(true);
    EXPECT_EQ(f.failed, 1u);
    EXPECT_GE(f.retransmittedFlights, 2u); // 1 s, 2 s, then 4 s gives up
    EXPECT_FALSE(t.client.NextTimer().has_value()) << "a failed handshake must not keep a timer";
}

TEST(DtlsTransport, OnlyAClientHelloFromAnUnknownPeerStartsAServerSession)
{
    TransportPair t(PskClientOptions(), PskServerOptions());
    t.client.Send(AppDatagram(kServerPeer, "hello"), t.now);
    t.Run(10 * kSecond);
    ASSERT_EQ(t.serverGot.size(), 1u);
    // An application record of that session from another port (a NAT rebinding the server
    // cannot know), and garbage: neither makes a session nor counts as a failed handshake.
    t.client.Send(AppDatagram(kServerPeer, "stray"), t.now);
    const std::vector<WireDatagram> wire = t.client.TakeWire();
    ASSERT_EQ(wire.size(), 1u);
    t.server.Receive(kClientPeer + 7, wire[0].bytes.data(), wire[0].bytes.size(), t.now);
    const Bytes garbage = ToBytes("not a DTLS record at all");
    t.server.Receive(kClientPeer + 8, garbage.data(), garbage.size(), t.now);
    EXPECT_TRUE(t.server.TakeWire().empty());
    EXPECT_TRUE(t.server.TakeEvents().empty());
    EXPECT_EQ(t.server.GetSessionCount(), 1u);
    const auto f = t.server.GetFigures(true);
    EXPECT_EQ(f.failed, 0u);
    EXPECT_EQ(f.completed, 1u);
}
