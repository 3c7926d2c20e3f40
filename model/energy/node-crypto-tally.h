/*
 * Which simulated device did a cryptographic operation: the crypto tally's sink for a
 * simulation (protocols/common/crypto-tally.h). Every event ns-3 runs belongs to a node (its
 * context: the node of the application timer, or the node a packet was delivered to), so an
 * operation the stacks perform inside an event is the work of that node's MCU. Operations
 * outside the run (provisioning) or on nodes that are not watched (servers, gateways) are not
 * counted.
 *
 * With an MCU profile (SetMcu), the tally also keeps each watched node's MCU busy: the work of
 * an event starts when the event runs (or when the MCU finishes what it was doing) and lasts
 * its price, so that the node's radio can hold a packet back until the MCU has computed it
 * (GetBusyTime, NbIotUeNetDevice's McuDelay).
 */
#ifndef LPWAN_NODE_CRYPTO_TALLY_H
#define LPWAN_NODE_CRYPTO_TALLY_H

#include "mcu-profile.h"
#include "protocols/common/crypto-tally.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <optional>
#include <unordered_map>

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

/**
 * \brief Counts the cryptographic work of the watched nodes while it is installed (from
 * construction to destruction, on the simulation's thread).
 */
class NodeCryptoTally : public lpwan::CryptoTallySink
{
  public:
    /// Throws std::runtime_error when this process does not count (crypto-tally.h,
    /// CryptoTallyWorks): a run would otherwise report no computation at all.
    NodeCryptoTally();
    ~NodeCryptoTally() override;
    NodeCryptoTally(const NodeCryptoTally&) = delete;
    NodeCryptoTally& operator=(const NodeCryptoTally&) = delete;

    /// Counts the work of the node with this id.
    void Watch(uint32_t nodeId);
    /// The work of a watched node so far (zero for another node).
    NodeCryptoWork Get(uint32_t nodeId) const;
    /// Prices the work with this MCU, so that GetBusyTime knows how long it takes.
    void SetMcu(const McuProfile& mcu);
    /// How much longer the node's MCU computes what its stacks did so far (zero when it is
    /// free, without an MCU profile, or for a node that is not watched).
    Time GetBusyTime(uint32_t nodeId);

    lpwan::CryptoTally* Current(lpwan::CryptoPhase phase) override;

  private:
    struct Node
    {
        NodeCryptoWork work;
        double pricedS = 0;   ///< MCU seconds of the work already on the MCU's schedule
        bool pending = false; ///< work of the event at pendingSince not yet scheduled
        Time pendingSince;
        Time busyUntil;
    };

    /// Puts the pending work on the node's MCU schedule.
    void Schedule(Node& node) const;

    std::unordered_map<uint32_t, Node> m_nodes;
    std::optional<McuProfile> m_mcu;
    lpwan::CryptoTallySink* m_previous;
};

} // namespace ns3

#endif // LPWAN_NODE_CRYPTO_TALLY_H
