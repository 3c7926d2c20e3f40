// Same scenario, seed and run: byte-identical traces. Another run number: different ones.
#include "scenario-run-fixture.h"

#include <gtest/gtest.h>

using namespace lpwantest;

namespace
{

void
ExpectIdenticalRuns(const ns3::ScenarioConfig& config, const std::string& name)
{
    std::string a = OutDir(name + "-a");
    std::string b = OutDir(name + "-b");
    RunScenario(config, a);
    RunScenario(config, b);
    for (const char* file : {"summary.json", "messages.csv", "gateway-air.pcap", "server.pcap"})
    {
        std::string fa = ReadFile(a + "/" + file);
        EXPECT_FALSE(fa.empty()) << file;
        EXPECT_TRUE(fa == ReadFile(b + "/" + file)) << file << " differs between identical runs";
    }
}

} // namespace

TEST(Determinism, SameSeedAndRunGiveByteIdenticalTraces)
{
    ExpectIdenticalRuns(SmallScenario({"trace.pcap=true", "link.loss=0.2"}), "determinism");
}

TEST(Determinism, DtlsHandshakesAreByteIdenticalToo)
{
    // The DRBGs come from ns-3 streams and mbedTLS's time() from simulated time, so the
    // handshakes' bytes (randoms, keys, signatures, cookies) repeat exactly.
    for (const char* profile : {"dtls-psk", "dtls-ecdhe"})
    {
        ExpectIdenticalRuns(SmallScenario({"trace.pcap=true", "link.loss=0.2",
                                           std::string("security.profile=") + profile,
                                           "link.nat_binding_timeout_s=300"}),
                            std::string("determinism-") + profile);
    }
}

TEST(Determinism, MqttOverTlsOverTcpIsByteIdenticalToo)
{
    // TCP's segmentation, retransmissions and the TLS bytes inside repeat exactly, reconnections
    // after NAT expiry (with abbreviated handshakes) included.
    ExpectIdenticalRuns(
        SmallScenario({"trace.pcap=true", "link.loss=0.2", "security.profile=tls-mqtt",
                       "mqtt.keep_alive_s=0", "link.nat_binding_timeout_s=300"}),
        "determinism-tls-mqtt");
}

TEST(Determinism, EdhocRunsAreByteIdenticalToo)
{
    // Ephemeral keys, C_R allocation and credentials all come from ns-3 streams: the EDHOC
    // messages, re-keys and the OSCORE traffic they key repeat exactly.
    ExpectIdenticalRuns(SmallScenario({"trace.pcap=true", "link.loss=0.2",
                                       "security.profile=edhoc-oscore", "edhoc.rekey_messages=4"}),
                        "determinism-edhoc-oscore");
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
