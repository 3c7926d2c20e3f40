/*
 * The TCP socket work the real-socket MQTT drivers share (plain, and with TLS in between):
 * connecting with a deadline, writing a whole buffer to a non-blocking socket, and turning a
 * deadline into a poll() timeout.
 */
#ifndef LPWAN_TCP_STREAM_H
#define LPWAN_TCP_STREAM_H

#include "protocols/common/sans-io.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace lpwan
{

/// Connects a new non-blocking IPv4 TCP socket (TCP_NODELAY: each packet leaves at once, as
/// on a device) to address (an IPv4 literal) and port within timeout, and returns it. Throws
/// std::runtime_error naming the failing step.
int ConnectTcp(const std::string& address, uint16_t port, lpwan::TimeNs timeout);

/// Writes size bytes to a non-blocking socket, waiting (poll for POLLOUT, up to 5 s each
/// time) only when the kernel's send buffer is full. Returns the bytes written: fewer than
/// size when the connection failed or stayed stuck.
size_t WriteAll(int fd, const uint8_t* data, size_t size);

/// A poll() timeout for `left` nanoseconds, rounded up to whole milliseconds so that a loop
/// never wakes just before a deadline and spins; 0 for a deadline already passed.
int PollTimeoutMs(lpwan::TimeNs left);

} // namespace lpwan

#endif // LPWAN_TCP_STREAM_H
