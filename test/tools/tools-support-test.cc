// The command-line side of the real-socket tools (tools/support/): hex, the
// Boost.Program_options command line, the client's and server's options, the OSCORE context the
// flags describe (checked against the RFC 8613 Appendix C.1.1 key derivation) and the Sender
// Sequence Number file.
#include "protocols/coap/coap-message.h"
#include "protocols/oscore/oscore-security-context.h"
#include "support/client-options.h"
#include "support/command-line.h"
#include "support/demo-resources.h"
#include "support/hex.h"
#include "support/sequence-number-file.h"
#include "support/server-options.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace lpwan;
using namespace lpwan::tools;

namespace
{

std::vector<uint8_t>
Bytes(std::initializer_list<int> values)
{
    std::vector<uint8_t> out;
    for (int v : values)
    {
        out.push_back(static_cast<uint8_t>(v));
    }
    return out;
}

std::string
TempPath(const std::string& name)
{
    const std::string dir = std::string(LPWAN_BINARY_DIR) + "/test-output/tools";
    std::filesystem::create_directories(dir);
    return dir + "/" + name;
}

} // namespace

TEST(ToolsSupport, HexAcceptsSeparatorsAndRejectsTypos)
{
    std::string error;
    EXPECT_EQ(ParseHex("0x01:02-0a FF", &error), Bytes({1, 2, 10, 255}));
    EXPECT_EQ(ParseHex("", &error), std::vector<uint8_t>{});
    EXPECT_FALSE(ParseHex("abc", &error));
    EXPECT_EQ(error, "'abc' is not hex: odd number of digits");
    EXPECT_FALSE(ParseHex("0g", &error));
    EXPECT_EQ(error, "'0g' is not hex: odd number of digits");
    EXPECT_FALSE(ParseHex("zz", &error));
    EXPECT_EQ(error, "'zz' is not hex: unexpected 'z'");
    EXPECT_EQ(ToHex(Bytes({0, 0xab, 0x10})), "00ab10");
}

TEST(ToolsSupport, CommandLineSplitsOptionsValuesAndPositionals)
{
    po::options_description options;
    // clang-format off
    options.add_options()
        ("name", po::value<std::string>())
        (",x", po::value<std::string>())
        ("flag", "")
        (",v", VerbositySwitch());
    // clang-format on
    std::string error;
    const auto line = ParseCommandLine(
        {"--name=value", "-x", "1", "-vv", "file", "-v", "--", "-notanoption", "--flag"}, options,
        &error);
    ASSERT_TRUE(line) << error;
    EXPECT_EQ(*GivenValue(line->values, "name"), "value");
    EXPECT_EQ(*GivenValue(line->values, "-x"), "1");
    EXPECT_EQ(VerbosityOf(line->values, "-v"), 3);
    EXPECT_EQ(line->values.count("flag"), 0u) << "after '--' nothing is an option";
    EXPECT_EQ(line->positional, (std::vector<std::string>{"file", "-notanoption", "--flag"}));
    // An empty value is a value ("" is the empty OSCORE ID); "-1" is not an option.
    const auto empty = ParseCommandLine({"--name", "", "-x", "-1"}, options, &error);
    ASSERT_TRUE(empty) << error;
    EXPECT_EQ(*GivenValue(empty->values, "name"), "");
    EXPECT_EQ(*GivenValue(empty->values, "-x"), "-1");

    // One line naming the option, as the user spelt it.
    const std::vector<std::pair<std::vector<std::string>, std::string>> bad = {
        {{"--flag=yes"}, "--flag takes no value"},
        {{"--name"}, "--name needs a value"},
        {{"-x"}, "-x needs a value"},
        {{"--name", "-v"}, "--name needs a value"},
        {{"--nam", "a"}, "unknown option '--nam'"}, // no abbreviations
        {{"--other=3"}, "unknown option '--other'"},
        {{"-y"}, "unknown option '-y'"},
        {{"-x", "1", "-x", "2"}, "-x given more than once"},
        {{"--name", "a", "--name=b"}, "--name given more than once"},
    };
    for (const auto& [args, message] : bad)
    {
        EXPECT_FALSE(ParseCommandLine(args, options, &error));
        EXPECT_EQ(error, message);
    }
    EXPECT_EQ(ParseClientCommandLine({"--oscore-send-kid-context=yes", "coap://h/"}).error,
              "--oscore-send-kid-context takes no value");
    EXPECT_EQ(ParseClientCommandLine({"coap://h/", "--oscore-secret"}).error,
              "--oscore-secret needs a value");
}

