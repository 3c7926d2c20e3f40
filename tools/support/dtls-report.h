/*
 * What the CoAP tools say about DTLS: one line per handshake outcome (printed with -v, and
 * always for a failure) and one line of handshake counters when the server stops, in the
 * "name: key=value" style of counter-report.h so that scripts and tests grep them.
 */
#ifndef LPWAN_TOOLS_DTLS_REPORT_H
#define LPWAN_TOOLS_DTLS_REPORT_H

#include "protocols/common/secure-transport.h"
#include "protocols/tls/dtls-transport.h"

#include <cstdint>
#include <string>

namespace lpwan
{
namespace tools
{

/// "dtls: 127.0.0.1:5684 established, cipher suite TLS-PSK-WITH-AES-128-CCM-8" (", resumed"
/// for an abbreviated handshake), "dtls: 127.0.0.1:5684 failed: REASON" or
/// "dtls: 127.0.0.1:5684 closed: REASON". No newline.
std::string DtlsEventLine(const lpwan::TransportEvent& event, const std::string& cipherSuite);

/// "dtls: handshakes=N completed=N failed=N resumed=N hello-verify-requests=N
/// retransmitted-flights=N dropped=N" (dropped: application datagrams without a session).
std::string DtlsCountersLine(const tls::HandshakeFigures& figures, uint64_t dropped);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_DTLS_REPORT_H
