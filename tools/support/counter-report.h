/*
 * The one-line counter summaries the tools print when they stop, "name: key=value ...", so
 * that people read them and scripts and tests grep them.
 */
#ifndef LPWAN_TOOLS_COUNTER_REPORT_H
#define LPWAN_TOOLS_COUNTER_REPORT_H

#include "protocols/coap/coap-endpoint.h"
#include "protocols/oscore/oscore-types.h"
#include "server-session.h"

#include <string>

namespace lpwan
{
namespace tools
{

/// "coap: datagrams-received=N datagrams-sent=N retransmissions=N duplicates=N malformed=N
/// resets-sent=N resets-received=N unmatched=N"
std::string CoapCountersLine(const coap::EndpointCounters& c);

/// "server: requests=N rejected=N notifications=N observers-added=N observers-removed=N"
std::string ServerCountersLine(const ServerSession::Counters& c);

/// "oscore: verified=N replayed=N forged=N malformed=N no-context=N not-oscore=N
/// responses-protected=N": what became of the requests (each counted once) and how many
/// responses and notifications were protected. forged counts requests whose AEAD
/// verification failed (DecryptionFailed: forged, or corrupted in transit).
std::string OscoreServerCountersLine(const oscore::Counters& requests, uint64_t responsesProtected);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_COUNTER_REPORT_H
