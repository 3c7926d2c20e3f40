// Compromised nodes on a topology with several gateways: what the adversary really reads and
// changes is what the graph analysis predicts for each architecture; hop-by-hop DTLS exposes
// every report crossing a compromised gateway and lets its changes through, OSCORE exposes no
// payload and every change is detected; replays and forgeries are refused by OSCORE's replay
// window and AEAD check and by DTLS's anti-replay and MAC, and counted; dropping is loss.
#include "profiles/profile-registry.h"
#include "topology/security-architecture.h"
#include "topology/topology-dot.h"
#include "topology/topology-run-fixture.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace lpwantest;
using namespace ns3::topology;

namespace
{

/// Reports per device in the fixture's hour: one every 10 minutes.
constexpr uint64_t kReports = 6;

uint64_t
Get(const nlohmann::json& j, const std::string& path)
{
    const nlohmann::json* cur = &j;
    std::stringstream ss(path);
    std::string part;
    while (std::getline(ss, part, '.'))
    {
        if (!cur->contains(part))
        {
            return 0;
        }
        cur = &(*cur)[part];
    }
    return cur->get<uint64_t>();
}

/// Sum of a messages.csv column.
uint64_t
ColumnSum(const std::string& dir, const std::string& column)
{
    auto rows = ReadCsv(dir + "/messages.csv");
    size_t c = ColumnIndex(rows[0], column);
    uint64_t sum = 0;
    for (size_t i = 1; i < rows.size(); ++i)
    {
        sum += std::stoull(rows[i][c]);
    }
    return sum;
}

} // namespace

/// The setup of a registered profile under an architecture (gateways route unless it proxies).
SecuritySetup
SetupOf(const std::string& name, Architecture a)
{
    const ns3::SecurityProfile* p = ns3::FindSecurityProfile(name);
    return SecuritySetup::From(name, p->ProtectsEndToEnd(), p->ProtectsHops(), a, false);
}

TEST(Exposure, GraphAnalysisPredictsTheCampusExposure)
{
    // gw2 and agg (the router above gw2 and gw3) are compromised; gw1 is not.
    Topology t = ReadDotFile(TopologyFile("campus.dot"));
    RouteTree routes(t);
    std::set<Vertex> compromised = {*t.Find("gw2"), *t.Find("agg")};
    auto exposed = [&](const std::string& profile, Architecture a)
    {
        std::set<std::string> hubs;
        for (const DeviceExposure& e : PredictExposure(t, routes, SetupOf(profile, a), compromised))
        {
            EXPECT_EQ(e.OnPath(), t.GetNode(t.GetHub(e.device)).name != "gw1");
            if (e.PayloadExposed())
            {
                hubs.insert(t.GetNode(t.GetHub(e.device)).name + " by "
                            + t.GetNode(*e.payloadReadBy).name);
            }
        }
        return hubs;
    };
    // No security: every node on the path reads; gw3's devices are read at agg.
    EXPECT_EQ(exposed("none", Architecture::EndToEnd),
              (std::set<std::string>{"gw2 by gw2", "gw3 by agg"}));
    // DTLS from end to end: routers see records only.
    EXPECT_TRUE(exposed("dtls-psk", Architecture::EndToEnd).empty());
    // Hop-by-hop: only the compromised terminating gateway reads; agg sees DTLS.
    EXPECT_EQ(exposed("dtls-psk", Architecture::HopByHop), (std::set<std::string>{"gw2 by gw2"}));
    EXPECT_TRUE(exposed("oscore", Architecture::EndToEnd).empty());
    EXPECT_TRUE(exposed("dtls-psk", Architecture::Layered).empty());
}

