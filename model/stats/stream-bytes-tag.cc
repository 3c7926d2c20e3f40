#include "stream-bytes-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(StreamBytesTag);

TypeId
StreamBytesTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::StreamBytesTag")
                            .SetParent<Tag>()
                            .SetGroupName("LpwanSec")
                            .AddConstructor<StreamBytesTag>();
    return tid;
}

TypeId
StreamBytesTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
StreamBytesTag::GetSerializedSize() const
{
    return 8 + 1 + 1;
}

void
StreamBytesTag::Serialize(TagBuffer buf) const
{
    buf.WriteU64(messageId);
    buf.WriteU8(static_cast<uint8_t>(layer));
    buf.WriteU8((uplink ? 1 : 0) | (handshake ? 2 : 0));
}

void
StreamBytesTag::Deserialize(TagBuffer buf)
{
    messageId = buf.ReadU64();
    uint8_t l = buf.ReadU8();
    layer = l <= 2 ? static_cast<Layer>(l) : Layer::App;
    uint8_t flags = buf.ReadU8();
    uplink = flags & 1;
    handshake = flags & 2;
}

void
StreamBytesTag::Print(std::ostream& os) const
{
    static const char* names[] = {"app", "protocol", "security"};
    os << "message=" << messageId << " layer=" << names[static_cast<int>(layer)]
       << (uplink ? " up" : " down") << (handshake ? " handshake" : "");
}

} // namespace ns3
