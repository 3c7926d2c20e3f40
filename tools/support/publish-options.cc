/*
 * lpwan-mqtt-publish's command line; see publish-options.h.
 */

#include "publish-options.h"

#include "posix/ipv4-peer.h"
#include "protocols/mqtt/mqtt-topic.h"

#include <sstream>

namespace lpwan
{
namespace tools
{

namespace
{

/// Every option of the publisher: its own, then the TLS group.
po::options_description
PublishOptionsDescription()
{
    po::options_description own("Options");
    // clang-format off
    own.add_options()
        (",q", po::value<std::string>()->value_name("QOS"), "0 or 1 (default 1)")
        (",r", "retain the message")
        (",i", po::value<std::string>()->value_name("ID"),
         "client identifier (default: lpwan-publish-RANDOM)")
        (",k", po::value<std::string>()->value_name("SECONDS"), "keep alive (default 60)")
        (",W", po::value<std::string>()->value_name("SECONDS"),
         "give up after SECONDS (default 10)")
        (",v", VerbositySwitch(), "print the TLS cipher suite and the MQTT events to stderr")
        ("help,h", "this text");
    // clang-format on
    po::options_description all;
    all.add(own).add(TlsOptions(PublishTlsStyle()));
    return all;
}

/// Reads the publisher's own options into o; false with *error for a bad one.
bool
ReadPublishOwnOptions(const po::variables_map& values, PublishOptions& o, std::string* error)
{
    if (const std::string* v = GivenValue(values, "-q"))
    {
        const auto qos = ParseUnsigned("-q", *v, 0, 1, error);
        if (!qos)
        {
            return false;
        }
        o.qos = static_cast<uint8_t>(*qos);
    }
    o.retain = values.count("-r") > 0;
    if (const std::string* v = GivenValue(values, "-i"))
    {
        o.clientId = *v;
    }
    if (const std::string* v = GivenValue(values, "-k"))
    {
        const auto seconds = ParseUnsigned("-k", *v, 0, 65535, error);
        if (!seconds)
        {
            return false;
        }
        o.keepAliveSeconds = static_cast<uint16_t>(*seconds);
    }
    if (const std::string* v = GivenValue(values, "-W"))
    {
        const auto seconds = ParseNumber("-W", *v, 0.001, 86400, error);
        if (!seconds)
        {
            return false;
        }
        o.timeoutS = *seconds;
    }
    o.verbose = VerbosityOf(values, "-v");
    return true;
}

PublishCommandLine
Fail(std::string error)
{
    PublishCommandLine c;
    c.error = std::move(error);
    return c;
}

} // namespace

TlsFlagStyle
PublishTlsStyle()
{
    return TlsFlagStyle{"--tls-", tls::Role::Client, tls::Transport::Stream};
}

PublishCommandLine
ParsePublishCommandLine(const std::vector<std::string>& args)
{
    std::string error;
    const std::optional<CommandLine> line
        = ParseCommandLine(args, PublishOptionsDescription(), &error);
    if (!line)
    {
        return Fail(error);
    }
    const po::variables_map& values = line->values;
    if (values.count("help") > 0)
    {
        PublishCommandLine c;
        c.help = true;
        return c;
    }
    PublishOptions o;
    if (!ReadPublishOwnOptions(values, o, &error)
        || !ReadTlsFlags(PublishTlsStyle(), values, &o.tlsFlags, &error))
    {
        return Fail(error);
    }
    const std::vector<std::string>& positional = line->positional;
    if (positional.size() != 4)
    {
        return Fail("expected HOST PORT TOPIC MESSAGE (" + std::to_string(positional.size())
                    + " arguments given)");
    }
    o.host = positional[0];
    const auto port = ParseUnsigned("PORT", positional[1], 1, 65535, &error);
    if (!port)
    {
        return Fail(error);
    }
    o.port = static_cast<uint16_t>(*port);
    o.topic = positional[2];
    if (!mqtt::IsValidTopicName(o.topic))
    {
        return Fail("'" + o.topic + "' is not a topic name one can publish to");
    }
    o.message.assign(positional[3].begin(), positional[3].end());
    TlsFlags flags = o.tlsFlags;
    if (flags.Any() && flags.serverName.empty() && !ParseIpv4Literal(o.host))
    {
        flags.serverName = o.host; // the broker's certificate must name the host we asked for
    }
    o.tls = BuildTlsOptions(PublishTlsStyle(), flags, &error);
    if (!error.empty())
    {
        return Fail(error);
    }
    PublishCommandLine c;
    c.options = std::move(o);
    return c;
}

std::string
PublishUsage()
{
    std::ostringstream usage;
    usage << "Usage: lpwan-mqtt-publish [OPTIONS] HOST PORT TOPIC MESSAGE\n"
             "\n"
             "Publishes one MQTT 3.1.1 message to a broker over TCP, or over TLS 1.2 with any\n"
             "--tls-* flag, waits for its PUBACK (QoS 1), disconnects, and prints\n"
             "  published N bytes to TOPIC (QoS Q, packet id P)\n"
             "The project's sans-I/O MQTT client and mbedTLS session on a real TCP socket.\n"
          << PublishOptionsDescription()
          << "\n"
             "Exit status: 0 when published (and acknowledged, QoS 1); 1 when the broker refused\n"
             "the connection (CONNACK); 2 for a bad command line; 3 when the broker cannot be\n"
             "reached, the connection is lost or time runs out; 4 when the TLS handshake\n"
             "failed (wrong key, untrusted certificate, no common cipher suite).\n"
             "\n"
             "Example (mosquitto with psk_hint/psk_file, identity device1 and key 0123...):\n"
             "  lpwan-mqtt-publish --tls-psk-identity device1 \\\n"
             "      --tls-psk-key-hex 000102030405060708090a0b0c0d0e0f \\\n"
             "      127.0.0.1 8883 meters/1 reading=42\n";
    return usage.str();
}

} // namespace tools
} // namespace lpwan
