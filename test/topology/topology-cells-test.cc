// NB-IoT / LTE-M cells on topologies: a hub whose radio links are nbiot or ltem is a cell of
// the NB-IoT model (a base station, UEs camped on it, coverage levels, an energy model per
// device), numbered and routed like an LPWAN star; the nbiot.* and energy.* keys apply to a
// topology's cells and only to them; and the catalogue scenario nbiot-platform-gateway shows a
// compromised IoT platform gateway reading DTLS hop-by-hop reports but not OSCORE ones.
#include "profiles/profile-registry.h"
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

/// A few NB-IoT meters for two hours; a CoAP ACK timeout a cell's round trip fits in.
ns3::ScenarioConfig
CellTopology(std::vector<std::string> overrides)
{
    overrides.insert(overrides.begin(), {"simulation.duration_s=7200", "coap.ack_timeout_s=10"});
    return TopologyScenario(overrides);
}

/// The catalogue scenario nbiot-platform-gateway, two hours, with overrides.
ns3::ScenarioConfig
PlatformGateway(const std::vector<std::string>& overrides)
{
    ns3::ScenarioConfig c = ns3::ScenarioConfig::FromFile(
        std::string(LPWAN_SOURCE_DIR) + "/scenarios/nbiot-platform-gateway.yaml");
    c.ApplyOverride("simulation.duration_s=7200");
    c.ApplyOverride("trace.progress=false");
    for (const auto& o : overrides)
    {
        c.ApplyOverride(o);
    }
    c.ValidateRelations();
    return c;
}

void
ExpectCellSections(const nlohmann::json& s, uint64_t devices)
{
    ASSERT_TRUE(s.contains("nbiot")) << s.dump(2);
    ASSERT_TRUE(s.contains("energy"));
    ASSERT_TRUE(s.contains("battery_life_years"));
    const auto& cov = s["nbiot"]["coverage"];
    EXPECT_EQ(cov["ce0"].get<uint64_t>() + cov["ce1"].get<uint64_t>() + cov["ce2"].get<uint64_t>()
                  + cov["out_of_coverage"].get<uint64_t>(),
              devices);
    EXPECT_GT(s["energy"]["total_j"].get<double>(), 0);
    EXPECT_GT(s["battery_life_years"]["mean"].get<double>(), 0);
}

} // namespace

TEST(TopologyCells, HelperBuildsNbIotCellsForNbiotHubs)
{
    ns3::topology::Topology t = ns3::topology::Generate("cellular", 2, 3);
    ns3::TopologyCellParams cells; // fixed 120 dB coupling loss: CE0
    ns3::TopologyHelper helper(t, ns3::TopologyLinkDefaults{}, cells);
    helper.Install();
    EXPECT_TRUE(helper.GetCells().empty()); // no LPWAN star
    ASSERT_EQ(helper.GetNbIotCells().size(), 2u);
    EXPECT_EQ(helper.GetNbIotCells()[0].technology, "nbiot");
    EXPECT_EQ(helper.GetNbIotCells()[1].ues.GetN(), 3u);
    EXPECT_EQ(helper.GetNbIotCells()[0].enb->GetNode(),
              helper.GetNode(*t.Find("cell1"))); // the base station on the cell's node
    ns3::Ptr<ns3::NbIotUeNetDevice> ue = helper.GetUe(*t.Find("cell2-d3"));
    ASSERT_TRUE(ue);
    EXPECT_EQ(ue->GetNbIotChannel(), helper.GetNbIotCells()[1].channel);
    EXPECT_FALSE(helper.GetUe(*t.Find("cell1"))); // not a device
    // Numbered like LPWAN stars: the base station first, then its devices.
    EXPECT_EQ(helper.GetAddress(*t.Find("cell1-d1")), ns3::Ipv4Address("10.0.0.2"));
    EXPECT_EQ(helper.GetAddress(*t.Find("cell2-d1")), ns3::Ipv4Address("10.0.0.10"));
    EXPECT_GE(helper.AssignCellStreams(100), 6); // at least one per UE
    ns3::Simulator::Destroy();
}

TEST(TopologyCells, NbiotEdgesRunAsRealCellsWithEnergy)
{
    std::string dir = OutDir("topology-cells-nbiot");
    auto s = RunScenario(CellTopology({"topology.generator=cellular", "topology.gateways=2",
                                       "devices.count=3", "nbiot.rai=one-downlink"}),
                         dir)
                 .summary;
    ExpectCellSections(s, 6);
    EXPECT_EQ(s["nbiot"]["technology"], "nbiot");
    EXPECT_EQ(s["nbiot"]["cells"], 2);
    EXPECT_EQ(s["nbiot"]["ues_per_cell"], nlohmann::json::array({3, 3}));
    EXPECT_GT(s["nbiot"]["rrc"]["connections"].get<uint64_t>(), 0u);
    EXPECT_EQ(s["messages"]["delivered"], s["messages"]["sent"]);
    EXPECT_GT(s["messages"]["sent"].get<uint64_t>(), 0u);
    auto rows = ReadCsv(dir + "/energy.csv");
    EXPECT_EQ(rows.size(), 7u); // a header and a row per device
    // Coverage levels: a fixed coupling loss puts every device in CE2.
    auto ce2 = RunScenario(CellTopology({"topology.generator=cellular", "topology.gateways=1",
                                         "devices.count=2", "nbiot.coupling_loss_db=160",
                                         "coap.ack_timeout_s=30"}),
                           OutDir("topology-cells-ce2"))
                   .summary;
    EXPECT_EQ(ce2["nbiot"]["coverage"]["ce2"], 2);
}

