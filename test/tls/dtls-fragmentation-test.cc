/*
 * Datagram size limits: the MTU (mbedtls_ssl_set_mtu) fragments handshake messages across
 * datagrams, and the max_fragment_length extension (RFC 6066) bounds records.
 */

#include "tls-test-util.h"

#include <gtest/gtest.h>

namespace
{

using namespace tlstest;

TEST(DtlsFragmentation, SmallMtuFragmentsTheCertificateFlight)
{
    Options client = CertificateClientOptions();
    Options server = CertificateServerOptions();
    client.mtu = 200;
    server.mtu = 200;
    Pair p(client, server, 41);
    ASSERT_TRUE(p.Handshake());
    ASSERT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    for (const Sent& s : p.network.Transcript())
    {
        EXPECT_LE(s.bytes.size(), 200u);
    }
    // The server's certificate flight (~860 bytes unfragmented) needs several datagrams.
    const SessionStats& c = p.client->GetStats();
    uint32_t largest = 0;
    for (const Flight& f : c.flights)
    {
        largest = std::max(largest, f.datagrams);
    }
    EXPECT_GE(largest, 5u);
}

TEST(DtlsFragmentation, LostFragmentResendsTheWholeFlight)
{
    Options client = CertificateClientOptions();
    Options server = CertificateServerOptions();
    client.mtu = 200;
    server.mtu = 200;
    server.handshakeTimeoutMinMs = 10000; // only the client's timer resends here
    Pair p(client, server, 42);
    // Server datagrams: [0] HelloVerifyRequest, [1..] the certificate flight: lose its
    // second datagram.
    p.network.SetDropRule(
        [](bool fromClient, int index, const Bytes&)
        {
            return !fromClient && index == 2;
        });
    ASSERT_TRUE(p.Handshake());
    ASSERT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    // DTLS 1.2 has no selective repeat: the client's timer resends its ClientHello and the
    // server resends the whole certificate flight.
    const SessionStats& s = p.server->GetStats();
    const Flight* original = nullptr;
    const Flight* resent = nullptr;
    for (const Flight& f : s.flights)
    {
        if (f.outgoing && f.datagrams > 1 && original == nullptr)
        {
            original = &f;
        }
        if (f.outgoing && f.retransmission && resent == nullptr)
        {
            resent = &f;
        }
    }
    ASSERT_NE(original, nullptr);
    ASSERT_NE(resent, nullptr);
    EXPECT_FALSE(original->retransmission);
    EXPECT_EQ(resent->datagrams, original->datagrams);
    EXPECT_EQ(resent->bytes, original->bytes);
    // The client had kept the fragments it got and completes the flight with the first two
    // resent datagrams; the other three look like a repeated flight, to which mbedTLS
    // answers by resending its own last flight, and the server in turn resends its last
    // one. Every copy is counted.
    EXPECT_EQ(p.client->GetStats().retransmittedFlights, 2u);
    EXPECT_EQ(s.retransmittedFlights, 2u);
}

TEST(DtlsFragmentation, MaxFragmentLengthBoundsRecords)
{
    Options client = PskClientOptions();
    client.maxFragmentLength = MaxFragmentLength::Bytes512;
    Pair p(client, PskServerOptions(), 43);
    ASSERT_TRUE(p.Handshake());
    ASSERT_EQ(p.client->GetState(), State::Established) << p.client->GetFailureReason();
    EXPECT_EQ(p.client->MaxWriteSize(), 512u);
    EXPECT_EQ(p.server->MaxWriteSize(), 512u);
    EXPECT_TRUE(p.client->Write(p.network.Now(), Bytes(512, 0x42)));
    EXPECT_FALSE(p.client->Write(p.network.Now(), Bytes(513, 0x42)));
    EXPECT_EQ(p.client->GetState(), State::Established); // refusing is not a failure
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.server->GetStats().applicationBytesRead > 0;
        }));
    EXPECT_EQ(Join(p.server->Read()), Bytes(512, 0x42));
    // 512 bytes of plaintext in one record: 13 header + 8 explicit nonce + 512 + 8 tag.
    EXPECT_EQ(p.client->GetStats().applicationRecordBytesSent, 13u + 8u + 512u + 8u);
}

TEST(DtlsFragmentation, MtuLimitsApplicationRecords)
{
    Options client = PskClientOptions();
    client.mtu = 100;
    Pair p(client, PskServerOptions(), 44);
    ASSERT_TRUE(p.Handshake());
    // 100 - 13 (record header) - 8 (explicit nonce) - 8 (CCM_8 tag).
    EXPECT_EQ(p.client->MaxWriteSize(), 71u);
    EXPECT_TRUE(p.client->Write(p.network.Now(), Bytes(71, 1)));
    EXPECT_FALSE(p.client->Write(p.network.Now(), Bytes(72, 1)));
}

} // namespace
