#include "nbiot-nidd-tag.h"

#include "ns3/ipv4-header.h"
#include "ns3/udp-header.h"
#include "ns3/udp-l4-protocol.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(NbIotNiddTag);

namespace
{

/// The saved IPv4 and UDP header bytes, put back verbatim (re-serializing ns-3's header
/// classes would not reproduce every field, e.g. the UDP length after a round trip).
class SavedHeaders : public Header
{
  public:
    explicit SavedHeaders(const std::array<uint8_t, NbIotNiddTag::kHeaderBytes>& bytes)
      : m_bytes(bytes)
    {
    }

    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::NbIotNiddSavedHeaders").SetParent<Header>();
        return tid;
    }

    TypeId GetInstanceTypeId() const override
    {
        return GetTypeId();
    }

    uint32_t GetSerializedSize() const override
    {
        return NbIotNiddTag::kHeaderBytes;
    }

    void Serialize(Buffer::Iterator start) const override
    {
        start.Write(m_bytes.data(), m_bytes.size());
    }

    uint32_t Deserialize(Buffer::Iterator start) override
    {
        start.Read(m_bytes.data(), m_bytes.size());
        return NbIotNiddTag::kHeaderBytes;
    }

    void Print(std::ostream& os) const override
    {
        os << "ipv4+udp (restored)";
    }

  private:
    std::array<uint8_t, NbIotNiddTag::kHeaderBytes> m_bytes;
};

} // namespace

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
    packet->AddHeader(SavedHeaders(tag.headers));
    return true;
}

} // namespace ns3
