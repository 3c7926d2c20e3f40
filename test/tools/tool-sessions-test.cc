// The client and server sessions of the real-socket tools, run sans-I/O: two CoAP endpoints
// joined by an in-memory link under a simulated clock, so that every count is exact. With
// OSCORE (RFC 8613 Appendix C.1 contexts) on both sides: Observe with deregistration,
// Block2 and Block1 with inner block options, and CoAP retransmissions under loss, which
// OSCORE's replay protection must not mistake for replays.
#include "oscore/oscore-test-util.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-endpoint.h"
#include "protocols/coap/coap-observe.h"
#include "protocols/glue/oscore-coap-client.h"
#include "protocols/glue/oscore-coap-server.h"
#include "protocols/oscore/oscore-context-store.h"
#include "protocols/oscore/oscore-security-context.h"
#include "support/client-session.h"
#include "support/demo-resources.h"
#include "support/server-session.h"

#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace lpwan;
using namespace lpwan::tools;

namespace
{

const lpwan::PeerId kClientPeer = lpwan::MakePeerId(0x0a000001, 40000);
const lpwan::PeerId kServerPeer = lpwan::MakePeerId(0x0a000002, 5683);

/// A client session and a server session on two endpoints; datagrams cross instantly unless
/// a drop rule says otherwise; time jumps from deadline to deadline.
class SessionPair
{
  public:
    /// Returns true to drop the index-th datagram of a direction.
    using DropRule = std::function<bool(size_t index)>;

    SessionPair(lpwan::coap::MessageFilter& clientFilter, lpwan::coap::MessageFilter& serverFilter,
                ClientRequest request, ServerConfig config)
      : m_clientRandom(1)
      , m_serverRandom(2)
      , m_clientEndpoint(lpwan::coap::TransmissionParameters(), m_clientRandom)
      , m_serverEndpoint(lpwan::coap::TransmissionParameters(), m_serverRandom)
      , m_client(m_clientEndpoint, clientFilter, WithPeer(std::move(request)), m_out, m_err)
      , m_server(m_serverEndpoint, serverFilter, config, m_log)
    {
    }

    void DropToServer(DropRule r)
    {
        m_dropToServer = std::move(r);
    }

    void DropToClient(DropRule r)
    {
        m_dropToClient = std::move(r);
    }

    /// Runs until the client session is finished (or the simulated time passes limitS).
    void Run(double limitS = 600)
    {
        m_client.Start(m_now);
        m_server.Start(m_now);
        const lpwan::TimeNs limit = lpwan::SecondsToNs(limitS);
        while (!m_client.Finished() && m_now < limit)
        {
            if (Exchange())
            {
                continue;
            }
            std::optional<lpwan::TimeNs> next;
            for (const auto& t : {m_clientEndpoint.NextTimer(), m_serverEndpoint.NextTimer(),
                                  m_client.NextTimer(), m_server.NextTimer()})
            {
                if (t && (!next || *t < *next))
                {
                    next = t;
                }
            }
            if (!next)
            {
                break;
            }
            m_now = std::max(m_now, *next);
            Fire(m_clientEndpoint.NextTimer(),
                 [&]
                 {
                     m_clientEndpoint.OnTimer(m_now);
                 });
            Fire(m_serverEndpoint.NextTimer(),
                 [&]
                 {
                     m_serverEndpoint.OnTimer(m_now);
                 });
            Fire(m_client.NextTimer(),
                 [&]
                 {
                     m_client.OnTimer(m_now);
                 });
            Fire(m_server.NextTimer(),
                 [&]
                 {
                     m_server.OnTimer(m_now);
                 });
        }
        Exchange(); // the last datagrams (a final ACK) still arrive
    }

    ClientSession& Client()
    {
        return m_client;
    }

    ServerSession& Server()
    {
        return m_server;
    }

    lpwan::coap::Endpoint& ClientEndpoint()
    {
        return m_clientEndpoint;
    }

    lpwan::coap::Endpoint& ServerEndpoint()
    {
        return m_serverEndpoint;
    }

    std::string Out() const
    {
        return m_out.str();
    }

    std::string Err() const
    {
        return m_err.str();
    }

    lpwan::TimeNs Now() const
    {
        return m_now;
    }

  private:
    static ClientRequest WithPeer(ClientRequest r)
    {
        r.peer = kServerPeer;
        r.peerName = "server";
        return r;
    }

    void Fire(std::optional<lpwan::TimeNs> due, const std::function<void()>& action)
    {
        if (due && *due <= m_now)
        {
            action();
        }
    }

