// Network outages inside scenarios (faults.backhaul_outage_*, faults.cell_outage_*): while the
// backhaul or a base station is down nothing gets through it, devices keep their security
// state (no handshake or context is renewed for the outage itself), everyone gets a report
// through afterwards, and nothing replayed or forged is accepted when the retransmissions
// arrive. The catalogue's fault scenarios run with every profile in fault-test.cc.
#include "fault-expectations.h"
#include "scenario-run-fixture.h"
#include "scenario-validation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

using namespace lpwantest;

namespace
{

constexpr double kOutageAt = 3600;
constexpr double kOutageS = 1200;

/// 20 meters every 10 min for 2 h, with one outage: on a loss-free star, or on a cell.
ns3::RunOutcome
RunOutage(const std::string& name, std::vector<std::string> overrides)
{
    if (std::find(overrides.begin(), overrides.end(), "link.kind=nbiot") == overrides.end())
    {
        overrides.insert(overrides.begin(), "link.loss=0");
    }
    return RunScenario(SmallScenario(overrides), OutDir("outage-" + name));
}

std::vector<std::string>
Backhaul(const std::string& profile)
{
    return {"security.profile=" + profile, "faults.backhaul_outage_at_s=3600",
            "faults.backhaul_outage_s=1200"};
}

std::vector<std::string>
Cell(const std::string& profile)
{
    return {"security.profile=" + profile, "link.kind=nbiot", "faults.cell_outage_at_s=3600",
            "faults.cell_outage_s=1200"};
}

/// The delivery times (s) of the delivered reports in a run's messages.csv.
std::vector<double>
DeliveryTimes(const std::string& name)
{
    std::istringstream csv(
        ReadFile(std::string(LPWAN_BINARY_DIR) + "/test-output/outage-" + name + "/messages.csv"));
    std::string line;
    std::getline(csv, line); // header: message_id,device,protocol,type,send_time_s,deliver_time_s
    std::vector<double> times;
    while (std::getline(csv, line))
    {
        std::istringstream row(line);
        std::string field;
        for (int i = 0; i <= 5 && std::getline(row, field, ','); ++i)
        {
        }
        if (!field.empty())
        {
            times.push_back(std::stod(field));
        }
    }
    return times;
}

} // namespace

TEST(Outages, NothingCrossesADownBackhaulAndEveryDeviceRecovers)
{
    auto out = RunOutage("backhaul-oscore", Backhaul("oscore"));
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    EXPECT_EQ(f["kind"], "backhaul-outage");
    EXPECT_EQ(f["hit"]["devices"].get<uint64_t>(), 20u);
    EXPECT_EQ(f["hit"]["what"], nlohmann::json::array({"backhaul"}));
    // The server receives nothing while the link is down (its end drops what arrives then).
    std::vector<double> times = DeliveryTimes("backhaul-oscore");
    ASSERT_FALSE(times.empty());
    for (double t : times)
    {
        EXPECT_FALSE(t >= kOutageAt && t < kOutageAt + kOutageS) << "delivered at " << t;
    }
    // 20 minutes down with reports every 10 minutes and CoAP giving up after ~93 s: some
    // reports are lost, OSCORE needs nothing renewed.
    EXPECT_GT(f["reports"]["lost_from_fault"].get<uint64_t>(), 0u);
    EXPECT_EQ(f["recovery_traffic"]["handshakes"].get<uint64_t>(), 0u);
    EXPECT_EQ(f["recovery_traffic"]["echo_challenges"].get<uint64_t>(), 0u);
}

TEST(Outages, ADownCellAnswersNoRandomAccessAndPassesNothing)
{
    auto base = RunOutage("cell-none-baseline", {"security.profile=none", "link.kind=nbiot"});
    auto out = RunOutage("cell-none", Cell("none"));
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    EXPECT_EQ(f["kind"], "cell-outage");
    EXPECT_EQ(f["hit"]["what"], nlohmann::json::array({"cell 0"}));
    EXPECT_EQ(f["hit"]["devices"].get<uint64_t>(), 20u);
    // Devices with a report keep trying to connect: more random access, and failures.
    const auto& ra = out.summary["nbiot"]["random_access"];
    const auto& baseRa = base.summary["nbiot"]["random_access"];
    EXPECT_GT(ra["attempts"].get<uint64_t>(), baseRa["attempts"].get<uint64_t>());
    EXPECT_GT(ra["failures"].get<uint64_t>(), 0u);
    EXPECT_EQ(baseRa["failures"].get<uint64_t>(), 0u);
    // Nothing reaches the server through the cell while it is down, beyond what had crossed
    // the air before it went down (core and backhaul delays: well under a second).
    for (double t : DeliveryTimes("cell-none"))
    {
        EXPECT_FALSE(t >= kOutageAt + 1 && t < kOutageAt + kOutageS) << "delivered at " << t;
    }
}

TEST(Outages, DtlsSessionsSurviveAnOutageThatCostsNoReportTimeout)
{
    // An outage shorter than CoAP's retransmission span: the Confirmable reports get through
    // on a retransmission, the DTLS session is kept (one handshake per device, at the start).
    auto out = RunOutage("backhaul-dtls-short",
                         {"security.profile=dtls-psk", "faults.backhaul_outage_at_s=3600",
                          "faults.backhaul_outage_s=20"});
    const auto& f = OnlyFault(out);
    ExpectRecoveredSafely(f);
    EXPECT_EQ(f["reports"]["lost_from_fault"].get<uint64_t>(), 0u) << f.dump();
    EXPECT_EQ(f["recovery_traffic"]["handshakes"].get<uint64_t>(), 0u) << f.dump();
}

TEST(Outages, RefusedWhereTheNetworkCannotTakeThem)
{
    for (const std::string& set :
         {std::string("faults.cell_outage_cell=1"), std::string("topology.generator=star")})
    {
        ns3::ScenarioConfig c = SmallScenario({"faults.cell_outage_at_s=100", set});
        try
        {
            ns3::ValidateScenario(c);
            FAIL() << "accepted " << set;
        }
        catch (const ns3::ScenarioError& e)
        {
            const std::string key = set.substr(0, set.find('=')) == "faults.cell_outage_cell"
                                        ? "faults.cell_outage_cell"
                                        : "faults.cell_outage_at_s";
            EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
        }
    }
}
