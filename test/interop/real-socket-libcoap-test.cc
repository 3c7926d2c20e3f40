// The real-socket tools against an independent CoAP implementation, libcoap 4.3.1 (Debian's
// libcoap3-bin): libcoap's coap-client against lpwan-coap-server, and lpwan-coap-client
// against libcoap's coap-server, over loopback UDP with block-wise transfers and Observe.
// Plain CoAP only: libcoap 4.3.1 has no OSCORE.
#include "interop/udp-relay.h"
#include "protocols/common/hex.h"
#include "support/child-process.h"
#include "support/free-port.h"
#include "support/temp-dir.h"

#include <gtest/gtest.h>
#include <mbedtls/sha256.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace
{

using interop_test::ChildProcess;

const std::string kServer = std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-coap-server";
const std::string kClient = std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-coap-client";
const std::string kLibcoapClient = "/usr/bin/coap-client-notls";
const std::string kLibcoapServer = "/usr/bin/coap-server-notls";

std::string
Sha256Hex(const std::string& data)
{
    unsigned char digest[32];
    mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, 0);
    return lpwan::ToHex(digest, sizeof(digest));
}

class RealSocketLibcoap : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        if (!std::filesystem::exists(kLibcoapClient) || !std::filesystem::exists(kLibcoapServer))
        {
            GTEST_SKIP() << "libcoap3-bin is not installed";
        }
        m_tmp = std::make_unique<lpwantest::TempDir>("lpwan-libcoap");
        m_dir = m_tmp->Path();
    }

    void TearDown() override
    {
        m_tmp.reset();
    }

    /// Runs a program to completion (8 s at most); returns its exit status, fills *out.
    std::optional<int> Run(const std::string& program, const std::vector<std::string>& args,
                           std::string* out)
    {
        ChildProcess p(program, args, m_dir + "/run" + std::to_string(++m_runs));
        const std::optional<int> status = p.Wait(8);
        *out = p.Stdout();
        return status;
    }

    std::unique_ptr<lpwantest::TempDir> m_tmp;
    std::string m_dir;
    int m_runs = 0;
};

} // namespace

TEST_F(RealSocketLibcoap, LibcoapClientAgainstOurServer)
{
    ChildProcess server(kServer, {"-A", "127.0.0.1", "-p", "0", "--notify-interval", "150"},
                        m_dir + "/server");
    const std::optional<std::string> port = server.WaitForLine("listening on 127.0.0.1:", 5);
    ASSERT_TRUE(port.has_value()) << server.Stderr();
    const std::string base = "coap://127.0.0.1:" + *port;
    std::string out;

    EXPECT_EQ(Run(kLibcoapClient, {base + "/hello"}, &out), std::optional<int>(0));
    EXPECT_EQ(out, "Hello, world!\n");

    // Block2 in 64-byte blocks, asked for by libcoap; libcoap adds a final newline.
    EXPECT_EQ(Run(kLibcoapClient, {"-b", "64", base + "/large"}, &out), std::optional<int>(0));
    ASSERT_EQ(out.size(), 2001u);
    EXPECT_EQ(out.substr(0, 50), "0001 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR\n");
    EXPECT_EQ(out.substr(1950), "0040 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR\n\n");

    // Block1 upload by libcoap, reassembled by our server.
    std::string body;
    for (int i = 0; i < 3000; ++i)
    {
        body.push_back(static_cast<char>('A' + i % 23));
    }
    const std::string file = m_dir + "/body";
    std::ofstream(file, std::ios::binary) << body;
    EXPECT_EQ(Run(kLibcoapClient, {"-m", "post", "-b", "256", "-f", file, base + "/upload"}, &out),
              std::optional<int>(0));
    EXPECT_EQ(out, "received 3000 bytes sha256=" + Sha256Hex(body) + "\n");

    // Observe: libcoap registers, gets notifications, and deregisters when -s runs out.
    EXPECT_EQ(Run(kLibcoapClient, {"-s", "1", base + "/counter"}, &out), std::optional<int>(0));
    server.Signal(SIGTERM);
    ASSERT_EQ(server.Wait(5), std::optional<int>(0));
    const std::string counters = server.Stdout();
    EXPECT_NE(counters.find("observers-added=1 observers-removed=1"), std::string::npos)
        << counters;
    EXPECT_EQ(counters.find("notifications=0 "), std::string::npos) << counters;
}

TEST_F(RealSocketLibcoap, OurClientAgainstLibcoapServer)
{
    const uint16_t port = lpwantest::FreeUdpPort();
    ChildProcess server(kLibcoapServer, {"-A", "127.0.0.1", "-p", std::to_string(port)},
                        m_dir + "/libcoap-server");
    const std::string base = "coap://127.0.0.1:" + std::to_string(port);
    std::string out;
    // Wait until libcoap answers (it has no "listening" line).
    std::optional<int> status;
    for (int i = 0; i < 50 && status != std::optional<int>(0); ++i)
    {
        status = Run(kClient, {"-B", "0.1", base + "/"}, &out);
    }
    ASSERT_EQ(status, std::optional<int>(0)) << "libcoap's server did not come up";
    EXPECT_EQ(out.rfind("2.05 Content\nThis is a test server made with libcoap", 0), 0u) << out;

    // Block1 upload to libcoap (PUT /example_data), then Block2 download in 16-byte blocks.
    std::string body;
    for (int i = 0; i < 400; ++i)
    {
        body.push_back(static_cast<char>('a' + i % 26));
    }
    const std::string file = m_dir + "/body";
    std::ofstream(file, std::ios::binary) << body;
    EXPECT_EQ(Run(kClient, {"-m", "put", "-b", "64", "-f", file, base + "/example_data"}, &out),
              std::optional<int>(0));
    EXPECT_EQ(Run(kClient, {"-b", "16", base + "/example_data"}, &out), std::optional<int>(0));
    EXPECT_EQ(out, "2.05 Content\n" + body + "\n");

    // Observe libcoap's clock, which notifies once a second.
    EXPECT_EQ(Run(kClient, {"-s", "1.3", base + "/time"}, &out), std::optional<int>(0));
    size_t responses = 0;
    for (size_t at = out.find("2.05 Content\n"); at != std::string::npos;
         at = out.find("2.05 Content\n", at + 1))
    {
        ++responses;
    }
    EXPECT_GE(responses, 2u) << out; // the registration's answer and >= 1 notification
}
