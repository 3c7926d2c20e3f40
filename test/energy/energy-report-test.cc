// energy.csv and summary.json agree: per-device energy adds up to the totals, every device's
// state durations add up to the simulated time, and the MCU's crypto is counted.
#include "energy/mcu-profile.h"
#include "scenario/scenario-run-fixture.h"

#include <gtest/gtest.h>

#include <cctype>
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
        // 5 Wh spent by the run's average power and by the default 1 %/year self-discharge.
        double years
            = 1 / (csv.Get(r, "total_j") / simulated * (365.25 * 86400) / (5 * 3600) + 0.01);
        ExpectClose(csv.Get(r, "battery_life_years"), years, "battery life");
    }
}

// Each profile's operations, counted in its real stacks on the devices' nodes, are those its
// protocol prescribes for one party per handshake (protocols/common/crypto-tally.h; the
// per-stack unit tests hold the counts against the RFCs' own inputs): the servers' work is
// not the devices', and the figures add up between energy.csv and summary.json.
struct ProfileCrypto
{
    const char* profile;
    std::vector<std::string> extra;
    // Per completed handshake of one device.
    uint64_t baseMul, mul, verify, x25519;
    bool handshakes;
};

class ComputationPerProfile : public ::testing::TestWithParam<ProfileCrypto>
{
};

TEST_P(ComputationPerProfile, CountsFollowFromTheStack)
{
    const ProfileCrypto& p = GetParam();
    std::string dir
        = OutDir(std::string("computation-") + p.profile + std::to_string(p.extra.size()));
    std::vector<std::string> keys
        = {"link.kind=nbiot", std::string("security.profile=") + p.profile, "devices.count=4",
           "nbiot.coupling_loss_db=140"};
    keys.insert(keys.end(), p.extra.begin(), p.extra.end());
    auto s = RunScenario(SmallScenario(keys), dir).summary;
    const auto& c = s["computation"];
    EXPECT_EQ(c["mcu"], "m4-mbedtls");
    const auto& hs = c["handshake"]["operations"];
    const auto& ex = c["exchange"]["operations"];
    const uint64_t handshakes = c["handshake"]["handshakes"].get<uint64_t>();
    if (p.handshakes)
    {
        ASSERT_GT(handshakes, 0u);
        const uint64_t full = s["handshakes"]["full"].get<uint64_t>();
        EXPECT_EQ(handshakes, full) << "every handshake is a full one here";
    }
    else
    {
        EXPECT_EQ(handshakes, 0u);
    }
    EXPECT_EQ(hs["p256_base_mul"].get<uint64_t>(), p.baseMul * handshakes);
    EXPECT_EQ(hs["p256_mul"].get<uint64_t>(), p.mul * handshakes);
    EXPECT_EQ(hs["p256_verify"].get<uint64_t>(), p.verify * handshakes);
    EXPECT_EQ(hs["x25519"].get<uint64_t>(), p.x25519 * handshakes);
    // Records never need a public-key operation.
    for (const char* op : {"p256_base_mul", "p256_mul", "p256_verify", "x25519"})
    {
        EXPECT_EQ(ex[op].get<uint64_t>(), 0u) << op;
    }
    if (std::string(p.profile) == "none")
    {
        EXPECT_EQ(ex["aes_blocks"].get<uint64_t>() + hs["sha256_blocks"].get<uint64_t>(), 0u);
    }
    else
    {
        EXPECT_GT(ex["aes_blocks"].get<uint64_t>(), s["messages"]["sent"].get<uint64_t>())
            << "AES-CCM per report";
    }
    // energy.csv's per-device counts and MCU time add up to the summary.
    EnergyCsv csv = ReadEnergyCsv(dir);
    const auto& total = s["energy"]["crypto_operations"];
    for (const char* op : {"aes_blocks", "sha256_blocks", "p256_base_mul", "p256_mul",
                           "p256_verify", "x25519", "ed25519_sign", "ed25519_verify"})
    {
        ExpectClose(csv.Sum(op), total[op].get<double>(), op);
        EXPECT_EQ(total[op].get<uint64_t>(), hs[op].get<uint64_t>() + ex[op].get<uint64_t>());
    }
    ExpectClose(csv.Sum("mcu_s"),
                c["handshake"]["mcu_s"].get<double>() + c["exchange"]["mcu_s"].get<double>(),
                "mcu_s");
    ExpectClose(csv.Sum("handshake_mcu_s"), c["handshake"]["mcu_s"].get<double>(),
                "handshake_mcu_s");
    ExpectClose(c["handshake"]["mcu_j"].get<double>() + c["exchange"]["mcu_j"].get<double>(),
                s["energy"]["mcu_j"].get<double>(), "mcu_j");
}

