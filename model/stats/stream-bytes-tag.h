/*
 * A byte tag for data sent over a byte stream (TCP): which application message a range of
 * stream bytes belongs to and which layer it is (application payload, MQTT, TLS).
 *
 * Over UDP one datagram is one message and a packet tag (MessageTag) describes it whole. TCP
 * cuts the stream into segments wherever its window and segment size say, so a segment may
 * carry the end of one record and the start of the next. ns-3 keeps byte tags on the bytes they
 * cover through TCP's send buffer, segmentation and retransmission, so the sender tags each
 * range once and the link accounting finds, in every frame, exactly the ranges it carries.
 * A tag adds no bytes on air.
 */
#ifndef LPWAN_STREAM_BYTES_TAG_H
#define LPWAN_STREAM_BYTES_TAG_H

#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{

class StreamBytesTag : public Tag
{
  public:
    /// The layer a range of stream bytes belongs to (LayerBytes' app, coap and security).
    enum class Layer : uint8_t
    {
        App = 0,      ///< application payload
        Protocol = 1, ///< the application protocol's encoding (MQTT fixed and variable header)
        Security = 2, ///< TLS record headers, explicit nonces, tags, handshake and alerts
    };

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    uint64_t messageId = 0; ///< MessageTag::kNoMessage when no message owns the bytes
    Layer layer = Layer::App;
    bool uplink = true;
    bool handshake = false; ///< TLS handshake (or alert) bytes
};

} // namespace ns3

#endif // LPWAN_STREAM_BYTES_TAG_H