TEST(TopologyCells, LtemEdgesBuildLteMCells)
{
    std::string dot = std::string(LPWAN_BINARY_DIR) + "/test-output/ltem-cell.dot";
    std::filesystem::create_directories(std::string(LPWAN_BINARY_DIR) + "/test-output");
    std::ofstream(dot) << "graph { s [role=server]; c [role=cell, kind=ltem, devices=2]; "
                          "g [role=gateway, devices=2]; c -- s [kind=p2p]; g -- s [kind=p2p]; }";
    auto s = RunScenario(CellTopology({"topology.file=" + dot}), OutDir("topology-cells-ltem"))
                 .summary;
    // The LTE-M cell has the nbiot summary and energy; the LPWAN gateway's devices do not.
    ExpectCellSections(s, 2);
    EXPECT_EQ(s["nbiot"]["technology"], "ltem");
    EXPECT_EQ(s["topology"]["links"]["ltem"], 2);
    EXPECT_EQ(s["messages"]["delivered"], s["messages"]["sent"]);
}

TEST(TopologyCells, CellKeysApplyToTopologiesWithCells)
{
    const std::string campus = "topology.file=" + TopologyFile("campus.dot");
    EXPECT_EQ(ConfigError({campus, "nbiot.psm=false"}),
              "--set nbiot.psm=false: nbiot.psm: applies to NB-IoT / LTE-M cells; the topology "
              "has no nbiot or ltem radio links (its radio edges are generic LPWAN links: link.* "
              "keys)");
    EXPECT_EQ(ConfigError({campus, "energy.battery_wh=3"})
                  .rfind("--set energy.battery_wh=3: "
                         "energy.battery_wh: applies to",
                         0),
              0u);
    EXPECT_EQ(ConfigError({"topology.generator=cellular", "nbiot.psm=false"}), "");
    EXPECT_EQ(ConfigError({"topology.generator=cellular", "nbiot.cells=2"}),
              "--set nbiot.cells=2: nbiot.cells: a topology's cells are its hubs with nbiot or "
              "ltem links, not nbiot.cells");
    EXPECT_EQ(ConfigError({"topology.generator=cellular", "link.kind=nbiot"}),
              "--set link.kind=nbiot: link.kind: a topology's radio edges carry their own kind "
              "(kind=lpwan, nbiot or ltem in the DOT file; the cellular generator's cells are "
              "nbiot): leave link.kind at lpwan");
    // A cell's rates and delays come from the model, not from the DOT file.
    std::string dot = std::string(LPWAN_BINARY_DIR) + "/test-output/cell-delay.dot";
    std::filesystem::create_directories(std::string(LPWAN_BINARY_DIR) + "/test-output");
    std::ofstream(dot) << "graph { s [role=server]; c [role=cell, devices=2, delay=\"1s\"]; "
                          "c -- s [kind=p2p]; }";
    EXPECT_NE(ConfigError({"topology.file=" + dot})
                  .find("'c': its nbiot radio is an NB-IoT "
                        "model cell: rate, uplink_rate"),
              std::string::npos)
        << ConfigError({"topology.file=" + dot});
}

TEST(TopologyCells, PlatformGatewayReadsHopByHopDtls)
{
    auto s = RunScenario(PlatformGateway({}), OutDir("platform-gateway-dtls")).summary;
    ExpectCellSections(s, 17);
    const auto& x = s["exposure"];
    EXPECT_EQ(x["adversary_nodes"], nlohmann::json::array({"platform"}));
    EXPECT_GT(x["plaintext"]["messages"].get<uint64_t>(), 0u);
    EXPECT_GT(x["plaintext"]["devices"].get<uint64_t>(), 0u);
    EXPECT_GT(x["modifications"]["accepted"].get<uint64_t>(), 0u);
    EXPECT_EQ(x["modifications"]["detected"], 0);
    EXPECT_TRUE(x["prediction"]["matches"].get<bool>());
    EXPECT_TRUE(s["topology"]["proxies"].contains("platform"));
}

TEST(TopologyCells, PlatformGatewayCannotReadOscore)
{
    auto s = RunScenario(
                 PlatformGateway({"security.profile=oscore", "security.architecture=end-to-end",
                                  "topology.gateway_proxy=true"}),
                 OutDir("platform-gateway-oscore"))
                 .summary;
    ExpectCellSections(s, 17);
    const auto& x = s["exposure"];
    EXPECT_GT(x["messages_seen"].get<uint64_t>(), 0u);
    EXPECT_EQ(x["plaintext"]["messages"], 0);
    EXPECT_GT(x["modifications"]["attempted"].get<uint64_t>(), 0u);
    EXPECT_EQ(x["modifications"]["accepted"], 0);
    EXPECT_GT(x["modifications"]["detected"].get<uint64_t>(), 0u);
    EXPECT_TRUE(x["prediction"]["matches"].get<bool>());
}

