/*
 * A receive error model that drops every packet while its link is down (OutageSchedule), and
 * nothing otherwise: a backhaul or core-network outage on a point-to-point link. Installed on
 * both ends of the link (ReceiveErrorModel), so both directions are cut. The dropped packets
 * reach the device's PhyRxDrop trace like any other corrupted packet; GetDropped() counts them.
 */
#ifndef LPWAN_OUTAGE_ERROR_MODEL_H
#define LPWAN_OUTAGE_ERROR_MODEL_H

#include "outage-schedule.h"

#include "ns3/error-model.h"

namespace ns3
{

class OutageErrorModel : public ErrorModel
{
  public:
    static TypeId GetTypeId();
    OutageErrorModel() = default;

    void AddOutage(Time start, Time duration)
    {
        m_schedule.Add(start, duration);
    }

    /// Packets dropped because the link was down.
    uint64_t GetDropped() const
    {
        return m_dropped;
    }

  private:
    bool DoCorrupt(Ptr<Packet> p) override;
    void DoReset() override {}

    OutageSchedule m_schedule;
    uint64_t m_dropped = 0;
};

} // namespace ns3

#endif // LPWAN_OUTAGE_ERROR_MODEL_H
