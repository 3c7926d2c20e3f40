// Same scenario, seed and run: byte-identical traces. Another run number: different ones.
#include "scenario-run-fixture.h"

#include <gtest/gtest.h>

using namespace lpwantest;

TEST(Determinism, SameSeedAndRunGiveByteIdenticalTraces)
{
    auto config = SmallScenario({"trace.pcap=true", "link.loss=0.2"});
    std::string a = OutDir("determinism-a");
    std::string b = OutDir("determinism-b");
    RunScenario(config, a);
    RunScenario(config, b);
    for (const char* file : {"summary.json", "messages.csv", "gateway-air.pcap", "server.pcap"})
    {
        std::string fa = ReadFile(a + "/" + file);
        EXPECT_FALSE(fa.empty()) << file;
        EXPECT_TRUE(fa == ReadFile(b + "/" + file)) << file << " differs between identical runs";
    }
}

TEST(Determinism, AnotherRunNumberGivesDifferentTraces)
{
    std::string a = OutDir("determinism-run1");
    std::string b = OutDir("determinism-run2");
    RunScenario(SmallScenario({"trace.pcap=true", "simulation.run=1"}), a);
    RunScenario(SmallScenario({"trace.pcap=true", "simulation.run=2"}), b);
    for (const char* file : {"summary.json", "messages.csv", "gateway-air.pcap", "server.pcap"})
    {
        EXPECT_FALSE(ReadFile(a + "/" + file) == ReadFile(b + "/" + file))
            << file << " is identical for run 1 and run 2";
    }
}
