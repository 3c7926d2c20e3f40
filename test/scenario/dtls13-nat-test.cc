// The DTLS 1.3 profiles in a run: every report delivered with one full handshake per device,
// and behind a carrier NAT that forgets bindings after 120 s (every 10-minute report leaves
// from a new port) connection IDs keep each device's session -- the server finds it by its CID
// and follows the device to its new address -- where without them every report pays a new
// handshake, as with DTLS 1.2. Runs are deterministic like every other profile's.
#include "scenario-run-fixture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace lpwantest;

namespace
{

std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class Dtls13Nat : public ::testing::TestWithParam<std::string>
{
};

TEST_P(Dtls13Nat, ConnectionIdsKeepTheSessionAcrossNatRebindings)
{
    const std::string profile = "security.profile=" + GetParam();
    auto withCid = RunScenario(SmallScenario({profile, "link.nat_binding_timeout_s=120"}),
                               OutDir("dtls13-nat-cid-" + GetParam()));
    const auto& s = withCid.summary;
    const uint64_t sent = s["messages"]["sent"];
    const uint64_t devices = 20;
    ASSERT_GT(sent, 5 * devices);
    EXPECT_EQ(sent, s["messages"]["delivered"].get<uint64_t>());
    EXPECT_EQ(sent - devices, s["handshakes"]["nat_rebindings"].get<uint64_t>());
    EXPECT_EQ(devices, s["handshakes"]["completed"].get<uint64_t>());
    EXPECT_EQ(0u, s["handshakes"]["failed"].get<uint64_t>());

    auto withoutCid = RunScenario(
        SmallScenario({profile, "link.nat_binding_timeout_s=120", "dtls13.connection_id=false"}),
        OutDir("dtls13-nat-nocid-" + GetParam()));
    const auto& n = withoutCid.summary;
    EXPECT_EQ(sent, n["messages"]["delivered"].get<uint64_t>());
    // Every report from a new port is a new peer: a full handshake each.
    EXPECT_EQ(sent, n["handshakes"]["completed"].get<uint64_t>());
    EXPECT_GT(n["bytes"]["on_air_per_delivered_message"].get<double>(),
              2 * s["bytes"]["on_air_per_delivered_message"].get<double>());
}

TEST_P(Dtls13Nat, ARunIsReproducible)
{
    const std::string profile = "security.profile=" + GetParam();
    const std::string a = OutDir("dtls13-again-a-" + GetParam());
    const std::string b = OutDir("dtls13-again-b-" + GetParam());
    RunScenario(SmallScenario({profile}), a);
    RunScenario(SmallScenario({profile}), b);
    for (const char* file : {"messages.csv", "summary.json"})
    {
        const std::string first = ReadFile(a + "/" + file);
        EXPECT_FALSE(first.empty()) << file;
        EXPECT_EQ(first, ReadFile(b + "/" + file)) << file;
    }
}

INSTANTIATE_TEST_SUITE_P(Profiles, Dtls13Nat, ::testing::Values("dtls13-psk", "dtls13-ecdhe"),
                         [](const ::testing::TestParamInfo<std::string>& info)
                         {
                             std::string name = info.param;
                             name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                             return name;
                         });

} // namespace
