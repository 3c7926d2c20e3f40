/*
 * The CoAP endpoint (message and request/response layers) driven by hand: exact
 * retransmission times from a scripted RandomSource, derived lifetimes, duplicate detection
 * and its expiry, piggybacked and separate responses between two endpoints, RST handling,
 * NSTART queueing, message IDs and tokens, and a lossy-link run checked for invariants.
 *
 * The endpoint draws randomness in a fixed order (see coap-endpoint.cc): Uint32() for the
 * first message ID towards a peer, Uint32() for each generated token, Uniform01() for each
 * initial CON timeout.
 */

#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-endpoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>

namespace
{

using namespace lpwan::coap;
using lpwan::MakePeerId;
using lpwan::SecondsToNs;
using Bytes = std::vector<uint8_t>;

/// Hands out queued values, then a fallback (uniform) or a counter (integers).
class ScriptedRandom : public RandomSource
{
  public:
    double Uniform01() override
    {
        if (uniforms.empty())
        {
            return fallbackUniform;
        }
        const double u = uniforms.front();
        uniforms.pop_front();
        return u;
    }

    uint32_t Uint32() override
    {
        if (ints.empty())
        {
            return nextInt++;
        }
        const uint32_t v = ints.front();
        ints.pop_front();
        return v;
    }

    std::deque<double> uniforms;
    double fallbackUniform = 0.5;
    std::deque<uint32_t> ints;
    uint32_t nextInt = 0x10000;
};

/// A seeded generator, for runs that only need reproducibility.
class SeededRandom : public RandomSource
{
  public:
    explicit SeededRandom(uint64_t seed)
      : m_rng(seed)
    {
    }

    double Uniform01() override
    {
        return std::uniform_real_distribution<double>(0.0, 1.0)(m_rng);
    }

    uint32_t Uint32() override
    {
        return static_cast<uint32_t>(m_rng());
    }

  private:
    std::mt19937_64 m_rng;
};

const PeerId kClient = MakePeerId(0x0a000001, 5683);
const PeerId kServer = MakePeerId(0x0a000002, 5683);
const PeerId kOther = MakePeerId(0x0a000003, 5683);

TimeNs
S(double seconds)
{
    return SecondsToNs(seconds);
}

Message
Get(const std::string& path, Type type = Type::Confirmable)
{
    Message m;
    m.type = type;
    m.code = code::Get;
    m.SetUriPath(path);
    return m;
}

Message
Content(const std::string& payload)
{
    Message m;
    m.code = code::Content;
    m.payload.assign(payload.begin(), payload.end());
    return m;
}

Message
Decoded(const Datagram& d)
{
    DecodeResult r = Decode(d.bytes);
    EXPECT_TRUE(r.ok) << r.error;
    return r.message;
}

/// Passes every datagram `from` has queued to `to`, as received from fromId, unless drop()
/// says otherwise. Returns the datagrams that were taken (delivered or dropped).
std::vector<Datagram>
Deliver(Endpoint& from, PeerId fromId, Endpoint& to, PeerId toId, TimeNs now,
        const std::function<bool(const Datagram&)>& drop = nullptr)
{
    std::vector<Datagram> out = from.TakeDatagrams();
    for (const auto& d : out)
    {
        EXPECT_EQ(d.peer, toId);
        if (!drop || !drop(d))
        {
            to.Receive(fromId, d.bytes.data(), d.bytes.size(), now);
        }
    }
    return out;
}

void
Inject(Endpoint& to, PeerId fromId, const Message& m, TimeNs now)
{
    const Bytes b = Encode(m);
    to.Receive(fromId, b.data(), b.size(), now);
}

/// A client and a server endpoint with their own scripted randomness.
struct Pair
{
    explicit Pair(const TransmissionParameters& p = TransmissionParameters())
      : client(p, clientRandom)
      , server(p, serverRandom)
    {
    }

