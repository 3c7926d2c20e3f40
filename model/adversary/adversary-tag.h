/*
 * A packet tag on every datagram an adversary changed, replayed or forged, naming its action
 * in the ExposureLedger. It is accounting, not protocol (it adds no bytes and no node reads
 * it to decide anything): the server's DatagramAudit reads it to count what became of the
 * action -- accepted as genuine, or rejected by OSCORE, DTLS or CoAP.
 */
#ifndef LPWAN_ADVERSARY_TAG_H
#define LPWAN_ADVERSARY_TAG_H

#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{

class AdversaryTag : public Tag
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    uint64_t action = 0; ///< ExposureLedger action id (never 0)
};

} // namespace ns3

#endif // LPWAN_ADVERSARY_TAG_H
