/*
 * Fuzz target dtls13-server: a client's datagrams into the DTLS 1.3 server core
 * (protocols/tls13 with DtlsOptions, RFC 9147: unified header, record number encryption,
 * DTLSHandshake fragments, ACKs, connection IDs; external PSK with psk_ke and psk_dhe_ke,
 * P-256), on simulated time with the retransmission timer running.
 *
 * Input: frames (SplitFrames), each one datagram, delivered 300 ms apart; the server's timer
 * fires whenever it is due. The server's random source and configuration are the same for
 * every input, so a recorded handshake replays: the seeds are a real client's datagrams against
 * this server (ClientHello, its final flight, three application records, each in a datagram of
 * its own), and mutations start from a completed handshake.
 *
 * Oracles: nothing crashes, throws or leaks; every piece of application data the server
 * delivers is made of whole messages the genuine client sent, each at most once (AEAD, record
 * number encryption and the replay window leave a forger nothing else, even when it reorders,
 * repeats or packs records into one datagram); none is delivered before the handshake
 * completed; after a failure the server neither completes nor delivers anything more.
 */
#include "fuzz-check.h"
#include "protocols/tls13/tls13-client.h"
#include "protocols/tls13/tls13-server.h"
#include "support/seeded-random.h"

#include <set>

using namespace lpwan;
using namespace lpwan::tls13;
using namespace lpwan_fuzz;

namespace
{

constexpr TimeNs kStep = 300'000'000; // 300 ms
const Bytes kIdentity = {'m', '7'};
const Bytes kKey = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
const std::vector<std::string> kGenuine = {"reading=41", "reading=42", "reading=43"};

ServerConfig
MakeServerConfig()
{
    ServerConfig s;
    s.cipherSuites = {suite::kAes128Ccm8Sha256, suite::kAes128GcmSha256};
    s.keyExchangeGroups = {group::kSecp256r1, group::kX25519};
    s.externalPsk = ExternalPsk{kIdentity, kKey};
    s.dtls = DtlsOptions{};
    s.dtls->mtu = 256; // small enough that a flight can be fragmented
    s.dtls->connectionId = Bytes{0x43, 0x44};
    return s;
}

/// A real client against a fresh server: one frame per datagram the client sends.
std::vector<Bytes>
RecordClient(uint16_t cipherSuite, bool ecdhe)
{
    lpwan_test::SeededRandom64 serverRandom(2);
    Server server(MakeServerConfig(), serverRandom);
    lpwan_test::SeededRandom64 clientRandom(1);
    ClientConfig c;
    c.cipherSuites = {cipherSuite};
    c.externalPsk = ExternalPsk{kIdentity, kKey};
    c.signatureAlgorithms = {};
    c.supportedGroups = ecdhe ? std::vector<uint16_t>{group::kSecp256r1} : std::vector<uint16_t>{};
    c.keyShareGroups = c.supportedGroups;
    c.pskKeyExchangeModes = {ecdhe ? kPskDheKe : kPskKe};
    c.dtls = DtlsOptions{};
    c.dtls->connectionId = Bytes{0x42};
    Client client(c, clientRandom);
    std::vector<Bytes> frames;
    client.Start(0);
    TimeNs now = 0;
    bool sent = false;
    for (int round = 0; round < 8; ++round)
    {
        if (client.IsConnected() && !sent)
        {
            for (const std::string& m : kGenuine)
            {
                client.SendApplicationData(Bytes(m.begin(), m.end()));
            }
            sent = true;
        }
        now += kStep;
        for (const Bytes& d : client.TakeDatagrams())
        {
            frames.push_back(d);
            server.Receive(now, d);
        }
        for (const Bytes& d : server.TakeDatagrams())
        {
            client.Receive(now, d);
        }
    }
    return frames;
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    const std::pair<const char*, std::pair<uint16_t, bool>> cases[] = {
        {"ccm8-psk", {suite::kAes128Ccm8Sha256, false}},
        {"ccm8-psk-ecdhe", {suite::kAes128Ccm8Sha256, true}},
        {"gcm-psk-ecdhe", {suite::kAes128GcmSha256, true}},
    };
    for (const auto& [name, params] : cases)
    {
        const std::vector<Bytes> frames = RecordClient(params.first, params.second);
        WriteSeed(std::string("handshake-") + name, JoinFrames(frames));
        if (!frames.empty())
        {
            WriteSeed(std::string("client-hello-") + name, JoinFrames({frames[0]}));
        }
    }
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    lpwan_test::SeededRandom64 serverRandom(2);
    Server server(MakeServerConfig(), serverRandom);
    std::set<std::string> delivered;
    bool completed = false;
    bool failed = false;
    auto collect = [&]
    {
        const Bytes appData = server.TakeApplicationData();
        (void) server.TakeDatagrams();
        for (const Event& e : server.TakeEvents())
        {
            if (e.type == EventType::HandshakeComplete)
            {
                FUZZ_CHECK(!failed, "completed after failing");
                completed = true;
            }
            if (e.type == EventType::Failed)
            {
                failed = true;
            }
        }
        if (!appData.empty())
        {
            FUZZ_CHECK(completed, "application data before the handshake completed");
            // Peel whole genuine messages off the delivered bytes, each at most once.
            std::string rest(appData.begin(), appData.end());
            while (!rest.empty())
            {
                bool matched = false;
                for (const std::string& m : kGenuine)
                {
                    if (rest.compare(0, m.size(), m) == 0 && !delivered.count(m))
                    {
                        delivered.insert(m);
                        rest.erase(0, m.size());
                        matched = true;
                        break;
                    }
                }
                FUZZ_CHECK(matched, "delivered data the genuine client never sent, or twice");
            }
        }
        FUZZ_CHECK(!(server.HasFailed() && server.IsConnected()), "failed yet connected");
    };
    TimeNs now = 0;
    for (const Bytes& frame : SplitFrames(data, size, 16))
    {
        now += kStep;
        const size_t before = delivered.size();
        const bool failedBefore = failed;
        if (server.NextTimer() && *server.NextTimer() <= now)
        {
            server.OnTimer(now);
        }
        server.Receive(now, frame);
        collect();
        FUZZ_CHECK(!failedBefore || delivered.size() == before,
                   "application data delivered after a failure");
    }
    if (Verbose())
    {
        std::fprintf(stderr, "completed %d failed %d delivered %zu\n", completed, failed,
                     delivered.size());
    }
    (void) server.SendApplicationData(Bytes{'a', 'c', 'k', 'n', 'o', 'w', 'l'});
    server.Close();
    collect();
    return 0;
}
