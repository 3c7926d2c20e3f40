/*
 * Which simulated device did a cryptographic operation: the crypto tally's sink for a
 * simulation (protocols/common/crypto-tally.h). Every event ns-3 runs belongs to a node (its
 * context: the node of the application timer, or the node a packet was delivered to), so an
 * operation the stacks perform inside an event is the work of that node's MCU, recorded on
 * the node's McuSchedule (mcu-schedule.h). Operations outside the run (provisioning) or on
 * nodes that are not watched (servers, gateways) are not counted.
 */
#ifndef LPWAN_NODE_CRYPTO_TALLY_H
#define LPWAN_NODE_CRYPTO_TALLY_H

#include "mcu-schedule.h"
#include "protocols/common/crypto-tally.h"

#include "ns3/node.h"

#include <cstdint>
#include <unordered_map>

namespace ns3
{

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

    /// Counts the work of this node on an McuSchedule aggregated to it (created if missing).
    Ptr<McuSchedule> Watch(Ptr<Node> node);
    /// The work of a watched node so far (zero for another node).
    NodeCryptoWork Get(uint32_t nodeId) const;

    lpwan::CryptoTally* Current(lpwan::CryptoPhase phase) override;

  private:
    std::unordered_map<uint32_t, Ptr<McuSchedule>> m_nodes;
    lpwan::CryptoTallySink* m_previous;
};

} // namespace ns3

#endif // LPWAN_NODE_CRYPTO_TALLY_H
