/*
 * DtlsServer: many clients on one server, state only for clients that passed the cookie
 * exchange, hibernated idle sessions, RFC 6347 4.2.8 reconnects, limits and timeouts.
 */

#include "protocols/tls/dtls-server.h"
#include "support/address-sanitizer.h"
#include "tls-test-util.h"

#include <gtest/gtest.h>
#include <malloc.h>

// Under AddressSanitizer mallinfo2() reads 0 (its allocator replaces glibc's): ask ASan's.
#ifdef LPWAN_ASAN
#include <sanitizer/allocator_interface.h>
#endif

namespace
{

using namespace tlstest;

/// Bytes of heap in use now, whichever allocator serves malloc.
size_t
HeapInUse()
{
#ifdef LPWAN_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    return mallinfo2().uordblks;
#endif
}

/// N client Sessions and one DtlsServer joined by links with a fixed one-way delay.
class Star
{
  public:
    explicit Star(DtlsServer& server, TimeNs delay = 50 * kMs)
      : m_server(server)
      , m_delay(delay)
    {
    }

    void Add(PeerId address, Session& client)
    {
        m_clients[address] = &client;
    }

    void Remove(PeerId address)
    {
        m_clients.erase(address);
    }

    TimeNs Now() const
    {
        return m_now;
    }

    /// Datagrams the server sent, in order.
    const std::vector<Datagram>& ServerSent() const
    {
        return m_serverSent;
    }

    /// All datagrams, in order, for transcript comparisons.
    const std::vector<std::pair<PeerId, Bytes>>& Transcript() const
    {
        return m_transcript;
    }

    /// Drop everything the server sends to `address` from now on.
    void Blackhole(PeerId address)
    {
        m_blackholed.insert(address);
    }

    void Flush()
    {
        for (auto& [address, client] : m_clients)
        {
            for (Datagram& d : client->TakeOutput())
            {
                m_transcript.emplace_back(address, d.bytes);
                Schedule(true, address, std::move(d.bytes));
            }
        }
        for (Datagram& d : m_server.TakeOutput())
        {
            m_transcript.emplace_back(d.peer, d.bytes);
            m_serverSent.push_back(d);
            if (m_blackholed.count(d.peer) == 0)
            {
                Schedule(false, d.peer, std::move(d.bytes));
            }
        }
    }

    bool RunUntil(const std::function<bool()>& done, TimeNs budget = 600 * kSecond)
    {
        const TimeNs limit = m_now + budget;
        Flush();
        while (!done())
        {
            TimeNs next = -1;
            auto consider = [&next](std::optional<TimeNs> t)
            {
                if (t && (next < 0 || *t < next))
                {
                    next = *t;
                }
            };
            if (!m_queue.empty())
            {
                consider(m_queue.begin()->first.first);
            }
            consider(m_server.NextTimer());
            for (auto& [address, client] : m_clients)
            {
                consider(client->NextTimer());
            }
            if (next < 0 || next > limit)
            {
                return false;
            }
            m_now = std::max(m_now, next);
            if (!m_queue.empty() && m_queue.begin()->first.first <= m_now)
            {
                auto it = m_queue.begin();
                const auto [toServer, address, bytes] = it->second;
                m_queue.erase(it);
                if (toServer)
                {
                    m_server.Receive(m_now, address, bytes);
                }
                else if (auto c = m_clients.find(address); c != m_clients.end())
                {
                    c->second->Receive(m_now, bytes);
                }
            }
            else
            {
                m_server.OnTimer(m_now);
                for (auto& [address, client] : m_clients)
                {
                    client->OnTimer(m_now);
                }
            }
            Flush();
        }
        return true;
    }

  private:
    void Schedule(bool toServer, PeerId address, Bytes bytes)
    {
        m_queue.emplace(std::make_pair(m_now + m_delay, m_sequence++),
                        std::make_tuple(toServer, address, std::move(bytes)));
    }

