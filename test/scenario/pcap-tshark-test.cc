// tshark (an independent dissector) reads the run's PCAP files as raw IPv4 carrying CoAP.
#include "scenario-run-fixture.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>

using namespace lpwantest;

namespace
{

std::string
Capture(const std::string& command)
{
    std::string output;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe)
    {
        return output;
    }
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0)
    {
        output.append(buf.data(), n);
    }
    return output;
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
