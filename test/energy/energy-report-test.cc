// energy.csv and summary.json agree: per-device energy adds up to the totals, every device's
// state durations add up to the simulated time, and the MCU's crypto is counted.
#include "scenario/scenario-run-fixture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

using namespace lpwantest;

namespace
{

struct EnergyCsv
{
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    double Get(size_t row, const std::string& column) const
    {
        return std::stod(rows[row][ColumnIndex(header, column)]);
    }

    double Sum(const std::string& column) const
    {
        double s = 0;
        for (size_t r = 0; r < rows.size(); ++r)
        {
            s += Get(r, column);
        }
        return s;
    }
};

EnergyCsv
ReadEnergyCsv(const std::string& dir)
{
    auto all = ReadCsv(dir + "/energy.csv");
    EnergyCsv csv;
    if (!all.empty())
    {
        csv.header = all[0];
        csv.rows.assign(all.begin() + 1, all.end());
    }
    return csv;
}

void
ExpectClose(double a, double b, const std::string& what)
{
    EXPECT_NEAR(a, b, 1e-9 * std::max(1.0, std::fabs(b))) << what;
}

const char* const kStates[] = {"psm", "idle", "ra", "connected", "sync", "control", "rx", "tx"};

} // namespace

TEST(EnergyReport, PerDeviceEnergyAddsUpToTheSummary)
{
    std::string dir = OutDir("energy-sums");
    auto s = RunScenario(SmallScenario({"link.kind=nbiot", "security.profile=oscore",
                                        "nbiot.rai=one-downlink"}),
                         dir)
                 .summary;
    EnergyCsv csv = ReadEnergyCsv(dir);
    ASSERT_EQ(csv.rows.size(), 20u);
    const auto& e = s["energy"];
    ExpectClose(csv.Sum("total_j"), e["total_j"].get<double>(), "total");
    ExpectClose(csv.Sum("radio_j"), e["radio_j"].get<double>(), "radio");
    ExpectClose(csv.Sum("mcu_j"), e["mcu_j"].get<double>(), "mcu");
    for (const char* st : kStates)
    {
        ExpectClose(csv.Sum(std::string(st) + "_j"), e["by_state_j"][st].get<double>(), st);
        ExpectClose(csv.Sum(std::string(st) + "_s"), e["state_time_s"][st].get<double>(), st);
    }
    double byState = e["by_state_j"]["mcu"].get<double>();
    for (const char* st : kStates)
    {
        byState += e["by_state_j"][st].get<double>();
    }
    ExpectClose(byState, e["total_j"].get<double>(), "states + mcu");
    EXPECT_GT(e["mcu_j"].get<double>(), 0.0); // OSCORE's AES-CCM
    EXPECT_GT(e["crypto_operations"]["aes_blocks"].get<uint64_t>(), 0u);
    ExpectClose(e["per_device_j"]["mean"].get<double>() * 20, e["total_j"].get<double>(), "mean");
}

TEST(EnergyReport, RadioStateDurationsAddUpToTheSimulatedTime)
{
    std::string dir = OutDir("energy-durations");
    auto s = RunScenario(SmallScenario({"link.kind=nbiot", "nbiot.coupling_loss_db=150"}), dir)
                 .summary;
    EnergyCsv csv = ReadEnergyCsv(dir);
    ASSERT_EQ(csv.rows.size(), 20u);
    double simulated = s["simulated_time_s"].get<double>();
    for (size_t r = 0; r < csv.rows.size(); ++r)
    {
        double t = 0;
        double j = 0;
        for (const char* st : kStates)
        {
            t += csv.Get(r, std::string(st) + "_s");
            j += csv.Get(r, std::string(st) + "_j");
        }
        EXPECT_NEAR(t, simulated, 1e-6) << "device " << r;
        ExpectClose(j, csv.Get(r, "radio_j"), "radio");
        ExpectClose(csv.Get(r, "radio_j") + csv.Get(r, "mcu_j"), csv.Get(r, "total_j"), "total");
        // The ns-3 energy source integrated the same radio power.
        EXPECT_NEAR(csv.Get(r, "battery_used_j"), csv.Get(r, "radio_j"),
                    1e-6 * csv.Get(r, "radio_j"));
        double years = 5 * 3600 / (csv.Get(r, "total_j") / simulated) / (365.25 * 86400);
        ExpectClose(csv.Get(r, "battery_life_years"), years, "battery life");
    }
}

TEST(EnergyReport, EcdheHandshakesCostPublicKeyOperations)
{
    std::string dir = OutDir("energy-ecdhe");
    auto s = RunScenario(SmallScenario({"link.kind=nbiot", "security.profile=dtls-ecdhe",
                                        "devices.count=5", "nbiot.coupling_loss_db=140"}),
                         dir)
                 .summary;
    const auto& ops = s["energy"]["crypto_operations"];
    uint64_t full = s["handshakes"]["full"].get<uint64_t>();
    EXPECT_GT(full, 0u);
    EXPECT_EQ(ops["ecdh"].get<uint64_t>(), 2 * full);
    EXPECT_EQ(ops["ecdsa_sign"].get<uint64_t>(), full);
    EXPECT_EQ(ops["ecdsa_verify"].get<uint64_t>(), 2 * full);
    EXPECT_GT(s["energy"]["mcu_j"].get<double>(), full * 0.01); // > 10 mJ per handshake
}