    ScriptedRandom clientRandom;
    ScriptedRandom serverRandom;
    Endpoint client;
    Endpoint server;
};

// ---- transmission parameters ----

TEST(CoapTransmissionParameters, RfcDefaults)
{
    TransmissionParameters p;
    EXPECT_EQ(p.Validate(), "");
    EXPECT_DOUBLE_EQ(p.MaxTransmitSpanS(), 45.0);
    EXPECT_DOUBLE_EQ(p.MaxTransmitWaitS(), 93.0);
    EXPECT_DOUBLE_EQ(p.MaxRttS(), 202.0);
    EXPECT_DOUBLE_EQ(p.ExchangeLifetimeS(), 247.0);
    EXPECT_DOUBLE_EQ(p.NonLifetimeS(), 145.0);
}

TEST(CoapTransmissionParameters, DerivedFromCustomValues)
{
    // An NB-IoT-friendly set: long ACK_TIMEOUT, fewer retransmissions.
    TransmissionParameters p;
    p.ackTimeoutS = 10.0;
    p.ackRandomFactor = 1.2;
    p.maxRetransmit = 2;
    p.maxLatencyS = 30.0;
    p.processingDelayS = 5.0;
    EXPECT_EQ(p.Validate(), "");
    EXPECT_DOUBLE_EQ(p.MaxTransmitSpanS(), 10.0 * 3 * 1.2);
    EXPECT_DOUBLE_EQ(p.MaxTransmitWaitS(), 10.0 * 7 * 1.2);
    EXPECT_DOUBLE_EQ(p.MaxRttS(), 65.0);
    EXPECT_DOUBLE_EQ(p.ExchangeLifetimeS(), 36.0 + 60.0 + 5.0);
    EXPECT_DOUBLE_EQ(p.NonLifetimeS(), 36.0 + 30.0);
}

TEST(CoapTransmissionParameters, ValidateNamesTheBadParameter)
{
    auto invalid = [](const std::function<void(TransmissionParameters&)>& change)
    {
        TransmissionParameters p;
        change(p);
        return p.Validate();
    };
    EXPECT_NE(invalid(
                  [](auto& p)
                  {
                      p.ackTimeoutS = 0;
                  })
                  .find("ACK_TIMEOUT"),
              std::string::npos);
    EXPECT_NE(invalid(
                  [](auto& p)
                  {
                      p.ackTimeoutS = NAN;
                  }),
              "");
    EXPECT_NE(invalid(
                  [](auto& p)
                  {
                      p.ackRandomFactor = 0.9;
                  })
                  .find("ACK_RANDOM_FACTOR"),
              std::string::npos);
    EXPECT_NE(invalid(
                  [](auto& p)
                  {
                      p.maxRetransmit = 100;
                  })
                  .find("MAX_RETRANSMIT"),
              std::string::npos);
    EXPECT_NE(invalid(
                  [](auto& p)
                  {
                      p.nstart = 0;
                  })
                  .find("NSTART"),
              std::string::npos);
    EXPECT_NE(invalid(
                  [](auto& p)
                  {
                      p.maxLatencyS = -1;
                  })
                  .find("MAX_LATENCY"),
              std::string::npos);
    EXPECT_NE(invalid(
                  [](auto& p)
                  {
                      p.processingDelayS = INFINITY;
                  })
                  .find("PROCESSING_DELAY"),
              std::string::npos);
    EXPECT_EQ(invalid(
                  [](auto& p)
                  {
                      p.maxRetransmit = 0;
                  }),
              "");
    EXPECT_EQ(invalid(
                  [](auto& p)
                  {
                      p.ackRandomFactor = 1.0;
                  }),
              "");

    ScriptedRandom random;
    TransmissionParameters bad;
    bad.nstart = 0;
    EXPECT_THROW(Endpoint ep(bad, random), std::invalid_argument);
}

// ---- retransmission ----

/// Sends one CON that is never answered and returns the times of every transmission and of
/// the Timeout event.
std::pair<std::vector<TimeNs>, TimeNs>
RunUnanswered(const TransmissionParameters& params, double draw, uint32_t* retransmissions)
{
    ScriptedRandom random;
    random.uniforms = {draw};
    Endpoint ep(params, random);
    std::vector<TimeNs> sends;
    ep.SendRequest(kServer, Get("x"), 0);
    Bytes first;
    for (const auto& d : ep.TakeDatagrams())
    {
        EXPECT_FALSE(d.retransmission);
        first = d.bytes;
        sends.push_back(0);
    }
    while (ep.NextTimer())
    {
        const TimeNs t = *ep.NextTimer();
        ep.OnTimer(t);
        for (const auto& d : ep.TakeDatagrams())
        {
            EXPECT_EQ(d.bytes, first); // a retransmission is the very same message
            EXPECT_TRUE(d.retransmission);
            sends.push_back(t);
        }
        for (const auto& e : ep.TakeEvents())
        {
            EXPECT_EQ(e.kind, Event::Kind::Timeout);
            EXPECT_EQ(e.peer, kServer);
            *retransmissions = e.retransmissions;
            EXPECT_FALSE(ep.NextTimer().has_value());
            EXPECT_EQ(ep.GetCounters().retransmissions, e.retransmissions);
            return {sends, t};
        }
    }
    ADD_FAILURE() << "no Timeout event";
    return {sends, -1};
}

TEST(CoapEndpoint, RetransmissionScheduleRfcDefaults)
{
    // ACK_TIMEOUT 2 s, factor 1.5, draw 0.5: initial timeout 2.5 s, then 5, 10, 20, and the
    // Timeout 40 s after the fourth retransmission.
    TransmissionParameters p;
    uint32_t retransmissions = 0;
    auto [sends, timeout] = RunUnanswered(p, 0.5, &retransmissions);
    EXPECT_EQ(sends, (std::vector<TimeNs>{0, S(2.5), S(7.5), S(17.5), S(37.5)}));
    EXPECT_EQ(timeout, S(77.5));
    EXPECT_EQ(retransmissions, 4u);
}

TEST(CoapEndpoint, RetransmissionScheduleStaysWithinRfcBounds)
{
    // The last retransmission is at most MAX_TRANSMIT_SPAN after the first transmission and
    // the Timeout at most MAX_TRANSMIT_WAIT; both bounds are met exactly by the largest draw.
    TransmissionParameters p;
    for (double draw : {0.0, 0.25, 0.5, 1.0}) // exact in binary: exact nanoseconds
    {
        uint32_t retransmissions = 0;
        auto [sends, timeout] = RunUnanswered(p, draw, &retransmissions);
        const double initial = p.ackTimeoutS * (1.0 + draw * (p.ackRandomFactor - 1.0));
        ASSERT_EQ(sends.size(), 5u);
        EXPECT_EQ(sends.back(), S(initial * 15)) << draw;
        EXPECT_EQ(timeout, S(initial * 31)) << draw;
        EXPECT_LE(sends.back(), S(p.MaxTransmitSpanS()));
        EXPECT_LE(timeout, S(p.MaxTransmitWaitS()));
        EXPECT_GE(timeout, S(p.ackTimeoutS * 31));
    }
    uint32_t r = 0;
    EXPECT_EQ(RunUnanswered(p, 1.0, &r).second, S(p.MaxTransmitWaitS()));
    EXPECT_EQ(RunUnanswered(p, 1.0, &r).first.back(), S(p.MaxTransmitSpanS()));
}

TEST(CoapEndpoint, RetransmissionScheduleConfigurable)
{
    TransmissionParameters p;
    p.ackTimeoutS = 10.0;
    p.ackRandomFactor = 1.0;
    p.maxRetransmit = 2;
    uint32_t retransmissions = 0;
    auto [sends, timeout] = RunUnanswered(p, 0.7, &retransmissions);
    EXPECT_EQ(sends, (std::vector<TimeNs>{0, S(10), S(30)}));
    EXPECT_EQ(timeout, S(70));
    EXPECT_EQ(retransmissions, 2u);

    p.maxRetransmit = 0; // one transmission, then wait one timeout
    auto [sends0, timeout0] = RunUnanswered(p, 0.0, &retransmissions);
    EXPECT_EQ(sends0, (std::vector<TimeNs>{0}));
    EXPECT_EQ(timeout0, S(10));
    EXPECT_EQ(retransmissions, 0u);
}

TEST(CoapEndpoint, LateOnTimerBasesNextTimeoutOnNow)
{
    ScriptedRandom random;
    random.uniforms = {0.0};
    Endpoint ep(TransmissionParameters(), random);
    ep.SendRequest(kServer, Get("x"), S(100));
    ep.TakeDatagrams();
    EXPECT_EQ(ep.NextTimer(), S(102));
    ep.OnTimer(S(101)); // too early: nothing happens
    EXPECT_TRUE(ep.TakeDatagrams().empty());
    ep.OnTimer(S(103)); // a driver that wakes up late
    EXPECT_EQ(ep.TakeDatagrams().size(), 1u);
    EXPECT_EQ(ep.NextTimer(), S(107));
}

// ---- piggybacked and separate responses end to end ----

TEST(CoapEndpoint, PiggybackedResponse)
{
    Pair n;
    n.clientRandom.ints = {0x7d34 /* first MID */, 0xcafef00d /* token */};
    const ExchangeId x = n.client.SendRequest(kServer, Get("/temperature"), 0);
    EXPECT_EQ(n.client.GetMessageId(x), 0x7d34);
    EXPECT_EQ(n.client.GetToken(x), (Bytes{0xca, 0xfe, 0xf0, 0x0d}));

    auto sent = Deliver(n.client, kClient, n.server, kServer, S(0.1));
    ASSERT_EQ(sent.size(), 1u);
    const Message req = Decoded(sent[0]);
    EXPECT_EQ(req.type, Type::Confirmable);
    EXPECT_EQ(req.messageId, 0x7d34);
    EXPECT_EQ(sent[0].bytes.size(), 4u + 4 + 1 + 11); // header, token, Uri-Path

    auto events = n.server.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::RequestReceived);
    EXPECT_EQ(events[0].peer, kClient);
    EXPECT_EQ(events[0].message.GetUriPath(), "temperature");
    EXPECT_EQ(events[0].message.token, n.client.GetToken(x));

