/*
 * The CoAP message layer and request/response layer (RFC 7252 sections 4 and 5) as a
 * sans-I/O state machine: datagrams and the current time go in; datagrams to send, the next
 * timer deadline and events come out. It never touches a socket or a clock.
 *
 * Client side: SendRequest() assigns a message ID and a token (random, unique among the
 * exchanges in progress), sends CON requests with exponential back-off retransmission
 * (initial timeout uniform in [ACK_TIMEOUT, ACK_TIMEOUT * ACK_RANDOM_FACTOR], doubled each
 * time, MAX_RETRANSMIT retransmissions), honours NSTART per peer (further requests queue),
 * matches responses by token (piggybacked in the ACK, or separate: an empty ACK stops the
 * retransmissions and the later CON/NON response is matched by token and a CON one is ACKed).
 *
 * Server side: an incoming request raises RequestReceived with a handle; the application
 * answers with Respond() (piggybacked in the ACK when the request was CON and not yet
 * acknowledged, else a separate response of the request's type) or first sends
 * AcknowledgeEmpty() and responds later. Duplicate CON/NON requests (same peer and message
 * ID within EXCHANGE_LIFETIME / NON_LIFETIME) are not passed up again: a duplicate CON is
 * answered with the cached ACK (piggybacked response or empty ACK).
 *
 * Garbage: a datagram that does not decode is counted and dropped; when its header was
 * valid and it was CON, it is rejected with RST (RFC 7252 section 4.2). A CON response
 * that matches no exchange gets RST; an unmatched ACK or NON is ignored (except a NON
 * notification, see below).
 *
 * Observe (RFC 7641), client side: a request carrying Observe = 0 whose response is a 2.xx
 * with an Observe option stays registered after that first response. Every later
 * notification (a CON or NON response with the exchange's token from that peer) raises
 * ResponseReceived for the same ExchangeId with Event::observing set; CON ones are ACKed,
 * duplicates (same message ID) are reported once, and a notification older than the last
 * one reported (the sequence-number rule of RFC 7641 section 3.4) is acknowledged but not
 * reported. A notification without an Observe option, or with a non-2.xx code, ends the
 * observation (its event has observing == false). CancelObservation() forgets an exchange;
 * the next notification then matches nothing and is answered with RST, which is RFC 7641's
 * reactive cancel (section 3.6). This is why an unmatched NON response that carries an
 * Observe option is rejected with RST, while other unmatched NON responses are ignored.
 *
 * Observe, server side: the application answers the registration with Respond() (a 2.xx with
 * an Observe option) and sends each later notification with Notify(), naming the observer by
 * peer and token. A CON notification is retransmitted until ACKed; while one is in flight, a
 * newer notification does not go out at once but replaces it (RFC 7641 section 4.5.2): it is
 * sent, with a new message ID, when the old one is ACKed or in place of its next
 * retransmission. An RST answering a notification (CON or one of the last few NON ones)
 * raises NotificationReset, and a CON notification never ACKed raises NotificationTimeout:
 * either way the client is gone and the application removes it from the observers (RFC 7641
 * section 4.5). StopNotifying() forgets an observer the application removed for another
 * reason (a deregistration, the resource went away).
 */
#ifndef LPWAN_COAP_ENDPOINT_H
#define LPWAN_COAP_ENDPOINT_H