INSTANTIATE_TEST_SUITE_P(
    Profiles, ComputationPerProfile,
    ::testing::Values(ProfileCrypto{"none", {}, 0, 0, 0, 0, false},
                      ProfileCrypto{"oscore", {}, 0, 0, 0, 0, false},
                      // EDHOC method 3 (static DH): the ephemeral key, G_XY, G_RX and G_IY.
                      ProfileCrypto{"edhoc-oscore", {}, 1, 3, 0, 0, true},
                      ProfileCrypto{"dtls-psk", {}, 0, 0, 0, 0, true},
                      ProfileCrypto{"oscore-dtls", {}, 0, 0, 0, 0, true},
                      // The ephemeral key and CertificateVerify (k*G), ECDH, the server's
                      // certificate and ServerKeyExchange verified.
                      ProfileCrypto{"dtls-ecdhe", {}, 2, 1, 2, 0, true},
                      ProfileCrypto{"tls-mqtt", {}, 0, 0, 0, 0, true},
                      ProfileCrypto{
                          "tls-mqtt", {"tls.authentication=certificates"}, 2, 1, 2, 0, true},
                      // psk_dhe_ke with X25519: the key share and the shared secret.
                      ProfileCrypto{"tls13-mqtt", {}, 0, 0, 0, 2, true}),
    [](const ::testing::TestParamInfo<ProfileCrypto>& info)
    {
        std::string name = info.param.profile;
        for (char& ch : name)
        {
            ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
        }
        return name + (info.param.extra.empty() ? "" : "_certificates");
    });

// Self-discharge (energy.self_discharge_pct_per_year) spends the battery alongside the load,
// device by device: t = 1 / (1/t0 + s), where t0 is the life without it.
TEST(EnergyReport, SelfDischargeShortensEachDevicesBatteryLife)
{
    const std::vector<std::string> base
        = {"link.kind=nbiot", "security.profile=oscore", "devices.count=4"};
    auto keys = [&](const char* pct)
    {
        std::vector<std::string> k = base;
        k.push_back(std::string("energy.self_discharge_pct_per_year=") + pct);
        return k;
    };
    const std::string none = OutDir("self-discharge-0");
    const std::string some = OutDir("self-discharge-2");
    auto s0 = RunScenario(SmallScenario(keys("0")), none).summary;
    auto s2 = RunScenario(SmallScenario(keys("2")), some).summary;
    EXPECT_EQ(s2["battery_life_years"]["self_discharge_pct_per_year"].get<double>(), 2.0);
    EnergyCsv a = ReadEnergyCsv(none);
    EnergyCsv b = ReadEnergyCsv(some);
    ASSERT_EQ(a.rows.size(), b.rows.size());
    for (size_t r = 0; r < a.rows.size(); ++r)
    {
        ExpectClose(b.Get(r, "total_j"), a.Get(r, "total_j"), "the run itself is unchanged");
        const double t0 = a.Get(r, "battery_life_years");
        ExpectClose(b.Get(r, "battery_life_years"), 1 / (1 / t0 + 0.02), "device life");
    }
    EXPECT_LT(s2["battery_life_years"]["mean"].get<double>(),
              s0["battery_life_years"]["mean"].get<double>());
}