TEST(Exposure, SimulatedExposureIsExactlyThePredictedOne)
{
    for (const auto& set : std::vector<std::vector<std::string>>{
             {"security.profile=none"},
             {"security.profile=dtls-psk"},
             {"security.profile=dtls-psk", "security.architecture=hop-by-hop"},
             {"security.profile=oscore"},
             {"security.profile=dtls-psk", "security.architecture=layered"}})
    {
        SCOPED_TRACE(set.back());
        std::vector<std::string> overrides = set;
        overrides.push_back("adversary.nodes=gw2,agg");
        std::string dir = OutDir("exposure-prediction");
        auto out = RunScenario(Campus(overrides), dir);
        uint64_t predicted = 0;
        for (const auto& [name, row] : ReadDeviceExposure(dir))
        {
            // Every report of a predicted device is read; no report of another one is.
            EXPECT_EQ(row.reportsRead, row.predicted ? kReports : 0) << name;
            predicted += row.predicted ? 1 : 0;
        }
        const auto& x = out.summary["exposure"];
        EXPECT_TRUE(x["prediction"]["matches"].get<bool>());
        EXPECT_EQ(x["plaintext"]["devices"], predicted);
        EXPECT_EQ(x["plaintext"]["messages"], predicted * kReports);
        EXPECT_EQ(x["plaintext"]["bytes"], predicted * kReports * 50);
        // gw2's and gw3's reports pass a compromised node: 16 devices.
        EXPECT_EQ(x["messages_seen"], 16 * kReports);
        EXPECT_EQ(x["header_only_messages"], (16 - predicted) * kReports);
    }
}

TEST(Exposure, HopByHopGatewayReadsAndChangesEverythingOscoreNothing)
{
    // Done criterion 1 of the issue: a compromised gateway that eavesdrops and modifies.
    const std::vector<std::string> adversary
        = {"adversary.nodes=gw2", "adversary.capabilities=eavesdrop,modify"};
    auto with = [&](std::vector<std::string> set)
    {
        set.insert(set.end(), adversary.begin(), adversary.end());
        return set;
    };

    std::string hopDir = OutDir("exposure-hop-by-hop");
    auto hop = RunScenario(
        Campus(with({"security.profile=dtls-psk", "security.architecture=hop-by-hop"})), hopDir);
    const auto& h = hop.summary["exposure"];
    const uint64_t crossing = 8 * kReports; // every report of gw2's eight devices
    EXPECT_EQ(h["plaintext"]["messages"], crossing);
    EXPECT_EQ(h["modifications"]["attempted"], crossing);
    EXPECT_EQ(h["modifications"]["accepted"], crossing);
    EXPECT_EQ(h["modifications"]["detected"], 0);
    EXPECT_EQ(hop.summary["messages"]["delivered"], 24 * kReports); // changed, but delivered
    EXPECT_EQ(ColumnSum(hopDir, "adv_modified_accepted"), crossing);
    EXPECT_EQ(ColumnSum(hopDir, "adv_plaintext_bytes"), crossing * 50);

    for (const auto& set : std::vector<std::vector<std::string>>{
             {"security.profile=oscore"},
             {"security.profile=oscore", "topology.gateway_proxy=true"},
             {"security.profile=dtls-psk", "security.architecture=layered"}})
    {
        SCOPED_TRACE(set.back());
        std::string dir = OutDir("exposure-oscore");
        auto out = RunScenario(Campus(with(set)), dir);
        const auto& x = out.summary["exposure"];
        EXPECT_EQ(x["plaintext"]["messages"], 0);
        EXPECT_EQ(x["plaintext"]["bytes"], 0);
        EXPECT_EQ(x["header_only_messages"], crossing);
        EXPECT_EQ(x["modifications"]["accepted"], 0);
        // Every change that reached the server failed OSCORE's check (copies of a request
        // the server had already refused are answered from CoAP's deduplication cache).
        uint64_t attempted = x["modifications"]["attempted"];
        uint64_t detected = x["modifications"]["detected"];
        EXPECT_GE(attempted, crossing);
        EXPECT_EQ(detected, crossing);
        EXPECT_EQ(Get(x, "modifications.rejected_by.oscore"), crossing);
        EXPECT_EQ(detected + Get(x, "modifications.rejected_by.coap")
                      + x["modifications"]["not_delivered"].get<uint64_t>(),
                  attempted);
        EXPECT_EQ(out.summary["oscore"]["server_received"]["forged"], crossing);
        // The changed reports never reach the application: lost, not falsified.
        EXPECT_EQ(out.summary["messages"]["lost"], crossing);
        EXPECT_EQ(ColumnSum(dir, "adv_modified_detected"), crossing);
        EXPECT_EQ(ColumnSum(dir, "adv_modified_accepted"), 0);
    }
}