TEST(ToolsSupport, ClientCommandLine)
{
    const ClientCommandLine c = ParseClientCommandLine(
        {"-m", "put", "-e", "21.5", "-t", "json", "-b", "64", "-N", "-T", "0a0b", "-v",
         "--ack-timeout=0.5", "-B", "3", "coap://example.net:1234/a/b%20c?x=1"});
    ASSERT_TRUE(c.options) << c.error;
    const ClientOptions& o = *c.options;
    EXPECT_EQ(o.method, lpwan::coap::code::Put);
    EXPECT_EQ(o.payload, std::optional<std::vector<uint8_t>>(Bytes({'2', '1', '.', '5'})));
    EXPECT_EQ(o.contentFormat, std::optional<uint32_t>(50));
    EXPECT_EQ(o.blockSize, std::optional<size_t>(64));
    EXPECT_TRUE(o.nonConfirmable);
    EXPECT_EQ(o.token, std::optional<std::vector<uint8_t>>(Bytes({0x0a, 0x0b})));
    EXPECT_EQ(o.verbose, 1);
    EXPECT_DOUBLE_EQ(o.transmission.ackTimeoutS, 0.5);
    EXPECT_DOUBLE_EQ(o.waitSeconds, 3);
    EXPECT_EQ(o.uri.host, "example.net");
    EXPECT_EQ(o.uri.port, 1234);
    EXPECT_EQ(o.uri.path, (std::vector<std::string>{"a", "b c"}));
    EXPECT_EQ(o.uri.query, (std::vector<std::string>{"x=1"}));
    EXPECT_FALSE(o.oscore.Any());

    EXPECT_TRUE(ParseClientCommandLine({"--help"}).help);
    EXPECT_EQ(ParseClientCommandLine({"-s", "1", "-m", "post", "coap://h/x"}).error,
              "-s: Observe needs -m get or -m fetch");
    EXPECT_EQ(ParseClientCommandLine({"-T", "", "coap://h/x"}).error,
              "-T: a token has 1 to 8 bytes (0 given)");
    EXPECT_EQ(ParseClientCommandLine({"coap://h/x", "coap://h/y"}).error,
              "unexpected argument 'coap://h/y' (only one URI)");
    EXPECT_EQ(ParseClientCommandLine({"-e", "a", "-f", "/nonexistent", "coap://h/x"}).error,
              "-e/-f: only one payload");
    EXPECT_EQ(ParseClientCommandLine({"--max-retransmit", "-1", "coap://h/x"}).error,
              "--max-retransmit: '-1' is not a whole number");
}

TEST(ToolsSupport, ServerCommandLine)
{
    const ServerCommandLine c = ParseServerCommandLine(
        {"-A", "127.0.0.1", "-p", "0", "--notify-interval", "250", "--large-size", "5000",
         "--block-size", "256", "--exit-after", "1.5"});
    ASSERT_TRUE(c.options) << c.error;
    EXPECT_EQ(c.options->address, "127.0.0.1");
    EXPECT_EQ(c.options->port, 0);
    EXPECT_DOUBLE_EQ(c.options->notifyIntervalS, 0.25);
    EXPECT_EQ(c.options->largeSize, 5000u);
    EXPECT_EQ(c.options->maxBlockSize, 256u);
    EXPECT_EQ(c.options->exitAfterS, std::optional<double>(1.5));
    EXPECT_EQ(ParseServerCommandLine({"-A", "localhost"}).error,
              "-A: 'localhost' is not an IPv4 address");
    EXPECT_EQ(ParseServerCommandLine({"extra"}).error, "unexpected argument 'extra'");
}