// The MCU's computing time holds back the message it belongs to (energy.mcu_delays_messages):
// an EDHOC initiator's message_1 leaves only after its ephemeral key is computed (one P-256
// k*G: 611 ms with mbedTLS on a 64 MHz Cortex-M4), so every handshake lasts at least that
// much longer; the operations themselves are the same.
TEST(EnergyReport, McuTimeDelaysTheMessageItBelongsTo)
{
    auto run = [](const char* delays)
    {
        const std::string dir = OutDir(std::string("mcu-delay-") + delays);
        auto s = RunScenario(SmallScenario({"link.kind=nbiot", "security.profile=edhoc-oscore",
                                            "devices.count=4", "nbiot.coupling_loss_db=140",
                                            std::string("energy.mcu_delays_messages=") + delays}),
                             dir)
                     .summary;
        return s;
    };
    auto with = run("true");
    auto without = run("false");
    EXPECT_EQ(with["computation"]["handshake"]["operations"],
              without["computation"]["handshake"]["operations"]);
    EXPECT_EQ(with["messages"]["delivered"], without["messages"]["delivered"]);
    const double keyGeneration = ns3::McuProfile::M4Mbedtls().p256BaseMulS;
    EXPECT_GE(with["handshakes"]["duration_s"]["mean"].get<double>(),
              without["handshakes"]["duration_s"]["mean"].get<double>() + keyGeneration - 1e-9);
    EXPECT_GT(with["latency_s"]["mean"].get<double>(), without["latency_s"]["mean"].get<double>());
}

// energy.session_lifetime_days charges each device's first exchange (its handshake) once per
// session lifetime instead of once per run: a lifetime as long as the run gives back what the
// run spent; a long one leaves a certificate handshake's cost mostly out (the battery lasts
// longer) and changes little for OSCORE, which has no handshake; the per-device figures in
// energy.csv add up to the summary's.
TEST(EnergyReport, SessionLifetimeAmortisesTheFirstExchange)
{
    auto run = [](const std::string& profile, const std::string& days)
    {
        const std::string dir = OutDir("session-lifetime-" + profile + "-" + days);
        auto s = RunScenario(
                     SmallScenario({"link.kind=nbiot", "security.profile=" + profile,
                                    "devices.count=6", "energy.session_lifetime_days=" + days}),
                     dir)
                     .summary;
        return std::make_pair(s, ReadEnergyCsv(dir));
    };
    for (const std::string profile : {"dtls-ecdhe", "oscore"})
    {
        const auto [s0, csv0] = run(profile, "0");
        EXPECT_FALSE(s0["energy"].contains("session_lifetime"));
        const double runDays = s0["simulated_time_s"].get<double>() / 86400;
        char exact[32];
        std::snprintf(exact, sizeof exact, "%.17g", runDays);
        const auto [sRun, csvRun] = run(profile, exact);
        const auto [sLong, csvLong] = run(profile, "30");
        const double e0 = s0["energy"]["per_delivered_message_j"].get<double>();
        ExpectClose(sRun["energy"]["per_delivered_message_j"].get<double>(), e0,
                    profile + ": a lifetime of the run's length charges what the run spent");
        const nlohmann::json& life = sLong["energy"]["session_lifetime"];
        EXPECT_EQ(life["days"].get<double>(), 30.0);
        EXPECT_EQ(life["devices_not_amortised"].get<int>(), 0);
        ExpectClose(csvLong.Sum("charged_j"), life["charged_j"].get<double>(), "charged_j");
        ExpectClose(csvLong.Sum("total_j"), csv0.Sum("total_j"), "the run itself is unchanged");
        const double eLong = sLong["energy"]["per_delivered_message_j"].get<double>();
        if (profile == "dtls-ecdhe")
        {
            // At least the handshake's MCU energy (4 P-256 multiplications and 2 ECDSA
            // verifications, seconds at 7.5 mW) is the first exchange's extra.
            EXPECT_GT(life["first_exchange_j"]["mean"].get<double>(),
                      s0["computation"]["handshake"]["per_handshake"]["mcu_j"].get<double>());
            EXPECT_LT(eLong, 0.9 * e0) << "the handshake is a large part of a two-hour run";
            EXPECT_GT(sLong["battery_life_years"]["mean"].get<double>(),
                      s0["battery_life_years"]["mean"].get<double>());
        }
        else
        {
            EXPECT_NEAR(eLong, e0, 0.05 * e0) << "OSCORE has no handshake to amortise";
        }
    }
}