TEST(Exposure, ReplaysAndForgeriesAreRefusedAndCounted)
{
    const std::vector<std::string> attack
        = {"adversary.capabilities=replay,inject", "adversary.inject_interval_s=300"};
    auto run = [&](std::vector<std::string> set, const std::string& node)
    {
        set.insert(set.end(), attack.begin(), attack.end());
        set.push_back("adversary.nodes=" + node);
        return RunScenario(Campus(set), OutDir("exposure-replay")).summary;
    };

    // OSCORE (gw2 routes): each replayed request is refused by the replay window, each forged
    // one by the AEAD check.
    auto oscore = run({"security.profile=oscore"}, "gw2");
    const auto& o = oscore["exposure"];
    EXPECT_GE(o["replays"]["attempted"].get<uint64_t>(), 8 * kReports);
    EXPECT_EQ(o["replays"]["accepted"], 0);
    EXPECT_EQ(Get(o, "replays.rejected_by.oscore"), 8 * kReports);
    EXPECT_EQ(oscore["oscore"]["server_received"]["replayed"], 8 * kReports);
    EXPECT_GT(o["injections"]["attempted"].get<uint64_t>(), 0u);
    EXPECT_EQ(o["injections"]["accepted"], 0);
    EXPECT_EQ(Get(o, "injections.rejected_by.oscore"), o["injections"]["attempted"]);
    EXPECT_EQ(oscore["oscore"]["server_received"]["forged"], o["injections"]["attempted"]);
    EXPECT_EQ(oscore["messages"]["delivered"], 24 * kReports); // the genuine ones get through

    // DTLS from end to end (agg sees records): replayed records fail the anti-replay check,
    // forged ones the MAC.
    auto dtls = run({"security.profile=dtls-psk"}, "agg");
    const auto& d = dtls["exposure"];
    EXPECT_GE(d["replays"]["attempted"].get<uint64_t>(), 16 * kReports);
    EXPECT_EQ(d["replays"]["accepted"], 0);
    EXPECT_EQ(Get(d, "replays.rejected_by.dtls"), d["replays"]["attempted"]);
    EXPECT_GT(d["injections"]["attempted"].get<uint64_t>(), 0u);
    EXPECT_EQ(Get(d, "injections.rejected_by.dtls"), d["injections"]["attempted"]);
    EXPECT_EQ(dtls["messages"]["delivered"], 24 * kReports);

    // The same adversary on a gateway that terminates hop-by-hop DTLS: its replays and
    // forgeries travel in its own, valid DTLS session and are accepted.
    auto hop = run({"security.profile=dtls-psk", "security.architecture=hop-by-hop"}, "gw2");
    const auto& hx = hop["exposure"];
    EXPECT_EQ(hx["replays"]["accepted"], 8 * kReports);
    EXPECT_EQ(hx["injections"]["accepted"], hx["injections"]["attempted"]);
    // Replays reach the application but are not counted as more deliveries.
    EXPECT_EQ(hop["messages"]["delivered"], 24 * kReports);
}

TEST(Exposure, DroppingIsCountedAsLoss)
{
    std::string dir = OutDir("exposure-drop");
    auto out = RunScenario(
        Campus({"security.profile=oscore", "adversary.nodes=gw1", "adversary.capabilities=drop"}),
        dir);
    const auto& s = out.summary;
    const uint64_t behindGw1 = 8 * kReports;
    EXPECT_EQ(s["messages"]["lost"], behindGw1);
    EXPECT_EQ(s["messages"]["delivered"], 16 * kReports);
    EXPECT_EQ(s["exposure"]["dropped"]["messages"], behindGw1);
    EXPECT_EQ(s["exposure"]["dropped"]["messages_lost"], behindGw1);
    // Every transmission of those reports was dropped: 1 + max_retransmit copies each.
    EXPECT_EQ(s["exposure"]["dropped"]["datagrams"], behindGw1 * 5);
    EXPECT_EQ(ColumnSum(dir, "adv_dropped"), behindGw1 * 5);
}