    n.server.Respond(events[0].handle, Content("22.3 C"), S(0.2));
    sent = Deliver(n.server, kServer, n.client, kClient, S(0.3));
    ASSERT_EQ(sent.size(), 1u);
    const Message ack = Decoded(sent[0]);
    EXPECT_EQ(ack.type, Type::Acknowledgement);
    EXPECT_EQ(ack.messageId, 0x7d34);
    EXPECT_EQ(ack.token, req.token);
    EXPECT_FALSE(n.server.NextTimer().has_value()); // nothing to retransmit

    events = n.client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::ResponseReceived);
    EXPECT_EQ(events[0].exchange, x);
    EXPECT_EQ(events[0].peer, kServer);
    EXPECT_EQ(events[0].message.code, code::Content);
    EXPECT_EQ(events[0].message.payload, (Bytes{'2', '2', '.', '3', ' ', 'C'}));
    EXPECT_EQ(events[0].retransmissions, 0u);
    EXPECT_FALSE(n.client.NextTimer().has_value());
    EXPECT_TRUE(n.client.GetToken(x).empty()); // the exchange is over
    EXPECT_TRUE(n.client.TakeDatagrams().empty());
    EXPECT_EQ(n.client.GetCounters().datagramsSent, 1u);
    EXPECT_EQ(n.client.GetCounters().datagramsReceived, 1u);
}

TEST(CoapEndpoint, SeparateResponse)
{
    Pair n;
    n.clientRandom.uniforms = {0.0};
    n.serverRandom.ints = {0x4000}; // the server's first MID towards the client
    n.serverRandom.uniforms = {0.0};
    const ExchangeId x = n.client.SendRequest(kServer, Get("slow"), 0);
    Deliver(n.client, kClient, n.server, kServer, S(1));
    const RequestHandle h = n.server.TakeEvents().at(0).handle;

    // The empty ACK stops the client's retransmissions; it waits for the response until
    // EXCHANGE_LIFETIME after the first transmission.
    n.server.AcknowledgeEmpty(h, S(1));
    auto sent = Deliver(n.server, kServer, n.client, kClient, S(1.5));
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].bytes.size(), 4u);
    EXPECT_EQ(Decoded(sent[0]).type, Type::Acknowledgement);
    EXPECT_TRUE(n.client.TakeEvents().empty());
    EXPECT_EQ(n.client.NextTimer(), S(247));

    // The separate response is a CON with a new MID and the request's token; the client
    // ACKs it with an empty ACK and reports it.
    Message resp = Content("done");
    resp.AddUintOption(option::ContentFormat, 0);
    n.server.Respond(h, resp, S(30));
    EXPECT_EQ(n.server.NextTimer(), S(32));
    sent = Deliver(n.server, kServer, n.client, kClient, S(31));
    ASSERT_EQ(sent.size(), 1u);
    const Message con = Decoded(sent[0]);
    EXPECT_EQ(con.type, Type::Confirmable);
    EXPECT_EQ(con.messageId, 0x4000);
    auto events = n.client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::ResponseReceived);
    EXPECT_EQ(events[0].exchange, x);
    EXPECT_EQ(events[0].message.payload, (Bytes{'d', 'o', 'n', 'e'}));
    EXPECT_FALSE(n.client.NextTimer().has_value());

    sent = Deliver(n.client, kClient, n.server, kServer, S(31.5));
    ASSERT_EQ(sent.size(), 1u);
    const Message ack = Decoded(sent[0]);
    EXPECT_EQ(ack.type, Type::Acknowledgement);
    EXPECT_TRUE(ack.IsEmpty());
    EXPECT_EQ(ack.messageId, 0x4000);
    EXPECT_FALSE(n.server.NextTimer().has_value()); // ACKed: no more retransmissions
}

TEST(CoapEndpoint, SeparateResponseRetransmittedUntilAckedAndReportedOnce)
{
    Pair n;
    n.serverRandom.uniforms = {0.0}; // the separate response's initial timeout: 2 s
    n.client.SendRequest(kServer, Get("slow"), 0);
    Deliver(n.client, kClient, n.server, kServer, 0);
    const RequestHandle h = n.server.TakeEvents().at(0).handle;
    n.server.AcknowledgeEmpty(h, 0);
    Deliver(n.server, kServer, n.client, kClient, 0);
    n.server.Respond(h, Content("v"), S(10));
    Deliver(n.server, kServer, n.client, kClient, S(10));
    EXPECT_EQ(n.client.TakeEvents().size(), 1u);
    // The client's ACK is lost: the server retransmits at 12 s and 16 s.
    auto lost = Deliver(n.client, kClient, n.server, kServer, S(10),
                        [](auto&)
                        {
                            return true;
                        });
    ASSERT_EQ(lost.size(), 1u);
    n.server.OnTimer(S(12));
    auto again = Deliver(n.server, kServer, n.client, kClient, S(12));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_TRUE(again[0].retransmission);
    EXPECT_EQ(n.server.GetCounters().retransmissions, 1u);
    EXPECT_EQ(n.server.NextTimer(), S(16));
    // The duplicate is ACKed again (same bytes) and not reported twice.
    EXPECT_TRUE(n.client.TakeEvents().empty());
    EXPECT_EQ(n.client.GetCounters().duplicatesReceived, 1u);
    auto reack = Deliver(n.client, kClient, n.server, kServer, S(12));
    ASSERT_EQ(reack.size(), 1u);
    EXPECT_EQ(reack[0].bytes, lost[0].bytes);
    EXPECT_FALSE(lost[0].retransmission);
    EXPECT_TRUE(reack[0].retransmission);
    EXPECT_FALSE(n.server.NextTimer().has_value());
}

