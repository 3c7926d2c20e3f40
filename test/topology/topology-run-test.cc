// Scenarios over topologies: the star topology runs exactly like the built-in star, every
// security architecture delivers over a multi-gateway topology, hop-by-hop security makes
// every gateway on the way a terminating proxy, routes stay few, and broken topology settings
// are scenario errors naming the file and the node or edge.
#include "scenario-validation.h"
#include "topology-helper.h"
#include "topology-run-fixture.h"
#include "topology/topology-dot.h"
#include "topology/topology-generators.h"

#include "ns3/simulator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace lpwantest;

namespace
{

std::string
WriteFile(const std::string& name, const std::string& text)
{
    std::string dir = std::string(LPWAN_BINARY_DIR) + "/test-output/topology-files";
    std::filesystem::create_directories(dir);
    std::string path = dir + "/" + name;
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST(TopologyRun, StarGeneratorRunsExactlyLikeTheBuiltInStar)
{
    // Same nodes in the same order, same streams, same link parameters: the same run.
    auto builtIn = RunScenario(SmallScenario({"link.loss=0.1"}), OutDir("topology-star-builtin"));
    auto star = RunScenario(SmallScenario({"link.loss=0.1", "topology.generator=star"}),
                            OutDir("topology-star-generated"));
    const auto& a = builtIn.summary;
    const auto& b = star.summary;
    EXPECT_EQ(b["devices"], a["devices"]);
    EXPECT_EQ(b["messages"], a["messages"]);
    EXPECT_EQ(b["retransmissions"], a["retransmissions"]);
    EXPECT_EQ(b["latency_s"], a["latency_s"]);
    EXPECT_EQ(b["bytes"], a["bytes"]);
    EXPECT_EQ(b["frames"], a["frames"]);
    EXPECT_FALSE(a.contains("topology"));
    EXPECT_EQ(b["topology"]["roles"]["gateway"], 1);
}

TEST(TopologyRun, EveryArchitectureDeliversOverSeveralGateways)
{
    struct Case
    {
        std::vector<std::string> set;
        size_t proxies;
    };
    const std::vector<Case> cases = {
        {{"security.profile=none"}, 0},
        {{"security.profile=oscore", "topology.gateway_proxy=true"}, 3},
        {{"security.profile=dtls-psk", "security.architecture=hop-by-hop"}, 3},
        {{"security.profile=dtls-psk", "security.architecture=layered"}, 3},
    };
    for (const Case& k : cases)
    {
        auto out = RunScenario(Campus(k.set), OutDir("topology-architectures"));
        const auto& s = out.summary;
        SCOPED_TRACE(k.set.back());
        EXPECT_EQ(s["devices"], 24);
        EXPECT_EQ(s["messages"]["sent"], 24 * 6);
        EXPECT_EQ(s["messages"]["delivered"], s["messages"]["sent"]);
        EXPECT_EQ(s["topology"]["proxies"].size(), k.proxies);
        uint64_t forwarded = 0;
        for (const auto& [name, p] : s["topology"]["proxies"].items())
        {
            EXPECT_EQ(p["upstream"], "server");
            EXPECT_EQ(p["gateway_errors"], 0);
            forwarded += p["requests_forwarded"].get<uint64_t>();
        }
        EXPECT_EQ(forwarded, k.proxies ? 24u * 6 : 0u);
        if (s.contains("handshakes"))
        {
            // One session per device (to its gateway) and one per gateway (to the server).
            EXPECT_EQ(s["handshakes"]["completed"], 24);
            EXPECT_EQ(s["topology"]["proxy_upstream_handshakes"]["completed"], 3);
        }
        if (s.contains("oscore"))
        {
            // OSCORE crosses the proxies unread and verifies at the server.
            EXPECT_EQ(s["oscore"]["server_received"]["verified"], 24 * 6);
        }
    }
}

TEST(TopologyRun, HopByHopTerminatesAtEveryGatewayOfAChain)
{
    auto out = RunScenario(
        TopologyScenario({"topology.generator=chain", "topology.gateways=3", "devices.count=2",
                          "security.profile=dtls-psk", "security.architecture=hop-by-hop"}),
        OutDir("topology-chain"));
    const auto& s = out.summary;
    EXPECT_EQ(s["messages"]["delivered"], 6 * 6);
    const auto& p = s["topology"]["proxies"];
    EXPECT_EQ(p["gw3"]["upstream"], "gw2");
    EXPECT_EQ(p["gw2"]["upstream"], "gw1");
    EXPECT_EQ(p["gw1"]["upstream"], "server");
    // Each gateway forwards its own devices' reports and everything from further down.
    EXPECT_EQ(p["gw3"]["requests_forwarded"], 2 * 6);
    EXPECT_EQ(p["gw2"]["requests_forwarded"], 4 * 6);
    EXPECT_EQ(p["gw1"]["requests_forwarded"], 6 * 6);
    EXPECT_EQ(s["topology"]["max_depth"], 4);
}

TEST(TopologyRun, RoutesFollowTheTreeAndStayFew)
{
    ns3::topology::Topology t = ns3::topology::Generate("gateways", 3, 4);
    ns3::TopologyHelper helper(t, ns3::TopologyLinkDefaults{});
    helper.Install();
    // Network routes: each gateway's cell at core and server (6), each core--gateway link at
    // the server (3). Devices hold only their default route.
    EXPECT_EQ(helper.GetNetworkRouteCount(), 9u);
    EXPECT_EQ(helper.GetCells().size(), 3u);
    EXPECT_EQ(helper.GetCells()[0].devices.GetN(), 5u); // the gateway's and four stations'
    // Each cell in its own block of 10.0.0.0/8, the p2p links in 172.16.0.0/12.
    EXPECT_EQ(helper.GetAddress(*t.Find("gw1-d1")), ns3::Ipv4Address("10.0.0.2"));
    EXPECT_EQ(helper.GetAddress(*t.Find("gw2-d1")), ns3::Ipv4Address("10.0.0.10"));
    EXPECT_TRUE(ns3::Ipv4Mask("255.240.0.0")
                    .IsMatch(helper.GetAddress(*t.Find("gw3")), ns3::Ipv4Address("172.16.0.0")));
    ns3::Simulator::Destroy();
}

TEST(TopologyRun, WritesTheTopologyThatRan)
{
    std::string dir = OutDir("topology-written");
    RunScenario(TopologyScenario({"topology.generator=cellular", "topology.gateways=2",
                                  "devices.count=3", "simulation.duration_s=600"}),
                dir);
    ns3::topology::Topology t = ns3::topology::ReadDotFile(dir + "/topology.dot");
    EXPECT_EQ(t.GetDevices().size(), 6u);
    EXPECT_EQ(t.GetNode(t.GetHub(*t.Find("cell2-d3"))).name, "cell2");
}

TEST(TopologyRun, BrokenSettingsAreScenarioErrors)
{
    std::string bad = WriteFile("bad-role.dot", "graph { s [role=server]; g [role=gatway]; }");
    std::string disconnected
        = WriteFile("disconnected.dot", "graph { s [role=server]; g [role=gateway, devices=2]; }");
    std::string campus = "topology.file=" + TopologyFile("campus.dot");
    struct Case
    {
        std::vector<std::string> set;
        std::string error;
    };
    const std::vector<Case> cases = {
        {{"topology.file=" + bad},
         "--set topology.file=" + bad + ": topology.file: " + bad
             + ": node 'g': unknown role 'gatway' (one of device, cell, enb, gateway, router, "
               "proxy, server)"},
        {{"topology.file=" + disconnected},
         "--set topology.file=" + disconnected + ": topology.file: " + disconnected
             + ": server 's' is disconnected: it has no link"},
        {{"topology.file=/nonexistent.dot"},
         "--set topology.file=/nonexistent.dot: topology.file: /nonexistent.dot: cannot open "
         "topology file"},
        {{"security.profile=dtls-psk", "security.architecture=hop-by-hop"},
         "--set security.architecture=hop-by-hop: security.architecture: needs a topology "
         "(topology.file, or topology.generator: 'star' is the generic LPWAN star's shape)"},
        {{campus, "security.profile=oscore", "security.architecture=hop-by-hop"},
         "--set security.architecture=hop-by-hop: security.architecture: hop-by-hop needs a "
         "profile with DTLS on each hop; 'oscore' has none (security.profile: dtls-psk, "
         "dtls-ecdhe, oscore-dtls)"},
        {{campus, "adversary.nodes=gw9"},
         "--set adversary.nodes=gw9: adversary.nodes: no node 'gw9' in the topology ("
             + TopologyFile("campus.dot") + ")"},
        {{campus, "adversary.nodes=gw1-d3"},
         "--set adversary.nodes=gw1-d3: adversary.nodes: 'gw1-d3' is a device; an adversary "
         "sits on a node that relays traffic (a gateway, cell, router or proxy)"},
        {{campus, "adversary.nodes=gw1", "adversary.capabilities=eavesdrop,sniff"},
         "--set adversary.capabilities=eavesdrop,sniff: adversary.capabilities: unknown "
         "capability 'sniff' (eavesdrop, modify, inject, replay, drop, delay)"},
        {{"adversary.nodes=gw"},
         "--set adversary.nodes=gw: adversary.nodes: needs a topology (topology.file, or "
         "topology.generator: 'star' is the generic LPWAN star's shape)"},
        {{campus, "topology.generator=star"},
         "--set topology.generator=star: topology.generator: give topology.file or "
         "topology.generator, not both"},
    };
    for (const Case& k : cases)
    {
        EXPECT_EQ(ConfigError(k.set), k.error);
    }
    EXPECT_EQ(ConfigError({campus, "adversary.nodes=gw2, agg"}), "");
}

TEST(TopologyRun, SameSeedGivesByteIdenticalTracesWithAnAdversary)
{
    auto config = Campus(
        {"security.profile=dtls-psk", "security.architecture=hop-by-hop", "adversary.nodes=gw2,agg",
         "adversary.capabilities=eavesdrop,modify,replay,inject,drop,delay",
         "adversary.drop_probability=0.2", "adversary.modify_probability=0.5",
         "adversary.delay_probability=0.3", "adversary.inject_interval_s=200", "link.loss=0.1"});
    std::string a = OutDir("topology-determinism-a");
    std::string b = OutDir("topology-determinism-b");
    RunScenario(config, a);
    RunScenario(config, b);
    for (const char* file :
         {"summary.json", "messages.csv", "exposure-devices.csv", "topology.dot"})
    {
        std::string first = ReadFile(a + "/" + file);
        EXPECT_FALSE(first.empty()) << file;
        EXPECT_EQ(first, ReadFile(b + "/" + file)) << file;
    }
}
