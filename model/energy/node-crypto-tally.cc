#include "node-crypto-tally.h"

#include "ns3/simulator.h"

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

Ptr<McuSchedule>
NodeCryptoTally::Watch(Ptr<Node> node)
{
    Ptr<McuSchedule> mcu = node->GetObject<McuSchedule>();
    if (!mcu)
    {
        mcu = CreateObject<McuSchedule>();
        node->AggregateObject(mcu);
    }
    m_nodes[node->GetId()] = mcu;
    return mcu;
}

NodeCryptoWork
NodeCryptoTally::Get(uint32_t nodeId) const
{
    auto it = m_nodes.find(nodeId);
    return it == m_nodes.end() ? NodeCryptoWork{} : it->second->GetWork();
}

lpwan::CryptoTally*
NodeCryptoTally::Current(lpwan::CryptoPhase phase)
{
    if (!Simulator::IsFinished() && Simulator::GetContext() != Simulator::NO_CONTEXT)
    {
        auto it = m_nodes.find(Simulator::GetContext());
        if (it != m_nodes.end())
        {
            return it->second->Record(phase);
        }
    }
    return nullptr;
}

} // namespace ns3
