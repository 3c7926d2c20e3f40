/*
 * Totals over the (D)TLS handshakes an endpoint took part in, summed from each Session's
 * SessionStats: what summary.json reports as handshakes.*. Shared by the DTLS transport under
 * CoAP and the TLS connections under MQTT, so both profiles count a handshake the same way.
 */
#ifndef LPWAN_TLS_HANDSHAKE_FIGURES_H
#define LPWAN_TLS_HANDSHAKE_FIGURES_H

#include "session-stats.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lpwan
{
namespace tls
{

struct HandshakeFigures
{
    uint64_t started = 0; ///< client: handshakes begun; server: sessions that saw a hello
    uint64_t completed = 0;
    uint64_t failed = 0;
    uint64_t abbreviated = 0; ///< of the completed, resumed sessions
    uint64_t bytesSent = 0;   ///< handshake + ChangeCipherSpec record bytes, every copy
    uint64_t bytesReceived = 0;
    uint64_t flightsSent = 0;
    uint64_t retransmittedFlights = 0;
    uint64_t roundTrips = 0;          ///< over completed handshakes
    uint64_t helloVerifyRequests = 0; ///< client: received; server: sent
    std::vector<double> durations;    ///< seconds, one per completed handshake (client side)
    std::map<std::string, uint64_t> failures; ///< reason -> count

    /// How a session's handshake ended.
    enum class Outcome
    {
        Completed,
        Failed,
        Open, ///< still under way when the figures were taken
    };

    /// Adds one session's handshake. countStart: also count it in `started` (a client counts
    /// its handshakes when it begins them, so it passes false). failure: the reason (Failed).
    void Add(const SessionStats& stats, bool countStart, Outcome outcome,
             const std::string& failure = "");

    /// Field by field (durations and failures appended), to sum over transports.
    HandshakeFigures& operator+=(const HandshakeFigures& f);
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_HANDSHAKE_FIGURES_H
