/*
 * Counts every frame the LPWAN link puts on the air, splitting its real bytes into layers:
 * radio (the link's header and trailer), IP (the IPv4 header as found in the frame), transport
 * (the UDP header), and the UDP payload split by the sender's MessageTag into application
 * payload, CoAP and security. The totals and the per-message figures go to the MessageLedger.
 */
#ifndef LPWAN_LINK_ACCOUNTING_H
#define LPWAN_LINK_ACCOUNTING_H

#include "layer-bytes.h"
#include "message-ledger.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <map>
#include <string>

namespace ns3
{

class LpwanChannel;

class LinkAccounting : public Object
{
  public:
    static TypeId GetTypeId();

    /// Hooks the channel's FrameTxBegin and FrameLost trace sources.
    void Attach(Ptr<LpwanChannel> channel, Ptr<MessageLedger> ledger);

    /// Splits one frame (LPWAN header + IP packet + LPWAN trailer) into layer bytes.
    static LayerBytes Classify(Ptr<const Packet> frame, const MessageTag* tag);

    /// Frames lost by the link, by reason ("loss", "collision", "queue", ...).
    const std::map<std::string, uint64_t>& GetLossesByReason() const
    {
        return m_lossesByReason;
    }

    /// Seconds the uplink / downlink spent transmitting (airtime).
    double GetUplinkAirtime() const
    {
        return m_uplinkAirtime.GetSeconds();
    }

    double GetDownlinkAirtime() const
    {
        return m_downlinkAirtime.GetSeconds();
    }

  private:
    void DoDispose() override;
    void FrameTxBegin(Ptr<const Packet> frame, uint32_t station, bool uplink, Time duration);
    void FrameLost(Ptr<const Packet> frame, uint32_t station, bool uplink, std::string reason);

    Ptr<MessageLedger> m_ledger;
    std::map<std::string, uint64_t> m_lossesByReason;
    Time m_uplinkAirtime;
    Time m_downlinkAirtime;
};

} // namespace ns3

#endif // LPWAN_LINK_ACCOUNTING_H
