/*
 * The simulated wall clock reaches inside Debian's libmbedtls/libmbedx509: our time()
 * interposes libc's (simulated-wall-clock.h). Checked on the bytes mbedTLS writes (the
 * gmt_unix_time in the Hello randoms) and on a decision mbedTLS takes (certificate expiry).
 */

#include "protocols/tls/simulated-wall-clock.h"
#include "tls-test-util.h"

#include <gtest/gtest.h>

#include <ctime>

namespace
{

using namespace tlstest;

uint32_t
BigEndian32(const Bytes& b, size_t offset)
{
    return (uint32_t{b.at(offset)} << 24) | (uint32_t{b.at(offset + 1)} << 16)
           | (uint32_t{b.at(offset + 2)} << 8) | uint32_t{b.at(offset + 3)};
}

// A DTLS record header is 13 bytes and a DTLS handshake header 12; the Hello's random
// follows its 2-byte version. TLS: 5 + 4 + 2.
constexpr size_t kDtlsRandomOffset = 13 + 12 + 2;
constexpr size_t kTlsRandomOffset = 5 + 4 + 2;

TEST(TlsWallClock, TimeIsInterposedForMbedtls)
{
    EXPECT_TRUE(SimulatedWallClock::IsInterposed());
    EXPECT_FALSE(SimulatedWallClock::Current().has_value());
    {
        SimulatedWallClock outer(1000);
        EXPECT_EQ(time(nullptr), 1000);
        {
            SimulatedWallClock inner(2000);
            time_t out = 0;
            EXPECT_EQ(time(&out), 2000);
            EXPECT_EQ(out, 2000);
        }
        EXPECT_EQ(SimulatedWallClock::Current(), 1000);
    }
    // Without a guard: the real clock.
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    EXPECT_LE(std::abs(static_cast<long>(time(nullptr) - ts.tv_sec)), 2L);
}

TEST(TlsWallClock, ClientHelloAndServerHelloRandomsCarrySimulatedTime)
{
    Pair p(PskClientOptions(), PskServerOptions(), 7);
    const TimeNs start = 12 * kSecond + 500 * kMs; // 12.5 s into the simulation
    p.network.SetNow(start);
    ASSERT_TRUE(p.Handshake());
    const std::vector<Sent>& t = p.network.Transcript();
    ASSERT_GE(t.size(), 4u);
    // [0] ClientHello at 12.5 s; [1] HelloVerifyRequest; [2] ClientHello with cookie (same
    // random); [3] ServerHello flight at 12.65 s.
    ASSERT_TRUE(t[0].fromClient);
    EXPECT_EQ(t[0].bytes[13], 1); // handshake type client_hello
    EXPECT_EQ(BigEndian32(t[0].bytes, kDtlsRandomOffset), kDefaultWallClockBase + 12);
    EXPECT_EQ(BigEndian32(t[2].bytes, kDtlsRandomOffset), kDefaultWallClockBase + 12);
    ASSERT_FALSE(t[3].fromClient);
    EXPECT_EQ(t[3].bytes[13], 2); // server_hello
    EXPECT_EQ(t[3].time, start + 150 * kMs);
    EXPECT_EQ(BigEndian32(t[3].bytes, kDtlsRandomOffset), kDefaultWallClockBase + 12);
}

TEST(TlsWallClock, ConfiguredBaseAndStreamMode)
{
    Options client = PskClientOptions(Transport::Stream);
    Options server = PskServerOptions(Transport::Stream);
    client.wallClockBase = 1700000000; // 2023-11-14
    server.wallClockBase = 1700000000;
    Pair p(client, server, 8);
    p.network.SetNow(3600 * kSecond);
    ASSERT_TRUE(p.Handshake());
    const Bytes& hello = p.network.Transcript().at(0).bytes;
    EXPECT_EQ(hello[5], 1); // client_hello
    EXPECT_EQ(BigEndian32(hello, kTlsRandomOffset), 1700000000u + 3600u);
}

TEST(TlsWallClock, CertificateValidityIsJudgedOnSimulatedTime)
{
    // The test PKI is valid 2025-01-01 .. 2036-01-01. Whatever the machine's clock says, a
    // simulation whose wall clock starts in 2040 must see the certificates as expired.
    Options client = CertificateClientOptions();
    Options server = CertificateServerOptions();
    client.wallClockBase = 2208988800; // 2040-01-01
    server.wallClockBase = 2208988800;
    Pair expired(client, server, 9);
    expired.Handshake();
    EXPECT_EQ(expired.client->GetState(), State::Failed);

    client.wallClockBase = 1735689600 + 86400; // 2025-01-02
    server.wallClockBase = 1735689600 + 86400;
    Pair valid(client, server, 9);
    ASSERT_TRUE(valid.Handshake());
    EXPECT_EQ(valid.client->GetState(), State::Established) << valid.client->GetFailureReason();
}

TEST(TlsWallClock, RealClockWhenNoBaseIsConfigured)
{
    // Drivers on real sockets set wallClockBase = nullopt: mbedTLS then sees the real time.
    Options client = PskClientOptions();
    client.wallClockBase = std::nullopt;
    Pair p(client, PskServerOptions(), 10);
    p.network.SetNow(12 * kSecond);
    timespec before{};
    clock_gettime(CLOCK_REALTIME, &before);
    p.client->Start(p.network.Now());
    timespec after{};
    clock_gettime(CLOCK_REALTIME, &after);
    const std::vector<Datagram> out = p.client->TakeOutput();
    ASSERT_EQ(out.size(), 1u);
    const uint32_t sent = BigEndian32(out[0].bytes, kDtlsRandomOffset);
    EXPECT_GE(sent, static_cast<uint32_t>(before.tv_sec));
    EXPECT_LE(sent, static_cast<uint32_t>(after.tv_sec));
}

} // namespace
