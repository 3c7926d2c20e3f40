/*
 * AdversaryTap: an Ipv4RoutingProtocol put in front of a node's static routing (in its
 * Ipv4ListRouting, at a higher priority) that hands every packet the node forwards to a
 * handler before it leaves: the handler may pass it on (the original forwarding callback),
 * change it, hold it back, copy it or swallow it. Routing itself stays the static routing's:
 * the tap asks it for the route and wraps only the forwarding callback. Locally delivered and
 * locally originated packets do not pass through it.
 */
#ifndef LPWAN_ADVERSARY_TAP_H
#define LPWAN_ADVERSARY_TAP_H

#include "ns3/ipv4-routing-protocol.h"

#include <functional>

namespace ns3
{

class Node;

class AdversaryTap : public Ipv4RoutingProtocol
{
  public:
    /// The handler forwards a packet with forward(route, packet, header) when it wants it sent.
    using Handler
        = std::function<void(Ptr<Ipv4Route> route, Ptr<const Packet> packet,
                             const Ipv4Header& header, const UnicastForwardCallback& forward)>;

    static TypeId GetTypeId();

    /// Puts a tap in front of the node's static routing. The node's routing protocol must be
    /// an Ipv4ListRouting holding an Ipv4StaticRouting (as TopologyHelper builds it).
    static Ptr<AdversaryTap> Install(Ptr<Node> node, Handler handler);

    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p, const Ipv4Header& header, Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    bool RouteInput(Ptr<const Packet> p, const Ipv4Header& header, Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb, ErrorCallback ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  private:
    void DoDispose() override;

    Ptr<Ipv4RoutingProtocol> m_inner; ///< the static routing that finds the routes
    Handler m_handler;
};

} // namespace ns3

#endif // LPWAN_ADVERSARY_TAP_H
