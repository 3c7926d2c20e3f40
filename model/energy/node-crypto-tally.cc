#include "node-crypto-tally.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <stdexcept>

namespace ns3
{

NodeCryptoTally::NodeCryptoTally()
  : m_previous(nullptr)
{
    if (!lpwan::CryptoTallyWorks())
    {
        throw std::runtime_error(
            "crypto operations are not counted in this process (liblpwan-protocols must come "
            "before libmbedcrypto and libsodium in the link order; see "
            "protocols/common/crypto-tally.h)");
    }
    m_previous = lpwan::SetCryptoTallySink(this);
}

NodeCryptoTally::~NodeCryptoTally()
{
    lpwan::SetCryptoTallySink(m_previous);
}

void
NodeCryptoTally::Watch(uint32_t nodeId)
{
    m_nodes.emplace(nodeId, Node{});
}

NodeCryptoWork
NodeCryptoTally::Get(uint32_t nodeId) const
{
    auto it = m_nodes.find(nodeId);
    return it == m_nodes.end() ? NodeCryptoWork{} : it->second.work;
}

void
NodeCryptoTally::SetMcu(const McuProfile& mcu)
{
    m_mcu = mcu;
}

void
NodeCryptoTally::Schedule(Node& node) const
{
    if (!node.pending)
    {
        return;
    }
    // Prices are linear in the counts: the new work costs the price of all minus what is
    // already scheduled.
    const double all = m_mcu->Seconds(node.work.Total());
    const Time start = std::max(node.busyUntil, node.pendingSince);
    node.busyUntil = start + Seconds(all - node.pricedS);
    node.pricedS = all;
    node.pending = false;
}

Time
NodeCryptoTally::GetBusyTime(uint32_t nodeId)
{
    auto it = m_nodes.find(nodeId);
    if (!m_mcu || it == m_nodes.end())
    {
        return Time(0);
    }
    Schedule(it->second);
    const Time now = Simulator::Now();
    return it->second.busyUntil > now ? it->second.busyUntil - now : Time(0);
}

lpwan::CryptoTally*
NodeCryptoTally::Current(lpwan::CryptoPhase phase)
{
    if (!Simulator::IsFinished() && Simulator::GetContext() != Simulator::NO_CONTEXT)
    {
        auto it = m_nodes.find(Simulator::GetContext());
        if (it != m_nodes.end())
        {
            Node& node = it->second;
            if (m_mcu && (!node.pending || node.pendingSince != Simulator::Now()))
            {
                // An earlier event's work goes on the schedule from that event's time.
                Schedule(node);
                node.pending = true;
                node.pendingSince = Simulator::Now();
            }
            return phase == lpwan::CryptoPhase::HANDSHAKE ? &node.work.handshake
                                                          : &node.work.exchange;
        }
    }
    return nullptr;
}

} // namespace ns3