    /// Moves datagrams and events until nothing moves; true when anything did.
    bool Exchange()
    {
        bool any = false;
        bool moved = true;
        while (moved)
        {
            moved = false;
            for (const lpwan::Datagram& d : m_clientEndpoint.TakeDatagrams())
            {
                moved = true;
                if (!(m_dropToServer && m_dropToServer(m_toServer++)))
                {
                    m_serverEndpoint.Receive(kClientPeer, d.bytes.data(), d.bytes.size(), m_now);
                }
            }
            for (const lpwan::Datagram& d : m_serverEndpoint.TakeDatagrams())
            {
                moved = true;
                if (!(m_dropToClient && m_dropToClient(m_toClient++)))
                {
                    m_clientEndpoint.Receive(kServerPeer, d.bytes.data(), d.bytes.size(), m_now);
                }
            }
            for (const lpwan::coap::Event& e : m_serverEndpoint.TakeEvents())
            {
                moved = true;
                m_server.OnEvent(e, m_now);
            }
            for (const lpwan::coap::Event& e : m_clientEndpoint.TakeEvents())
            {
                moved = true;
                m_client.OnEvent(e, m_now);
            }
            any |= moved;
        }
        return any;
    }

    oscore_test::TestRandom m_clientRandom;
    oscore_test::TestRandom m_serverRandom;
    lpwan::coap::Endpoint m_clientEndpoint;
    lpwan::coap::Endpoint m_serverEndpoint;
    std::ostringstream m_out;
    std::ostringstream m_err;
    std::ostringstream m_log;
    ClientSession m_client;
    ServerSession m_server;
    lpwan::TimeNs m_now = 0;
    DropRule m_dropToServer;
    DropRule m_dropToClient;
    size_t m_toServer = 0;
    size_t m_toClient = 0;
};

/// Both ends of the RFC 8613 Appendix C.1 context.
class OscorePair
{
  public:
    OscorePair()
      : m_clientContext(oscore_test::C1Client())
      , m_client(m_clientContext)
      , m_server(m_store)
    {
        m_store.Add(oscore_test::Mirror(oscore_test::C1Client()));
    }

    lpwan::glue::OscoreCoapClient& Client()
    {
        return m_client;
    }

    lpwan::glue::OscoreCoapServer& Server()
    {
        return m_server;
    }

  private:
    lpwan::oscore::SecurityContext m_clientContext;
    lpwan::oscore::ContextStore m_store;
    lpwan::glue::OscoreCoapClient m_client;
    lpwan::glue::OscoreCoapServer m_server;
};

ClientRequest
Get(const std::string& path)
{
    ClientRequest r;
    r.request.type = lpwan::coap::Type::Confirmable;
    r.request.code = lpwan::coap::code::Get;
    r.request.SetUriPath(path);
    return r;
}

} // namespace

TEST(ToolSessions, OscoreObserveCountsEveryNotificationAndDeregisters)
{
    OscorePair oscore;
    ClientRequest request = Get("counter");
    request.observeSeconds = 0.95;
    ServerConfig config;
    config.notifyIntervalS = 0.1;
    SessionPair pair(oscore.Client(), oscore.Server(), request, config);
    pair.Run();

    ASSERT_TRUE(pair.Client().Finished());
    EXPECT_EQ(pair.Client().GetExitStatus(), 0) << pair.Err();
    // Registered at counter 0; notifications at 0.1 s ... 0.9 s; deregistered at 0.95 s.
    std::string expected;
    for (int i = 0; i <= 9; ++i)
    {
        expected += "2.05 Content\n" + std::to_string(i) + "\n";
    }
    EXPECT_EQ(pair.Out(), expected);
    EXPECT_EQ(pair.Err(), "");
    EXPECT_EQ(pair.Server().GetObserverCount(), 0u);
    EXPECT_EQ(pair.Server().GetCounters().notifications, 9u);
    EXPECT_EQ(pair.Server().GetCounters().observersRemoved, 1u);
    // Registration and deregistration verified; the registration's answer, 9 notifications
    // and the deregistration's answer protected, the first 10 with the server's Partial IVs.
    EXPECT_EQ(oscore.Server().GetRequestCounters().requestsVerified, 2u);
    EXPECT_EQ(oscore.Server().GetResponsesProtected(), 11u);
    EXPECT_EQ(oscore.Server().GetNotificationsProtected(), 10u);
    EXPECT_EQ(oscore.Client().GetCounters().responsesVerified, 11u);
}