TEST(CoapEndpoint, SeparateResponseGivesUpAfterMaxRetransmit)
{
    Pair n;
    n.serverRandom.uniforms = {0.0};
    n.client.SendRequest(kServer, Get("slow"), 0);
    Deliver(n.client, kClient, n.server, kServer, 0);
    const RequestHandle h = n.server.TakeEvents().at(0).handle;
    n.server.AcknowledgeEmpty(h, 0);
    n.server.Respond(h, Content("v"), 0);
    size_t sends = n.server.TakeDatagrams().size();
    while (n.server.NextTimer())
    {
        n.server.OnTimer(*n.server.NextTimer());
        sends += n.server.TakeDatagrams().size();
    }
    EXPECT_EQ(sends, 1u + 1 + 4); // empty ACK, response, 4 retransmissions
    EXPECT_EQ(n.server.GetCounters().retransmissions, 4u);
}

TEST(CoapEndpoint, SeparateResponseOvertakingTheEmptyAck)
{
    // The empty ACK is lost; the CON response arrives while the client still retransmits:
    // it implies the ACK (RFC 7252 section 5.2.2) and ends the exchange.
    Pair n;
    n.client.SendRequest(kServer, Get("slow"), 0);
    Deliver(n.client, kClient, n.server, kServer, 0);
    const RequestHandle h = n.server.TakeEvents().at(0).handle;
    n.server.AcknowledgeEmpty(h, 0);
    n.server.Respond(h, Content("v"), S(0.5));
    auto sent = Deliver(n.server, kServer, n.client, kClient, S(0.6),
                        [](const Datagram& d)
                        {
                            return d.bytes.size() == 4;
                        });
    ASSERT_EQ(sent.size(), 2u);
    auto events = n.client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::ResponseReceived);
    EXPECT_FALSE(n.client.NextTimer().has_value());
    EXPECT_EQ(n.client.TakeDatagrams().size(), 1u); // the ACK of the separate response
}

TEST(CoapEndpoint, SeparateResponseNeverComesTimesOut)
{
    Pair n;
    n.client.SendRequest(kServer, Get("slow"), S(5));
    Deliver(n.client, kClient, n.server, kServer, S(5));
    n.server.AcknowledgeEmpty(n.server.TakeEvents().at(0).handle, S(5));
    Deliver(n.server, kServer, n.client, kClient, S(6));
    EXPECT_EQ(n.client.NextTimer(), S(5 + 247));
    n.client.OnTimer(S(5 + 247));
    auto events = n.client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::Timeout);
    EXPECT_EQ(events[0].retransmissions, 0u);
}

TEST(CoapEndpoint, NonRequestAndNonResponse)
{
    Pair n;
    const ExchangeId x = n.client.SendRequest(kServer, Get("t", Type::NonConfirmable), 0);
    EXPECT_EQ(n.client.NextTimer(), S(145)); // NON_LIFETIME: no retransmissions
    Deliver(n.client, kClient, n.server, kServer, S(1));
    auto events = n.server.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].message.type, Type::NonConfirmable);
    n.server.AcknowledgeEmpty(events[0].handle, S(1)); // no ACK for a NON
    EXPECT_TRUE(n.server.TakeDatagrams().empty());
    n.server.Respond(events[0].handle, Content("1"), S(1));
    auto sent = Deliver(n.server, kServer, n.client, kClient, S(2));
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(Decoded(sent[0]).type, Type::NonConfirmable);
    events = n.client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::ResponseReceived);
    EXPECT_EQ(events[0].exchange, x);
    EXPECT_TRUE(n.client.TakeDatagrams().empty()); // a NON response is not ACKed
    EXPECT_FALSE(n.client.NextTimer().has_value());
}

TEST(CoapEndpoint, NonRequestTimesOutAfterNonLifetime)
{
    Pair n;
    n.client.SendRequest(kServer, Get("t", Type::NonConfirmable), S(1));
    EXPECT_EQ(n.client.TakeDatagrams().size(), 1u);
    n.client.OnTimer(S(145));
    EXPECT_TRUE(n.client.TakeEvents().empty());
    n.client.OnTimer(S(146));
    auto events = n.client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::Timeout);
    EXPECT_EQ(events[0].retransmissions, 0u);
    EXPECT_TRUE(n.client.TakeDatagrams().empty());
}

// ---- duplicate detection ----

TEST(CoapEndpoint, DuplicateConGetsCachedPiggybackedResponse)
{
    Pair n;
    n.clientRandom.uniforms = {0.5};
    n.client.SendRequest(kServer, Get("t"), 0);
    Deliver(n.client, kClient, n.server, kServer, S(0.1));
    n.server.Respond(n.server.TakeEvents().at(0).handle, Content("22"), S(0.2));
    // The piggybacked ACK is lost; the client retransmits at 2.5 s.
    auto lost = Deliver(n.server, kServer, n.client, kClient, S(0.3),
                        [](auto&)
                        {
                            return true;
                        });
    n.client.OnTimer(S(2.5));
    Deliver(n.client, kClient, n.server, kServer, S(2.6));
    EXPECT_TRUE(n.server.TakeEvents().empty()); // not passed up again
    EXPECT_EQ(n.server.GetCounters().duplicatesReceived, 1u);
    auto resent = Deliver(n.server, kServer, n.client, kClient, S(2.7));
    ASSERT_EQ(resent.size(), 1u);
    EXPECT_EQ(resent[0].bytes, lost.at(0).bytes); // the cached ACK, byte for byte
    EXPECT_FALSE(lost[0].retransmission);
    EXPECT_TRUE(resent[0].retransmission);
    auto events = n.client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::ResponseReceived);
    EXPECT_EQ(events[0].retransmissions, 1u);
}

