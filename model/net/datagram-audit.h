/*
 * What became of each datagram a CoAP endpoint received: accepted by the secure transport or
 * not, and then delivered to the application or rejected by it (OSCORE verification). The
 * exposure accounting of an adversary (model/adversary) puts one on the server, so that the
 * forged, modified and replayed datagrams it sent are counted as accepted or detected by what
 * really happened to their bytes.
 *
 * A CoapUdpBinding with an audit calls BeginDatagram() before it hands a datagram to its
 * transport or endpoint and EndDatagram() after everything that datagram caused has run; the
 * application reports its verdict on the request in between (the events of a datagram are
 * handled synchronously inside the binding's receive path).
 */
#ifndef LPWAN_DATAGRAM_AUDIT_H
#define LPWAN_DATAGRAM_AUDIT_H

#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstddef>
#include <optional>
#include <string>

namespace ns3
{

class DatagramAudit
{
  public:
    virtual ~DatagramAudit() = default;

    /// A datagram arrived (the packet as the socket delivered it, tags included).
    virtual void BeginDatagram(Ptr<const Packet> packet) = 0;
    /// The application's verdict on the request the datagram carried: "delivered", or the
    /// reason it was rejected ("oscore-Replay", "oscore-DecryptionFailed", ...).
    virtual void ApplicationVerdict(const std::string& verdict) = 0;
    /// Its processing ended. plaintexts: the application datagrams the secure transport
    /// accepted from it (0: DTLS discarded it, e.g. a bad MAC or a replayed record); nullopt
    /// when there is no secure transport.
    virtual void EndDatagram(std::optional<size_t> plaintexts) = 0;
};

} // namespace ns3

#endif // LPWAN_DATAGRAM_AUDIT_H
