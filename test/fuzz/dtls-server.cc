/*
 * Fuzz target dtls-server: datagrams from several addresses into a tls::DtlsServer (DTLS 1.2
 * over mbedTLS, PSK, with or without HelloVerifyRequest cookies), on simulated time.
 *
 * Input: one flags byte (bit 0: cookies off, bit 1: a small MTU), then frames (SplitFrames),
 * each a peer byte (one of four client addresses) and the datagram; frame k arrives at
 * (k + 1) * 100 ms, after any retransmission timer due by then. Afterwards the server writes
 * to and closes every peer. The server's random source and configuration are made afresh per
 * input, so a recorded handshake replays: its cookies and Finished messages stay valid.
 *
 * Oracles: nothing crashes, throws or leaks; no more client sessions than addresses that sent
 * something; sessions created minus sessions removed is the session count; every datagram the
 * Seeds (gen-*): a whole PSK handshake and application data from peer 0, with and without
 * cookies, and a ClientHello from each address.
 */
#include "protocols/tls/dtls-server.h"

#include "fuzz-check.h"
#include "tls/tls-test-util.h"

#include <set>

using namespace lpwan;
using namespace lpwan_fuzz;

namespace
{

constexpr TimeNs kStep = 100 * tlstest::kMs;
constexpr uint32_t kServerSeed = 17;

PeerId
Address(uint8_t index)
{
    return 0x0a000100'1633ULL + (static_cast<PeerId>(index % 4) << 16);
}

std::unique_ptr<tls::DtlsServer>
MakeServer(uint8_t flags)
{
    tls::Options o = tlstest::PskServerOptions();
    o.helloVerify = (flags & 1) == 0;
    tlstest::SeededRandom random(kServerSeed);
    tls::DtlsServerOptions options;
    options.mtu = (flags & 2) != 0 ? 200 : 0;
    return std::make_unique<tls::DtlsServer>(tls::Config::Create(o, random), options);
}

/// Runs a real client against a fresh server with these flags and returns the client's
/// datagrams as frames, each delivered as the replay will deliver it.
std::vector<Bytes>
RecordHandshake(uint8_t flags)
{
    std::unique_ptr<tls::DtlsServer> server = MakeServer(flags);
    tlstest::SeededRandom clientRandom(5);
    tls::Session client(tls::Config::Create(tlstest::PskClientOptions(), clientRandom),
                        tlstest::kServerPeer);
    std::vector<Bytes> frames;
    TimeNs now = 0;
    client.Start(now);
    bool wrote = false;
    for (int round = 0; round < 16; ++round)
    {
        std::vector<Datagram> out = client.TakeOutput();
        if (out.empty() && client.GetState() == tls::State::Established && !wrote)
        {
            client.Write(now, tlstest::ToBytes("reading=42"));
            wrote = true;
            out = client.TakeOutput();
        }
        if (out.empty())
        {
            break;
        }
        for (const Datagram& d : out)
        {
            now += kStep;
            if (server->NextTimer() && *server->NextTimer() <= now)
            {
                server->OnTimer(now);
            }
            Bytes frame{0};
            frame.insert(frame.end(), d.bytes.begin(), d.bytes.end());
            frames.push_back(frame);
            server->Receive(now, Address(0), d.bytes);
            for (const Datagram& back : server->TakeOutput())
            {
                client.Receive(now, back.bytes);
            }
        }
    }
    return frames;
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    for (uint8_t flags : {0, 1, 2})
    {
        const std::vector<Bytes> frames = RecordHandshake(flags);
        Bytes seed{flags};
        const Bytes joined = JoinFrames(frames);
        seed.insert(seed.end(), joined.begin(), joined.end());
        WriteSeed("handshake-" + std::to_string(flags), seed);
        if (flags == 0 && !frames.empty())
        {
            // The first ClientHello from every address.
            std::vector<Bytes> hellos;
            for (uint8_t peer = 0; peer < 4; ++peer)
            {
                Bytes f = frames[0];
                f[0] = peer;
                hellos.push_back(f);
            }
            Bytes s{0};
            const Bytes j = JoinFrames(hellos);
            s.insert(s.end(), j.begin(), j.end());
            WriteSeed("hellos", s);
        }
    }
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    std::unique_ptr<tls::DtlsServer> server = MakeServer(data[0]);
    std::set<PeerId> heard;
    TimeNs now = 0;
    auto collect = [&]
    {
        for (const Datagram& d : server->TakeOutput())
        {
            FUZZ_CHECK(heard.count(d.peer) > 0, "a datagram to an address that sent nothing");
        }
        (void) server->Read();
        for (const tls::ServerEvent& e : server->TakeEvents())
        {
            FUZZ_CHECK(heard.count(e.peer) > 0, "an event for an address that sent nothing");
            if (Verbose())
            {
                std::fprintf(stderr, "event %d for peer %llx\n", static_cast<int>(e.event.kind),
                             static_cast<unsigned long long>(e.peer));
            }
        }
        const tls::DtlsServerCounters& c = server->GetCounters();
        FUZZ_CHECK(server->SessionCount() <= heard.size(), "more sessions than clients");
        FUZZ_CHECK(c.sessionsCreated - c.sessionsRemoved == server->SessionCount(),
                   "sessions created - removed != sessions");
    };
    for (const Bytes& frame : SplitFrames(data + 1, size - 1, 24))
    {
        if (frame.empty())
        {
            continue;
        }
        now += kStep;
        if (server->NextTimer() && *server->NextTimer() <= now)
        {
            server->OnTimer(now);
            collect();
        }
        const PeerId peer = Address(frame[0]);
        heard.insert(peer);
        server->Receive(now, peer, frame.data() + 1, frame.size() - 1);
        collect();
    }
    for (PeerId peer : heard)
    {
        (void) server->Write(now, peer, tlstest::ToBytes("ack"));
        server->Close(now, peer);
    }
    collect();
    // Retransmissions until every handshake has given up (the timers double up to 60 s).
    for (int k = 0; k < 12 && server->NextTimer(); ++k)
    {
        now = std::max(now, *server->NextTimer());
        server->OnTimer(now);
        collect();
    }
    return 0;
}
