/*
 * TLS 1.2 over a byte stream (the MQTT-over-TLS case): the stream may be cut anywhere, and
 * records, handshake flights and application data still come out whole and in order.
 */

#include "tls-test-util.h"

#include <gtest/gtest.h>

namespace
{

using namespace tlstest;

Bytes
Pattern(size_t n)
{
    Bytes b(n);
    for (size_t i = 0; i < n; ++i)
    {
        b[i] = static_cast<uint8_t>(i * 7 + (i >> 8));
    }
    return b;
}

void
HandshakeAndExchange(Pair& p, size_t maxPiece, uint64_t seed)
{
    p.network.SetStreamPieces(maxPiece, seed);
    ASSERT_TRUE(p.Handshake());
    ASSERT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    ASSERT_EQ(p.server->GetState(), State::Established) << p.server->GetFailureReason();

    // 40 kB needs three records (16 kB each at most); the reader gets the bytes in order.
    const Bytes big = Pattern(40000);
    ASSERT_TRUE(p.client->Write(p.network.Now(), big));
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.server->GetStats().applicationBytesRead == big.size();
        }));
    EXPECT_EQ(Join(p.server->Read()), big);
    const Bytes reply = ToBytes("PUBACK-ish");
    ASSERT_TRUE(p.server->Write(p.network.Now(), reply));
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.client->GetStats().applicationBytesRead == reply.size();
        }));
    EXPECT_EQ(Join(p.client->Read()), reply);

    const SessionStats& c = p.client->GetStats();
    // ClientHello; ServerHello..Done; client key exchange..Finished; server CCS/Finished.
    EXPECT_EQ(c.flightsSent, 2u);
    EXPECT_EQ(c.flightsReceived, 2u);
    EXPECT_EQ(c.roundTrips, 2u);
    EXPECT_EQ(c.retransmittedFlights, 0u);
    EXPECT_EQ(c.helloVerifyRequests, 0u);
    // Every byte is accounted to some record type.
    EXPECT_EQ(c.bytesSent, c.handshakeBytesSent + c.alertBytesSent + c.applicationRecordBytesSent);
    EXPECT_EQ(c.bytesReceived,
              c.handshakeBytesReceived + c.alertBytesReceived + c.applicationRecordBytesReceived);
}

TEST(TlsStream, PskOverAStreamCutIntoTinyPieces)
{
    Pair p(PskClientOptions(Transport::Stream), PskServerOptions(Transport::Stream), 31);
    HandshakeAndExchange(p, 3, 1);
    EXPECT_EQ(p.client->GetCipherSuite(), "TLS-PSK-WITH-AES-128-CCM-8");
}

TEST(TlsStream, EcdheEcdsaGcmOverARandomlyCutStream)
{
    Options client = CertificateClientOptions(Transport::Stream);
    Options server = CertificateServerOptions(Transport::Stream);
    client.cipherSuites = {kTlsEcdheEcdsaWithAes128GcmSha256};
    server.cipherSuites = {kTlsEcdheEcdsaWithAes128GcmSha256, kTlsEcdheEcdsaWithAes128Ccm8};
    Pair p(client, server, 32);
    HandshakeAndExchange(p, 97, 2);
    EXPECT_EQ(p.client->GetCipherSuite(), "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256");
}

TEST(TlsStream, PskGcmWholeRecords)
{
    Options client = PskClientOptions(Transport::Stream);
    client.cipherSuites = {kTlsPskWithAes128GcmSha256, kTlsPskWithAes128Ccm8};
    Options server = PskServerOptions(Transport::Stream);
    server.cipherSuites = {kTlsPskWithAes128GcmSha256};
    Pair p(client, server, 33);
    HandshakeAndExchange(p, 0, 3);
    EXPECT_EQ(p.client->GetCipherSuite(), "TLS-PSK-WITH-AES-128-GCM-SHA256");
}

TEST(TlsStream, NoCommonSuiteFailsBothSides)
{
    Options client = PskClientOptions(Transport::Stream);
    client.cipherSuites = {kTlsPskWithAes128GcmSha256};
    Options server = PskServerOptions(Transport::Stream);
    server.cipherSuites = {kTlsPskWithAes128Ccm8};
    Pair p(client, server, 34);
    p.Handshake();
    EXPECT_EQ(p.server->GetState(), State::Failed);
    EXPECT_EQ(p.client->GetState(), State::Failed);
    EXPECT_NE(p.client->GetFailureReason().find("fatal alert 40"), std::string::npos)
        << p.client->GetFailureReason(); // handshake_failure
}

TEST(TlsStream, GarbageStreamFailsTheServerCleanly)
{
    SeededRandom random(35);
    auto config = Config::Create(PskServerOptions(Transport::Stream), random);
    std::mt19937_64 bytes(35);
    for (int i = 0; i < 200; ++i)
    {
        Session server(config, kClientPeer);
        Bytes junk(1 + bytes() % 300);
        for (uint8_t& b : junk)
        {
            b = static_cast<uint8_t>(bytes());
        }
        if (i % 2 == 0)
        {
            junk[0] = 22; // a handshake record header with a random length and version
        }
        server.Receive(0, junk);
        server.Receive(0, junk); // and again, whatever state it is in
        EXPECT_NE(server.GetState(), State::Established);
        if (server.GetState() == State::Failed)
        {
            EXPECT_FALSE(server.GetFailureReason().empty());
        }
        server.TakeOutput(); // an alert, possibly
    }
}

} // namespace
