// The client and server sessions of the real-socket tools, run sans-I/O: two CoAP endpoints
// joined by an in-memory link under a simulated clock, so that every count is exact. With
// OSCORE (RFC 8613 Appendix C.1 contexts) on both sides: Observe with deregistration,
// Block2 and Block1 with inner block options, and CoAP retransmissions under loss, which
// OSCORE's replay protection must not mistake for replays.
#include "oscore/oscore-test-util.h"
#include "protocols/coap/coap-endpoint.h"
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
