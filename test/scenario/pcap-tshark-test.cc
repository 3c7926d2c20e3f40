// tshark (an independent dissector) reads the run's PCAP files as raw IPv4 carrying CoAP, and
// with the run's keys.log and oscore_contexts (trace.key_log) decrypts its DTLS records and
// its OSCORE messages.
#include "scenario-run-fixture.h"
#include "support/shell-command.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

using namespace lpwantest;

namespace
{

std::string
Capture(const std::string& command)
{
    return RunShellCommand(command).output;
}

/// How many lines of text are exactly line.
size_t
CountLines(const std::string& text, const std::string& line)
{
    size_t n = 0;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
    {
        n += l == line;
    }
    return n;
}

} // namespace

TEST(PcapTshark, CoapRequestsAndResponsesAreDissected)
{
    if (std::system("command -v tshark >/dev/null 2>&1") != 0)
    {
        FAIL() << "tshark is not installed (./lpwan installs it)";
    }
    std::string dir = OutDir("pcap-tshark");
    RunScenario(SmallScenario({"trace.pcap=true", "link.loss=0"}), dir);
    for (const char* file : {"gateway-air.pcap", "server.pcap"})
    {
        std::string fields = Capture("tshark -r " + dir + "/" + file +
                                     " -Y coap -T fields -e coap.type -e coap.code -e "
                                     "coap.opt.uri_path 2>&1");
        // CON (0) POST (2) to /r, and ACK (2) 2.04 Changed (68)
        EXPECT_NE(fields.find("0\t2\tr"), std::string::npos) << file << ":\n" << fields;
        EXPECT_NE(fields.find("2\t68\t"), std::string::npos) << file << ":\n" << fields;
        std::string linkType = Capture("capinfos -E " + std::string(dir) + "/" + file + " 2>&1");
        EXPECT_NE(linkType.find("Raw IP"), std::string::npos) << linkType;
    }
}

TEST(PcapTshark, KeyLogLetsWiresharkDecryptDtls)
{
    std::string dir = OutDir("pcap-tshark-keylog");
    RunScenario(SmallScenario({"trace.pcap=true", "trace.key_log=true", "link.loss=0",
                               "security.profile=dtls-psk"}),
                dir);
    std::ifstream keys(dir + "/keys.log");
    std::string line;
    const std::regex nss("CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}");
    int sessions = 0;
    while (std::getline(keys, line))
    {
        EXPECT_TRUE(std::regex_match(line, nss)) << line;
        ++sessions;
    }
    EXPECT_GT(sessions, 0);
    const std::string tshark = "tshark -r " + dir + "/server.pcap -d udp.port==5684,dtls ";
    // Without the keys Wireshark sees DTLS records and no CoAP; with them, every report.
    EXPECT_EQ(Capture(tshark + "-Y coap -T fields -e coap.code 2>/dev/null"), "");
    const std::string fields =
        Capture(tshark + "-o tls.keylog_file:" + dir + "/keys.log -Y coap -T fields "
                         "-e coap.type -e coap.code -e coap.opt.uri_path 2>&1");
    EXPECT_NE(fields.find("0\t2\tr"), std::string::npos) << fields; // CON POST /r
    EXPECT_NE(fields.find("2\t68\t"), std::string::npos) << fields; // ACK 2.04
}

TEST(PcapTshark, KeyLogLetsWiresharkDecryptTls13)
{
    // tls13-mqtt runs the project's own TLS 1.3 core (AES-128-CCM-8): with the five secrets it
    // logs per session, Wireshark's TLS 1.3 decryption, an independent implementation of the
    // record layer and key schedule, finds every MQTT packet; without them, none.
    std::string dir = OutDir("pcap-tshark-tls13");
    RunScenario(SmallScenario({"trace.pcap=true", "trace.key_log=true", "link.loss=0",
                               "security.profile=tls13-mqtt", "devices.count=3"}),
                dir);
    std::ifstream keys(dir + "/keys.log");
    std::string line;
    const std::regex nss(
        "(CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|"
        "CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET) "
        "[0-9a-f]{64} [0-9a-f]{64}");
    int lines = 0;
    while (std::getline(keys, line))
    {
        EXPECT_TRUE(std::regex_match(line, nss)) << line;
        ++lines;
    }
    EXPECT_EQ(lines % 5, 0);
    EXPECT_GE(lines, 15); // a session per device at least
    const std::string tshark = "tshark -r " + dir + "/server.pcap ";
    EXPECT_EQ(Capture(tshark + "-Y mqtt -T fields -e mqtt.msgtype 2>/dev/null"), "");
    const std::string fields = Capture(tshark + "-o tls.keylog_file:" + dir
                                       + "/keys.log -Y mqtt -T fields -e mqtt.msgtype "
                                         "-e mqtt.topic 2>/dev/null");
    for (const char* publish : {"3\tmeters/0", "3\tmeters/1", "3\tmeters/2"})
    {
        EXPECT_NE(fields.find(publish), std::string::npos) << fields;
    }
    EXPECT_NE(fields.find("1\t"), std::string::npos) << fields; // CONNECT
    EXPECT_NE(fields.find("4\t"), std::string::npos) << fields; // PUBACK
}

TEST(PcapTshark, OscoreContextsLetWiresharkDecryptOscore)
{
    // Wireshark's OSCORE dissector, an independent implementation of RFC 8613, decrypts and
    // checks every report and response the simulation protected, given the run's contexts.
    std::string dir = OutDir("pcap-tshark-oscore");
    const ns3::RunOutcome run
        = RunScenario(SmallScenario({"trace.pcap=true", "trace.key_log=true", "link.loss=0",
                                     "security.profile=oscore"}),
                      dir);
    std::ifstream contexts(dir + "/oscore_contexts");
    std::string line;
    std::string options;
    const std::regex record(
        R"re("[0-9a-f]*","","[0-9a-f]{32}","[0-9a-f]*","","AES-CCM-16-64-128 \(CCM\*\)")re");
    int devices = 0;
    while (std::getline(contexts, line))
    {
        EXPECT_TRUE(std::regex_match(line, record)) << line;
        options += " -o 'uat:oscore_contexts:" + line + "'";
        ++devices;
    }
    EXPECT_EQ(devices, 20);
    const std::string fields
        = Capture("tshark -r " + dir + "/server.pcap" + options
                  + " -Y oscore -T fields -e oscore.code -e oscore.opt.uri_path 2>/dev/null");
    const size_t posts = CountLines(fields, "2\tr");
    const size_t changed = CountLines(fields, "68\t");
    // Every protected request on the wire (retransmitted copies too) decrypts to its POST,
    // every protected response to its 2.04.
    const std::string outer = Capture("tshark -r " + dir + "/server.pcap -Y oscore -T fields "
                                      "-e coap.code 2>/dev/null");
    const size_t outerRequests = CountLines(outer, "2");
    const size_t outerResponses = CountLines(outer, "68");
    EXPECT_EQ(posts, outerRequests) << outer;
    EXPECT_EQ(changed, outerResponses) << outer;
    EXPECT_GE(posts, run.summary["messages"]["sent"].get<size_t>()) << fields;
    EXPECT_GE(changed, run.summary["messages"]["delivered"].get<size_t>()) << fields;
    EXPECT_GT(changed, 0u);
    EXPECT_EQ(fields.find("Decryption failed"), std::string::npos);
}