TEST(CoapEndpoint, DuplicateConBeforeAnswerIsDroppedAndAfterEmptyAckReAcked)
{
    Pair n;
    n.client.SendRequest(kServer, Get("t"), 0);
    const Bytes request = n.client.TakeDatagrams().at(0).bytes;
    n.server.Receive(kClient, request.data(), request.size(), 0);
    const RequestHandle h = n.server.TakeEvents().at(0).handle;
    // The application has not answered: a duplicate is dropped silently.
    n.server.Receive(kClient, request.data(), request.size(), S(1));
    EXPECT_TRUE(n.server.TakeDatagrams().empty());
    EXPECT_TRUE(n.server.TakeEvents().empty());
    // After an empty ACK, a duplicate gets the empty ACK again.
    n.server.AcknowledgeEmpty(h, S(2));
    const Bytes emptyAck = n.server.TakeDatagrams().at(0).bytes;
    n.server.Receive(kClient, request.data(), request.size(), S(3));
    auto resent = n.server.TakeDatagrams();
    ASSERT_EQ(resent.size(), 1u);
    EXPECT_EQ(resent[0].bytes, emptyAck);
    EXPECT_TRUE(n.server.TakeEvents().empty());
    EXPECT_EQ(n.server.GetCounters().duplicatesReceived, 2u);
    // The same MID from another peer is another request.
    n.server.Receive(kOther, request.data(), request.size(), S(3));
    EXPECT_EQ(n.server.TakeEvents().size(), 1u);
}

TEST(CoapEndpoint, DuplicateNonIsIgnored)
{
    Pair n;
    n.client.SendRequest(kServer, Get("t", Type::NonConfirmable), 0);
    const Bytes request = n.client.TakeDatagrams().at(0).bytes;
    n.server.Receive(kClient, request.data(), request.size(), 0);
    n.server.Respond(n.server.TakeEvents().at(0).handle, Content("x"), 0);
    n.server.TakeDatagrams();
    n.server.Receive(kClient, request.data(), request.size(), S(1));
    EXPECT_TRUE(n.server.TakeEvents().empty());
    EXPECT_TRUE(n.server.TakeDatagrams().empty());
    EXPECT_EQ(n.server.GetCounters().duplicatesReceived, 1u);
}

TEST(CoapEndpoint, DuplicateDetectionExpires)
{
    // A CON is remembered for EXCHANGE_LIFETIME (247 s), a NON for NON_LIFETIME (145 s).
    ScriptedRandom random;
    Endpoint server(TransmissionParameters(), random);
    Message con = Get("t");
    con.messageId = 0x1111;
    con.token = {1};
    Message non = Get("t", Type::NonConfirmable);
    non.messageId = 0x2222;
    non.token = {2};
    const TimeNs t0 = S(1000);
    Inject(server, kClient, con, t0);
    Inject(server, kClient, non, t0);
    EXPECT_EQ(server.TakeEvents().size(), 2u);

    Inject(server, kClient, non, t0 + S(145) - 1);
    Inject(server, kClient, con, t0 + S(247) - 1);
    EXPECT_TRUE(server.TakeEvents().empty());
    EXPECT_EQ(server.GetCounters().duplicatesReceived, 2u);

    Inject(server, kClient, non, t0 + S(247) - 1); // NON entry already expired
    auto events = server.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].message.messageId, 0x2222);

    Inject(server, kClient, con, t0 + S(247));
    events = server.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].message.messageId, 0x1111);
}

TEST(CoapEndpoint, DuplicateCacheExpiresManyEntries)
{
    // Entries from many peers expire in insertion order; a late duplicate from each is new.
    ScriptedRandom random;
    Endpoint server(TransmissionParameters(), random);
    const int peers = 2000;
    for (int i = 0; i < peers; ++i)
    {
        Message m = Get("t", i % 2 ? Type::NonConfirmable : Type::Confirmable);
        m.messageId = static_cast<uint16_t>(i);
        Inject(server, MakePeerId(0x0a100000 + i, 5683), m, S(i * 0.01));
    }
    EXPECT_EQ(server.TakeEvents().size(), static_cast<size_t>(peers));
    for (int i = 0; i < peers; ++i)
    {
        Message m = Get("t", i % 2 ? Type::NonConfirmable : Type::Confirmable);
        m.messageId = static_cast<uint16_t>(i);
        Inject(server, MakePeerId(0x0a100000 + i, 5683), m, S(300 + i * 0.01));
    }
    EXPECT_EQ(server.TakeEvents().size(), static_cast<size_t>(peers));
    EXPECT_EQ(server.GetCounters().duplicatesReceived, 0u);
}

// ---- RST, garbage and unmatched messages ----

TEST(CoapEndpoint, ResetEndsTheExchange)
{
    Pair n;
    n.clientRandom.ints = {0x0100};
    const ExchangeId x = n.client.SendRequest(kServer, Get("t"), 0);
    n.client.TakeDatagrams();
    Message rst;
    rst.type = Type::Reset;
    rst.messageId = 0x0100;
    Inject(n.client, kServer, rst, S(1));
    auto events = n.client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::Reset);
    EXPECT_EQ(events[0].exchange, x);
    EXPECT_FALSE(n.client.NextTimer().has_value());
    EXPECT_EQ(n.client.GetCounters().resetsReceived, 1u);
    // A second RST matches nothing.
    Inject(n.client, kServer, rst, S(2));
    EXPECT_TRUE(n.client.TakeEvents().empty());
    EXPECT_EQ(n.client.GetCounters().unmatchedReceived, 1u);
}

TEST(CoapEndpoint, ResetFromAnotherPeerDoesNotMatch)
{
    Pair n;
    n.clientRandom.ints = {0x0100};
    n.client.SendRequest(kServer, Get("t"), 0);
    Message rst;
    rst.type = Type::Reset;
    rst.messageId = 0x0100;
    Inject(n.client, kOther, rst, S(1));
    EXPECT_TRUE(n.client.TakeEvents().empty());
    EXPECT_TRUE(n.client.NextTimer().has_value());
}

TEST(CoapEndpoint, ResetStopsSeparateResponse)
{
    Pair n;
    n.client.SendRequest(kServer, Get("t"), 0);
    Deliver(n.client, kClient, n.server, kServer, 0);
    const RequestHandle h = n.server.TakeEvents().at(0).handle;
    n.server.AcknowledgeEmpty(h, 0);
    n.server.Respond(h, Content("x"), 0);
    auto sent = n.server.TakeDatagrams();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_TRUE(n.server.NextTimer().has_value());
    Message rst;
    rst.type = Type::Reset;
    rst.messageId = Decoded(sent[1]).messageId;
    Inject(n.server, kClient, rst, S(1));
    EXPECT_FALSE(n.server.NextTimer().has_value());
}

