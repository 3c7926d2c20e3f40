/*
 * The -v trace of the real-socket tools: each datagram as it crosses the socket, decoded
 * when it is CoAP, with its bytes in hex so that a capture can be replayed or compared with
 * Wireshark's view. Two lines per datagram:
 *
 *   -> 127.0.0.1:5683 24 bytes CON 0.02 mid=0x1a2b token=0a0b [OSCORE:0900, Uri-Host:...] ...
 *      44021a2b0a0b...
 */
#ifndef LPWAN_TOOLS_DATAGRAM_TRACE_H
#define LPWAN_TOOLS_DATAGRAM_TRACE_H

#include "protocols/common/sans-io.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

/// The two trace lines (each ending in '\n'); "->" for sent, "<-" for received datagrams.
std::string TraceDatagram(bool outgoing, lpwan::PeerId peer, const std::vector<uint8_t>& bytes);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_DATAGRAM_TRACE_H
