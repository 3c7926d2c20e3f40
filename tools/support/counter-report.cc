/*
 * Counter summary lines; see counter-report.h.
 */

#include "counter-report.h"

namespace lpwan
{
namespace tools
{

namespace
{

std::string
Pair(const char* key, uint64_t value)
{
    return std::string(" ") + key + "=" + std::to_string(value);
}

} // namespace

std::string
CoapCountersLine(const coap::EndpointCounters& c)
{
    return "coap:" + Pair("datagrams-received", c.datagramsReceived)
           + Pair("datagrams-sent", c.datagramsSent) + Pair("retransmissions", c.retransmissions)
           + Pair("duplicates", c.duplicatesReceived) + Pair("malformed", c.malformedReceived)
           + Pair("resets-sent", c.resetsSent) + Pair("resets-received", c.resetsReceived)
           + Pair("unmatched", c.unmatchedReceived);
}

std::string
ServerCountersLine(const ServerSession::Counters& c)
{
    return "server:" + Pair("requests", c.requests) + Pair("rejected", c.rejected)
           + Pair("notifications", c.notifications) + Pair("observers-added", c.observersAdded)
           + Pair("observers-removed", c.observersRemoved)
           + Pair("observers-timed-out", c.observersTimedOut)
           + Pair("observers-reset", c.observersReset);
}

std::string
OscoreServerCountersLine(const oscore::Counters& r, uint64_t responsesProtected)
{
    return "oscore:" + Pair("verified", r.requestsVerified) + Pair("replayed", r.replayed)
           + Pair("forged", r.decryptionFailed) + Pair("malformed", r.malformed)
           + Pair("no-context", r.noContext) + Pair("not-oscore", r.notOscore)
           + Pair("responses-protected", responsesProtected);
}

} // namespace tools
} // namespace lpwan