TEST(ToolSessions, OscoreBlock2WithSixteenByteBlocks)
{
    OscorePair oscore;
    ClientRequest request = Get("large");
    request.blockSize = 16;
    SessionPair pair(oscore.Client(), oscore.Server(), request, ServerConfig());
    pair.Run();
    EXPECT_EQ(pair.Client().GetExitStatus(), 0) << pair.Err();
    const std::vector<uint8_t> large = LargeRepresentation(2000);
    EXPECT_EQ(pair.Out(), "2.05 Content\n" + std::string(large.begin(), large.end()));
    EXPECT_EQ(oscore.Server().GetRequestCounters().requestsVerified, 125u); // 2000 / 16
}

TEST(ToolSessions, OscoreBlock1FollowsTheServersSmallerBlockSize)
{
    OscorePair oscore;
    ClientRequest request;
    request.request.code = lpwan::coap::code::Post;
    request.request.SetUriPath("upload");
    for (int i = 0; i < 5000; ++i)
    {
        request.request.payload.push_back(static_cast<uint8_t>(i * 7));
    }
    ServerConfig config;
    config.maxBlockSize = 256; // the client starts with 1024-byte blocks and must adapt
    SessionPair pair(oscore.Client(), oscore.Server(), request, config);
    pair.Run();
    EXPECT_EQ(pair.Client().GetExitStatus(), 0) << pair.Err();
    EXPECT_EQ(pair.Out(), "2.04 Changed\n" + UploadSummary(request.request.payload) + "\n");
}

TEST(ToolSessions, RetransmissionsAreNotReplaysUnderOscore)
{
    // The first request and the first response are lost. The client retransmits the same
    // OSCORE request (same Partial IV): the first copy to arrive is verified; the second
    // one is a CoAP duplicate answered from the endpoint's cache, never re-verified, so the
    // replay window has nothing to reject.
    OscorePair oscore;
    SessionPair pair(oscore.Client(), oscore.Server(), Get("hello"), ServerConfig());
    pair.DropToServer(
        [](size_t i)
        {
            return i == 0;
        });
    pair.DropToClient(
        [](size_t i)
        {
            return i == 0;
        });
    pair.Run();
    EXPECT_EQ(pair.Client().GetExitStatus(), 0) << pair.Err();
    EXPECT_EQ(pair.Out(), "2.05 Content\nHello, world!\n");
    EXPECT_EQ(pair.ClientEndpoint().GetCounters().retransmissions, 2u);
    EXPECT_EQ(pair.ServerEndpoint().GetCounters().duplicatesReceived, 1u);
    EXPECT_EQ(oscore.Server().GetRequestCounters().requestsVerified, 1u);
    EXPECT_EQ(oscore.Server().GetRequestCounters().replayed, 0u);
}

TEST(ToolSessions, NoAnswerEndsWithTimeoutStatus)
{
    lpwan::coap::PassThroughFilter plain;
    lpwan::coap::PassThroughFilter plainServer;
    ClientRequest request = Get("hello");
    request.waitSeconds = 1000;
    SessionPair pair(plain, plainServer, request, ServerConfig());
    pair.DropToServer(
        [](size_t)
        {
            return true;
        });
    pair.Run();
    EXPECT_EQ(pair.Client().GetExitStatus(), 3);
    EXPECT_EQ(pair.Err(), "lpwan-coap-client: no answer from server after 4 retransmissions\n");
    EXPECT_EQ(pair.Out(), "");
}

namespace
{

/// The server session and a bare client endpoint that registers on /counter itself, so that
/// a test can make the client vanish (drop what reaches it) or forget the observation
/// (CancelObservation: its endpoint then answers the next notification with RST).
class ObserverHarness
{
  public:
    ObserverHarness(lpwan::coap::Type registration, double notifyIntervalS)
      : m_clientRandom(3)
      , m_serverRandom(4)
      , m_clientEndpoint(lpwan::coap::TransmissionParameters(), m_clientRandom)
      , m_serverEndpoint(lpwan::coap::TransmissionParameters(), m_serverRandom)
      , m_server(m_serverEndpoint, m_filter, Config(notifyIntervalS), m_log)
    {
        m_server.Start(0);
        lpwan::coap::Message get;
        get.type = registration;
        get.code = lpwan::coap::code::Get;
        get.SetUriPath("counter");
        get.AddUintOption(lpwan::coap::option::Observe, lpwan::coap::kObserveRegister);
        m_exchange = m_clientEndpoint.SendRequest(kServerPeer, std::move(get), 0);
        Exchange();
    }

