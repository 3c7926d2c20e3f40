#include "topology-generators.h"

namespace ns3
{
namespace topology
{

namespace
{

/// Adds `count` devices named <hub>-d1.. joined to hub by radio links of `kind`.
void
AddDevices(Topology& t, Vertex hub, uint32_t count, LinkKind kind)
{
    const std::string name = t.GetNode(hub).name;
    for (uint32_t i = 1; i <= count; ++i)
    {
        Vertex d = t.AddNode(name + "-d" + std::to_string(i), Role::Device);
        t.AddLink(d, hub, kind);
    }
}

} // namespace

Topology
MakeStar(uint32_t devices)
{
    Topology t("generator star");
    Vertex server = t.AddNode("server", Role::Server);
    Vertex gw = t.AddNode("gw", Role::Gateway);
    t.AddLink(gw, server, LinkKind::P2p);
    AddDevices(t, gw, devices, LinkKind::Lpwan);
    t.Validate();
    return t;
}

Topology
MakeGateways(uint32_t gateways, uint32_t devicesPerGateway)
{
    Topology t("generator gateways");
    Vertex server = t.AddNode("server", Role::Server);
    Vertex core = t.AddNode("core", Role::Router);
    t.AddLink(core, server, LinkKind::P2p);
    for (uint32_t g = 1; g <= gateways; ++g)
    {
        Vertex gw = t.AddNode("gw" + std::to_string(g), Role::Gateway);
        t.AddLink(gw, core, LinkKind::P2p);
        AddDevices(t, gw, devicesPerGateway, LinkKind::Lpwan);
    }
    t.Validate();
    return t;
}

Topology
MakeChain(uint32_t gateways, uint32_t devicesPerGateway)
{
    Topology t("generator chain");
    Vertex previous = t.AddNode("server", Role::Server);
    for (uint32_t g = 1; g <= gateways; ++g)
    {
        Vertex gw = t.AddNode("gw" + std::to_string(g), Role::Gateway);
        t.AddLink(gw, previous, LinkKind::P2p);
        AddDevices(t, gw, devicesPerGateway, LinkKind::Lpwan);
        previous = gw;
    }
    t.Validate();
    return t;
}

// Cells (real NB-IoT cells once built by TopologyHelper) -- operator core -- IoT platform
// gateway -- cloud server.
Topology
MakeCellular(uint32_t cells, uint32_t devicesPerCell)
{
    Topology t("generator cellular");
    Vertex server = t.AddNode("server", Role::Server);
    Vertex platform = t.AddNode("platform", Role::Gateway);
    Vertex core = t.AddNode("core", Role::Router);
    t.AddLink(platform, server, LinkKind::P2p);
    t.AddLink(core, platform, LinkKind::P2p);
    for (uint32_t c = 1; c <= cells; ++c)
    {
        Vertex cell = t.AddNode("cell" + std::to_string(c), Role::Cell);
        t.AddLink(cell, core, LinkKind::P2p);
        AddDevices(t, cell, devicesPerCell, LinkKind::NbIot);
    }
    t.Validate();
    return t;
}

Topology
Generate(const std::string& name, uint32_t hubs, uint32_t devicesPerHub)
{
    if (devicesPerHub == 0)
    {
        throw TopologyError("generator " + name + ": needs at least one device per hub");
    }
    if (name == "star")
    {
        return MakeStar(devicesPerHub);
    }
    if (hubs == 0)
    {
        throw TopologyError("generator " + name + ": needs at least one gateway or cell");
    }
    if (name == "gateways")
    {
        return MakeGateways(hubs, devicesPerHub);
    }
    if (name == "chain")
    {
        return MakeChain(hubs, devicesPerHub);
    }
    if (name == "cellular")
    {
        return MakeCellular(hubs, devicesPerHub);
    }
    throw TopologyError("unknown topology generator '" + name
                        + "' (star, gateways, chain or cellular)");
}

} // namespace topology
} // namespace ns3