TEST(TopologyCells, PlatformGatewayRunsAreDeterministic)
{
    std::string a = OutDir("platform-gateway-a");
    std::string b = OutDir("platform-gateway-b");
    RunScenario(PlatformGateway({"simulation.duration_s=3600"}), a);
    RunScenario(PlatformGateway({"simulation.duration_s=3600"}), b);
    EXPECT_EQ(ReadFile(a + "/summary.json"), ReadFile(b + "/summary.json"));
    EXPECT_EQ(ReadFile(a + "/energy.csv"), ReadFile(b + "/energy.csv"));
    EXPECT_EQ(ReadFile(a + "/messages.csv"), ReadFile(b + "/messages.csv"));
}

// Every registered profile behind the compromised platform gateway (an eavesdropper there):
// each reports energy, battery life and exposure, and what the platform reads follows from
// where the profile's security ends: DTLS ending at the platform (hop-by-hop) exposes the
// reports, OSCORE from end to end (alone, inside DTLS or keyed by EDHOC) and TLS from device
// to broker do not, and no security exposes everything.
TEST(TopologyCells, EveryProfileRunsBehindThePlatformGateway)
{
    for (const ns3::SecurityProfile* p : ns3::GetSecurityProfiles())
    {
        SCOPED_TRACE(p->GetName());
        std::string why;
        if (!p->RunsOnTopology(&why))
        {
            // A profile that cannot run here says so before any run (the DTLS 1.3 ones).
            try
            {
                RunScenario(PlatformGateway({"security.profile=" + p->GetName()}),
                            OutDir("platform-refused-" + p->GetName()));
                ADD_FAILURE() << "ran on a topology";
            }
            catch (const std::exception& e)
            {
                EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
            }
            continue;
        }
        // DTLS that CoAP proxies relay ends at the platform; everything else crosses it.
        const bool hopByHop = p->ProtectsHops() && p->RunsOverCoap();
        std::vector<std::string> set
            = {"security.profile=" + p->GetName(),
               std::string("security.architecture=") + (hopByHop ? "hop-by-hop" : "end-to-end"),
               std::string("topology.gateway_proxy=") + (p->RunsOverCoap() ? "true" : "false"),
               "adversary.capabilities=eavesdrop", "simulation.duration_s=3600"};
        auto s
            = RunScenario(PlatformGateway(set), OutDir("platform-every-" + p->GetName())).summary;
        EXPECT_EQ(s["security"]["profile"], p->GetName());
        const uint64_t sent = s["messages"]["sent"];
        EXPECT_GT(sent, 0u);
        EXPECT_EQ(s["messages"]["delivered"], sent);
        EXPECT_GT(s["energy"]["total_j"].get<double>(), 0.0);
        EXPECT_GT(s["battery_life_years"]["mean"].get<double>(), 0.0);
        ASSERT_TRUE(s.contains("exposure"));
        EXPECT_GT(s["exposure"]["datagrams_seen"].get<uint64_t>(), 0u);
        const uint64_t read = s["exposure"]["plaintext"]["messages"];
        const bool exposed = !p->ProtectsEndToEnd() && (hopByHop || !p->ProtectsHops());
        if (exposed)
        {
            EXPECT_EQ(read, sent);
        }
        else
        {
            EXPECT_EQ(read, 0u);
        }
        EXPECT_TRUE(s["exposure"]["prediction"]["matches"].get<bool>());
    }
}

TEST(TopologyCells, MqttOverTlsOnATopologyIsRoutedAndOnlyEavesdropped)
{
    EXPECT_EQ(ConfigError({"topology.file=" + TopologyFile("nbiot-cells.dot"),
                           "security.profile=tls-mqtt", "topology.gateway_proxy=true"})
                  .rfind("--set topology.gateway_proxy=true: topology.gateway_proxy: 'tls-mqtt' "
                         "is not CoAP",
                         0),
              0u);
    EXPECT_EQ(ConfigError({"topology.file=" + TopologyFile("nbiot-cells.dot"),
                           "security.profile=tls-mqtt", "adversary.nodes=platform",
                           "adversary.capabilities=eavesdrop,modify"})
                  .rfind("--set adversary.capabilities=eavesdrop,modify: adversary.capabilities: "
                         "with 'tls-mqtt' an adversary only eavesdrops",
                         0),
              0u);
}

// Regression (found by the scenario-config fuzz target): a topology file name the system refuses
// (a component longer than NAME_MAX) threw std::filesystem::filesystem_error out of validation
// instead of the key's error.
TEST(TopologyKeys, AFileNameTheSystemRefusesIsTheKeysError)
{
    const std::string error = ConfigError({"topology.file=" + std::string(300, 'x') + ".dot"});
    EXPECT_NE(error.find("topology.file"), std::string::npos) << error;
    EXPECT_NE(error.find("cannot open topology file"), std::string::npos) << error;
}
