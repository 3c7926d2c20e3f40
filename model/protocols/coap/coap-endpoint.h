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
 * that matches no exchange gets RST; an unmatched ACK or NON is ignored.
 */
#ifndef LPWAN_COAP_ENDPOINT_H
#define LPWAN_COAP_ENDPOINT_H

#include "coap-message.h"
#include "coap-transmission-parameters.h"

#include "../common/sans-io.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ns3
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
    };

    Kind kind = Kind::RequestReceived;
    PeerId peer = 0;
    ExchangeId exchange = 0;    ///< client-side events
    RequestHandle handle = 0;   ///< RequestReceived
    Message message;            ///< request or response (empty for Timeout/Reset)
    uint32_t retransmissions = 0; ///< client side: retransmissions the request needed
};

/// Counters of what went in and out, for traces and tests.
struct EndpointCounters
{
    uint64_t datagramsSent = 0;
    uint64_t datagramsReceived = 0;
    uint64_t retransmissions = 0;      ///< CON retransmissions (requests and separate responses)
    uint64_t duplicatesReceived = 0;   ///< requests/responses recognised as duplicates
    uint64_t malformedReceived = 0;    ///< datagrams that failed to decode
    uint64_t resetsSent = 0;
    uint64_t resetsReceived = 0;
    uint64_t unmatchedReceived = 0;    ///< responses/ACKs matching no exchange
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

    // ---- server side ----

    /// Answers a request. Piggybacked on the ACK when possible, else a separate response
    /// (CON for a CON request, retransmitted until ACKed; NON for a NON request).
    /// The response's message ID, type and token are set here.
    void Respond(RequestHandle handle, Message response, TimeNs now);
    /// Sends an empty ACK for a CON request now (the response will be separate).
    void AcknowledgeEmpty(RequestHandle handle, TimeNs now);

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
} // namespace ns3

#endif // LPWAN_COAP_ENDPOINT_H