    /// Advances the simulated clock to t, firing every timer due on the way.
    void RunUntil(double tS)
    {
        const lpwan::TimeNs t = lpwan::SecondsToNs(tS);
        while (true)
        {
            std::optional<lpwan::TimeNs> next;
            for (const auto& d :
                 {m_clientEndpoint.NextTimer(), m_serverEndpoint.NextTimer(), m_server.NextTimer()})
            {
                if (d && (!next || *d < *next))
                {
                    next = d;
                }
            }
            if (!next || *next > t)
            {
                break;
            }
            m_now = std::max(m_now, *next);
            for (auto* e : {&m_clientEndpoint, &m_serverEndpoint})
            {
                if (e->NextTimer() && *e->NextTimer() <= m_now)
                {
                    e->OnTimer(m_now);
                }
            }
            if (m_server.NextTimer() && *m_server.NextTimer() <= m_now)
            {
                m_server.OnTimer(m_now);
            }
            Exchange();
        }
        m_now = std::max(m_now, t);
    }

    /// From now on, nothing the server sends reaches the client (it went away silently).
    void VanishClient()
    {
        m_clientGone = true;
    }

    lpwan::coap::Endpoint& ClientEndpoint()
    {
        return m_clientEndpoint;
    }

    lpwan::coap::ExchangeId GetExchange() const
    {
        return m_exchange;
    }

    ServerSession& Server()
    {
        return m_server;
    }

    /// The server's datagrams so far: the time each was sent and its message type.
    const std::vector<std::pair<double, lpwan::coap::Type>>& Sent() const
    {
        return m_sent;
    }

    /// Notifications (and the registration's answer) the client's endpoint reported.
    size_t ClientResponses() const
    {
        return m_clientResponses;
    }

  private:
    static ServerConfig Config(double notifyIntervalS)
    {
        ServerConfig c;
        c.notifyIntervalS = notifyIntervalS;
        return c;
    }

    void Exchange()
    {
        bool moved = true;
        while (moved)
        {
            moved = false;
            for (const lpwan::Datagram& d : m_clientEndpoint.TakeDatagrams())
            {
                moved = true;
                m_serverEndpoint.Receive(kClientPeer, d.bytes.data(), d.bytes.size(), m_now);
            }
            for (const lpwan::Datagram& d : m_serverEndpoint.TakeDatagrams())
            {
                moved = true;
                m_sent.emplace_back(lpwan::NsToSeconds(m_now),
                                    lpwan::coap::Decode(d.bytes).message.type);
                if (!m_clientGone)
                {
                    m_clientEndpoint.Receive(kServerPeer, d.bytes.data(), d.bytes.size(), m_now);
                }
            }
            for (const lpwan::coap::Event& e : m_serverEndpoint.TakeEvents())
            {
                moved = true;
                m_server.OnEvent(e, m_now);
            }
            for (const lpwan::coap::Event& e : m_clientEndpoint.TakeEvents())
            {
                moved = true;
                m_clientResponses += e.kind == lpwan::coap::Event::Kind::ResponseReceived;
            }
        }
    }

    oscore_test::TestRandom m_clientRandom;
    oscore_test::TestRandom m_serverRandom;
    lpwan::coap::PassThroughFilter m_filter;
    lpwan::coap::Endpoint m_clientEndpoint;
    lpwan::coap::Endpoint m_serverEndpoint;
    std::ostringstream m_log;
    ServerSession m_server;
    lpwan::coap::ExchangeId m_exchange = 0;
    lpwan::TimeNs m_now = 0;
    bool m_clientGone = false;
    std::vector<std::pair<double, lpwan::coap::Type>> m_sent;
    size_t m_clientResponses = 0;
};

} // namespace

