/*
 * The CoAP message and request/response layers (RFC 7252 sections 4 and 5) as a sans-I/O
 * state machine. See coap-endpoint.h for the behaviour; this file explains the choices.
 *
 * Scale. One server endpoint in the simulator talks to tens of thousands of devices, so every
 * operation is O(1) or O(log n) in the number of peers and exchanges, and nothing ever
 * iterates over all peers or all exchanges:
 *   - exchanges are found through hash indexes: (peer, message ID) for ACK/RST matching and
 *     (peer, token) for response matching;
 *   - timers live in one std::multimap ordered by deadline. Each owner keeps the iterator of
 *     its entry, so cancelling is an O(log n) erase and NextTimer() is begin(); entries with
 *     equal deadlines fire in the order they were armed, which keeps runs deterministic;
 *   - the duplicate-detection cache expires through two FIFOs in insertion order (one per
 *     lifetime: EXCHANGE_LIFETIME for CON, NON_LIFETIME for NON). Lifetimes are constant, so
 *     each FIFO is sorted by expiry and purging pops from the front: O(1) amortized. The
 *     purge runs at the start of every Receive() and OnTimer(); the cache needs no timer of
 *     its own because an entry only matters when a datagram arrives.
 *   - no unordered container is ever iterated, so hash order cannot leak into the output.
 *
 * Message IDs are kept per peer (RFC 7252 section 4.4 only requires uniqueness towards one
 * endpoint within EXCHANGE_LIFETIME). A single counter shared by all peers would wrap after
 * 65536 messages, which a busy server can send within one EXCHANGE_LIFETIME; a device could
 * then mistake a new message for a duplicate. Each peer's counter starts at a random value;
 * the endpoint keeps that small per-peer state (MID counter, NSTART count) for every peer it
 * has addressed, which is bounded by the number of devices.
 *
 * NSTART counts CON requests whose ACK (empty or piggybacked), RST or timeout has not yet
 * arrived, as TransmissionParameters::nstart documents. An empty ACK releases the slot
 * (RFC 7252 section 4.7: the interaction is no longer outstanding once acknowledged) even
 * though the exchange keeps waiting for the separate response. NON requests are sent at once.
 *
 * Observe (RFC 7641). A client exchange that became an observation keeps only its token
 * index: its (peer, MID) entry is dropped, so a late duplicate of the first (piggybacked)
 * response counts as unmatched like any completed exchange's. It holds no timer: an
 * observation lasts until a notification ends it or the application cancels it (RFC 7641
 * leaves re-registration after Max-Age to the application). On the server, the endpoint keeps
 * per observer only what a reply can refer to: the CON notification in flight (reusing the
 * separate-response machinery for its retransmission) and the message IDs of the last
 * kNonMidsKept NON notifications, so that an RST to one of them can be traced to the observer
 * in O(1) without keeping every notification for NON_LIFETIME. An RST to an older NON
 * notification is unmatched; the observer's next CON notification, which RFC 7641 section 4.5
 * requires from time to time, then draws the RST that removes it.
 *
 * Randomness is drawn in a fixed order: Uint32() for a peer's first message ID when a peer
 * is first addressed, Uint32() for each generated token, Uniform01() for each initial CON
 * retransmission timeout (requests and separate responses).
 */

#include "coap-endpoint.h"

