#include "adversary-tap.h"

#include "ns3/abort.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(AdversaryTap);

TypeId
AdversaryTap::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::AdversaryTap").SetParent<Ipv4RoutingProtocol>().SetGroupName("LpwanSec");
    return tid;
}

Ptr<AdversaryTap>
AdversaryTap::Install(Ptr<Node> node, Handler handler)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ptr<Ipv4ListRouting> list
        = ipv4 ? DynamicCast<Ipv4ListRouting>(ipv4->GetRoutingProtocol()) : nullptr;
    NS_ABORT_MSG_UNLESS(list, "AdversaryTap: node " << node->GetId() << " has no Ipv4ListRouting");
    Ptr<AdversaryTap> tap = CreateObject<AdversaryTap>();
    for (uint32_t i = 0; i < list->GetNRoutingProtocols() && !tap->m_inner; ++i)
    {
        int16_t priority = 0;
        tap->m_inner = DynamicCast<Ipv4StaticRouting>(list->GetRoutingProtocol(i, priority));
    }
    NS_ABORT_MSG_UNLESS(tap->m_inner,
                        "AdversaryTap: node " << node->GetId() << " has no Ipv4StaticRouting");
    tap->m_handler = std::move(handler);
    list->AddRoutingProtocol(tap, 100); // asked before the static routing
    return tap;
}

void
AdversaryTap::DoDispose()
{
    m_inner = nullptr;
    m_handler = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

Ptr<Ipv4Route>
AdversaryTap::RouteOutput(Ptr<Packet> p, const Ipv4Header& header, Ptr<NetDevice> oif,
                          Socket::SocketErrno& sockerr)
{
    sockerr = Socket::ERROR_NOROUTETOHOST; // the static routing behind answers
    return nullptr;
}

bool
AdversaryTap::RouteInput(Ptr<const Packet> p, const Ipv4Header& header, Ptr<const NetDevice> idev,
                         UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                         LocalDeliverCallback lcb, ErrorCallback ecb)
{
    if (!m_inner || !m_handler)
    {
        return false;
    }
    Handler& handler = m_handler;
    UnicastForwardCallback intercept(
        [&handler, ucb](Ptr<Ipv4Route> route, Ptr<const Packet> packet, const Ipv4Header& h)
        {
            handler(route, packet, h, ucb);
        });
    return m_inner->RouteInput(p, header, idev, intercept, mcb, lcb, ecb);
}

void
AdversaryTap::NotifyInterfaceUp(uint32_t)
{
}

void
AdversaryTap::NotifyInterfaceDown(uint32_t)
{
}

void
AdversaryTap::NotifyAddAddress(uint32_t, Ipv4InterfaceAddress)
{
}

void
AdversaryTap::NotifyRemoveAddress(uint32_t, Ipv4InterfaceAddress)
{
}

void
AdversaryTap::SetIpv4(Ptr<Ipv4>)
{
    // The static routing behind the tap already knows the node's Ipv4.
}

void
AdversaryTap::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    *stream->GetStream() << "AdversaryTap: every forwarded packet passes an adversary\n";
}

} // namespace ns3