// RFC 7641 section 4.5: a client that does not acknowledge a Confirmable notification is no
// longer interested (or no longer there); the server removes it and notifies it no more.
TEST(ToolSessions, ObserverThatNeverAcksIsRemovedAndNotifiedNoMore)
{
    ObserverHarness h(lpwan::coap::Type::Confirmable, 1.0);
    h.RunUntil(2.5); // two notifications, both ACKed
    EXPECT_EQ(h.ClientResponses(), 3u);
    EXPECT_EQ(h.Server().GetObserverCount(), 1u);
    h.VanishClient();
    h.RunUntil(1000);

    const ServerSession::Counters& c = h.Server().GetCounters();
    EXPECT_EQ(h.Server().GetObserverCount(), 0u);
    EXPECT_EQ(c.observersAdded, 1u);
    EXPECT_EQ(c.observersRemoved, 1u);
    EXPECT_EQ(c.observersTimedOut, 1u);
    EXPECT_EQ(c.observersReset, 0u);
    // The notification at 3 s is never ACKed: newer ones take the place of its retransmissions
    // (section 4.5.2) and the endpoint gives up MAX_TRANSMIT_WAIT (93 s) after the first
    // transmission at the latest. From then on the server sends nothing at all.
    ASSERT_FALSE(h.Sent().empty());
    EXPECT_LE(h.Sent().back().first, 3.0 + 93.0);
    EXPECT_LT(c.notifications, 100u);
    const size_t sent = h.Sent().size();
    const uint64_t notifications = c.notifications;
    h.RunUntil(2000);
    EXPECT_EQ(h.Sent().size(), sent);
    EXPECT_EQ(h.Server().GetCounters().notifications, notifications);
}

// Section 3.6 and 4.5: a client that has forgotten the observation answers the next
// notification with RST, and the server removes it at once.
TEST(ToolSessions, ObserverThatResetsANotificationIsRemoved)
{
    ObserverHarness h(lpwan::coap::Type::Confirmable, 1.0);
    h.RunUntil(3.5); // the registration's answer and notifications at 1, 2, 3 s
    EXPECT_EQ(h.ClientResponses(), 4u);
    ASSERT_TRUE(h.ClientEndpoint().CancelObservation(h.GetExchange(), lpwan::SecondsToNs(3.5)));
    h.RunUntil(4.5); // the notification at 4 s gets RST
    const ServerSession::Counters& c = h.Server().GetCounters();
    EXPECT_EQ(h.Server().GetObserverCount(), 0u);
    EXPECT_EQ(c.observersRemoved, 1u);
    EXPECT_EQ(c.observersReset, 1u);
    EXPECT_EQ(c.observersTimedOut, 0u);
    EXPECT_EQ(c.notifications, 4u);
    EXPECT_EQ(h.ClientEndpoint().GetCounters().resetsSent, 1u);
    const size_t sent = h.Sent().size();
    h.RunUntil(100);
    EXPECT_EQ(h.Sent().size(), sent);
    EXPECT_EQ(h.Server().GetCounters().notifications, 4u);
}

// The same with a NON registration: its notifications are NON, and an RST to a recent one
// is traced to the observer too.
TEST(ToolSessions, NonObserverThatResetsANotificationIsRemoved)
{
    ObserverHarness h(lpwan::coap::Type::NonConfirmable, 1.0);
    h.RunUntil(2.5);
    ASSERT_TRUE(h.ClientEndpoint().CancelObservation(h.GetExchange(), lpwan::SecondsToNs(2.5)));
    h.RunUntil(50);
    EXPECT_EQ(h.Server().GetObserverCount(), 0u);
    EXPECT_EQ(h.Server().GetCounters().observersReset, 1u);
    EXPECT_EQ(h.Server().GetCounters().notifications, 3u);
}

// Section 4.5: a NON observer gets a CON notification at least every 24 hours. With
// notifications 10 hours apart, the fifth-notification rule alone would leave 50 hours
// between two CON ones; the server also sends one whenever the next would come more than
// 24 hours after the last CON one.
TEST(ToolSessions, NonObserverGetsAConNotificationAtLeastEvery24Hours)
{
    ObserverHarness h(lpwan::coap::Type::NonConfirmable, 36000.0);
    h.RunUntil(6 * 36000.0 + 1);
    std::vector<lpwan::coap::Type> types;
    double lastCon = 0;
    for (const auto& [t, type] : h.Sent())
    {
        if (type == lpwan::coap::Type::Confirmable || type == lpwan::coap::Type::NonConfirmable)
        {
            types.push_back(type);
        }
        if (type == lpwan::coap::Type::Confirmable)
        {
            EXPECT_LE(t - lastCon, 24 * 3600.0) << "at " << t;
            lastCon = t;
        }
    }
    using lpwan::coap::Type;
    // The registration's answer (NON, to a NON request), then six notifications: at 20 h and
    // 40 h for the 24-hour rule, at 50 h as the fifth.
    EXPECT_EQ(types, (std::vector<Type>{Type::NonConfirmable, Type::NonConfirmable,
                                        Type::Confirmable, Type::NonConfirmable, Type::Confirmable,
                                        Type::Confirmable, Type::NonConfirmable}));
    EXPECT_EQ(h.ClientResponses(), 7u);
    EXPECT_EQ(h.Server().GetObserverCount(), 1u);
}