#include "coap-codec.h"
#include "coap-observe.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace lpwan
{
namespace coap
{

namespace
{

/// splitmix64's finaliser: a cheap, well-mixing hash for integer keys.
inline uint64_t
Mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/// A message we sent or received, named by its peer and message ID.
struct PeerMid
{
    PeerId peer;
    uint16_t mid;

    bool operator==(const PeerMid& o) const
    {
        return peer == o.peer && mid == o.mid;
    }
};

struct PeerMidHash
{
    size_t operator()(const PeerMid& k) const
    {
        return static_cast<size_t>(Mix(Mix(k.peer) ^ k.mid));
    }
};

/// A token of 0-8 bytes packed into an integer, so that keys need no allocation.
struct TokenKey
{
    uint64_t bits = 0;
    uint8_t length = 0;

    bool operator==(const TokenKey& o) const
    {
        return bits == o.bits && length == o.length;
    }
};

TokenKey
MakeTokenKey(const std::vector<uint8_t>& token)
{
    TokenKey k;
    for (uint8_t b : token)
    {
        k.bits = (k.bits << 8) | b;
    }
    k.length = static_cast<uint8_t>(token.size());
    return k;
}

struct TokenKeyHash
{
    size_t operator()(const TokenKey& k) const
    {
        return static_cast<size_t>(Mix(k.bits ^ (static_cast<uint64_t>(k.length) << 59)));
    }
};

struct PeerToken
{
    PeerId peer;
    TokenKey token;

    bool operator==(const PeerToken& o) const
    {
        return peer == o.peer && token == o.token;
    }
};

struct PeerTokenHash
{
    size_t operator()(const PeerToken& k) const
    {
        return static_cast<size_t>(Mix(Mix(k.peer) ^ TokenKeyHash()(k.token)));
    }
};

} // namespace

struct Endpoint::Impl
{
    enum class TimerKind : uint8_t
    {
        Exchange,         ///< a client exchange: retransmission or response deadline
        SeparateResponse, ///< a server's CON separate response awaiting its ACK
    };

    struct TimerOwner
    {
        TimerKind kind;
        uint64_t id;
    };

    using TimerMap = std::multimap<TimeNs, TimerOwner>;

    enum class ExchangeState : uint8_t
    {
        Queued,           ///< waiting for an NSTART slot; not sent yet
        AwaitingAck,      ///< CON sent, retransmitting until ACK/RST/response
        AwaitingResponse, ///< empty ACK received (CON) or NON sent: waiting for the response
        Observing,        ///< an Observe relationship: notifications keep coming, no timer
    };

    /// A request sent by SendRequest, from queueing until its final event.
    struct Exchange
    {
        PeerId peer = 0;
        Type type = Type::Confirmable;
        std::vector<uint8_t> token;
        uint16_t mid = 0;
        std::vector<uint8_t> bytes; ///< encoded request, for retransmission
        ExchangeState state = ExchangeState::Queued;
        uint32_t retransmissions = 0;
        TimeNs timeout = 0;     ///< current retransmission timeout (doubles each time)
        TimeNs firstSent = 0;   ///< time of the first transmission
        bool holdsSlot = false; ///< counts against NSTART for its peer
        bool timerArmed = false;
        TimerMap::iterator timer;
        bool observeRequested = false; ///< the request carried Observe = 0
        uint32_t lastObserve = 0;      ///< Observing: sequence number of the last notification
        TimeNs lastNotification = 0;   ///< Observing: when it was received
    };

    /// A CON separate response the server retransmits until the client ACKs it.
    struct SeparateResponse
    {
        PeerId peer = 0;
        uint16_t mid = 0;
        std::vector<uint8_t> bytes;
        uint32_t retransmissions = 0;
        TimeNs timeout = 0;
        TimerMap::iterator timer;
        bool notification = false; ///< an Observe notification: its observer is (peer, token)
        TokenKey token;
    };

    /// How many recent NON notifications per observer an RST can still be traced to.
    static constexpr size_t kNonMidsKept = 4;

    /// Server side: an observer the application has sent notifications to.
    struct Observer
    {
        uint64_t inFlight = 0; ///< the CON notification being retransmitted (0: none)
        /// The newest notification, waiting for inFlight to be ACKed or retransmitted.
        std::optional<Message> next;
        std::array<uint16_t, kNonMidsKept> nonMids{}; ///< ring of recent NON notification MIDs
        uint8_t nonCount = 0;
        uint8_t nonNext = 0;
    };

    /// A request passed up by RequestReceived and not answered yet.
    struct PendingRequest
    {
        PeerId peer = 0;
        uint16_t mid = 0;
        Type type = Type::Confirmable;
        std::vector<uint8_t> token;
        bool acked = false; ///< an empty ACK has been sent: the response will be separate
    };

    /// A message received recently, for duplicate detection (RFC 7252 section 4.5).
    struct DedupEntry
    {
        TimeNs expiry = 0;
        /// What to send again when a duplicate CON arrives: the piggybacked response or the
        /// empty ACK; empty while the application has not answered (the duplicate is dropped).
        std::vector<uint8_t> reply;
        /// The request this entry belongs to (0 for a response): Respond() must not touch a
        /// newer entry that reused the key after this one expired.
        RequestHandle handle = 0;
    };

    struct PeerState
    {
        uint16_t nextMid = 0;
        uint32_t outstanding = 0; ///< CON requests holding an NSTART slot
    };

    Impl(Endpoint& owner, RandomSource& random)
      : m_params(owner.m_params)
      , m_counters(owner.m_counters)
      , m_random(random)
      , m_exchangeLifetime(lpwan::SecondsToNs(m_params.ExchangeLifetimeS()))
      , m_nonLifetime(lpwan::SecondsToNs(m_params.NonLifetimeS()))
    {
    }

    const TransmissionParameters& m_params;
    EndpointCounters& m_counters;
    RandomSource& m_random;
    const TimeNs m_exchangeLifetime;
    const TimeNs m_nonLifetime;

    ExchangeId m_lastExchange = 0;
    RequestHandle m_lastHandle = 0;
    uint64_t m_lastSeparate = 0;

    std::unordered_map<PeerId, PeerState> m_peers;
    std::unordered_map<PeerId, std::deque<ExchangeId>> m_queues; ///< only peers with a queue

    std::unordered_map<ExchangeId, Exchange> m_exchanges;
    std::unordered_map<PeerMid, ExchangeId, PeerMidHash> m_exchangeByMid;
    std::unordered_map<PeerToken, ExchangeId, PeerTokenHash> m_exchangeByToken;
    std::unordered_map<TokenKey, uint32_t, TokenKeyHash> m_tokensInUse; ///< across all peers

    std::unordered_map<uint64_t, SeparateResponse> m_separates;
    std::unordered_map<PeerMid, uint64_t, PeerMidHash> m_separateByMid;

    std::unordered_map<RequestHandle, PendingRequest> m_pending;

    std::unordered_map<PeerToken, Observer, PeerTokenHash> m_observers;
    std::unordered_map<PeerMid, PeerToken, PeerMidHash> m_observerByNonMid;

    std::unordered_map<PeerMid, DedupEntry, PeerMidHash> m_dedup;
    std::deque<std::pair<TimeNs, PeerMid>> m_dedupFifoCon;
    std::deque<std::pair<TimeNs, PeerMid>> m_dedupFifoNon;

    TimerMap m_timers;
    std::vector<Datagram> m_datagrams;
    std::vector<Event> m_events;

    // ---- plumbing ----

    PeerState& Peer(PeerId peer)
    {
        auto it = m_peers.find(peer);
        if (it == m_peers.end())
        {
            PeerState st;
            st.nextMid = static_cast<uint16_t>(m_random.Uint32());
            it = m_peers.emplace(peer, st).first;
        }
        return it->second;
    }

    uint16_t NextMid(PeerId peer)
    {
        return Peer(peer).nextMid++;
    }

    /// Queues a datagram; retransmission marks a repeat of one sent before (a CON resent on
    /// timeout, or a cached reply resent for a duplicate), which drivers count apart.
    void Send(PeerId peer, std::vector<uint8_t> bytes, bool retransmission = false)
    {
        ++m_counters.datagramsSent;
        Datagram d;
        d.peer = peer;
        d.bytes = std::move(bytes);
        d.retransmission = retransmission;
        m_datagrams.push_back(std::move(d));
    }

    static std::vector<uint8_t> EmptyMessage(Type type, uint16_t mid)
    {
        Message m;
        m.type = type;
        m.code = code::Empty;
        m.messageId = mid;
        return Encode(m);
    }

    void SendReset(PeerId peer, uint16_t mid)
    {
        ++m_counters.resetsSent;
        Send(peer, EmptyMessage(Type::Reset, mid));
    }

    /// Uniform in [ACK_TIMEOUT, ACK_TIMEOUT * ACK_RANDOM_FACTOR] (RFC 7252 section 4.2).
    TimeNs InitialTimeout()
    {
        double u = m_random.Uniform01();
        u = u < 0.0 ? 0.0 : (u > 1.0 ? 1.0 : u); // a misbehaving source cannot break the bound
        return lpwan::SecondsToNs(m_params.ackTimeoutS
                                  * (1.0 + u * (m_params.ackRandomFactor - 1.0)));
    }

    TimerMap::iterator Arm(TimeNs deadline, TimerKind kind, uint64_t id)
    {
        return m_timers.emplace(deadline, TimerOwner{kind, id});
    }

    DedupEntry& AddDedup(const PeerMid& key, Type type, TimeNs now, std::vector<uint8_t> reply)
    {
        const bool con = type == Type::Confirmable;
        DedupEntry e;
        e.expiry = now + (con ? m_exchangeLifetime : m_nonLifetime);
        e.reply = std::move(reply);
        (con ? m_dedupFifoCon : m_dedupFifoNon).emplace_back(e.expiry, key);
        DedupEntry& stored = m_dedup[key];
        stored = std::move(e);
        return stored;
    }

    void PurgeFifo(std::deque<std::pair<TimeNs, PeerMid>>& fifo, TimeNs now)
    {
        while (!fifo.empty() && fifo.front().first <= now)
        {
            auto it = m_dedup.find(fifo.front().second);
            // The expiry check guards against erasing a newer entry for the same key.
            if (it != m_dedup.end() && it->second.expiry == fifo.front().first)
            {
                m_dedup.erase(it);
            }
            fifo.pop_front();
        }
    }

    void PurgeDedup(TimeNs now)
    {
        PurgeFifo(m_dedupFifoCon, now);
        PurgeFifo(m_dedupFifoNon, now);
    }

    // ---- client side ----

    std::vector<uint8_t> NewToken()
    {
        // 4 random bytes (RFC 7252 section 5.3.1 asks for enough randomness to resist
        // spoofing); redrawn while the value is in use by any exchange in progress. A
        // scripted source that keeps repeating itself falls back to counting upwards, so
        // the loop always ends.
        uint32_t v = m_random.Uint32();
        for (int attempt = 0;; ++attempt)
        {
            std::vector<uint8_t> token
                = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                   static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
            if (m_tokensInUse.find(MakeTokenKey(token)) == m_tokensInUse.end())
            {
                return token;
            }
            v = attempt < 16 ? m_random.Uint32() : v + 1;
        }
    }

    ExchangeId SendRequest(PeerId peer, Message request, TimeNs now)
    {
        if (request.type != Type::Confirmable && request.type != Type::NonConfirmable)
        {
            throw std::invalid_argument("CoAP SendRequest: request type must be CON or NON");
        }
        if (request.token.size() > 8)
        {
            throw std::invalid_argument("CoAP SendRequest: token longer than 8 bytes");
        }
        PeerState& ps = Peer(peer);
        if (request.token.empty())
        {
            request.token = NewToken();
        }
        else if (m_exchangeByToken.count(PeerToken{peer, MakeTokenKey(request.token)}) != 0)
        {
            throw std::invalid_argument(
                "CoAP SendRequest: token already used by an exchange in progress with this peer");
        }
        request.messageId = ps.nextMid++;

        Exchange ex;
        ex.peer = peer;
        ex.type = request.type;
        ex.mid = request.messageId;
        ex.observeRequested = IsObserveRegistration(request);
        ex.bytes = Encode(request); // may throw: before anything is registered (a MID is spent)
        ex.token = std::move(request.token);

        const ExchangeId id = ++m_lastExchange;
        const TokenKey tk = MakeTokenKey(ex.token);
        m_exchangeByToken.emplace(PeerToken{peer, tk}, id);
        ++m_tokensInUse[tk];
        Exchange& stored = m_exchanges.emplace(id, std::move(ex)).first->second;

        if (stored.type == Type::NonConfirmable)
        {
            StartNon(id, stored, now);
        }
        else
        {
            auto q = m_queues.find(peer);
            if (ps.outstanding < m_params.nstart && q == m_queues.end())
            {
                StartCon(id, stored, now);
            }
            else
            {
                m_queues[peer].push_back(id);
            }
        }
        return id;
    }

    void StartCon(ExchangeId id, Exchange& ex, TimeNs now)
    {
        ex.state = ExchangeState::AwaitingAck;
        ex.holdsSlot = true;
        ++Peer(ex.peer).outstanding;
        ex.firstSent = now;
        ex.timeout = InitialTimeout();
        m_exchangeByMid[PeerMid{ex.peer, ex.mid}] = id;
        Send(ex.peer, ex.bytes);
        ex.timer = Arm(now + ex.timeout, TimerKind::Exchange, id);
        ex.timerArmed = true;
    }

    void StartNon(ExchangeId id, Exchange& ex, TimeNs now)
    {
        // No retransmission (RFC 7252 section 4.3); the MID is indexed so that an RST
        // from the server ends the exchange.
        ex.state = ExchangeState::AwaitingResponse;
        ex.firstSent = now;
        m_exchangeByMid[PeerMid{ex.peer, ex.mid}] = id;
        Send(ex.peer, ex.bytes);
        ex.timer = Arm(now + m_nonLifetime, TimerKind::Exchange, id);
        ex.timerArmed = true;
    }

    void CancelTimer(Exchange& ex)
    {
        if (ex.timerArmed)
        {
            m_timers.erase(ex.timer);
            ex.timerArmed = false;
        }
    }

    /// Gives up the exchange's NSTART slot and starts queued requests to that peer.
    void ReleaseSlot(Exchange& ex, TimeNs now)
    {
        if (!ex.holdsSlot)
        {
            return;
        }
        ex.holdsSlot = false;
        const PeerId peer = ex.peer;
        PeerState& ps = Peer(peer);
        --ps.outstanding;
        auto q = m_queues.find(peer);
        while (q != m_queues.end() && ps.outstanding < m_params.nstart)
        {
            const ExchangeId next = q->second.front();
            q->second.pop_front();
            if (q->second.empty())
            {
                m_queues.erase(q);
                q = m_queues.end();
            }
            StartCon(next, m_exchanges.at(next), now);
        }
    }

    void PushExchangeEvent(ExchangeId id, const Exchange& ex, Event::Kind kind, Message message,
                           bool observing)
    {
        Event e;
        e.kind = kind;
        e.peer = ex.peer;
        e.exchange = id;
        e.message = std::move(message);
        e.retransmissions = ex.retransmissions;
        e.observing = observing;
        m_events.push_back(std::move(e));
    }

    /// Reports the exchange's outcome and forgets it.
    void Finish(ExchangeId id, Event::Kind kind, Message message, TimeNs now)
    {
        PushExchangeEvent(id, m_exchanges.at(id), kind, std::move(message), false);
        Forget(id, now);
    }

    /// Removes every trace of an exchange; its NSTART slot (if it held one) is passed on.
    void Forget(ExchangeId id, TimeNs now)
    {
        auto it = m_exchanges.find(id);
        Exchange& ex = it->second;
        if (ex.state == ExchangeState::Queued)
        {
            // Only CancelObservation() forgets a queued exchange; queues are short (NSTART).
            auto q = m_queues.find(ex.peer);
            std::deque<ExchangeId>& queue = q->second;
            queue.erase(std::find(queue.begin(), queue.end(), id));
            if (queue.empty())
            {
                m_queues.erase(q);
            }
        }
        CancelTimer(ex);
        auto byMid = m_exchangeByMid.find(PeerMid{ex.peer, ex.mid});
        if (byMid != m_exchangeByMid.end() && byMid->second == id)
        {
            m_exchangeByMid.erase(byMid);
        }
        const TokenKey tk = MakeTokenKey(ex.token);
        m_exchangeByToken.erase(PeerToken{ex.peer, tk});
        auto inUse = m_tokensInUse.find(tk);
        if (--inUse->second == 0)
        {
            m_tokensInUse.erase(inUse);
        }
        // Forgotten first; then its NSTART slot (if it held one) goes to a queued request.
        Exchange done = std::move(ex);
        m_exchanges.erase(it);
        ReleaseSlot(done, now);
    }

    void OnExchangeTimer(ExchangeId id, TimeNs now)
    {
        Exchange& ex = m_exchanges.at(id);
        if (ex.state == ExchangeState::AwaitingAck && ex.retransmissions < m_params.maxRetransmit)
        {
            ++ex.retransmissions;
            ++m_counters.retransmissions;
            ex.timeout *= 2;
            Send(ex.peer, ex.bytes, true);
            ex.timer = Arm(now + ex.timeout, TimerKind::Exchange, id);
            ex.timerArmed = true;
            return;
        }
        // The last retransmission's timeout expired, or no response within the deadline.
        Finish(id, Event::Kind::Timeout, Message(), now);
    }

    /// Hands a response that matched exchange id to the application: it ends the exchange,
    /// or, for an Observe registration, keeps it registered (RFC 7641 sections 3.2-3.4).
    void Deliver(ExchangeId id, Message response, TimeNs now)
    {
        Exchange& ex = m_exchanges.at(id);
        const std::optional<uint32_t> observe = GetObserve(response);
        // Only a 2.xx response with an Observe option (re)confirms the relationship; any other
        // response, including a notification without Observe, is the last one.
        if (!ex.observeRequested || !observe || (response.code >> 5) != 2)
        {
            Finish(id, Event::Kind::ResponseReceived, std::move(response), now);
            return;
        }
        if (ex.state == ExchangeState::Observing)
        {
            if (!IsNotificationFresh(ex.lastObserve, ex.lastNotification, *observe, now))
            {
                ++m_counters.staleNotifications; // reordered: a newer one was reported already
                return;
            }
        }
        else
        {
            // The first response: the request is answered, so it stops retransmitting and
            // frees its NSTART slot, but the token stays bound to the exchange.
            CancelTimer(ex);
            auto byMid = m_exchangeByMid.find(PeerMid{ex.peer, ex.mid});
            if (byMid != m_exchangeByMid.end() && byMid->second == id)
            {
                m_exchangeByMid.erase(byMid);
            }
            ex.state = ExchangeState::Observing;
            ReleaseSlot(ex, now);
        }
        ex.lastObserve = *observe;
        ex.lastNotification = now;
        PushExchangeEvent(id, ex, Event::Kind::ResponseReceived, std::move(response), true);
    }

    /// The exchange a response with this token from this peer belongs to, if it was sent.
    Exchange* FindByToken(PeerId peer, const std::vector<uint8_t>& token, ExchangeId* id)
    {
        auto it = m_exchangeByToken.find(PeerToken{peer, MakeTokenKey(token)});
        if (it == m_exchangeByToken.end())
        {
            return nullptr;
        }
        Exchange& ex = m_exchanges.at(it->second);
        if (ex.state == ExchangeState::Queued)
        {
            return nullptr; // not sent: no response can be genuine
        }
        *id = it->second;
        return &ex;
    }

    // ---- server side ----

    void OnRequest(PeerId peer, Message request, TimeNs now)
    {
        const PeerMid key{peer, request.messageId};
        auto dup = m_dedup.find(key);
        if (dup != m_dedup.end())
        {
            // RFC 7252 section 4.5: process once; answer a duplicate CON with the same ACK.
            ++m_counters.duplicatesReceived;
            if (request.type == Type::Confirmable && !dup->second.reply.empty())
            {
                Send(peer, dup->second.reply, true);
            }
            return;
        }
        const RequestHandle handle = ++m_lastHandle;
        AddDedup(key, request.type, now, {}).handle = handle;

        PendingRequest p;
        p.peer = peer;
        p.mid = request.messageId;
        p.type = request.type;
        p.token = request.token;
        m_pending.emplace(handle, std::move(p));

        Event e;
        e.kind = Event::Kind::RequestReceived;
        e.peer = peer;
        e.handle = handle;
        e.message = std::move(request);
        m_events.push_back(std::move(e));
    }

    PendingRequest& Pending(RequestHandle handle)
    {
        auto it = m_pending.find(handle);
        if (it == m_pending.end())
        {
            throw std::invalid_argument("CoAP: unknown or already answered request handle");
        }
        return it->second;
    }

    /// Remembers what to send again for a duplicate of this request, while it is cached.
    void CacheReply(RequestHandle handle, const PendingRequest& p,
                    const std::vector<uint8_t>& bytes)
    {
        auto it = m_dedup.find(PeerMid{p.peer, p.mid});
        if (it != m_dedup.end() && it->second.handle == handle)
        {
            it->second.reply = bytes;
        }
    }

    void Respond(RequestHandle handle, Message response, TimeNs now)
    {
        PendingRequest& p = Pending(handle);
        response.token = p.token;
        if (p.type == Type::Confirmable && !p.acked)
        {
            // Piggybacked (RFC 7252 section 5.2.1): the ACK carries the response.
            response.type = Type::Acknowledgement;
            response.messageId = p.mid;
            std::vector<uint8_t> bytes = Encode(response);
            CacheReply(handle, p, bytes);
            Send(p.peer, std::move(bytes));
        }
        else if (p.type == Type::Confirmable)
        {
            // Separate (RFC 7252 section 5.2.2): a new CON, retransmitted until ACKed.
            response.type = Type::Confirmable;
            response.messageId = NextMid(p.peer);
            SeparateResponse s;
            s.peer = p.peer;
            s.mid = response.messageId;
            s.bytes = Encode(response);
            const uint64_t id = ++m_lastSeparate;
            s.timeout = InitialTimeout();
            s.timer = Arm(now + s.timeout, TimerKind::SeparateResponse, id);
            Send(s.peer, s.bytes);
            m_separateByMid[PeerMid{s.peer, s.mid}] = id;
            m_separates.emplace(id, std::move(s));
        }
        else
        {
            // A NON request is answered with a NON response (RFC 7252 section 5.2.3).
            response.type = Type::NonConfirmable;
            response.messageId = NextMid(p.peer);
            Send(p.peer, Encode(response));
        }
        m_pending.erase(handle);
    }

    void AcknowledgeEmpty(RequestHandle handle)
    {
        PendingRequest& p = Pending(handle);
        if (p.type != Type::Confirmable || p.acked)
        {
            return;
        }
        p.acked = true;
        std::vector<uint8_t> ack = EmptyMessage(Type::Acknowledgement, p.mid);
        CacheReply(handle, p, ack);
        Send(p.peer, std::move(ack));
    }

    /// Stops a CON separate response or notification (ACKed, reset or abandoned).
    void EndSeparate(std::unordered_map<PeerMid, uint64_t, PeerMidHash>::iterator byMid)
    {
        auto it = m_separates.find(byMid->second);
        m_timers.erase(it->second.timer);
        m_separates.erase(it);
        m_separateByMid.erase(byMid);
    }

    /// The client ACKed a CON separate response or notification.
    void OnSeparateAcked(std::unordered_map<PeerMid, uint64_t, PeerMidHash>::iterator byMid,
                         TimeNs now)
    {
        const SeparateResponse& s = m_separates.at(byMid->second);
        const bool notification = s.notification;
        const PeerToken key{s.peer, s.token};
        EndSeparate(byMid);
        if (!notification)
        {
            return;
        }
        auto o = m_observers.find(key);
        o->second.inFlight = 0;
        if (o->second.next)
        {
            // The newest notification waited for this ACK; it starts a fresh transmission.
            Message next = std::move(*o->second.next);
            o->second.next.reset();
            StartConNotification(key, o->second, std::move(next), now);
        }
    }

    void OnSeparateTimer(uint64_t id, TimeNs now)
    {
        SeparateResponse& s = m_separates.at(id);
        if (s.retransmissions < m_params.maxRetransmit)
        {
            ++s.retransmissions;
            s.timeout *= 2;
            Observer* o = s.notification ? &m_observers.at(PeerToken{s.peer, s.token}) : nullptr;
            if (o != nullptr && o->next)
            {
                // RFC 7641 section 4.5.2: the newer notification goes out in place of this
                // retransmission, with a new message ID, keeping the retransmission counter and
                // timeout. It is not a repeat of earlier bytes, so it is not counted as one.
                m_separateByMid.erase(PeerMid{s.peer, s.mid});
                Message next = std::move(*o->next);
                o->next.reset();
                next.type = Type::Confirmable;
                next.messageId = NextMid(s.peer);
                s.mid = next.messageId;
                s.bytes = Encode(next);
                m_separateByMid[PeerMid{s.peer, s.mid}] = id;
                Send(s.peer, s.bytes);
            }
            else
            {
                ++m_counters.retransmissions;
                Send(s.peer, s.bytes, true);
            }
            s.timer = Arm(now + s.timeout, TimerKind::SeparateResponse, id);
            return;
        }
        if (s.notification)
        {
            // RFC 7641 section 4.5: an observer that does not ACK a CON notification is gone.
            const PeerToken key{s.peer, s.token};
            m_observers.at(key).inFlight = 0; // the timer entry has already been consumed
            m_separateByMid.erase(PeerMid{s.peer, s.mid});
            m_separates.erase(id);
            ObserverLost(key, Event::Kind::NotificationTimeout);
            return;
        }
        // Given up: the server has no one to tell; the client will time out on its own.
        m_separateByMid.erase(PeerMid{s.peer, s.mid});
        m_separates.erase(id);
    }

    // ---- server side: Observe notifications ----

    /// Sends notification as a CON, retransmitted until ACKed, and marks it in flight.
    void StartConNotification(const PeerToken& key, Observer& o, Message notification, TimeNs now)
    {
        notification.type = Type::Confirmable;
        notification.messageId = NextMid(key.peer);
        SeparateResponse s;
        s.peer = key.peer;
        s.mid = notification.messageId;
        s.bytes = Encode(notification);
        s.notification = true;
        s.token = key.token;
        const uint64_t id = ++m_lastSeparate;
        s.timeout = InitialTimeout();
        s.timer = Arm(now + s.timeout, TimerKind::SeparateResponse, id);
        Send(s.peer, s.bytes);
        m_separateByMid[PeerMid{s.peer, s.mid}] = id;
        m_separates.emplace(id, std::move(s));
        o.inFlight = id;
    }

    void Notify(PeerId peer, const std::vector<uint8_t>& token, Message notification,
                bool confirmable, TimeNs now)
    {
        if (token.size() > 8)
        {
            throw std::invalid_argument("CoAP Notify: token longer than 8 bytes");
        }
        if (!notification.IsResponse())
        {
            throw std::invalid_argument("CoAP Notify: a notification needs a response code");
        }
        notification.token = token;
        const PeerToken key{peer, MakeTokenKey(token)};
        Observer& o = m_observers[key];
        if (o.inFlight != 0)
        {
            // At most one CON notification in flight per observer (RFC 7641 section 4.5.2);
            // the newest replaces any older one still waiting, and will go out as a CON.
            o.next = std::move(notification);
            return;
        }
        if (confirmable)
        {
            StartConNotification(key, o, std::move(notification), now);
            return;
        }
        notification.type = Type::NonConfirmable;
        notification.messageId = NextMid(peer);
        Send(peer, Encode(notification));
        // Remember its MID so that an RST to it finds the observer; the oldest one drops out.
        if (o.nonCount == kNonMidsKept)
        {
            auto old = m_observerByNonMid.find(PeerMid{peer, o.nonMids[o.nonNext]});
            if (old != m_observerByNonMid.end() && old->second == key)
            {
                m_observerByNonMid.erase(old);
            }
        }
        else
        {
            ++o.nonCount;
        }
        o.nonMids[o.nonNext] = notification.messageId;
        o.nonNext = static_cast<uint8_t>((o.nonNext + 1) % kNonMidsKept);
        m_observerByNonMid[PeerMid{peer, notification.messageId}] = key;
    }

    /// Forgets an observer and everything that could still refer to it.
    bool RemoveObserver(const PeerToken& key)
    {
        auto it = m_observers.find(key);
        if (it == m_observers.end())
        {
            return false;
        }
        Observer& o = it->second;
        if (o.inFlight != 0)
        {
            EndSeparate(m_separateByMid.find(PeerMid{key.peer, m_separates.at(o.inFlight).mid}));
        }
        for (uint8_t i = 0; i < o.nonCount; ++i)
        {
            auto byMid = m_observerByNonMid.find(PeerMid{key.peer, o.nonMids[i]});
            if (byMid != m_observerByNonMid.end() && byMid->second == key)
            {
                m_observerByNonMid.erase(byMid);
            }
        }
        m_observers.erase(it);
        return true;
    }

    /// The observer is gone: tell the application, which removes it from its resource.
    void ObserverLost(const PeerToken& key, Event::Kind kind)
    {
        Event e;
        e.kind = kind;
        e.peer = key.peer;
        e.message.token = TokenBytes(key.token);
        m_events.push_back(std::move(e));
        RemoveObserver(key);
    }

    static std::vector<uint8_t> TokenBytes(const TokenKey& k)
    {
        std::vector<uint8_t> token(k.length);
        for (size_t i = 0; i < k.length; ++i)
        {
            token[i] = static_cast<uint8_t>(k.bits >> (8 * (k.length - 1 - i)));
        }
        return token;
    }

    // ---- input dispatch ----

    void OnEmptyAck(PeerId peer, uint16_t mid, TimeNs now)
    {
        auto c = m_exchangeByMid.find(PeerMid{peer, mid});
        if (c != m_exchangeByMid.end())
        {
            Exchange& ex = m_exchanges.at(c->second);
            if (ex.type != Type::Confirmable)
            {
                ++m_counters.unmatchedReceived; // an ACK cannot answer a NON
                return;
            }
            if (ex.state != ExchangeState::AwaitingAck)
            {
                ++m_counters.duplicatesReceived; // the server re-ACKed a retransmission
                return;
            }
            // Separate response pending: stop retransmitting, keep waiting for the response
            // until EXCHANGE_LIFETIME after the first transmission (by then the server has
            // forgotten the request, so nothing can come).
            CancelTimer(ex);
            ex.state = ExchangeState::AwaitingResponse;
            const TimeNs deadline = ex.firstSent + m_exchangeLifetime;
            ex.timer = Arm(deadline > now ? deadline : now, TimerKind::Exchange, c->second);
            ex.timerArmed = true;
            ReleaseSlot(ex, now);
            return;
        }
        auto s = m_separateByMid.find(PeerMid{peer, mid});
        if (s != m_separateByMid.end())
        {
            OnSeparateAcked(s, now);
            return;
        }
        ++m_counters.unmatchedReceived;
    }

    void OnReset(PeerId peer, uint16_t mid, TimeNs now)
    {
        ++m_counters.resetsReceived;
        auto c = m_exchangeByMid.find(PeerMid{peer, mid});
        if (c != m_exchangeByMid.end())
        {
            Finish(c->second, Event::Kind::Reset, Message(), now);
            return;
        }
        auto s = m_separateByMid.find(PeerMid{peer, mid});
        if (s != m_separateByMid.end())
        {
            const SeparateResponse& sep = m_separates.at(s->second);
            if (sep.notification)
            {
                // The client has forgotten the observation (RFC 7641 section 3.6).
                ObserverLost(PeerToken{peer, sep.token}, Event::Kind::NotificationReset);
                return;
            }
            EndSeparate(s);
            return;
        }
        auto n = m_observerByNonMid.find(PeerMid{peer, mid});
        if (n != m_observerByNonMid.end())
        {
            const PeerToken key = n->second;
            ObserverLost(key, Event::Kind::NotificationReset);
            return;
        }
        ++m_counters.unmatchedReceived;
    }

    void OnPiggybackedResponse(PeerId peer, Message response, TimeNs now)
    {
        auto c = m_exchangeByMid.find(PeerMid{peer, response.messageId});
        if (c != m_exchangeByMid.end())
        {
            Exchange& ex = m_exchanges.at(c->second);
            // RFC 7252 section 5.3.2: the token must match too, or it is not our response.
            if (ex.type == Type::Confirmable && ex.token == response.token)
            {
                Deliver(c->second, std::move(response), now);
                return;
            }
        }
        // Most often a duplicate ACK for an exchange already completed.
        ++m_counters.unmatchedReceived;
    }

    void OnSeparateResponse(PeerId peer, Message response, TimeNs now)
    {
        const PeerMid key{peer, response.messageId};
        const bool con = response.type == Type::Confirmable;
        auto dup = m_dedup.find(key);
        if (dup != m_dedup.end())
        {
            // A retransmitted separate response (our ACK was lost): ACK again, report once.
            ++m_counters.duplicatesReceived;
            if (con && !dup->second.reply.empty())
            {
                Send(peer, dup->second.reply, true);
            }
            return;
        }
        ExchangeId id = 0;
        if (FindByToken(peer, response.token, &id) == nullptr)
        {
            // RFC 7252 section 5.3.2: an unexpected CON response is rejected with RST. So is a
            // NON notification: that RST is how a client that forgot an observation cancels it
            // (RFC 7641 section 3.6).
            ++m_counters.unmatchedReceived;
            if (con || response.FindOption(option::Observe) != nullptr)
            {
                SendReset(peer, response.messageId);
            }
            return;
        }
        std::vector<uint8_t> ack;
        if (con)
        {
            ack = EmptyMessage(Type::Acknowledgement, response.messageId);
            Send(peer, ack);
        }
        AddDedup(key, response.type, now, std::move(ack));
        // A response that overtakes the empty ACK implies it (RFC 7252 section 5.2.2).
        Deliver(id, std::move(response), now);
    }

    void Receive(PeerId peer, const uint8_t* data, size_t size, TimeNs now)
    {
        ++m_counters.datagramsReceived;
        PurgeDedup(now);
        DecodeResult r = Decode(data, size);
        if (!r.ok)
        {
            // RFC 7252 section 4.2: a CON that cannot be processed is rejected with RST.
            ++m_counters.malformedReceived;
            if (r.headerValid && r.message.type == Type::Confirmable)
            {
                SendReset(peer, r.message.messageId);
            }
            return;
        }
        Message& m = r.message;
        switch (m.type)
        {
            case Type::Confirmable:
            case Type::NonConfirmable:
                if (m.IsRequest())
                {
                    OnRequest(peer, std::move(m), now);
                }
                else if (m.IsResponse())
                {
                    OnSeparateResponse(peer, std::move(m), now);
                }
                else if (m.type == Type::Confirmable && m.IsEmpty())
                {
                    SendReset(peer, m.messageId); // CoAP ping (RFC 7252 section 4.3)
                }
                else
                {
                    // An empty NON, or a reserved code class (1, 6, 7): the message cannot be
                    // processed. Counted as malformed; a CON is rejected with RST.
                    ++m_counters.malformedReceived;
                    if (m.type == Type::Confirmable)
                    {
                        SendReset(peer, m.messageId);
                    }
                }
                break;
            case Type::Acknowledgement:
                if (m.IsEmpty())
                {
                    OnEmptyAck(peer, m.messageId, now);
                }
                else if (m.IsResponse())
                {
                    OnPiggybackedResponse(peer, std::move(m), now);
                }
                else
                {
                    // An ACK carrying a request or a reserved class: silently ignored (4.2).
                    ++m_counters.malformedReceived;
                }
                break;
            case Type::Reset:
                if (m.IsEmpty())
                {
                    OnReset(peer, m.messageId, now);
                }
                else
                {
                    ++m_counters.malformedReceived; // an RST must be empty (4.2)
                }
                break;
        }
    }

    void OnTimer(TimeNs now)
    {
        PurgeDedup(now);
        while (!m_timers.empty() && m_timers.begin()->first <= now)
        {
            const TimerOwner owner = m_timers.begin()->second;
            m_timers.erase(m_timers.begin());
            if (owner.kind == TimerKind::Exchange)
            {
                m_exchanges.at(owner.id).timerArmed = false;
                OnExchangeTimer(owner.id, now);
            }
            else
            {
                OnSeparateTimer(owner.id, now);
            }
        }
    }
};

Endpoint::Endpoint(const TransmissionParameters& params, RandomSource& random)
  : m_params(params)
{
    const std::string error = params.Validate();
    if (!error.empty())
    {
        throw std::invalid_argument("CoAP transmission parameters: " + error);
    }
    // Built after m_params and m_counters, which Impl refers to.
    m_impl = std::make_unique<Impl>(*this, random);
}

Endpoint::~Endpoint() = default;

ExchangeId
Endpoint::SendRequest(PeerId peer, Message request, TimeNs now)
{
    return m_impl->SendRequest(peer, std::move(request), now);
}

const std::vector<uint8_t>&
Endpoint::GetToken(ExchangeId exchange) const
{
    static const std::vector<uint8_t> none;
    auto it = m_impl->m_exchanges.find(exchange);
    return it == m_impl->m_exchanges.end() ? none : it->second.token;
}

uint16_t
Endpoint::GetMessageId(ExchangeId exchange) const
{
    auto it = m_impl->m_exchanges.find(exchange);
    return it == m_impl->m_exchanges.end() ? 0 : it->second.mid;
}

bool
Endpoint::CancelObservation(ExchangeId exchange, TimeNs now)
{
    if (m_impl->m_exchanges.count(exchange) == 0)
    {
        return false;
    }
    m_impl->Forget(exchange, now);
    return true;
}

bool
Endpoint::IsObserving(ExchangeId exchange) const
{
    auto it = m_impl->m_exchanges.find(exchange);
    return it != m_impl->m_exchanges.end() && it->second.state == Impl::ExchangeState::Observing;
}

void
Endpoint::Notify(PeerId peer, const std::vector<uint8_t>& token, Message notification,
                 bool confirmable, TimeNs now)
{
    m_impl->Notify(peer, token, std::move(notification), confirmable, now);
}

bool
Endpoint::StopNotifying(PeerId peer, const std::vector<uint8_t>& token)
{
    if (token.size() > 8)
    {
        return false;
    }
    return m_impl->RemoveObserver(PeerToken{peer, MakeTokenKey(token)});
}

void
Endpoint::Respond(RequestHandle handle, Message response, TimeNs now)
{
    m_impl->Respond(handle, std::move(response), now);
}

void
Endpoint::AcknowledgeEmpty(RequestHandle handle, TimeNs /* now: an empty ACK arms no timer */)
{
    m_impl->AcknowledgeEmpty(handle);
}

void
Endpoint::Receive(PeerId peer, const uint8_t* data, size_t size, TimeNs now)
{
    m_impl->Receive(peer, data, size, now);
}

void
Endpoint::OnTimer(TimeNs now)
{
    m_impl->OnTimer(now);
}

std::optional<TimeNs>
Endpoint::NextTimer() const
{
    if (m_impl->m_timers.empty())
    {
        return std::nullopt;
    }
    return m_impl->m_timers.begin()->first;
}

std::vector<Datagram>
Endpoint::TakeDatagrams()
{
    std::vector<Datagram> out;
    out.swap(m_impl->m_datagrams);
    return out;
}

std::vector<Event>
Endpoint::TakeEvents()
{
    std::vector<Event> out;
    out.swap(m_impl->m_events);
    return out;
}

EndpointCounters&
EndpointCounters::operator+=(const EndpointCounters& c)
{
    datagramsSent += c.datagramsSent;
    datagramsReceived += c.datagramsReceived;
    retransmissions += c.retransmissions;
    duplicatesReceived += c.duplicatesReceived;
    malformedReceived += c.malformedReceived;
    resetsSent += c.resetsSent;
    resetsReceived += c.resetsReceived;
    unmatchedReceived += c.unmatchedReceived;
    staleNotifications += c.staleNotifications;
    return *this;
}

} // namespace coap
} // namespace lpwan
