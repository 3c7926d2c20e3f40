#include "outage-error-model.h"

#include "ns3/simulator.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(OutageErrorModel);

TypeId
OutageErrorModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OutageErrorModel")
                            .SetParent<ErrorModel>()
                            .SetGroupName("LpwanSec")
                            .AddConstructor<OutageErrorModel>();
    return tid;
}

bool
OutageErrorModel::DoCorrupt(Ptr<Packet> p)
{
    if (!m_schedule.IsDown(Simulator::Now()))
    {
        return false;
    }
    ++m_dropped;
    return true;
}

} // namespace ns3
