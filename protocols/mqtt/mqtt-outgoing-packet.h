/*
 * A packet an MQTT endpoint (client or broker connection) wants written to its byte stream,
 * with what byte accounting needs: which packet it is and how its bytes split between the
 * application payload and the MQTT layer (DESIGN.md principle 4). The stream itself is just
 * the concatenation of the bytes, so a TLS session can sit between the endpoint and TCP.
 */
#ifndef LPWAN_MQTT_OUTGOING_PACKET_H
#define LPWAN_MQTT_OUTGOING_PACKET_H

#include "mqtt-packet.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lpwan
{
namespace mqtt
{

struct OutgoingPacket
{
    PacketType type = PacketType::Pingreq;
    Bytes bytes;                 ///< the encoded packet
    size_t payloadBytes = 0;     ///< PUBLISH: application payload; 0 for other packets
    uint16_t packetId = 0;       ///< PUBLISH QoS > 0, acknowledgements, (UN)SUBSCRIBE
    bool retransmission = false; ///< a PUBLISH sent again with DUP = 1

    /// Bytes that belong to the MQTT layer: everything but the application payload.
    size_t HeaderBytes() const
    {
        return bytes.size() - payloadBytes;
    }
};

/// The bytes of packets, concatenated in order: what goes into the stream.
inline Bytes
Concatenate(const std::vector<OutgoingPacket>& packets)
{
    Bytes out;
    for (const OutgoingPacket& p : packets)
    {
        out.insert(out.end(), p.bytes.begin(), p.bytes.end());
    }
    return out;
}

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_OUTGOING_PACKET_H