    DtlsServer& m_server;
    TimeNs m_delay;
    TimeNs m_now = 0;
    uint64_t m_sequence = 0;
    std::map<PeerId, Session*> m_clients;
    std::set<PeerId> m_blackholed;
    std::map<std::pair<TimeNs, uint64_t>, std::tuple<bool, PeerId, Bytes>> m_queue;
    std::vector<Datagram> m_serverSent;
    std::vector<std::pair<PeerId, Bytes>> m_transcript;
};

PeerId
DeviceAddress(int i)
{
    return lpwan::MakePeerId(0x0a010000u + static_cast<uint32_t>(i), 5684);
}

PskIdentity
DevicePsk(int i)
{
    const std::string id = "meter-" + std::to_string(i);
    return PskIdentity{ToBytes(id), ToBytes("key of " + id)};
}

/// A fleet of PSK clients, each with its own identity, and a server that knows them all.
struct Fleet
{
    Fleet(int n, uint64_t seed, DtlsServerOptions options = {})
      : serverRandom(seed)
    {
        Options s = PskServerOptions();
        s.pskTable.clear();
        for (int i = 0; i < n; ++i)
        {
            s.pskTable.push_back(DevicePsk(i));
        }
        server = std::make_unique<DtlsServer>(Config::Create(s, serverRandom), options);
        star = std::make_unique<Star>(*server);
        for (int i = 0; i < n; ++i)
        {
            randoms.push_back(std::make_unique<SeededRandom>(seed * 1000 + i));
            Options c = PskClientOptions();
            c.psk = DevicePsk(i);
            configs.push_back(Config::Create(c, *randoms.back()));
            clients.push_back(std::make_unique<Session>(configs.back(), kServerPeer));
            star->Add(DeviceAddress(i), *clients.back());
        }
    }

    void StartAll()
    {
        for (auto& c : clients)
        {
            c->Start(star->Now());
        }
    }

    bool AllEstablished() const
    {
        for (const auto& c : clients)
        {
            if (c->GetState() != State::Established)
            {
                return false;
            }
        }
        return true;
    }

    SeededRandom serverRandom;
    std::unique_ptr<DtlsServer> server;
    std::unique_ptr<Star> star;
    std::vector<std::unique_ptr<SeededRandom>> randoms;
    std::vector<std::shared_ptr<const Config>> configs;
    std::vector<std::unique_ptr<Session>> clients;
};

TEST(DtlsServer, ManyClientsEachGetTheirOwnSession)
{
    const int n = 50;
    Fleet f(n, 61);
    f.StartAll();
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            return f.AllEstablished();
        }));
    EXPECT_EQ(f.server->SessionCount(), static_cast<size_t>(n));
    EXPECT_EQ(f.server->GetCounters().sessionsCreated, static_cast<uint64_t>(n));
    EXPECT_EQ(f.server->GetCounters().helloVerifyRequestsSent, static_cast<uint64_t>(n));

    // Each client reports; the server answers each by address with what it heard.
    for (int i = 0; i < n; ++i)
    {
        ASSERT_TRUE(
            f.clients[i]->Write(f.star->Now(), ToBytes("reading of meter-" + std::to_string(i))));
    }
    std::vector<ReceivedData> heard;
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            for (ReceivedData& r : f.server->Read())
            {
                heard.push_back(std::move(r));
            }
            return heard.size() == static_cast<size_t>(n);
        }));
    for (const ReceivedData& r : heard)
    {
        const Session* s = f.server->Find(r.peer);
        ASSERT_NE(s, nullptr);
        const std::string identity(s->GetPeerPskIdentity().begin(), s->GetPeerPskIdentity().end());
        EXPECT_EQ(std::string(r.bytes.begin(), r.bytes.end()), "reading of " + identity);
        ASSERT_TRUE(f.server->Write(f.star->Now(), r.peer, ToBytes("ack " + identity)));
    }
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            for (const auto& c : f.clients)
            {
                if (c->GetStats().applicationBytesRead == 0)
                {
                    return false;
                }
            }
            return true;
        }));
    for (int i = 0; i < n; ++i)
    {
        EXPECT_EQ(Join(f.clients[i]->Read()), ToBytes("ack meter-" + std::to_string(i)));
        EXPECT_TRUE(f.server->Find(DeviceAddress(i))->IsHibernating());
    }
    const std::vector<ServerEvent> events = f.server->TakeEvents();
    EXPECT_EQ(events.size(), static_cast<size_t>(n));
    for (const ServerEvent& e : events)
    {
        EXPECT_EQ(e.event.kind, Event::Kind::Established);
    }
}

