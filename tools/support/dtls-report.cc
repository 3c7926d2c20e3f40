/*
 * DTLS lines of the tools; see dtls-report.h.
 */

#include "dtls-report.h"

#include "posix/ipv4-peer.h"

namespace lpwan
{
namespace tools
{

std::string
DtlsEventLine(const lpwan::TransportEvent& e, const std::string& cipherSuite)
{
    std::string line = "dtls: " + PeerToString(e.peer) + " ";
    switch (e.kind)
    {
        case lpwan::TransportEvent::Kind::Established:
            line += "established";
            if (!cipherSuite.empty())
            {
                line += ", cipher suite " + cipherSuite;
            }
            if (e.abbreviated)
            {
                line += ", resumed";
            }
            break;
        case lpwan::TransportEvent::Kind::Failed:
            line += "failed: " + e.reason;
            break;
        case lpwan::TransportEvent::Kind::Closed:
            line += "closed: " + e.reason;
            break;
    }
    return line;
}

std::string
DtlsCountersLine(const tls::HandshakeFigures& f, uint64_t dropped)
{
    return "dtls: handshakes=" + std::to_string(f.started)
           + " completed=" + std::to_string(f.completed) + " failed=" + std::to_string(f.failed)
           + " resumed=" + std::to_string(f.abbreviated) + " hello-verify-requests="
           + std::to_string(f.helloVerifyRequests) + " retransmitted-flights="
           + std::to_string(f.retransmittedFlights) + " dropped=" + std::to_string(dropped);
}

} // namespace tools
} // namespace lpwan