TEST(CoapEndpoint, ResetToNonRequest)
{
    Pair n;
    n.clientRandom.ints = {0x0200};
    n.client.SendRequest(kServer, Get("t", Type::NonConfirmable), 0);
    Message rst;
    rst.type = Type::Reset;
    rst.messageId = 0x0200;
    Inject(n.client, kServer, rst, S(1));
    auto events = n.client.TakeEvents();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Event::Kind::Reset);
}

TEST(CoapEndpoint, PingIsAnsweredWithReset)
{
    ScriptedRandom random;
    Endpoint ep(TransmissionParameters(), random);
    const Bytes ping = {0x40, 0x00, 0xab, 0xcd};
    ep.Receive(kClient, ping.data(), ping.size(), 0);
    auto sent = ep.TakeDatagrams();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].peer, kClient);
    EXPECT_EQ(sent[0].bytes, (Bytes{0x70, 0x00, 0xab, 0xcd}));
    EXPECT_TRUE(ep.TakeEvents().empty());
}

TEST(CoapEndpoint, UnmatchedConResponseGetsReset)
{
    ScriptedRandom random;
    Endpoint ep(TransmissionParameters(), random);
    Message resp = Content("stray");
    resp.type = Type::Confirmable;
    resp.messageId = 0x3333;
    resp.token = {9, 9};
    Inject(ep, kServer, resp, 0);
    auto sent = ep.TakeDatagrams();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].bytes, (Bytes{0x70, 0x00, 0x33, 0x33}));
    EXPECT_EQ(ep.GetCounters().resetsSent, 1u);
    EXPECT_EQ(ep.GetCounters().unmatchedReceived, 1u);

    // An unmatched NON response and an unmatched ACK are ignored.
    resp.type = Type::NonConfirmable;
    Inject(ep, kServer, resp, 0);
    resp.type = Type::Acknowledgement;
    Inject(ep, kServer, resp, 0);
    EXPECT_TRUE(ep.TakeDatagrams().empty());
    EXPECT_TRUE(ep.TakeEvents().empty());
    EXPECT_EQ(ep.GetCounters().unmatchedReceived, 3u);
}

TEST(CoapEndpoint, PiggybackedResponseWithWrongTokenIsIgnored)
{
    Pair n;
    n.clientRandom.ints = {0x0500, 0x01020304};
    n.client.SendRequest(kServer, Get("t"), 0);
    n.client.TakeDatagrams();
    Message ack = Content("x");
    ack.type = Type::Acknowledgement;
    ack.messageId = 0x0500;
    ack.token = {1, 2, 3, 5};
    Inject(n.client, kServer, ack, S(1));
    EXPECT_TRUE(n.client.TakeEvents().empty());
    EXPECT_EQ(n.client.GetCounters().unmatchedReceived, 1u);
    ack.token = {1, 2, 3, 4};
    Inject(n.client, kServer, ack, S(1));
    EXPECT_EQ(n.client.TakeEvents().size(), 1u);
}

TEST(CoapEndpoint, MalformedConIsResetAndOtherGarbageDropped)
{
    ScriptedRandom random;
    Endpoint ep(TransmissionParameters(), random);
    auto receive = [&](const Bytes& b)
    {
        ep.Receive(kClient, b.data(), b.size(), 0);
    };

    receive({0x40, 0x01, 0x12, 0x34, 0xff}); // CON, payload marker without payload
    auto sent = ep.TakeDatagrams();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].bytes, (Bytes{0x70, 0x00, 0x12, 0x34}));

    receive({0x50, 0x01, 0x12, 0x35, 0xff}); // the same fault in a NON
    receive({0x80, 0x01, 0x12, 0x36});       // version 2: the header itself is unusable
    receive({0x49, 0x01, 0x12, 0x37});       // TKL 9
    receive({0x40, 0x01});                   // too short
    receive({});
    EXPECT_TRUE(ep.TakeDatagrams().empty());
    EXPECT_TRUE(ep.TakeEvents().empty());
    EXPECT_EQ(ep.GetCounters().malformedReceived, 6u);
    EXPECT_EQ(ep.GetCounters().resetsSent, 1u);
    EXPECT_EQ(ep.GetCounters().datagramsReceived, 6u);

    // Well formed but meaningless (RFC 7252 section 4.2/4.3): a CON with a reserved code
    // class is rejected, an empty NON and a non-empty RST are ignored.
    receive({0x40, 0xc0, 0x00, 0x01}); // CON 6.00
    receive({0x50, 0x00, 0x00, 0x02}); // empty NON
    receive({0x70, 0x45, 0x00, 0x03}); // RST carrying 2.05
    sent = ep.TakeDatagrams();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].bytes, (Bytes{0x70, 0x00, 0x00, 0x01}));
    EXPECT_TRUE(ep.TakeEvents().empty());
}

TEST(CoapEndpoint, FuzzedDatagramsNeverBreakTheEndpoint)
{
    // Random and mutated datagrams against a busy endpoint: no crash, counters consistent.
    SeededRandom random(1);
    Endpoint ep(TransmissionParameters(), random);
    std::mt19937 rng(3);
    for (int i = 0; i < 20; ++i)
    {
        ep.SendRequest(kServer, Get("x"), 0);
    }
    Bytes valid = Encode(Content("ok"));
    for (int i = 0; i < 20000; ++i)
    {
        Bytes b = valid;
        b[0] = static_cast<uint8_t>(0x40 | (rng() & 0x3f));
        for (int k = 0; k < 3; ++k)
        {
            b[rng() % b.size()] = static_cast<uint8_t>(rng());
        }
        b.resize(rng() % (b.size() + 1));
        ep.Receive(i % 3 ? kServer : kOther, b.data(), b.size(), S(i * 0.001));
        if (auto t = ep.NextTimer(); t && *t <= S(i * 0.001))
        {
            ep.OnTimer(S(i * 0.001));
        }
    }
    EXPECT_EQ(ep.GetCounters().datagramsReceived, 20000u);
}

// ---- NSTART, message IDs and tokens ----

