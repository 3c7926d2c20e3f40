/*
 * Garbage from the network: random and mutated datagrams fed into DTLS sessions at every
 * stage of the handshake and after it. Nothing may crash, throw or hang; a session either
 * drops the datagram (RFC 6347 section 4.1.2.7) or fails with a reason, and an established
 * session keeps working after a burst of forged records.
 */

#include "tls-test-util.h"

#include <gtest/gtest.h>

namespace
{

using namespace tlstest;

class Mutator
{
  public:
    explicit Mutator(uint64_t seed)
      : m_rng(seed)
    {
    }

    size_t Below(size_t n)
    {
        return n == 0 ? 0 : static_cast<size_t>(m_rng() % n);
    }

    Bytes Random(size_t maxSize)
    {
        Bytes b(Below(maxSize) + 1);
        for (uint8_t& x : b)
        {
            x = static_cast<uint8_t>(m_rng());
        }
        return b;
    }

    /// Flips bytes, truncates, extends, or rewrites a header field of a real datagram.
    Bytes Mutate(Bytes b)
    {
        switch (Below(6))
        {
            case 0: // flip a few bytes
                for (size_t n = 1 + Below(4); n > 0 && !b.empty(); --n)
                {
                    b[Below(b.size())] ^= static_cast<uint8_t>(1 + Below(255));
                }
                break;
            case 1: // truncate
                b.resize(Below(b.size()));
                break;
            case 2: // append junk
                for (size_t n = 1 + Below(64); n > 0; --n)
                {
                    b.push_back(static_cast<uint8_t>(m_rng()));
                }
                break;
            case 3: // corrupt the record length
                if (b.size() >= 13)
                {
                    b[11] = static_cast<uint8_t>(m_rng());
                    b[12] = static_cast<uint8_t>(m_rng());
                }
                break;
            case 4: // corrupt the handshake header (type, length, message_seq, fragment fields)
                if (b.size() >= 25)
                {
                    b[13 + Below(12)] = static_cast<uint8_t>(m_rng());
                }
                break;
            default: // the epoch / sequence number
                if (b.size() >= 13)
                {
                    b[3 + Below(8)] = static_cast<uint8_t>(m_rng());
                }
                break;
        }
        return b;
    }

  private:
    std::mt19937_64 m_rng;
};

/// A full handshake plus one message each way, so that every kind of datagram is recorded.
std::vector<Sent>
RealTranscript(const Options& client, const Options& server, uint64_t seed)
{
    Pair p(client, server, seed);
    EXPECT_TRUE(p.Handshake());
    EXPECT_TRUE(p.client->Write(p.network.Now(), ToBytes("request")));
    EXPECT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.server->GetStats().applicationBytesRead > 0;
        }));
    EXPECT_TRUE(p.server->Write(p.network.Now(), ToBytes("response")));
    EXPECT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.client->GetStats().applicationBytesRead > 0;
        }));
    return p.network.Transcript();
}

void
ExpectSane(const Session& s)
{
    if (s.GetState() == State::Failed)
    {
        EXPECT_FALSE(s.GetFailureReason().empty());
        EXPECT_FALSE(s.NextTimer().has_value());
    }
}

TEST(DtlsFuzz, RandomAndMutatedDatagramsIntoServersAtEveryStage)
{
    SeededRandom random(51);
    const Options serverOptions = PskServerOptions();
    auto config = Config::Create(serverOptions, random);
    const std::vector<Sent> transcript = RealTranscript(PskClientOptions(), serverOptions, 52);
    std::vector<Bytes> fromClient;
    for (const Sent& s : transcript)
    {
        if (s.fromClient)
        {
            fromClient.push_back(s.bytes);
        }
    }
    ASSERT_GE(fromClient.size(), 4u);

    Mutator m(53);
    int failed = 0;
    for (int round = 0; round < 1500; ++round)
    {
        // Replay a prefix of the real client datagrams (the server at some stage), then
        // garbage: random bytes, or a mutated real datagram.
        Session server(config, kClientPeer);
        const size_t prefix = m.Below(fromClient.size());
        TimeNs now = 0;
        for (size_t i = 0; i < prefix; ++i)
        {
            server.Receive(now += kMs, fromClient[i]);
        }
        for (int k = 0; k < 2; ++k)
        {
            const Bytes junk = m.Below(3) == 0 ? m.Random(300)
                                               : m.Mutate(fromClient[m.Below(fromClient.size())]);
            server.Receive(now += kMs, junk);
            ExpectSane(server);
        }
        server.OnTimer(now + 3600 * kSecond); // timers keep working
        ExpectSane(server);
        server.TakeOutput();
        failed += server.GetState() == State::Failed ? 1 : 0;
    }
    // DTLS drops what does not parse or authenticate; only a few mutations (e.g. a
    // ClientHello that parses but breaks a rule) fail a session.
    EXPECT_LT(failed, 1500);
}

