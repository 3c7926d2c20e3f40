/*
 * What lpwan-tls13 does with its options: one TLS 1.3 connection over TCP, as client (connect,
 * handshake, send, read) or server (listen, accept one, handshake, read, send), printing the
 * negotiated suite, group and authentication and the data received. PosixTls13Stream does the
 * I/O; this decides when the exchange is over and what it says about it.
 */
#ifndef LPWAN_TOOLS_TLS13_TOOL_H
#define LPWAN_TOOLS_TLS13_TOOL_H

#include "protocols/common/sans-io.h"
#include "tls13-options.h"

#include <ostream>

namespace lpwan
{
namespace tools
{

/// Runs as the options say; results to out (flushed line by line: tests read it while the
/// tool runs), diagnostics to err. Returns the exit status Tls13Usage() documents. Throws
/// std::runtime_error for socket failures (connect, listen).
int RunTls13(const Tls13ToolOptions& options, lpwan::RandomSource& random, std::ostream& out,
             std::ostream& err);

/// The bytes as a C string literal's contents, quoted: "a\n\x01".
std::string QuotedBytes(const std::vector<uint8_t>& bytes);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_TLS13_TOOL_H
