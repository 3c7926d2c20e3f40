/*
 * lpwan-coap-server's command line; see server-options.h.
 */

#include "server-options.h"

#include "argument-values.h"
#include "posix/ipv4-peer.h"
#include "protocols/coap/coap-block.h"
#include "protocols/coap/coap-uri.h"
#include "transmission-flags.h"

namespace ns3
{
namespace tools
{

namespace
{

ServerCommandLine
Fail(std::string error)
{
    ServerCommandLine c;
    c.error = std::move(error);
    return c;
}

} // namespace

TlsFlagStyle
ServerDtlsStyle()
{
    return TlsFlagStyle{"--dtls-", tls::Role::Server, tls::Transport::Datagram};
}

ServerCommandLine
ParseServerCommandLine(const std::vector<std::string>& args)
{
    ServerOptions o;
    bool portGiven = false;
    std::string error;
    ArgumentReader r(args);
    while (!r.Done() && error.empty())
    {
        const std::string arg = r.Take();
        if (!r.IsOption())
        {
            return Fail("unexpected argument '" + arg + "'");
        }
        if (arg == "-h" || arg == "--help")
        {
            ServerCommandLine c;
            c.help = true;
            return c;
        }
        if (ConsumeOscoreFlag(arg, r, o.oscore, &error) || ConsumeEdhocFlag(arg, r, o.edhoc, &error)
            || ConsumeTransmissionFlag(arg, r, o.transmission, &error)
            || ConsumeTlsFlag(ServerDtlsStyle(), arg, r, o.dtlsFlags, &error))
        {
            continue;
        }
        if (arg.find_first_not_of('v', 1) == std::string::npos) // -v, -vv, ...
        {
            o.verbose += static_cast<int>(arg.size()) - 1;
            continue;
        }
        const bool known = arg == "-A" || arg == "-p" || arg == "--notify-interval"
                           || arg == "--large-size" || arg == "--block-size"
                           || arg == "--exit-after";
        if (!known)
        {
            error = "unknown option '" + arg + "'";
            break;
        }
        const std::optional<std::string> value = r.Value(&error);
        if (!value)
        {
            break;
        }
        if (arg == "-A")
        {
            if (!ParseIpv4Literal(*value))
            {
                error = "-A: '" + *value + "' is not an IPv4 address";
            }
            o.address = *value;
        }
        else if (arg == "-p")
        {
            portGiven = true;
            o.port
                = static_cast<uint16_t>(ParseUnsigned(arg, *value, 0, 65535, &error).value_or(0));
        }
        else if (arg == "--notify-interval")
        {
            const auto ms = ParseUnsigned(arg, *value, 1, 86400000, &error);
            o.notifyIntervalS = static_cast<double>(ms.value_or(1000)) / 1000.0;
        }
        else if (arg == "--large-size")
        {
            o.largeSize = ParseUnsigned(arg, *value, 0, 1u << 20, &error).value_or(0);
        }
        else if (arg == "--block-size")
        {
            const auto n = ParseUnsigned(arg, *value, 16, 1024, &error);
            if (n && !coap::BlockSizeToSzx(*n))
            {
                error = arg + ": " + *value + " is not a block size (16, 32, 64, ..., 1024)";
            }
            o.maxBlockSize = n.value_or(1024);
        }
        else
        {
            o.exitAfterS = ParseNumber(arg, *value, 0, 86400 * 365, &error);
        }
    }
    if (!error.empty())
    {
        return Fail(error);
    }
    if (o.oscore.Any() && !BuildContextParameters(o.oscore, &error))
    {
        return Fail(error);
    }
    if (o.dtlsFlags.Any())
    {
        o.dtls = BuildTlsOptions(ServerDtlsStyle(), o.dtlsFlags, &error);
        if (!o.dtls)
        {
            return Fail(error);
        }
        if (!portGiven)
        {
            o.port = coap::kDefaultSecurePort;
        }
    }
    const std::string bad = o.transmission.Validate();
    if (!bad.empty())
    {
        return Fail(bad);
    }
    ServerCommandLine c;
    c.options = std::move(o);
    return c;
}

std::string
ServerUsage()
{
    return std::string(
               "Usage: lpwan-coap-server [OPTIONS]\n"
               "\n"
               "A CoAP server (RFC 7252) on UDP with a few demonstration resources, optionally\n"
               "OSCORE-only (RFC 8613) and/or over DTLS 1.2 only (coaps, with --dtls-* flags).\n"
               "Prints \"listening on ADDRESS:PORT\" once bound (so -p 0 is usable by scripts)\n"
               "and, when it stops (SIGINT, SIGTERM or --exit-after), one line of CoAP counters\n"
               "and, with DTLS, one line of handshake counters and, with OSCORE, one line of\n"
               "OSCORE counters:\n"
               "  oscore: verified=N replayed=N forged=N malformed=N no-context=N not-oscore=N\n"
               "          responses-protected=N\n"
               "(replayed: Partial IV seen before or too old, answered 4.01 \"Replay detected\";\n"
               "forged: AEAD verification failed, answered 4.00 \"Decryption failed\").\n"
               "\n"
               "Resources:\n"
               "  /hello    GET: \"Hello, world!\"\n"
               "  /echo     POST, PUT: answers 2.04 with the request's payload and Content-Format\n"
               "            (block-wise Block1 accepted, up to --block-size bytes)\n"
               "  /counter  GET, Observable: a number that grows by one every --notify-interval;\n"
               "            observers get a notification at each step\n"
               "  /large    GET: --large-size bytes of numbered text lines, served with Block2\n"
               "  /upload   POST, PUT: accepts up to 1 MiB with Block1 and answers 2.04\n"
               "            \"received N bytes sha256=HEX\"\n"
               "  /.well-known/core  GET: the resources in CoRE Link Format\n"
               "\n"
               "Options:\n"
               "  -A ADDRESS                  IPv4 address to bind (default 0.0.0.0)\n"
               "  -p PORT                     UDP port (default 5683, with DTLS 5684; 0 picks a\n"
               "                              free one)\n"
               "  --notify-interval MS        /counter step and notification period (default 1000)\n"
               "  --large-size BYTES          size of /large (default 2000)\n"
               "  --block-size SIZE           largest Block2 block sent, 16..1024 (default 1024)\n"
               "  --exit-after SECONDS        stop after SECONDS (and print the counters)\n"
               "  -v                          log every request and its answer to stderr, and each\n"
               "                              DTLS handshake with its cipher suite; -vv also every\n"
               "                              datagram (decoded, and in hex; inside DTLS records)\n"
               "  -h, --help                  this text\n"
               "\n")
           + TransmissionFlagsUsage() + "\n" + OscoreFlagsUsage() + "\n" + EdhocFlagsUsage() + "\n"
           + TlsFlagsUsage(ServerDtlsStyle())
           + "\n"
             "With OSCORE flags the server serves only OSCORE-protected requests: anything else\n"
             "gets 4.01 Unauthorized. Responses and notifications are protected (notifications\n"
             "always with the server's own Partial IV, RFC 8613 section 8.3.1).\n"
             "\n"
             "Exit status: 0 after a signal or --exit-after; 2 for a bad command line; 3 when\n"
             "the socket cannot be bound.\n"
             "\n"
             "Example (RFC 8613 Appendix C.1 context; the client swaps the two IDs):\n"
             "  lpwan-coap-server -A 127.0.0.1 -p 5683 \\\n"
             "      --oscore-secret 0102030405060708090a0b0c0d0e0f10 \\\n"
             "      --oscore-salt 9e7ca92223786340 --oscore-sender-id 01 \\\n"
             "      --oscore-recipient-id '' --oscore-seq-file /tmp/server.seq\n"
             "\n"
             "Example (DTLS with a pre-shared key, for libcoap's coap-client-openssl -u/-k):\n"
             "  lpwan-coap-server -A 127.0.0.1 --dtls-psk-identity device1 \\\n"
             "      --dtls-psk-key secretPSK\n";
}

} // namespace tools
} // namespace ns3
