/*
 * Helpers for the DTLS/TLS session tests: a seeded RandomSource, ready-made configurations
 * (PSK and ECDHE-ECDSA with the generated test PKI), and an in-memory network between one
 * client and one server session that runs on simulated time -- datagrams take a fixed
 * one-way delay, selected ones can be dropped, a TLS byte stream can be re-cut into pieces
 * of random size -- and records everything that was sent.
 */
#ifndef LPWAN_TEST_TLS_TEST_UTIL_H
#define LPWAN_TEST_TLS_TEST_UTIL_H

#include "protocols/common/sans-io.h"
#include "protocols/tls/test-pki.h"
#include "protocols/tls/tls-config.h"
#include "protocols/tls/tls-session.h"
#include "support/seeded-random.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace tlstest
{

using namespace lpwan::tls;
using lpwan::Datagram;
using lpwan::PeerId;
using lpwan::TimeNs;
using Bytes = std::vector<uint8_t>;

constexpr TimeNs kMs = 1000000;
constexpr TimeNs kSecond = 1000000000;
constexpr PeerId kClientPeer = 0x0a000001'1633; // 10.0.0.1:5683
constexpr PeerId kServerPeer = 0x0a000002'1634; // 10.0.0.2:5684

/// A RandomSource on a seeded Mersenne twister (the tests' stand-in for an ns-3 stream).
using SeededRandom = lpwan_test::SeededRandom64;

inline Bytes
ToBytes(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

inline PskIdentity
TestPsk()
{
    return PskIdentity{ToBytes("device-0001"), ToBytes("0123456789abcdef")};
}

inline Options
PskClientOptions(Transport transport = Transport::Datagram)
{
    Options o;
    o.role = Role::Client;
    o.transport = transport;
    o.psk = TestPsk();
    return o;
}

inline Options
PskServerOptions(Transport transport = Transport::Datagram)
{
    Options o;
    o.role = Role::Server;
    o.transport = transport;
    o.pskTable.push_back(TestPsk());
    return o;
}

/// The test PKI, generated once per process (key generation and signing take milliseconds).
inline const TestPki&
SharedPki()
{
    static const TestPki pki = []
    {
        SeededRandom random(2026);
        return GenerateTestPki(random);
    }();
    return pki;
}

inline Options
CertificateClientOptions(Transport transport = Transport::Datagram)
{
    const TestPki& pki = SharedPki();
    Options o;
    o.role = Role::Client;
    o.transport = transport;
    o.trustedCaDer = pki.ca.certificateDer;
    o.certificateDer = pki.client.certificateDer;
    o.privateKeyDer = pki.client.privateKeyDer;
    o.serverName = "server.lpwan.test";
    return o;
}

inline Options
CertificateServerOptions(Transport transport = Transport::Datagram)
{
    const TestPki& pki = SharedPki();
    Options o;
    o.role = Role::Server;
    o.transport = transport;
    o.trustedCaDer = pki.ca.certificateDer;
    o.certificateDer = pki.server.certificateDer;
    o.privateKeyDer = pki.server.privateKeyDer;
    return o;
}

/// One datagram (or stream piece) as it left a session.
struct Sent
{
    TimeNs time = 0;
    bool fromClient = true;
    Bytes bytes;
    bool retransmission = false;
    bool dropped = false;
};

/// A client and a server session joined by an in-memory link with a fixed one-way delay.
class Network
{
  public:
    /// Return true to drop: `index` counts the datagrams that direction has sent so far.
    using DropRule = std::function<bool(bool fromClient, int index, const Bytes& bytes)>;

    Network(Session& client, Session& server, TimeNs oneWayDelay = 50 * kMs)
      : m_client(&client)
      , m_server(&server)
      , m_delay(oneWayDelay)
    {
    }

    /// Connects two new sessions; the clock keeps running, everything else starts afresh.
    void Attach(Session& client, Session& server)
    {
        m_client = &client;
        m_server = &server;
        m_inFlight.clear();
        m_transcript.clear();
        m_clientIndex = 0;
        m_serverIndex = 0;
        m_drop = nullptr;
    }

    void SetDropRule(DropRule rule)
    {
        m_drop = std::move(rule);
    }

    /// TLS: deliver the byte stream cut into pieces of 1..maxPiece bytes (seeded).
    void SetStreamPieces(size_t maxPiece, uint64_t seed)
    {
        m_maxPiece = maxPiece;
        m_pieceRandom.seed(seed);
    }

    TimeNs Now() const
    {
        return m_now;
    }

    void SetNow(TimeNs now)
    {
        m_now = now;
    }

    /// Moves whatever the sessions have queued onto the link.
    void Flush()
    {
        Collect(*m_client, true);
        Collect(*m_server, false);
    }

    /// Runs events (deliveries, timers) until `done` holds after one, nothing is left, or the
    /// simulated time would pass `budget` from now. Returns whether `done` held.
    bool RunUntil(const std::function<bool()>& done, TimeNs budget = 600 * kSecond)
    {
        const TimeNs limit = m_now + budget;
        Flush();
        while (!done())
        {
            TimeNs next = -1;
            if (!m_inFlight.empty())
            {
                next = m_inFlight.begin()->first.first;
            }
            for (Session* s : {m_client, m_server})
            {
                if (auto t = s->NextTimer(); t && (next < 0 || *t < next))
                {
                    next = *t;
                }
            }
            if (next < 0 || next > limit)
            {
                return false;
            }
            m_now = std::max(m_now, next);
            if (!m_inFlight.empty() && m_inFlight.begin()->first.first <= m_now)
            {
                auto it = m_inFlight.begin();
                const auto [toClient, bytes] = it->second;
                m_inFlight.erase(it);
                (toClient ? m_client : m_server)->Receive(m_now, bytes);
            }
            else
            {
                m_client->OnTimer(m_now);
                m_server->OnTimer(m_now);
            }
            Flush();
        }
        return true;
    }

    bool RunHandshake(TimeNs budget = 600 * kSecond)
    {
        return RunUntil(
            [this]
            {
                return m_client->GetState() != State::Handshaking
                       && m_server->GetState() != State::Handshaking;
            },
            budget);
    }

    /// Everything sent so far (dropped datagrams included, marked).
    const std::vector<Sent>& Transcript() const
    {
        return m_transcript;
    }

  private:
    void Collect(Session& from, bool fromClient)
    {
        for (Datagram& d : from.TakeOutput())
        {
            Sent sent{m_now, fromClient, d.bytes, d.retransmission, false};
            int& index = fromClient ? m_clientIndex : m_serverIndex;
            sent.dropped = m_drop && m_drop(fromClient, index, d.bytes);
            ++index;
            m_transcript.push_back(sent);
            if (sent.dropped)
            {
                continue;
            }
            if (m_maxPiece == 0)
            {
                Schedule(!fromClient, d.bytes);
                continue;
            }
            for (size_t offset = 0; offset < d.bytes.size();)
            {
                const size_t n
                    = std::min(d.bytes.size() - offset,
                               std::uniform_int_distribution<size_t>(1, m_maxPiece)(m_pieceRandom));
                Schedule(!fromClient,
                         Bytes(d.bytes.begin() + offset, d.bytes.begin() + offset + n));
                offset += n;
            }
        }
    }

    void Schedule(bool toClient, Bytes bytes)
    {
        m_inFlight.emplace(std::make_pair(m_now + m_delay, m_sequence++),
                           std::make_pair(toClient, std::move(bytes)));
    }

    Session* m_client;
    Session* m_server;
    TimeNs m_delay;
    TimeNs m_now = 0;
    DropRule m_drop;
    size_t m_maxPiece = 0;
    std::mt19937_64 m_pieceRandom;
    uint64_t m_sequence = 0;
    int m_clientIndex = 0;
    int m_serverIndex = 0;
    std::map<std::pair<TimeNs, uint64_t>, std::pair<bool, Bytes>> m_inFlight;
    std::vector<Sent> m_transcript;
};

/// A client and a server with their configurations and the network between them.
struct Pair
{
    Pair(const Options& clientOptions, const Options& serverOptions, uint64_t seed,
         const SessionOptions& clientSession = {})
      : clientRandom(seed)
      , serverRandom(seed + 1000)
      , clientConfig(Config::Create(clientOptions, clientRandom))
      , serverConfig(Config::Create(serverOptions, serverRandom))
      , client(std::make_unique<Session>(clientConfig, kServerPeer, clientSession))
      , server(std::make_unique<Session>(serverConfig, kClientPeer))
      , network(*client, *server)
    {
    }

    /// Replaces both sessions with new ones on the same configurations (the server's session
    /// cache and ticket key survive: they belong to its Config), e.g. to resume.
    void Reconnect(const SessionOptions& clientSession = {})
    {
        client = std::make_unique<Session>(clientConfig, kServerPeer, clientSession);
        server = std::make_unique<Session>(serverConfig, kClientPeer);
        network.Attach(*client, *server);
    }

    /// Starts the client at the network's current time and runs the handshake.
    bool Handshake(TimeNs budget = 600 * kSecond)
    {
        client->Start(network.Now());
        server->Start(network.Now());
        return network.RunHandshake(budget);
    }

    SeededRandom clientRandom;
    SeededRandom serverRandom;
    std::shared_ptr<const Config> clientConfig;
    std::shared_ptr<const Config> serverConfig;
    std::unique_ptr<Session> client;
    std::unique_ptr<Session> server;
    Network network;
};

/// Concatenates what Read() returned.
inline Bytes
Join(const std::vector<Bytes>& pieces)
{
    Bytes all;
    for (const Bytes& p : pieces)
    {
        all.insert(all.end(), p.begin(), p.end());
    }
    return all;
}

} // namespace tlstest

#endif // LPWAN_TEST_TLS_TEST_UTIL_H
