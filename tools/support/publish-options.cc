/*
 * lpwan-mqtt-publish's command line; see publish-options.h.
 */

#include "publish-options.h"

#include "argument-values.h"
#include "posix/ipv4-peer.h"
#include "protocols/mqtt/mqtt-topic.h"

namespace ns3
{
namespace tools
{

namespace
{

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
    PublishOptions o;
    std::vector<std::string> positional;
    std::string error;
    ArgumentReader r(args);
    while (!r.Done() && error.empty())
    {
        const std::string arg = r.Take();
        if (!r.IsOption())
        {
            positional.push_back(arg);
            continue;
        }
        if (arg == "-h" || arg == "--help")
        {
            PublishCommandLine c;
            c.help = true;
            return c;
        }
        if (ConsumeTlsFlag(PublishTlsStyle(), arg, r, o.tlsFlags, &error))
        {
            continue;
        }
        if (arg == "-r")
        {
            o.retain = r.NoValue(&error);
            continue;
        }
        if (arg.find_first_not_of('v', 1) == std::string::npos) // -v, -vv, ...
        {
            o.verbose += static_cast<int>(arg.size()) - 1;
            continue;
        }
        if (arg != "-q" && arg != "-i" && arg != "-k" && arg != "-W")
        {
            error = "unknown option '" + arg + "'";
            break;
        }
        const std::optional<std::string> value = r.Value(&error);
        if (!value)
        {
            break;
        }
        if (arg == "-q")
        {
            o.qos = static_cast<uint8_t>(ParseUnsigned(arg, *value, 0, 1, &error).value_or(1));
        }
        else if (arg == "-i")
        {
            o.clientId = *value;
        }
        else if (arg == "-k")
        {
            o.keepAliveSeconds
                = static_cast<uint16_t>(ParseUnsigned(arg, *value, 0, 65535, &error).value_or(60));
        }
        else
        {
            o.timeoutS = ParseNumber(arg, *value, 0.001, 86400, &error).value_or(10);
        }
    }
    if (!error.empty())
    {
        return Fail(error);
    }
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
    return "Usage: lpwan-mqtt-publish [OPTIONS] HOST PORT TOPIC MESSAGE\n"
           "\n"
           "Publishes one MQTT 3.1.1 message to a broker over TCP, or over TLS 1.2 with any\n"
           "--tls-* flag, waits for its PUBACK (QoS 1), disconnects, and prints\n"
           "  published N bytes to TOPIC (QoS Q, packet id P)\n"
           "The project's sans-I/O MQTT client and mbedTLS session on a real TCP socket.\n"
           "\n"
           "Options:\n"
           "  -q QOS                      0 or 1 (default 1)\n"
           "  -r                          retain the message\n"
           "  -i ID                       client identifier (default: lpwan-publish-RANDOM)\n"
           "  -k SECONDS                  keep alive (default 60)\n"
           "  -W SECONDS                  give up after SECONDS (default 10)\n"
           "  -v                          print the TLS cipher suite and the MQTT events to\n"
           "                              stderr\n"
           "  -h, --help                  this text\n"
           "\n"
           + TlsFlagsUsage(PublishTlsStyle())
           + "\n"
             "Exit status: 0 when published (and acknowledged, QoS 1); 1 when the broker refused\n"
             "the connection (CONNACK); 2 for a bad command line; 3 when the broker cannot be\n"
             "reached, the connection is lost or time runs out; 4 when the TLS handshake\n"
             "failed (wrong key, untrusted certificate, no common cipher suite).\n"
             "\n"
             "Example (mosquitto with psk_hint/psk_file, identity device1 and key 0123...):\n"
             "  lpwan-mqtt-publish --tls-psk-identity device1 \\\n"
             "      --tls-psk-key-hex 000102030405060708090a0b0c0d0e0f \\\n"
             "      127.0.0.1 8883 meters/1 reading=42\n";
}

} // namespace tools
} // namespace ns3
