/*
 * A packet tag that names the application message a datagram belongs to, and how many of its
 * UDP payload bytes are application payload, CoAP encoding and security overhead.
 *
 * The sending application sets it, because only the sender knows the plaintext structure of
 * what it encrypted; the link's accounting reads it on every frame it puts on the air and adds
 * the transport, IP and radio bytes it finds in the real headers. A tag adds no bytes on air.
 */
#ifndef LPWAN_MESSAGE_TAG_H
#define LPWAN_MESSAGE_TAG_H

#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{

class MessageTag : public Tag
{
  public:
    /// Message id meaning "not attributable to an application message".
    static constexpr uint64_t kNoMessage = 0;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    uint64_t messageId = kNoMessage;
    uint16_t appBytes = 0;
    uint16_t coapBytes = 0;
    uint16_t securityBytes = 0;
    bool uplink = true;          ///< sent by the device (true) or towards it (false)
    bool retransmission = false; ///< repeats an earlier datagram
    bool handshake = false;      ///< a (D)TLS handshake flight or alert, no application data
};

} // namespace ns3

#endif // LPWAN_MESSAGE_TAG_H