TEST(DtlsFuzz, MutatedServerDatagramsIntoClients)
{
    const Options clientOptions = CertificateClientOptions();
    const std::vector<Sent> transcript
        = RealTranscript(clientOptions, CertificateServerOptions(), 54);
    std::vector<Bytes> fromServer;
    for (const Sent& s : transcript)
    {
        if (!s.fromClient)
        {
            fromServer.push_back(s.bytes);
        }
    }
    Mutator m(55);
    for (int round = 0; round < 300; ++round)
    {
        // Each client is seeded like the recorded one, so the real server datagrams fit its
        // handshake until the mutated one.
        SeededRandom random(54);
        auto config = Config::Create(clientOptions, random);
        Session client(config, kServerPeer);
        client.Start(0);
        const size_t prefix = m.Below(fromServer.size());
        TimeNs now = 0;
        for (size_t i = 0; i < prefix; ++i)
        {
            client.Receive(now += 100 * kMs, fromServer[i]);
        }
        client.Receive(now += kMs, m.Mutate(fromServer[prefix]));
        ExpectSane(client);
        client.OnTimer(now + 3600 * kSecond);
        ExpectSane(client);
    }
}

TEST(DtlsFuzz, ForgedRecordsDoNotDisturbAnEstablishedSession)
{
    Pair p(PskClientOptions(), PskServerOptions(), 56);
    ASSERT_TRUE(p.Handshake());
    ASSERT_TRUE(p.client->Write(p.network.Now(), ToBytes("genuine")));
    p.network.Flush();
    // Capture the genuine application record, then forge variations of it.
    const Bytes genuine = p.network.Transcript().back().bytes;
    Mutator m(57);
    TimeNs now = p.network.Now();
    for (int i = 0; i < 1000; ++i)
    {
        p.server->Receive(now, i % 4 == 0 ? m.Random(200) : m.Mutate(genuine));
    }
    EXPECT_EQ(p.server->GetState(), State::Established) << p.server->GetFailureReason();
    p.server->Read(); // (a mutation may leave the record intact: a copy is not forged)
    p.server->TakeOutput();
    // The session still works both ways.
    ASSERT_TRUE(p.client->Write(p.network.Now(), ToBytes("still here")));
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            for (const Bytes& b : p.server->Read())
            {
                if (b == ToBytes("still here"))
                {
                    return true;
                }
            }
            return false;
        }));
    ASSERT_TRUE(p.server->Write(p.network.Now(), ToBytes("yes")));
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return !p.client->Read().empty();
        }));
}

TEST(DtlsFuzz, RecordWithPartialHeaderTailIsNotFatal)
{
    // Debian's mbedTLS 2.28 reports an internal error when a datagram ends in a partial
    // record header; the session hands it only the whole records.
    Pair p(PskClientOptions(), PskServerOptions(), 58);
    ASSERT_TRUE(p.Handshake());
    ASSERT_TRUE(p.client->Write(p.network.Now(), ToBytes("payload")));
    std::vector<Datagram> out = p.client->TakeOutput();
    ASSERT_EQ(out.size(), 1u);
    Bytes withTail = out[0].bytes;
    for (uint8_t b : {0x16, 0xb1, 0x7c, 0xf0, 0xfc, 0x56, 0xe2, 0xa6})
    {
        withTail.push_back(b);
    }
    p.server->Receive(p.network.Now(), withTail);
    EXPECT_EQ(p.server->GetState(), State::Established) << p.server->GetFailureReason();
    EXPECT_EQ(Join(p.server->Read()), ToBytes("payload"));
    EXPECT_EQ(p.server->GetStats().malformedDatagrams, 1u);
    p.server->Receive(p.network.Now(), Bytes{0x17, 0xfe}); // shorter than any header
    EXPECT_EQ(p.server->GetState(), State::Established);
    EXPECT_EQ(p.server->GetStats().malformedDatagrams, 2u);
}

TEST(DtlsFuzz, ReplayedClientHelloDoesNotResetAnEstablishedServer)
{
    // The client's second ClientHello carries a cookie valid for this address: mbedTLS
    // alone would restart the handshake on it (client port reuse) and drop the session.
    Pair p(PskClientOptions(), PskServerOptions(), 59);
    ASSERT_TRUE(p.Handshake());
    const Bytes helloWithCookie = p.network.Transcript().at(2).bytes;
    ASSERT_TRUE(p.network.Transcript().at(2).fromClient);
    p.server->Receive(p.network.Now(), helloWithCookie);
    Bytes corrupted = helloWithCookie;
    corrupted[40] ^= 0x55;
    p.server->Receive(p.network.Now(), corrupted);
    EXPECT_EQ(p.server->GetState(), State::Established) << p.server->GetFailureReason();
    EXPECT_EQ(p.server->GetStats().clientHellosIgnored, 2u);
    EXPECT_TRUE(p.server->TakeOutput().empty());
    ASSERT_TRUE(p.client->Write(p.network.Now(), ToBytes("ok")));
    ASSERT_TRUE(p.network.RunUntil(
        [&]
        {
            return p.server->GetStats().applicationBytesRead > 0;
        }));
}

} // namespace