TEST(DtlsServer, SpoofedClientHellosLeaveNoState)
{
    Fleet f(1, 62);
    f.StartAll();
    f.star->Flush();
    const Bytes hello = f.star->Transcript().at(0).second; // a real ClientHello, no cookie
    const size_t before = HeapInUse();
    for (int i = 0; i < 5000; ++i)
    {
        f.server->Receive(0, DeviceAddress(1000 + i), hello);
        f.server->Receive(0, DeviceAddress(1000 + i), Bytes{0x17, 0xfe, 0xfd, 0, 1});
    }
    f.server->TakeOutput();
    const size_t after = HeapInUse();
    EXPECT_EQ(f.server->SessionCount(), 0u);
    EXPECT_EQ(f.server->GetCounters().helloVerifyRequestsSent, 5000u);
    EXPECT_EQ(f.server->GetCounters().datagramsFromUnknownPeers, 5000u);
    EXPECT_FALSE(f.server->NextTimer().has_value());
    // Only the one gatekeeper context (two record buffers) was allocated.
    EXPECT_LT(after - std::min(after, before), 64u * 1024u);
}

size_t
HeapPerClient(bool hibernate, int n, uint64_t seed)
{
    DtlsServerOptions options;
    options.hibernateIdle = hibernate;
    Fleet f(n, seed, options);
    f.StartAll();
    EXPECT_TRUE(f.star->RunUntil(
        [&]
        {
            return f.AllEstablished();
        }));
    for (int i = 0; i < n; ++i)
    {
        f.clients[i]->Write(f.star->Now(), ToBytes("x"));
    }
    // Deliver the data: a server session hibernates after the client's first record under
    // the new keys.
    f.star->RunUntil(
        []
        {
            return false;
        },
        kSecond);
    // Memory the server holds: compare with the server gone.
    const size_t with = HeapInUse();
    f.server.reset();
    const size_t without = HeapInUse();
    return (with - std::min(with, without)) / static_cast<size_t>(n);
}

TEST(DtlsServer, HibernationShrinksIdleClientsToAFewHundredBytes)
{
    const size_t awake = HeapPerClient(false, 100, 63);
    const size_t hibernating = HeapPerClient(true, 100, 63);
    RecordProperty("bytes_per_awake_client", static_cast<int>(awake));
    RecordProperty("bytes_per_hibernating_client", static_cast<int>(hibernating));
    // Awake: two ~16.7 kB record buffers. Hibernating: the serialized connection (about 220
    // bytes with PSK) plus the Session's own bookkeeping (statistics, flight list).
    EXPECT_GT(awake, 30000u);
    EXPECT_LT(hibernating * 15, awake) << awake << " vs " << hibernating;
}

TEST(DtlsServer, HibernationIsInvisibleOnTheWire)
{
    auto transcript = [](bool hibernate)
    {
        DtlsServerOptions options;
        options.hibernateIdle = hibernate;
        Fleet f(3, 64, options);
        f.StartAll();
        EXPECT_TRUE(f.star->RunUntil(
            [&]
            {
                return f.AllEstablished();
            }));
        for (int round = 0; round < 3; ++round)
        {
            for (int i = 0; i < 3; ++i)
            {
                f.clients[i]->Write(f.star->Now(), ToBytes("up"));
                f.server->Write(f.star->Now(), DeviceAddress(i), ToBytes("down"));
            }
            f.star->RunUntil(
                []
                {
                    return false;
                },
                10 * kSecond);
        }
        EXPECT_EQ(f.server->GetCounters().sessionsCreated, 3u);
        return f.star->Transcript();
    };
    const auto plain = transcript(false);
    const auto hibernated = transcript(true);
    EXPECT_EQ(plain, hibernated);
    EXPECT_GT(plain.size(), 20u);
}

