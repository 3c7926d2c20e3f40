// Simulated NB-IoT / LTE-M runs: the directions the radio procedures must produce (PSM and RAI
// save energy, deep coverage costs latency and energy, random-access collisions and queueing
// grow with the number of devices), and that the security profiles run over a cell unchanged.
#include "scenario/scenario-run-fixture.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace lpwantest;

namespace
{

/// A small NB-IoT cell: 20 meters reporting every 10 minutes for 2 hours (SmallScenario).
ns3::ScenarioConfig
Cell(std::vector<std::string> overrides = {})
{
    overrides.insert(overrides.begin(), "link.kind=nbiot");
    return SmallScenario(overrides);
}

double
EnergyPerDevice(const nlohmann::json& s)
{
    return s["energy"]["per_device_j"]["mean"].get<double>();
}

void
ExpectAllDelivered(const nlohmann::json& s, const std::string& what)
{
    const auto& m = s["messages"];
    EXPECT_GT(m["sent"].get<uint64_t>(), 0u) << what;
    EXPECT_EQ(m["delivered"], m["sent"]) << what;
}

} // namespace

TEST(NbIotScenario, PsmLowersEnergy)
{
    auto psm = RunScenario(Cell({"nbiot.rai=one-downlink"}), OutDir("nbiot-psm-on")).summary;
    auto awake
        = RunScenario(Cell({"nbiot.rai=one-downlink", "nbiot.psm=false"}), OutDir("nbiot-psm-off"))
              .summary;
    ExpectAllDelivered(psm, "psm");
    ExpectAllDelivered(awake, "no psm");
    EXPECT_GT(psm["nbiot"]["rrc"]["psm_entries"].get<uint64_t>(), 0u);
    EXPECT_EQ(awake["nbiot"]["rrc"]["psm_entries"].get<uint64_t>(), 0u);
    EXPECT_LT(EnergyPerDevice(psm), EnergyPerDevice(awake));
    EXPECT_GT(psm["energy"]["state_time_s"]["psm"].get<double>(), 0.0);
    EXPECT_EQ(awake["energy"]["state_time_s"]["psm"].get<double>(), 0.0);
}

TEST(NbIotScenario, ReleaseAssistanceLowersEnergy)
{
    auto none = RunScenario(Cell(), OutDir("nbiot-rai-none")).summary;
    auto rai = RunScenario(Cell({"nbiot.rai=one-downlink"}), OutDir("nbiot-rai-one")).summary;
    ExpectAllDelivered(none, "no rai");
    ExpectAllDelivered(rai, "rai");
    EXPECT_EQ(none["nbiot"]["rrc"]["rai_releases"].get<uint64_t>(), 0u);
    EXPECT_EQ(rai["nbiot"]["rrc"]["rai_releases"], rai["nbiot"]["rrc"]["releases"]);
    // The inactivity timer keeps the receiver on; RAI releases after the response.
    EXPECT_LT(EnergyPerDevice(rai), EnergyPerDevice(none) / 2);
    EXPECT_LT(rai["energy"]["by_state_j"]["connected"].get<double>(),
              none["energy"]["by_state_j"]["connected"].get<double>());
}

TEST(NbIotScenario, DeepCoverageRaisesLatencyAndEnergy)
{
    // Long CoAP timers so that only the radio differs (no spurious retransmissions).
    std::vector<std::string> common = {"nbiot.rai=one-downlink", "coap.ack_timeout_s=60"};
    auto near = common;
    near.push_back("nbiot.coupling_loss_db=140");
    auto deep = common;
    deep.push_back("nbiot.coupling_loss_db=162");
    auto ce0 = RunScenario(Cell(near), OutDir("nbiot-ce0")).summary;
    auto ce2 = RunScenario(Cell(deep), OutDir("nbiot-ce2")).summary;
    ExpectAllDelivered(ce0, "ce0");
    ExpectAllDelivered(ce2, "ce2");
    EXPECT_EQ(ce0["nbiot"]["coverage"]["ce0"], 20);
    EXPECT_EQ(ce2["nbiot"]["coverage"]["ce2"], 20);
    EXPECT_GT(ce2["latency_s"]["mean"].get<double>(), 5 * ce0["latency_s"]["mean"].get<double>());
    EXPECT_GT(EnergyPerDevice(ce2), 5 * EnergyPerDevice(ce0));
    EXPECT_GT(ce2["energy"]["by_state_j"]["tx"].get<double>(),
              ce0["energy"]["by_state_j"]["tx"].get<double>());
    EXPECT_LT(ce2["battery_life_years"]["mean"].get<double>(),
              ce0["battery_life_years"]["mean"].get<double>());
}

