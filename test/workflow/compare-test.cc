// ./lpwan compare (analysis/compare_profiles.py) on a cell: the computation columns come from
// the runs' counted crypto (a certificate handshake costs seconds of MCU time, a PSK one
// milliseconds), and the table flags what a reader must not quote blindly: handshakes made
// mostly of retransmitted flights, and the MQTT keep-alive behind an MQTT profile's energy; the
// RAM columns come from lpwan-memory.
#include "workflow-test-util.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace workflow_test;

namespace
{

struct Compared
{
    std::map<std::string, std::map<std::string, std::string>> rows; ///< by profile
    std::string markdown;
};

Compared
Compare(const std::string& name, const std::vector<std::string>& sets)
{
    ScratchDir dir(name);
    const std::string out = dir / "out";
    std::vector<std::string> extra = {"default", "--profiles", "dtls-psk,dtls-ecdhe,tls-mqtt"};
    for (const std::string& s :
         {std::string("devices.count=5"), std::string("simulation.duration_s=7200")})
    {
        extra.insert(extra.end(), {"--set", s});
    }
    for (const std::string& s : sets)
    {
        extra.insert(extra.end(), {"--set", s});
    }
    const Finished f = RunProgram(
        kPython, TableScriptArgs("analysis/compare_profiles.py", out, extra), dir / "compare", 300);
    EXPECT_EQ(f.status, 0) << f.err;
    Compared c;
    for (const auto& r : ReadCsv(out + "/comparison.csv"))
    {
        c.rows[r.at("profile")] = r;
    }
    c.markdown = ReadText(out + "/comparison.md");
    return c;
}

} // namespace

TEST(WorkflowCompare, ComputationColumnsAndNotes)
{
    const Compared c = Compare("compare-default", {});
    ASSERT_EQ(c.rows.size(), 3u);
    EXPECT_NE(c.markdown.find("MCU s / handshake"), std::string::npos);
    // mbedTLS prices (energy.mcu=m4-mbedtls): P-256 work is seconds, PSK work milliseconds.
    EXPECT_GT(std::stod(c.rows.at("dtls-ecdhe").at("computation.handshake.per_handshake.mcu_s")),
              1.0);
    EXPECT_LT(std::stod(c.rows.at("dtls-psk").at("computation.handshake.per_handshake.mcu_s")),
              0.05);
    // The scenario's 10 s timers fit the cell: no handshake is flagged; MQTT's keep-alive is
    // named.
    EXPECT_EQ(c.markdown.find("retransmission-dominated"), std::string::npos) << c.markdown;
    EXPECT_NE(c.rows.at("tls-mqtt").at("notes").find("MQTT keep-alive 1200 s"), std::string::npos);
    EXPECT_EQ(c.rows.at("dtls-psk").at("notes"), "");
    // RAM from lpwan-memory: a TLS 1.2 session holds mbedTLS's two 16 KiB record buffers on the
    // device; the broker keeps them per connection, the DTLS server hibernates idle sessions.
    EXPECT_NE(c.markdown.find("server RAM KiB / device"), std::string::npos);
    for (const char* p : {"dtls-psk", "dtls-ecdhe", "tls-mqtt"})
    {
        EXPECT_GT(std::stod(c.rows.at(p).at("memory.device_held_bytes")), 32768) << p;
    }
    const double broker = std::stod(c.rows.at("tls-mqtt").at("memory.server_per_device_bytes"));
    EXPECT_GT(broker, 32768);
    EXPECT_LT(std::stod(c.rows.at("dtls-psk").at("memory.server_per_device_bytes")) * 10, broker);
    EXPECT_NEAR(std::stod(c.rows.at("tls-mqtt").at("memory.server_million_devices_gib")),
                broker * 1e6 / (1 << 30), 0.01);
}

TEST(WorkflowCompare, RetransmissionDominatedHandshakesAreFlagged)
{
    // mbedTLS's 1 s first timeout in deep coverage (CE2): flights are repeated before the
    // first copy is through.
    const Compared c = Compare("compare-short-timers",
                               {"nbiot.coupling_loss_db=160", "dtls.handshake_timeout_min_s=1",
                                "dtls.handshake_timeout_max_s=60"});
    ASSERT_EQ(c.rows.size(), 3u);
    EXPECT_NE(c.rows.at("dtls-ecdhe").at("notes").find("retransmission-dominated"),
              std::string::npos)
        << c.markdown;
    EXPECT_NE(c.markdown.find("- dtls-ecdhe: retransmission-dominated"), std::string::npos);
}

// compare --exchange: one report exchange and one handshake per profile and coverage level, in
// five dimensions, from real runs: deeper coverage costs time and energy, a profile without a
// handshake has no handshake figures, and the five-panel figure is written.
TEST(WorkflowCompare, SingleExchangeViewPerCoverageLevel)
{
    ScratchDir dir("compare-exchange");
    const std::string out = dir / "out";
    const Finished f = RunProgram(
        kPython,
        TableScriptArgs("analysis/compare_profiles.py", out,
                        {"default", "--exchange", "--profiles", "oscore,dtls-psk", "--set",
                         "devices.count=4", "--set", "simulation.duration_s=14400"}),
        dir / "compare", 300);
    ASSERT_EQ(f.status, 0) << f.err;
    std::map<std::string, std::map<std::string, std::string>> rows; // profile/level/phase
    for (const auto& r : ReadCsv(out + "/exchange.csv"))
    {
        rows[r.at("profile") + "/" + r.at("level") + "/" + r.at("phase")] = r;
    }
    ASSERT_EQ(rows.size(), 12u);
    auto num = [&](const std::string& key, const char* column)
    {
        return std::stod(rows.at(key).at(column));
    };
    for (const char* p : {"oscore", "dtls-psk"})
    {
        const std::string base = std::string(p) + "/";
        EXPECT_GT(num(base + "CE2/exchange", "time_s"), num(base + "CE0/exchange", "time_s")) << p;
        EXPECT_GT(num(base + "CE2/exchange", "energy_j"), num(base + "CE0/exchange", "energy_j"))
            << p;
    }
    EXPECT_EQ(rows.at("oscore/CE0/handshake").at("time_s"), "");
    EXPECT_GT(num("dtls-psk/CE2/handshake", "energy_j"), 0);
    EXPECT_GT(num("dtls-psk/CE0/handshake", "bytes"), 200);
    EXPECT_LT(num("dtls-psk/CE0/handshake", "mcu_s"), 0.05);
    EXPECT_GT(num("dtls-psk/CE0/exchange", "ram_bytes"), 32768);
    EXPECT_GT(std::filesystem::file_size(out + "/exchange.png"), 10000u);
}
