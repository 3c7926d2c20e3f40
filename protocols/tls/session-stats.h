/*
 * What a tls::Session counts about its handshake and traffic.
 *
 * A flight (RFC 6347 section 4.2.4) is the group of handshake messages one side sends
 * before it waits for the other. Here an outgoing flight is the handshake and
 * ChangeCipherSpec records one call into the session emits (a handshake step, a timer
 * expiry, a peer's retransmission that triggers ours); an incoming flight is the handshake
 * records received between two outgoing flights. Bytes are wire bytes of those records,
 * record headers included (UDP/IP headers are the driver's business).
 */
#ifndef LPWAN_TLS_SESSION_STATS_H
#define LPWAN_TLS_SESSION_STATS_H

#include "protocols/common/sans-io.h"

#include <cstdint>
#include <vector>

namespace lpwan
{
namespace tls
{

struct Flight
{
    bool outgoing = true;
    lpwan::TimeNs start = 0; ///< time of its first datagram (or stream chunk)
    lpwan::TimeNs end = 0;   ///< time of its last one
    uint32_t datagrams = 0;  ///< datagrams (DTLS) or stream writes/reads (TLS) carrying it
    uint64_t bytes = 0;      ///< handshake + ChangeCipherSpec record bytes
    /// Outgoing: it repeats a flight already sent (no new handshake message in it): mbedTLS
    /// resent it after its retransmission timer fired or after seeing the peer repeat its
    /// own previous flight. Incoming flights are never marked (the receiver cannot tell a
    /// copy from the original before mbedTLS has parsed it).
    bool retransmission = false;
};

struct SessionStats
{
    /// Client: Start(); server: the first ClientHello (after a HelloVerifyRequest exchange, the
    /// first one this session saw). -1 until then.
    lpwan::TimeNs handshakeStart = -1;
    /// When the handshake completed (-1 if it did not).
    lpwan::TimeNs handshakeEnd = -1;
    /// The handshake resumed an earlier session (abbreviated handshake, RFC 5246 7.3).
    bool resumed = false;

    uint32_t flightsSent = 0;
    uint32_t flightsReceived = 0;
    uint32_t retransmittedFlights = 0; ///< outgoing flights marked retransmission
    /// Outgoing handshake flights answered by an incoming one before the handshake completed
    /// (client, full PSK handshake: 2; with a HelloVerifyRequest: 3; resumed: 1).
    uint32_t roundTrips = 0;
    /// Client: HelloVerifyRequests received; server: sent (a stand-alone server Session;
    /// behind a DtlsServer the demultiplexer sends them and counts them).
    uint32_t helloVerifyRequests = 0;

    uint64_t handshakeBytesSent = 0; ///< handshake + ChangeCipherSpec records
    uint64_t handshakeBytesReceived = 0;
    uint64_t alertBytesSent = 0;
    uint64_t alertBytesReceived = 0;
    uint64_t applicationRecordBytesSent = 0; ///< application_data records, headers included
    uint64_t applicationRecordBytesReceived = 0;
    uint64_t applicationBytesWritten = 0; ///< plaintext handed to Write()
    uint64_t applicationBytesRead = 0;    ///< plaintext returned by Read()
    uint64_t bytesSent = 0;               ///< everything handed to the driver
    uint64_t bytesReceived = 0;           ///< everything the driver handed in
    uint64_t datagramsSent = 0;           ///< DTLS datagrams (TLS: stream chunks)
    uint64_t datagramsReceived = 0;
    /// Input after the session was closed or failed, ignored.
    uint64_t datagramsIgnored = 0;
    /// DTLS datagrams that were not a sequence of whole records: mbedTLS got only their
    /// leading whole records, or nothing (see Session::Receive).
    uint64_t malformedDatagrams = 0;
    /// Server, DTLS: ClientHellos received on the established association and ignored (see
    /// Session::Receive; DtlsServer handles a client that restarts).
    uint64_t clientHellosIgnored = 0;

    std::vector<Flight> flights; ///< in order
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_SESSION_STATS_H