TEST(DtlsServer, RebootedClientReplacesItsOldAssociation)
{
    Fleet f(1, 65);
    f.StartAll();
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            return f.AllEstablished();
        }));
    f.server->TakeEvents();

    // The device reboots: new state, same address and identity.
    SeededRandom random(6500);
    Options c = PskClientOptions();
    c.psk = DevicePsk(0);
    Session rebooted(Config::Create(c, random), kServerPeer);
    f.star->Remove(DeviceAddress(0));
    f.star->Add(DeviceAddress(0), rebooted);
    rebooted.Start(f.star->Now());
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            return rebooted.GetState() == State::Established;
        }));
    EXPECT_EQ(f.server->GetCounters().reconnectsStarted, 1u);
    EXPECT_EQ(f.server->GetCounters().reconnectsCompleted, 1u);
    EXPECT_EQ(f.server->SessionCount(), 1u);
    const std::vector<ServerEvent> events = f.server->TakeEvents();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].event.kind, Event::Kind::Closed);
    EXPECT_EQ(events[1].event.kind, Event::Kind::Established);

    ASSERT_TRUE(rebooted.Write(f.star->Now(), ToBytes("after reboot")));
    std::vector<ReceivedData> heard;
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            heard = f.server->Read();
            return !heard.empty();
        }));
    EXPECT_EQ(heard[0].bytes, ToBytes("after reboot"));
}

TEST(DtlsServer, ReplayedClientHelloCannotEndAnAssociation)
{
    Fleet f(1, 66);
    f.StartAll();
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            return f.AllEstablished();
        }));
    const Bytes helloWithCookie = f.star->Transcript().at(2).second;
    // An attacker replays it from the client's address; the handshake it starts goes
    // nowhere (the real client ignores the ServerHello) and times out.
    f.server->Receive(f.star->Now(), DeviceAddress(0), helloWithCookie);
    EXPECT_EQ(f.server->GetCounters().reconnectsStarted, 1u);
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            return f.server->GetCounters().reconnectsAbandoned == 1;
        },
        3600 * kSecond));
    EXPECT_EQ(f.clients[0]->GetState(), State::Established);
    ASSERT_TRUE(f.clients[0]->Write(f.star->Now(), ToBytes("still mine")));
    std::vector<ReceivedData> heard;
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            heard = f.server->Read();
            return !heard.empty();
        }));
    EXPECT_EQ(heard[0].bytes, ToBytes("still mine"));
}

TEST(DtlsServer, HalfOpenHandshakeTimesOutAndIsRemoved)
{
    Fleet f(1, 67);
    f.StartAll();
    // The client vanishes after its second ClientHello: the server's flight is never answered.
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            return f.server->GetCounters().sessionsCreated == 1;
        }));
    f.star->Blackhole(DeviceAddress(0));
    f.star->Remove(DeviceAddress(0));
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            return f.server->SessionCount() == 0;
        },
        3600 * kSecond));
    EXPECT_EQ(f.server->GetCounters().sessionsRemoved, 1u);
    const std::vector<ServerEvent> events = f.server->TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].event.kind, Event::Kind::Failed);
    EXPECT_EQ(events[0].stats.retransmittedFlights, 6u); // 1+2+4+8+16+32 s, then 60 s
    EXPECT_FALSE(f.server->NextTimer().has_value());
}

TEST(DtlsServer, SessionLimitRefusesFurtherClients)
{
    DtlsServerOptions options;
    options.maxSessions = 2;
    Fleet f(3, 68, options);
    f.StartAll();
    f.star->RunUntil(
        [&]
        {
            return f.server->GetCounters().sessionsRefused > 0;
        });
    ASSERT_TRUE(f.star->RunUntil(
        [&]
        {
            int established = 0;
            for (const auto& c : f.clients)
            {
                established += c->GetState() == State::Established ? 1 : 0;
            }
            return established == 2;
        }));
    EXPECT_EQ(f.server->SessionCount(), 2u);
    EXPECT_GE(f.server->GetCounters().sessionsRefused, 1u);
}

} // namespace
