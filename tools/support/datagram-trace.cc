/*
 * Datagram trace lines; see datagram-trace.h.
 */

#include "datagram-trace.h"

#include "hex.h"
#include "posix/ipv4-peer.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-describe.h"

namespace lpwan
{
namespace tools
{

std::string
TraceDatagram(bool outgoing, lpwan::PeerId peer, const std::vector<uint8_t>& bytes)
{
    const coap::DecodeResult d = coap::Decode(bytes);
    std::string line = std::string(outgoing ? "-> " : "<- ") + PeerToString(peer) + " "
                       + std::to_string(bytes.size()) + " bytes ";
    line += d.ok ? coap::Describe(d.message) : "not CoAP: " + d.error;
    return line + "\n   " + ToHex(bytes) + "\n";
}

} // namespace tools
} // namespace lpwan
