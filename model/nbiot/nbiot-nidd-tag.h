/*
 * Non-IP data delivery (NIDD, TS 23.682 4.5.14): a NIDD device sends its application datagram
 * without IP and UDP headers; the core network (SCEF) knows the device's context — which
 * application server and port its non-IP PDN connection leads to — and delivers the datagram.
 *
 * In the simulation the device and server keep their UDP sockets, so a UE device with NIDD
 * strips the IPv4 and UDP headers before the air and the base station's side restores them.
 * The removed headers ride in this packet tag, which stands for the core network's per-device
 * NIDD context: it carries no bytes on the air. NbIotNidd does the stripping and restoring.
 */
#ifndef NBIOT_NIDD_TAG_H
#define NBIOT_NIDD_TAG_H

#include "ns3/packet.h"
#include "ns3/tag.h"

#include <array>
#include <cstdint>

namespace ns3
{

class NbIotNiddTag : public Tag
{
  public:
    static constexpr uint32_t kHeaderBytes = 28; ///< IPv4 (20, no options) + UDP (8)

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    std::array<uint8_t, kHeaderBytes> headers{};
};

struct NbIotNidd
{
    /// If packet is an unfragmented IPv4/UDP packet without IP options, remove both headers,
    /// keep them in an NbIotNiddTag and return true; otherwise leave it unchanged (it then
    /// travels with its IP header, as a NIDD connection cannot carry it) and return false.
    static bool Strip(Ptr<Packet> packet);
    /// Put back the headers a Strip removed (no-op without the tag).
    static bool Restore(Ptr<Packet> packet);
};

} // namespace ns3

#endif // NBIOT_NIDD_TAG_H
