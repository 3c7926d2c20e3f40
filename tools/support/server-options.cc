/*
 * lpwan-coap-server's command line; see server-options.h.
 */

#include "server-options.h"

#include "posix/ipv4-peer.h"
#include "protocols/coap/coap-block.h"
#include "protocols/coap/coap-uri.h"
#include "transmission-flags.h"

#include <sstream>

namespace lpwan
{
namespace tools
{

namespace
{

/// Every option of the server: its own, then the shared groups'.
po::options_description
ServerOptionsDescription()
{
    po::options_description own("Options");
    // clang-format off
    own.add_options()
        (",A", po::value<std::string>()->value_name("ADDRESS"),
         "IPv4 address to bind (default 0.0.0.0)")
        (",p", po::value<std::string>()->value_name("PORT"),
         "UDP port (default 5683, with DTLS 5684; 0 picks a free one)")
        ("notify-interval", po::value<std::string>()->value_name("MS"),
         "/counter step and notification period (default 1000)")
        ("large-size", po::value<std::string>()->value_name("BYTES"),
         "size of /large (default 2000)")
        ("block-size", po::value<std::string>()->value_name("SIZE"),
         "largest Block2 block sent, 16..1024 (default 1024)")
        ("exit-after", po::value<std::string>()->value_name("SECONDS"),
         "stop after SECONDS (and print the counters)")
        (",v", VerbositySwitch(),
         "log every request and its answer to stderr, and each DTLS handshake with its cipher "
         "suite; -vv also every datagram (decoded, and in hex; inside DTLS records)")
        ("help,h", "this text");
    // clang-format on
    po::options_description all;
    all.add(own)
        .add(TransmissionOptions())
        .add(OscoreOptions())
        .add(EdhocOptions())
        .add(TlsOptions(ServerDtlsStyle()));
    return all;
}

/// Reads the server's own options into o; false with *error for a bad one.
bool
ReadServerOwnOptions(const po::variables_map& values, ServerOptions& o, std::string* error)
{
    if (const std::string* v = GivenValue(values, "-A"))
    {
        if (!ParseIpv4Literal(*v))
        {
            *error = "-A: '" + *v + "' is not an IPv4 address";
            return false;
        }
        o.address = *v;
    }
    if (const std::string* v = GivenValue(values, "-p"))
    {
        const auto port = ParseUnsigned("-p", *v, 0, 65535, error);
        if (!port)
        {
            return false;
        }
        o.port = static_cast<uint16_t>(*port);
    }
    if (const std::string* v = GivenValue(values, "notify-interval"))
    {
        const auto ms = ParseUnsigned("--notify-interval", *v, 1, 86400000, error);
        if (!ms)
        {
            return false;
        }
        o.notifyIntervalS = static_cast<double>(*ms) / 1000.0;
    }
    if (const std::string* v = GivenValue(values, "large-size"))
    {
        const auto n = ParseUnsigned("--large-size", *v, 0, 1u << 20, error);
        if (!n)
        {
            return false;
        }
        o.largeSize = *n;
    }
    if (const std::string* v = GivenValue(values, "block-size"))
    {
        const auto n = ParseUnsigned("--block-size", *v, 16, 1024, error);
        if (!n)
        {
            return false;
        }
        if (!coap::BlockSizeToSzx(*n))
        {
            *error = "--block-size: " + *v + " is not a block size (16, 32, 64, ..., 1024)";
            return false;
        }
        o.maxBlockSize = *n;
    }
    if (const std::string* v = GivenValue(values, "exit-after"))
    {
        o.exitAfterS = ParseNumber("--exit-after", *v, 0, 86400 * 365, error);
        if (!o.exitAfterS)
        {
            return false;
        }
    }
    o.verbose = VerbosityOf(values, "-v");
    return true;
}

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
    std::string error;
    const std::optional<CommandLine> line
        = ParseCommandLine(args, ServerOptionsDescription(), &error);
    if (!line)
    {
        return Fail(error);
    }
    const po::variables_map& values = line->values;
    if (values.count("help") > 0)
    {
        ServerCommandLine c;
        c.help = true;
        return c;
    }
    if (!line->positional.empty())
    {
        return Fail("unexpected argument '" + line->positional.front() + "'");
    }
    ServerOptions o;
    const bool portGiven = values.count("-p") > 0;
    if (!ReadServerOwnOptions(values, o, &error)
        || !ReadTransmissionFlags(values, &o.transmission, &error)
        || !ReadOscoreFlags(values, &o.oscore, &error) || !ReadEdhocFlags(values, &o.edhoc, &error)
        || !ReadTlsFlags(ServerDtlsStyle(), values, &o.dtlsFlags, &error))
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
    std::ostringstream usage;
    usage << "Usage: lpwan-coap-server [OPTIONS]\n"
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
             "            observers get a notification at each step; one that answers\n"
             "            with RST or never ACKs a CON notification is removed (RFC 7641\n"
             "            4.5: counted as observers-reset and observers-timed-out)\n"
             "  /large    GET: --large-size bytes of numbered text lines, served with Block2\n"
             "  /upload   POST, PUT: accepts up to 1 MiB with Block1 and answers 2.04\n"
             "            \"received N bytes sha256=HEX\"\n"
             "  /.well-known/core  GET: the resources in CoRE Link Format\n"
          << ServerOptionsDescription()
          << "\n"
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
    return usage.str();
}

} // namespace tools
} // namespace lpwan
