/*
 * A device's microcontroller as a resource in time: the cryptographic work its stacks did
 * (counted by NodeCryptoTally), and until when the MCU is busy computing it, priced by an MCU
 * profile. Aggregated to the device's Node (ns-3 object aggregation), so that whatever sits on
 * the node can ask: the radio holds a packet back until the MCU has computed it
 * (NbIotUeNetDevice), and a protocol's retransmission timer starts when the message it guards
 * actually left the MCU (CoapUdpBinding, TlsTcpConnection, MqttMeterApp): a stack computes
 * instantly in the simulation and would otherwise start its timers too early.
 *
 * An event's work starts when the event runs, or when the MCU finishes what it was doing, and
 * lasts the price of its operations.
 */
#ifndef LPWAN_MCU_SCHEDULE_H
#define LPWAN_MCU_SCHEDULE_H

#include "mcu-profile.h"
#include "protocols/common/crypto-tally.h"

#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <optional>

namespace ns3
{

/// The operations of one node, split into handshake and exchange work.
struct NodeCryptoWork
{
    lpwan::CryptoTally handshake;
    lpwan::CryptoTally exchange;

    lpwan::CryptoTally Total() const
    {
        return handshake + exchange;
    }
};

class McuSchedule : public Object
{
  public:
    static TypeId GetTypeId();

    /// Prices the work with this MCU; without one the MCU takes no time.
    void SetMcu(const McuProfile& mcu);
    const NodeCryptoWork& GetWork() const;
    /// The tally an operation done now belongs to (called by the crypto tally's sink).
    lpwan::CryptoTally* Record(lpwan::CryptoPhase phase);
    /// How much longer the MCU computes what the stacks did so far (zero when it is free).
    Time GetBusyTime();

    /// The node's MCU busy time, or zero when the node has no McuSchedule.
    static Time BusyTimeOf(Ptr<Node> node);

  private:
    /// Puts the work of the pending event on the MCU's schedule.
    void Schedule();

    NodeCryptoWork m_work;
    std::optional<McuProfile> m_mcu;
    double m_pricedS = 0;   ///< MCU seconds of the work already on the schedule
    bool m_pending = false; ///< work of the event at m_pendingSince not yet scheduled
    Time m_pendingSince;
    Time m_busyUntil;
};

} // namespace ns3

#endif // LPWAN_MCU_SCHEDULE_H