TEST(NbIotScenario, CollisionsAndQueueingRiseWithDevices)
{
    std::vector<std::string> load = {"traffic.interval_s=60", "simulation.duration_s=600",
                                     "nbiot.rai=one-downlink", "nbiot.coupling_loss_db=150"};
    auto fewCfg = load;
    fewCfg.push_back("devices.count=20");
    auto manyCfg = load;
    manyCfg.push_back("devices.count=400");
    auto few = RunScenario(Cell(fewCfg), OutDir("nbiot-load-20")).summary;
    auto many = RunScenario(Cell(manyCfg), OutDir("nbiot-load-400")).summary;
    const auto& raFew = few["nbiot"]["random_access"];
    const auto& raMany = many["nbiot"]["random_access"];
    EXPECT_GT(raMany["collisions"].get<uint64_t>(), raFew["collisions"].get<uint64_t>());
    EXPECT_GT(raMany["collision_ratio"].get<double>(), raFew["collision_ratio"].get<double>());
    EXPECT_GT(many["nbiot"]["queueing_delay_s"]["mean"].get<double>(),
              few["nbiot"]["queueing_delay_s"]["mean"].get<double>());
    EXPECT_GT(many["latency_s"]["mean"].get<double>(), few["latency_s"]["mean"].get<double>());
}

TEST(NbIotScenario, SecurityProfilesRunOverTheCell)
{
    for (const char* profile : {"none", "oscore", "dtls-psk", "dtls-ecdhe"})
    {
        auto s = RunScenario(Cell({std::string("security.profile=") + profile,
                                   "nbiot.coupling_loss_db=140", "devices.count=10"}),
                             OutDir(std::string("nbiot-profile-") + profile))
                     .summary;
        ExpectAllDelivered(s, profile);
        EXPECT_EQ(s["security"]["profile"], profile);
        double security = s["bytes"]["by_layer"]["security"].get<double>();
        if (std::string(profile) == "none")
        {
            EXPECT_EQ(security, 0.0);
        }
        else
        {
            EXPECT_GT(security, 0.0) << profile;
        }
    }
}

TEST(NbIotScenario, NiddPutsNoIpOrUdpHeaderOnTheAir)
{
    auto ip = RunScenario(Cell({"nbiot.rai=one-downlink"}), OutDir("nbiot-ip")).summary;
    auto nidd
        = RunScenario(Cell({"nbiot.rai=one-downlink", "nbiot.nidd=true"}), OutDir("nbiot-nidd"))
              .summary;
    ExpectAllDelivered(nidd, "nidd");
    EXPECT_EQ(nidd["bytes"]["by_layer"]["ip"].get<double>(), 0.0);
    EXPECT_EQ(nidd["bytes"]["by_layer"]["transport"].get<double>(), 0.0);
    EXPECT_GT(ip["bytes"]["by_layer"]["ip"].get<double>(), 0.0);
    EXPECT_LT(nidd["bytes"]["on_air_per_delivered_message"].get<double>(),
              ip["bytes"]["on_air_per_delivered_message"].get<double>() - 20);
}

TEST(NbIotScenario, LteMIsFasterThanNbIotAtTheSameCouplingLoss)
{
    std::vector<std::string> at = {"nbiot.coupling_loss_db=148", "nbiot.rai=one-downlink"};
    auto nb = RunScenario(Cell(at), OutDir("nbiot-vs-ltem-nb")).summary;
    auto ltemCfg = at;
    ltemCfg.push_back("link.kind=ltem");
    auto m = RunScenario(SmallScenario(ltemCfg), OutDir("nbiot-vs-ltem-m")).summary;
    ExpectAllDelivered(m, "ltem");
    EXPECT_EQ(m["nbiot"]["technology"], "ltem");
    EXPECT_LT(m["latency_s"]["mean"].get<double>(), nb["latency_s"]["mean"].get<double>());
    EXPECT_LT(EnergyPerDevice(m), EnergyPerDevice(nb));
}

TEST(NbIotScenario, PagingReachesIdleDevices)
{
    // Released right after the uplink, the device is idle when the CoAP response arrives: the
    // network pages it at its next paging occasion and it connects again to receive it.
    auto s = RunScenario(
                 Cell({"nbiot.rai=no-further-data", "nbiot.t3324_s=60", "coap.ack_timeout_s=30"}),
                 OutDir("nbiot-paging"))
                 .summary;
    ExpectAllDelivered(s, "paging");
    EXPECT_GT(s["nbiot"]["rrc"]["pagings"].get<uint64_t>(), 0u);
    EXPECT_EQ(s["nbiot"]["rrc"]["paged_connections"], s["nbiot"]["rrc"]["pagings"]);
    EXPECT_EQ(s["messages"]["completions"]["response"], s["messages"]["sent"]);
}

