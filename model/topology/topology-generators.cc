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

TopologyCensus
GeneratorCensus(const std::string& name, uint32_t hubs, uint32_t devicesPerHub)
{
    TopologyCensus c;
    if (name == "star")
    {
        hubs = 1;
    }
    c.hubs = hubs;
    c.devices = uint64_t{hubs} * devicesPerHub;
    c.cellularDevices = name == "cellular" ? c.devices : 0;
    // server, core router and platform gateway around the hubs (at most three).
    const uint64_t others = name == "cellular" ? 3 : name == "gateways" ? 2 : 1;
    c.nodes = others + c.hubs + c.devices;
    c.links = others - 1 + c.hubs + c.devices;
    return c;
}

Topology
Generate(const std::string& name, uint32_t hubs, uint32_t devicesPerHub, const CensusCheck& check)
{
    if (devicesPerHub == 0)
    {
        throw TopologyError("generator " + name + ": needs at least one device per hub");
    }
    if (name == "star")
    {
        if (check)
        {
            check(GeneratorCensus(name, hubs, devicesPerHub));
        }
        return MakeStar(devicesPerHub);
    }
    if (hubs == 0)
    {
        throw TopologyError("generator " + name + ": needs at least one gateway or cell");
    }
    if (name != "gateways" && name != "chain" && name != "cellular")
    {
        throw TopologyError("unknown topology generator '" + name
                            + "' (star, gateways, chain or cellular)");
    }
    if (check)
    {
        check(GeneratorCensus(name, hubs, devicesPerHub));
    }
    if (name == "gateways")
    {
        return MakeGateways(hubs, devicesPerHub);
    }
    if (name == "chain")
    {
        return MakeChain(hubs, devicesPerHub);
    }
    return MakeCellular(hubs, devicesPerHub);
}

} // namespace topology
} // namespace ns3