TEST(CoapEndpoint, NstartQueuesRequestsPerPeer)
{
    Pair n; // NSTART = 1
    n.clientRandom.ints = {0x1000};
    const ExchangeId a = n.client.SendRequest(kServer, Get("a"), 0);
    const ExchangeId b = n.client.SendRequest(kServer, Get("b"), 0);
    const ExchangeId c = n.client.SendRequest(kServer, Get("c"), 0);
    const ExchangeId other = n.client.SendRequest(kOther, Get("o"), 0);
    auto sent = n.client.TakeDatagrams();
    ASSERT_EQ(sent.size(), 2u); // a to the server, and the request to the other peer
    EXPECT_EQ(sent[0].peer, kServer);
    EXPECT_EQ(Decoded(sent[0]).GetUriPath(), "a");
    EXPECT_EQ(sent[1].peer, kOther);
    // Queued requests already have their MID and token.
    EXPECT_EQ(n.client.GetMessageId(a), 0x1000);
    EXPECT_EQ(n.client.GetMessageId(b), 0x1001);
    EXPECT_EQ(n.client.GetMessageId(c), 0x1002);
    EXPECT_EQ(n.client.GetToken(c).size(), 4u);
    (void) other;

    // a's piggybacked response frees the slot: b goes out in the same Receive call.
    n.server.Receive(kClient, sent[0].bytes.data(), sent[0].bytes.size(), S(1));
    n.server.Respond(n.server.TakeEvents().at(0).handle, Content("A"), S(1));
    Deliver(n.server, kServer, n.client, kClient, S(1));
    EXPECT_EQ(n.client.TakeEvents().at(0).exchange, a);
    sent = n.client.TakeDatagrams();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(Decoded(sent[0]).GetUriPath(), "b");

    // b gets an empty ACK: acknowledged, so no longer outstanding; c goes out.
    n.server.Receive(kClient, sent[0].bytes.data(), sent[0].bytes.size(), S(2));
    n.server.AcknowledgeEmpty(n.server.TakeEvents().at(0).handle, S(2));
    Deliver(n.server, kServer, n.client, kClient, S(2));
    sent = n.client.TakeDatagrams();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(Decoded(sent[0]).GetUriPath(), "c");

    // c times out; nothing is left to send to the server.
    while (n.client.NextTimer() && *n.client.NextTimer() < S(100))
    {
        n.client.OnTimer(*n.client.NextTimer());
    }
    n.client.TakeDatagrams();
    bool cTimedOut = false;
    for (const auto& e : n.client.TakeEvents())
    {
        cTimedOut |= (e.exchange == c && e.kind == Event::Kind::Timeout);
    }
    EXPECT_TRUE(cTimedOut);
}

TEST(CoapEndpoint, NstartTwoAndTimeoutReleasesSlot)
{
    TransmissionParameters p;
    p.nstart = 2;
    p.maxRetransmit = 0;
    Pair n(p);
    n.clientRandom.fallbackUniform = 0.0;
    for (int i = 0; i < 5; ++i)
    {
        n.client.SendRequest(kServer, Get("r" + std::to_string(i)), 0);
    }
    EXPECT_EQ(n.client.TakeDatagrams().size(), 2u);
    n.client.OnTimer(S(2)); // both time out; the next two start
    EXPECT_EQ(n.client.TakeEvents().size(), 2u);
    auto sent = n.client.TakeDatagrams();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(Decoded(sent[0]).GetUriPath(), "r2");
    EXPECT_EQ(Decoded(sent[1]).GetUriPath(), "r3");
    EXPECT_EQ(n.client.NextTimer(), S(4));
}

TEST(CoapEndpoint, NonRequestsAreNotQueuedBehindNstart)
{
    Pair n;
    n.client.SendRequest(kServer, Get("con"), 0);
    n.client.SendRequest(kServer, Get("non", Type::NonConfirmable), 0);
    EXPECT_EQ(n.client.TakeDatagrams().size(), 2u);
}

TEST(CoapEndpoint, MessageIdsStartRandomAndIncrementPerPeer)
{
    TransmissionParameters p;
    p.nstart = 100;
    Pair n(p);
    n.clientRandom.ints = {0xfffe /* MID, server */, 1, 2, 3, 0x0042 /* MID, other */, 4};
    EXPECT_EQ(n.client.GetMessageId(n.client.SendRequest(kServer, Get("a"), 0)), 0xfffe);
    EXPECT_EQ(n.client.GetMessageId(n.client.SendRequest(kServer, Get("a"), 0)), 0xffff);
    EXPECT_EQ(n.client.GetMessageId(n.client.SendRequest(kServer, Get("a"), 0)), 0x0000);
    EXPECT_EQ(n.client.GetMessageId(n.client.SendRequest(kOther, Get("a"), 0)), 0x0042);
}

TEST(CoapEndpoint, TokensAreUniqueAmongExchangesInProgress)
{
    TransmissionParameters p;
    p.nstart = 1000;
    Pair n(p);
    // A source that keeps returning the same value: tokens must still differ.
    n.clientRandom.ints = {0x100};
    for (int i = 0; i < 50; ++i)
    {
        n.clientRandom.ints.push_back(0xabcdef01);
    }
    std::set<Bytes> tokens;
    for (int i = 0; i < 300; ++i)
    {
        const ExchangeId x = n.client.SendRequest(i % 2 ? kServer : kOther, Get("t"), 0);
        EXPECT_EQ(n.client.GetToken(x).size(), 4u);
        EXPECT_TRUE(tokens.insert(n.client.GetToken(x)).second) << "exchange " << i;
    }
    for (const auto& d : n.client.TakeDatagrams())
    {
        EXPECT_EQ(Decoded(d).token.size(), 4u);
    }
}

TEST(CoapEndpoint, CallerTokenKeptAndCollisionsRefused)
{
    Pair n;
    Message m = Get("t");
    m.token = {0x11, 0x22};
    const ExchangeId x = n.client.SendRequest(kServer, m, 0);
    EXPECT_EQ(n.client.GetToken(x), (Bytes{0x11, 0x22}));
    EXPECT_EQ(Decoded(n.client.TakeDatagrams().at(0)).token, (Bytes{0x11, 0x22}));
    EXPECT_THROW(n.client.SendRequest(kServer, m, 0), std::invalid_argument);
    EXPECT_NO_THROW(n.client.SendRequest(kOther, m, 0)); // another peer: no ambiguity

    Message ack = Get("t");
    ack.type = Type::Acknowledgement;
    EXPECT_THROW(n.client.SendRequest(kServer, ack, 0), std::invalid_argument);
    Message longToken = Get("t");
    longToken.token = Bytes(9, 1);
    EXPECT_THROW(n.client.SendRequest(kServer, longToken, 0), std::invalid_argument);
    EXPECT_THROW(n.server.Respond(12345, Content("x"), 0), std::invalid_argument);
}

// ---- a lossy link, end to end ----

