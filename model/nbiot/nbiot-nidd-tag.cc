#include "nbiot-nidd-tag.h"

#include "ns3/ipv4-header.h"
#include "ns3/udp-header.h"
#include "ns3/udp-l4-protocol.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(NbIotNiddTag);

TypeId
NbIotNiddTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NbIotNiddTag")
                            .SetParent<Tag>()
                            .SetGroupName("NbIot")
                            .AddConstructor<NbIotNiddTag>();
    return tid;
}

TypeId
NbIotNiddTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
NbIotNiddTag::GetSerializedSize() const
{
    return kHeaderBytes;
}

void
NbIotNiddTag::Serialize(TagBuffer buf) const
{
    buf.Write(headers.data(), kHeaderBytes);
}

void
NbIotNiddTag::Deserialize(TagBuffer buf)
{
    buf.Read(headers.data(), kHeaderBytes);
}

void
NbIotNiddTag::Print(std::ostream& os) const
{
    os << "nidd-context";
}

bool
NbIotNidd::Strip(Ptr<Packet> packet)
{
    Ipv4Header ip;
    if (packet->GetSize() < NbIotNiddTag::kHeaderBytes || packet->PeekHeader(ip) != 20
        || ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER || ip.GetFragmentOffset() != 0
        || !ip.IsLastFragment())
    {
        return false;
    }
    NbIotNiddTag tag;
    packet->CopyData(tag.headers.data(), NbIotNiddTag::kHeaderBytes);
    packet->RemoveAtStart(NbIotNiddTag::kHeaderBytes);
    packet->AddPacketTag(tag);
    return true;
}

bool
NbIotNidd::Restore(Ptr<Packet> packet)
{
    NbIotNiddTag tag;
    if (!packet->RemovePacketTag(tag))
    {
        return false;
    }
    // Parse the saved bytes back into header objects and put them in front of the payload;
    // the payload keeps its packet tags (e.g. the MessageTag of the accounting).
    Ptr<Packet> saved = Create<Packet>(tag.headers.data(), NbIotNiddTag::kHeaderBytes);
    Ipv4Header ip;
    UdpHeader udp;
    saved->RemoveHeader(ip);
    saved->RemoveHeader(udp);
    packet->AddHeader(udp);
    packet->AddHeader(ip);
    return true;
}

} // namespace ns3
