#include "adversary-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(AdversaryTag);

TypeId
AdversaryTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AdversaryTag")
                            .SetParent<Tag>()
                            .SetGroupName("LpwanSec")
                            .AddConstructor<AdversaryTag>();
    return tid;
}

TypeId
AdversaryTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
AdversaryTag::GetSerializedSize() const
{
    return 8;
}

void
AdversaryTag::Serialize(TagBuffer buf) const
{
    buf.WriteU64(action);
}

void
AdversaryTag::Deserialize(TagBuffer buf)
{
    action = buf.ReadU64();
}

void
AdversaryTag::Print(std::ostream& os) const
{
    os << "adversary-action=" << action;
}

} // namespace ns3
