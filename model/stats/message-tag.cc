#include "message-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MessageTag);

TypeId
MessageTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MessageTag")
                            .SetParent<Tag>()
                            .SetGroupName("LpwanSec")
                            .AddConstructor<MessageTag>();
    return tid;
}

TypeId
MessageTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
MessageTag::GetSerializedSize() const
{
    return 8 + 2 + 2 + 2 + 1;
}

void
MessageTag::Serialize(TagBuffer buf) const
{
    buf.WriteU64(messageId);
    buf.WriteU16(appBytes);
    buf.WriteU16(coapBytes);
    buf.WriteU16(securityBytes);
    buf.WriteU8((uplink ? 1 : 0) | (retransmission ? 2 : 0) | (handshake ? 4 : 0));
}

void
MessageTag::Deserialize(TagBuffer buf)
{
    messageId = buf.ReadU64();
    appBytes = buf.ReadU16();
    coapBytes = buf.ReadU16();
    securityBytes = buf.ReadU16();
    uint8_t flags = buf.ReadU8();
    uplink = flags & 1;
    retransmission = flags & 2;
    handshake = flags & 4;
}

void
MessageTag::Print(std::ostream& os) const
{
    os << "message=" << messageId << " app=" << appBytes << " coap=" << coapBytes
       << " security=" << securityBytes << (uplink ? " up" : " down")
       << (retransmission ? " rtx" : "");
}

} // namespace ns3
