/*
 * Fuzz target tls13-server: a client's byte stream into the TLS 1.3 server core
 * (protocols/tls13, RFC 8446; ECDSA P-256 certificate, every implemented suite and group,
 * session tickets), on simulated time.
 *
 * Input: frames (SplitFrames), each a piece of the client-to-server stream, delivered in order
 * 10 ms apart; afterwards the server sends application data and closes. The server's random
 * source, key and configuration are the same for every input, so a recorded handshake replays:
 * the seeds are a real client's stream against this server (its ClientHello, then its
 * Finished, application data and close_notify), and mutations start from a completed
 * handshake.
 *
 * Oracles: nothing crashes, throws or leaks; the application data the server delivers is a
 * prefix of what the genuine client sent (AEAD and the record sequence numbers leave a forger
 * nothing else); none is delivered before the handshake completed; after a failure the server
 * neither completes nor delivers anything more.
 */
#include "protocols/tls13/tls13-server.h"

#include "fuzz-check.h"
#include "protocols/tls/test-pki.h"
#include "protocols/tls13/tls13-client.h"
#include "support/seeded-random.h"

using namespace lpwan;
using namespace lpwan::tls13;
using namespace lpwan_fuzz;

namespace
{

constexpr TimeNs kStep = 10'000'000; // 10 ms
const std::string kGenuine = "reading=42;reading=43";

const tls::TestPki&
Pki()
{
    static const tls::TestPki pki = []
    {
        lpwan_test::SeededRandom64 random(1303);
        return tls::GenerateTestPki(random);
    }();
    return pki;
}

ServerConfig
MakeServerConfig()
{
    ServerConfig s;
    s.keyExchangeGroups = {group::kX25519, group::kSecp256r1};
    s.certificateChain = {Pki().server.certificateDer};
    s.privateKey = Pki().server.privateKeyDer;
    s.ticketLifetime = 3600;
    s.sealTicket = [](const Bytes& psk)
    {
        return psk;
    };
    return s;
}

/// A real client against a fresh server: the client's stream, one frame per flight, then the
/// application data in two records and close_notify.
std::vector<Bytes>
RecordClient(uint16_t cipherSuite, uint16_t keyGroup)
{
    lpwan_test::SeededRandom64 serverRandom(2);
    Server server(MakeServerConfig(), serverRandom);
    lpwan_test::SeededRandom64 clientRandom(1);
    ClientConfig c;
    c.cipherSuites = {cipherSuite};
    c.keyShareGroups = {keyGroup};
    c.trustAnchors = {Pki().ca.certificateDer};
    Client client(c, clientRandom);
    std::vector<Bytes> frames;
    client.Start(0);
    TimeNs now = 0;
    bool sent = false;
    for (int round = 0; round < 8; ++round)
    {
        if (client.IsConnected() && !sent)
        {
            const size_t half = kGenuine.size() / 2;
            client.SendApplicationData(Bytes(kGenuine.begin(), kGenuine.begin() + half));
            client.SendApplicationData(Bytes(kGenuine.begin() + half, kGenuine.end()));
            client.Close();
            sent = true;
        }
        const Bytes toServer = client.TakeOutput();
        if (toServer.empty())
        {
            break;
        }
        now += kStep;
        frames.push_back(toServer);
        server.Receive(now, toServer);
        client.Receive(now, server.TakeOutput());
    }
    return frames;
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    (void) Pki();
    const std::pair<const char*, std::pair<uint16_t, uint16_t>> cases[] = {
        {"gcm-x25519", {suite::kAes128GcmSha256, group::kX25519}},
        {"ccm8-p256", {suite::kAes128Ccm8Sha256, group::kSecp256r1}},
        {"ccm-x25519", {suite::kAes128CcmSha256, group::kX25519}},
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
    std::string delivered;
    bool completed = false;
    bool failed = false;
    auto collect = [&]
    {
        const Bytes appData = server.TakeApplicationData();
        (void) server.TakeOutput();
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
            delivered.append(appData.begin(), appData.end());
            FUZZ_CHECK(kGenuine.compare(0, delivered.size(), delivered) == 0
                           && delivered.size() <= kGenuine.size(),
                       "delivered application data the genuine client never sent");
        }
        FUZZ_CHECK(!(server.HasFailed() && server.IsConnected()), "failed yet connected");
    };
    TimeNs now = 0;
    for (const Bytes& frame : SplitFrames(data, size, 16))
    {
        now += kStep;
        const size_t before = delivered.size();
        const bool failedBefore = failed;
        server.Receive(now, frame);
        collect();
        FUZZ_CHECK(!failedBefore || delivered.size() == before,
                   "application data delivered after a failure");
    }
    if (Verbose())
    {
        std::fprintf(stderr, "completed %d failed %d delivered '%s'\n", completed, failed,
                     delivered.c_str());
    }
    (void) server.SendApplicationData(Bytes{'a', 'c', 'k'});
    server.Close();
    collect();
    return 0;
}