TEST(ToolsSupport, OscoreFlagsDeriveTheAppendixC1Context)
{
    // RFC 8613 Appendix C.1.1 (client) and C.1.2 (server): the flags as a user types them.
    const ClientCommandLine client = ParseClientCommandLine(
        {"--oscore-secret", "0102030405060708090a0b0c0d0e0f10", "--oscore-salt", "9e7ca92223786340",
         "--oscore-sender-id", "", "--oscore-recipient-id", "01", "--oscore-replay-window", "64",
         "coap://127.0.0.1/hello"});
    ASSERT_TRUE(client.options) << client.error;
    std::string error;
    const auto params = BuildContextParameters(client.options->oscore, &error);
    ASSERT_TRUE(params) << error;
    EXPECT_EQ(params->replayWindowSize, 64u);
    const lpwan::oscore::SecurityContext ctx(*params);
    EXPECT_EQ(ToHex(ctx.GetSenderKey()), "f0910ed7295e6ad4b54fc793154302ff");
    EXPECT_EQ(ToHex(ctx.GetRecipientKey()), "ffb14e093c94c9cac9471648b4f98710");
    EXPECT_EQ(ToHex(ctx.GetCommonIv()), "4622d4dd6d944168eefb54987c");

    const ServerCommandLine server = ParseServerCommandLine(
        {"--oscore-secret", "0102030405060708090a0b0c0d0e0f10", "--oscore-salt", "9e7ca92223786340",
         "--oscore-sender-id", "01", "--oscore-recipient-id", ""});
    ASSERT_TRUE(server.options) << server.error;
    const lpwan::oscore::SecurityContext serverCtx(
        *BuildContextParameters(server.options->oscore, &error));
    EXPECT_EQ(serverCtx.GetSenderKey(), ctx.GetRecipientKey());
    EXPECT_EQ(serverCtx.GetRecipientKey(), ctx.GetSenderKey());

    EXPECT_EQ(ParseServerCommandLine({"--oscore-send-kid-context", "--oscore-secret", "00",
                                      "--oscore-sender-id", "01", "--oscore-recipient-id", "02"})
                  .error,
              "--oscore-send-kid-context needs --oscore-id-context");
    EXPECT_EQ(ParseServerCommandLine({"--oscore-secret", "00", "--oscore-sender-id",
                                      "0102030405060708", "--oscore-recipient-id", ""})
                  .error,
              "OSCORE context: Sender/Recipient ID longer than 7 bytes");
}

TEST(ToolsSupport, SequenceNumberFileRoundTripsAndRefusesGarbage)
{
    const std::string path = TempPath("ssn");
    std::filesystem::remove(path);
    const SequenceNumberFile file(path);
    std::string error;
    EXPECT_EQ(file.Load(&error), std::optional<uint64_t>(0)) << error; // first run
    ASSERT_TRUE(file.Store(1234567, &error)) << error;
    EXPECT_EQ(file.Load(&error), std::optional<uint64_t>(1234567));
    std::ofstream(path) << "12x\n";
    EXPECT_FALSE(file.Load(&error));
    EXPECT_NE(error.find("expected the next Sender Sequence Number"), std::string::npos) << error;
    std::ofstream(path) << "1099511627777\n"; // 2^40 + 1: beyond what RFC 8613 allows
    EXPECT_FALSE(file.Load(&error));
}

TEST(ToolsSupport, LargeRepresentationIsNumberedFiftyByteLines)
{
    const std::vector<uint8_t> body = LargeRepresentation(2000);
    ASSERT_EQ(body.size(), 2000u);
    const std::string text(body.begin(), body.end());
    EXPECT_EQ(text.substr(0, 50), "0001 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR\n");
    EXPECT_EQ(text.substr(1950), "0040 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR\n");
    EXPECT_EQ(LargeRepresentation(7), Bytes({'0', '0', '0', '1', ' ', 'a', 'b'}));
    EXPECT_TRUE(LargeRepresentation(0).empty());
}