struct RunLog
{
    std::vector<std::pair<TimeNs, Bytes>> wire;
    std::map<ExchangeId, Event::Kind> outcomes;
    size_t requestsSeen = 0;
    EndpointCounters server;
    uint64_t clientRetransmissions = 0;
    uint64_t clientDuplicates = 0;
};

/// Many clients and one server over a link that loses each datagram with probability
/// loss and delays it by 50-500 ms. Returns everything that crossed the link.
RunLog
RunLossyScenario(uint64_t seed, double loss, int clients, int requestsPerClient)
{
    RunLog log;
    TransmissionParameters p;
    SeededRandom serverRandom(seed);
    Endpoint server(p, serverRandom);
    std::vector<std::unique_ptr<SeededRandom>> randoms;
    std::vector<std::unique_ptr<Endpoint>> eps;
    for (int c = 0; c < clients; ++c)
    {
        randoms.push_back(std::make_unique<SeededRandom>(seed * 1000 + c));
        eps.push_back(std::make_unique<Endpoint>(p, *randoms.back()));
    }
    auto idOf = [](int c)
    {
        return MakePeerId(0x0a200000 + c, 5683);
    };
    std::mt19937_64 link(seed);
    // In-flight datagrams: (arrival, sequence) -> (to, from, bytes); to == -1 is the server.
    std::map<std::pair<TimeNs, uint64_t>, std::tuple<int, PeerId, Bytes>> flight;
    uint64_t seq = 0;
    auto transmit = [&](int fromIndex, PeerId fromId, std::vector<Datagram> ds, TimeNs now)
    {
        for (auto& d : ds)
        {
            log.wire.emplace_back(now, d.bytes);
            if (std::uniform_real_distribution<double>(0, 1)(link) < loss)
            {
                continue;
            }
            const TimeNs delay
                = S(0.05 + 0.45 * std::uniform_real_distribution<double>(0, 1)(link));
            const int to = fromIndex < 0 ? static_cast<int>((d.peer >> 16) - 0x0a200000) : -1;
            flight.emplace(std::make_pair(now + delay, seq++),
                           std::make_tuple(to, fromId, std::move(d.bytes)));
        }
    };
    std::set<RequestHandle> handled;
    int sentRequests = 0;
    for (int r = 0; r < requestsPerClient; ++r)
    {
        for (int c = 0; c < clients; ++c)
        {
            const TimeNs t = S(r * 60.0 + c * 0.01);
            eps[c]->SendRequest(
                kServer, Get("m", (c + r) % 3 ? Type::Confirmable : Type::NonConfirmable), t);
            transmit(c, idOf(c), eps[c]->TakeDatagrams(), t);
            ++sentRequests;
        }
    }
    // Event loop: the earliest of link arrivals and endpoint timers.
    while (true)
    {
        TimeNs next = INT64_MAX;
        if (!flight.empty())
        {
            next = flight.begin()->first.first;
        }
        for (auto& ep : eps)
        {
            if (ep->NextTimer())
            {
                next = std::min(next, *ep->NextTimer());
            }
        }
        if (server.NextTimer())
        {
            next = std::min(next, *server.NextTimer());
        }
        if (next == INT64_MAX)
        {
            break;
        }
        while (!flight.empty() && flight.begin()->first.first == next)
        {
            auto [to, from, bytes] = std::move(flight.begin()->second);
            flight.erase(flight.begin());
            Endpoint& dst = to < 0 ? server : *eps[to];
            dst.Receive(from, bytes.data(), bytes.size(), next);
        }
        for (auto& ep : eps)
        {
            if (ep->NextTimer() && *ep->NextTimer() <= next)
            {
                ep->OnTimer(next);
            }
        }
        if (server.NextTimer() && *server.NextTimer() <= next)
        {
            server.OnTimer(next);
        }
        for (const auto& e : server.TakeEvents())
        {
            EXPECT_EQ(e.kind, Event::Kind::RequestReceived);
            EXPECT_TRUE(handled.insert(e.handle).second);
            ++log.requestsSeen;
            // Every third request gets a separate response.
            if (e.handle % 3 == 0)
            {
                server.AcknowledgeEmpty(e.handle, next);
            }
            server.Respond(e.handle, Content("v"), next);
        }
        transmit(-1, kServer, server.TakeDatagrams(), next);
        for (int c = 0; c < clients; ++c)
        {
            for (const auto& e : eps[c]->TakeEvents())
            {
                EXPECT_NE(e.kind, Event::Kind::RequestReceived);
                // Exactly one final event per exchange.
                EXPECT_TRUE(log.outcomes.emplace(e.exchange * 1000 + c, e.kind).second);
            }
            transmit(c, idOf(c), eps[c]->TakeDatagrams(), next);
        }
    }
    EXPECT_EQ(log.outcomes.size(), static_cast<size_t>(sentRequests));
    log.server = server.GetCounters();
    for (const auto& ep : eps)
    {
        log.clientRetransmissions += ep->GetCounters().retransmissions;
        log.clientDuplicates += ep->GetCounters().duplicatesReceived;
    }
    return log;
}

TEST(CoapEndpoint, LossyLinkEveryExchangeEndsOnceAndRunsAreDeterministic)
{
    const RunLog a = RunLossyScenario(42, 0.2, 30, 5);
    size_t responses = 0;
    for (const auto& [id, kind] : a.outcomes)
    {
        EXPECT_TRUE(kind == Event::Kind::ResponseReceived || kind == Event::Kind::Timeout);
        responses += kind == Event::Kind::ResponseReceived;
    }
    EXPECT_GT(responses, a.outcomes.size() / 2);
    EXPECT_LE(a.requestsSeen, a.outcomes.size()); // no request passed up twice
    // The loss exercised every recovery path.
    EXPECT_GT(a.clientRetransmissions, 0u);
    EXPECT_GT(a.server.retransmissions, 0u); // separate responses
    EXPECT_GT(a.server.duplicatesReceived, 0u);
    EXPECT_GT(a.clientDuplicates, 0u);

    const RunLog b = RunLossyScenario(42, 0.2, 30, 5);
    EXPECT_EQ(a.wire, b.wire); // same seeds: byte-identical traffic at identical times
    EXPECT_EQ(a.outcomes, b.outcomes);

    const RunLog lossless = RunLossyScenario(7, 0.0, 20, 3);
    for (const auto& [id, kind] : lossless.outcomes)
    {
        EXPECT_EQ(kind, Event::Kind::ResponseReceived);
    }
}

} // namespace