TEST(NbIotScenario, ExtendedDrxTradesReachabilityForEnergy)
{
    // Responses arrive after the release: the device is paged. eDRX pages it less often,
    // which saves idle energy and delays the response.
    std::vector<std::string> common = {"nbiot.psm=false", "nbiot.rai=no-further-data",
                                       "coap.ack_timeout_s=60", "nbiot.coupling_loss_db=140"};
    auto drxCfg = common;
    auto edrxCfg = common;
    edrxCfg.push_back("nbiot.edrx_cycle_s=40.96");
    std::string drxDir = OutDir("nbiot-drx");
    std::string edrxDir = OutDir("nbiot-edrx");
    auto drx = RunScenario(Cell(drxCfg), drxDir).summary;
    auto edrx = RunScenario(Cell(edrxCfg), edrxDir).summary;
    ExpectAllDelivered(drx, "drx");
    ExpectAllDelivered(edrx, "edrx");
    EXPECT_GT(edrx["nbiot"]["rrc"]["pagings"].get<uint64_t>(), 0u);
    double idleDrx = drx["energy"]["by_state_j"]["idle"].get<double>()
                     / drx["energy"]["state_time_s"]["idle"].get<double>();
    double idleEdrx = edrx["energy"]["by_state_j"]["idle"].get<double>()
                      / edrx["energy"]["state_time_s"]["idle"].get<double>();
    EXPECT_LT(idleEdrx, idleDrx); // mean idle power
    auto exchange = [](const std::string& dir)
    {
        auto rows = ReadCsv(dir + "/messages.csv");
        size_t send = ColumnIndex(rows[0], "send_time_s");
        size_t done = ColumnIndex(rows[0], "complete_time_s");
        double sum = 0;
        for (size_t r = 1; r < rows.size(); ++r)
        {
            sum += std::stod(rows[r][done]) - std::stod(rows[r][send]);
        }
        return sum / (rows.size() - 1);
    };
    EXPECT_GT(exchange(edrxDir), exchange(drxDir) + 5); // about half an eDRX cycle more
}

TEST(NbIotScenario, ConnectionProceduresCostWhatTheyExchange)
{
    std::vector<std::string> common = {"nbiot.rai=one-downlink", "nbiot.coupling_loss_db=150"};
    auto run = [&common](const std::string& rrc)
    {
        auto cfg = common;
        cfg.push_back("nbiot.rrc=" + rrc);
        return RunScenario(Cell(cfg), OutDir("nbiot-rrc-" + rrc)).summary;
    };
    auto cp = run("cp");
    auto resume = run("up-resume");
    auto setup = run("up-setup");
    for (const auto* s : {&cp, &resume, &setup})
    {
        ExpectAllDelivered(*s, "rrc");
    }
    auto sig = [](const nlohmann::json& s)
    {
        return s["nbiot"]["transmissions"]["signalling_bytes"].get<double>()
               / s["nbiot"]["rrc"]["connections"].get<double>();
    };
    // Full set-up adds security mode and reconfiguration; resume needs neither.
    EXPECT_GT(sig(setup), sig(resume) + 40);
    EXPECT_GT(EnergyPerDevice(setup), EnergyPerDevice(resume));
    // Control-plane data carries NAS headers on every packet instead of a DRB.
    EXPECT_GT(cp["bytes"]["by_layer"]["radio"].get<double>(),
              resume["bytes"]["by_layer"]["radio"].get<double>());
}

TEST(NbIotScenario, PeriodicTrackingAreaUpdates)
{
    // Reports every 10 minutes, T3412 of 5 minutes: the devices update between reports.
    auto s = RunScenario(Cell({"nbiot.t3412_s=300", "nbiot.rai=one-downlink"}), OutDir("nbiot-tau"))
                 .summary;
    ExpectAllDelivered(s, "tau");
    uint64_t taus = s["nbiot"]["rrc"]["periodic_taus"].get<uint64_t>();
    EXPECT_GT(taus, 20u);
    EXPECT_EQ(s["nbiot"]["rrc"]["connections"].get<uint64_t>(),
              s["messages"]["sent"].get<uint64_t>() + taus);
}

TEST(NbIotScenario, SeveralCellsShareTheMeters)
{
    // Three sites 4 km apart, meters within 2 km of their site: each camps on its own cell
    // (or a neighbour when shadowing favours it); every report gets through.
    auto s = RunScenario(Cell({"nbiot.cells=3", "devices.count=30", "nbiot.rai=one-downlink"}),
                         OutDir("nbiot-cells"))
                 .summary;
    ExpectAllDelivered(s, "cells");
    EXPECT_EQ(s["nbiot"]["cells"], 3);
    uint64_t total = 0;
    for (const auto& n : s["nbiot"]["ues_per_cell"])
    {
        EXPECT_GT(n.get<uint64_t>(), 0u);
        total += n.get<uint64_t>();
    }
    EXPECT_EQ(total, 30u);
}

TEST(NbIotScenario, OutOfCoverageDevicesReachNobody)
{
    auto s = RunScenario(Cell({"nbiot.coupling_loss_db=170"}), OutDir("nbiot-out")).summary;
    EXPECT_EQ(s["nbiot"]["coverage"]["out_of_coverage"], 20);
    EXPECT_EQ(s["messages"]["delivered"], 0);
    EXPECT_GT(s["frames"]["lost_by_reason"]["no-coverage"].get<uint64_t>(), 0u);
}

TEST(NbIotScenario, SameSeedSameTraces)
{
    auto c = Cell({"security.profile=oscore", "nbiot.rai=one-downlink"});
    std::string a = OutDir("nbiot-det-a");
    std::string b = OutDir("nbiot-det-b");
    RunScenario(c, a);
    RunScenario(c, b);
    for (const char* f : {"summary.json", "messages.csv", "energy.csv"})
    {
        EXPECT_EQ(ReadFile(a + "/" + f), ReadFile(b + "/" + f)) << f;
    }
}