#include "../common/sans-io.h"
#include "coap-message.h"
#include "coap-transmission-parameters.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace lpwan
{
namespace coap
{

using lpwan::Datagram;
using lpwan::PeerId;
using lpwan::RandomSource;
using lpwan::TimeNs;

/// Identifies a client exchange (a request sent by SendRequest) for the endpoint's lifetime.
using ExchangeId = uint64_t;
/// Identifies a request received by the server side, until it has been answered.
using RequestHandle = uint64_t;

/// What the endpoint reports to its application.
struct Event
{
    enum class Kind
    {
        RequestReceived,  ///< server side: message holds the request; answer via handle
        ResponseReceived, ///< client side: message holds the response to exchange
        Timeout,          ///< client side: no ACK/response after MAX_RETRANSMIT (or NON_LIFETIME)
        Reset,            ///< client side: the peer answered the request with RST
        /// server side: the observer (peer, message.token) answered a notification with RST:
        /// it has cancelled the observation (RFC 7641 section 3.6); remove it.
        NotificationReset,
        /// server side: a CON notification to the observer (peer, message.token) was not
        /// ACKed after MAX_RETRANSMIT retransmissions; remove it (RFC 7641 section 4.5).
        NotificationTimeout,
    };

    Kind kind = Kind::RequestReceived;
    PeerId peer = 0;
    ExchangeId exchange = 0;      ///< client-side events
    RequestHandle handle = 0;     ///< RequestReceived
    Message message;              ///< request or response (empty for Timeout/Reset)
    uint32_t retransmissions = 0; ///< client side: retransmissions the request needed
    /// ResponseReceived: the exchange stays registered as an Observe relationship (this was the
    /// registration's first response or a notification); more events for it may follow.
    /// False when this response ended the exchange.
    bool observing = false;
};

/// Counters of what went in and out, for traces and tests.
struct EndpointCounters
{
    uint64_t datagramsSent = 0;
    uint64_t datagramsReceived = 0;
    uint64_t retransmissions = 0;    ///< CON retransmissions (requests and separate responses)
    uint64_t duplicatesReceived = 0; ///< requests/responses recognised as duplicates
    uint64_t malformedReceived = 0;  ///< datagrams that failed to decode
    uint64_t resetsSent = 0;
    uint64_t resetsReceived = 0;
    uint64_t unmatchedReceived = 0;  ///< responses/ACKs matching no exchange
    uint64_t staleNotifications = 0; ///< notifications older than one already reported

    /// Field by field, to sum counters over endpoints.
    EndpointCounters& operator+=(const EndpointCounters& c);
};

class Endpoint
{
  public:
    /// random must outlive the endpoint. params must be valid (see Validate()).
    Endpoint(const TransmissionParameters& params, RandomSource& random);
    ~Endpoint();

    // ---- client side ----

    /// Queues a request to peer. Its type (CON or NON), code, options and payload are taken
    /// from request; the message ID and token are assigned here (a non-empty token in request
    /// is kept). Sends it at once unless NSTART exchanges to that peer are outstanding.
    ExchangeId SendRequest(PeerId peer, Message request, TimeNs now);

    /// The token the endpoint gave an exchange (valid after SendRequest until the exchange's
    /// final event; an empty token once the exchange is over).
    const std::vector<uint8_t>& GetToken(ExchangeId exchange) const;
    /// The message ID of the exchange's request (0 once the exchange is over).
    uint16_t GetMessageId(ExchangeId exchange) const;

    /// Forgets an exchange in progress without raising an event: retransmissions stop, an
    /// NSTART slot it held goes to a queued request, its token is released. Meant for Observe
    /// registrations (the client is no longer interested: a later notification gets RST), but
    /// it cancels any exchange. For a proactive cancel, send afterwards a GET with Observe = 1
    /// and the same token (GetToken() before cancelling). False when exchange is unknown.
    bool CancelObservation(ExchangeId exchange, TimeNs now);
    /// True while exchange is an established Observe relationship.
    bool IsObserving(ExchangeId exchange) const;

    // ---- server side ----

    /// Answers a request. Piggybacked on the ACK when possible, else a separate response
    /// (CON for a CON request, retransmitted until ACKed; NON for a NON request).
    /// The response's message ID, type and token are set here.
    void Respond(RequestHandle handle, Message response, TimeNs now);
    /// Sends an empty ACK for a CON request now (the response will be separate).
    void AcknowledgeEmpty(RequestHandle handle, TimeNs now);

    /// Sends an Observe notification to the observer (peer, token), after the registration has
    /// been answered with Respond(): a CON (retransmitted until ACKed) or NON response whose
    /// token is set here. The application sets the code, the Observe option (its sequence
    /// number) and the payload; a notification without an Observe option is the last one.
    /// See the class comment for the replacement of a CON notification still in flight.
    void Notify(PeerId peer, const std::vector<uint8_t>& token, Message notification,
                bool confirmable, TimeNs now);
    /// Forgets the observer (peer, token): a CON notification in flight is no longer
    /// retransmitted and no event will name it. False when nothing was known about it.
    bool StopNotifying(PeerId peer, const std::vector<uint8_t>& token);

    // ---- inputs ----

    /// Hands the endpoint a datagram received from peer.
    void Receive(PeerId peer, const uint8_t* data, size_t size, TimeNs now);
    /// Call when the deadline from NextTimer() has been reached.
    void OnTimer(TimeNs now);

    // ---- outputs ----

    /// The earliest pending deadline, if any.
    std::optional<TimeNs> NextTimer() const;
    /// Datagrams to send, in order; the queue is emptied.
    std::vector<Datagram> TakeDatagrams();
    /// Events for the application, in order; the queue is emptied.
    std::vector<Event> TakeEvents();

    const EndpointCounters& GetCounters() const
    {
        return m_counters;
    }

    const TransmissionParameters& GetParameters() const
    {
        return m_params;
    }

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    TransmissionParameters m_params;
    EndpointCounters m_counters;
};

} // namespace coap
} // namespace lpwan

#endif // LPWAN_COAP_ENDPOINT_H
