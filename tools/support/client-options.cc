/*
 * lpwan-coap-client's command line; see client-options.h.
 */

#include "client-options.h"

#include "argument-values.h"
#include "hex.h"
#include "posix/ipv4-peer.h"
#include "protocols/coap/coap-block.h"
#include "protocols/coap/coap-message.h"
#include "transmission-flags.h"

#include <fstream>
#include <iterator>

namespace ns3
{
namespace tools
{

namespace
{

std::optional<uint8_t>
ParseMethod(const std::string& m)
{
    if (m == "get" || m == "GET")
    {
        return coap::code::Get;
    }
    if (m == "post" || m == "POST")
    {
        return coap::code::Post;
    }
    if (m == "put" || m == "PUT")
    {
        return coap::code::Put;
    }
    if (m == "delete" || m == "DELETE")
    {
        return coap::code::Delete;
    }
    if (m == "fetch" || m == "FETCH")
    {
        return coap::MakeCode(0, 5); // RFC 8132
    }
    return std::nullopt;
}

bool
ReadFile(const std::string& path, std::vector<uint8_t>* out, std::string* error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        *error = "-f: cannot open '" + path + "'";
        return false;
    }
    out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad())
    {
        *error = "-f: cannot read '" + path + "'";
        return false;
    }
    return true;
}

ClientCommandLine
Fail(std::string error)
{
    ClientCommandLine c;
    c.error = std::move(error);
    return c;
}

} // namespace

TlsFlagStyle
ClientDtlsStyle()
{
    return TlsFlagStyle{"--dtls-", tls::Role::Client, tls::Transport::Datagram};
}

std::optional<uint32_t>
ParseContentFormat(const std::string& text)
{
    static const std::pair<const char*, uint32_t> kNames[] = {
        {"text", 0},
        {"text/plain", 0},
        {"link", 40},
        {"application/link-format", 40},
        {"xml", 41},
        {"octet", 42},
        {"application/octet-stream", 42},
        {"exi", 47},
        {"json", 50},
        {"application/json", 50},
        {"cbor", 60},
        {"application/cbor", 60},
    };
    for (const auto& [name, value] : kNames)
    {
        if (text == name)
        {
            return value;
        }
    }
    std::string ignored;
    if (const auto n = ParseUnsigned("", text, 0, 65535, &ignored))
    {
        return static_cast<uint32_t>(*n);
    }
    return std::nullopt;
}

ClientCommandLine
ParseClientCommandLine(const std::vector<std::string>& args)
{
    ClientOptions o;
    o.method = coap::code::Get;
    std::optional<std::string> uriText;
    std::string error;
    ArgumentReader r(args);
    while (!r.Done() && error.empty())
    {
        const std::string arg = r.Take();
        if (!r.IsOption())
        {
            if (uriText)
            {
                return Fail("unexpected argument '" + arg + "' (only one URI)");
            }
            uriText = arg;
            continue;
        }
        if (arg == "-h" || arg == "--help")
        {
            ClientCommandLine c;
            c.help = true;
            return c;
        }
        if (ConsumeOscoreFlag(arg, r, o.oscore, &error) || ConsumeEdhocFlag(arg, r, o.edhoc, &error)
            || ConsumeTransmissionFlag(arg, r, o.transmission, &error)
            || ConsumeTlsFlag(ClientDtlsStyle(), arg, r, o.dtlsFlags, &error))
        {
            continue;
        }
        if (arg == "-N")
        {
            o.nonConfirmable = true;
            continue;
        }
        if (arg.find_first_not_of('v', 1) == std::string::npos) // -v, -vv, ...
        {
            o.verbose += static_cast<int>(arg.size()) - 1;
            continue;
        }
        const std::optional<std::string> value = r.Value(&error);
        if (!value)
        {
            // Unknown options are reported as unknown, not as missing a value.
            static const char* kWithValue[]
                = {"-m", "-e", "-f", "-t", "-A", "-s", "-b", "-T", "-B", "-o", "-a"};
            bool known = false;
            for (const char* k : kWithValue)
            {
                known |= arg == k;
            }
            if (!known)
            {
                error = "unknown option '" + arg + "'";
            }
            break;
        }
        if (arg == "-m")
        {
            const auto m = ParseMethod(*value);
            if (!m)
            {
                error = "-m: unknown method '" + *value + "' (get, post, put, delete, fetch)";
            }
            o.method = m.value_or(o.method);
        }
        else if (arg == "-e")
        {
            if (o.payload)
            {
                error = "-e/-f: only one payload";
            }
            o.payload = std::vector<uint8_t>(value->begin(), value->end());
        }
        else if (arg == "-f")
        {
            if (o.payload)
            {
                error = "-e/-f: only one payload";
            }
            std::vector<uint8_t> bytes;
            if (error.empty() && ReadFile(*value, &bytes, &error))
            {
                o.payload = std::move(bytes);
            }
        }
        else if (arg == "-t" || arg == "-A")
        {
            const auto cf = ParseContentFormat(*value);
            if (!cf)
            {
                error = arg + ": unknown content format '" + *value
                        + "' (a number, or text, link, xml, octet, exi, json, cbor)";
            }
            (arg == "-t" ? o.contentFormat : o.accept) = cf;
        }
        else if (arg == "-s")
        {
            o.observeSeconds = ParseNumber(arg, *value, 0, 86400 * 365, &error);
        }
        else if (arg == "-b")
        {
            const auto n = ParseUnsigned(arg, *value, 16, 1024, &error);
            if (n && !coap::BlockSizeToSzx(*n))
            {
                error = "-b: " + *value + " is not a block size (16, 32, 64, ..., 1024)";
            }
            if (n)
            {
                o.blockSize = *n;
            }
        }
        else if (arg == "-T")
        {
            std::string why;
            o.token = ParseHex(*value, &why);
            if (!o.token)
            {
                error = "-T: " + why;
            }
            else if (o.token->empty() || o.token->size() > 8)
            {
                error = "-T: a token has 1 to 8 bytes (" + std::to_string(o.token->size())
                        + " given)";
            }
        }
        else if (arg == "-B")
        {
            o.waitSeconds = ParseNumber(arg, *value, 0.001, 86400 * 365, &error).value_or(0);
        }
        else if (arg == "-o")
        {
            o.outputFile = *value;
        }
        else if (arg == "-a")
        {
            if (!ParseIpv4Literal(*value))
            {
                error = "-a: '" + *value + "' is not an IPv4 address";
            }
            o.bindAddress = *value;
        }
        else
        {
            error = "unknown option '" + arg + "'";
        }
    }
    if (!error.empty())
    {
        return Fail(error);
    }
    if (!uriText)
    {
        return Fail("missing the URI (coap://HOST[:PORT]/PATH)");
    }
    std::string why;
    const std::optional<coap::CoapUri> uri = coap::ParseCoapUri(*uriText, &why);
    if (!uri)
    {
        return Fail("bad URI '" + *uriText + "': " + why);
    }
    o.uri = *uri;
    if (o.observeSeconds && o.method != coap::code::Get && o.method != coap::MakeCode(0, 5))
    {
        return Fail("-s: Observe needs -m get or -m fetch");
    }
    if (o.oscore.Any() && !BuildContextParameters(o.oscore, &error))
    {
        return Fail(error);
    }
    if (o.edhoc.enabled && o.oscore.Any())
    {
        return Fail("--edhoc derives the OSCORE context: no --oscore-* flags with it");
    }
    if (o.uri.secure != o.dtlsFlags.Any())
    {
        return Fail(o.uri.secure ? "coaps:// needs --dtls-psk-identity and --dtls-psk-key, or "
                                   "--dtls-ca (certificates)"
                                 : "--dtls-* flags need a coaps:// URI");
    }
    if (o.uri.secure)
    {
        TlsFlags flags = o.dtlsFlags;
        if (flags.serverName.empty() && !coap::IsIpv4Literal(o.uri.host))
        {
            flags.serverName = o.uri.host; // what a browser would check, too
        }
        o.dtls = BuildTlsOptions(ClientDtlsStyle(), flags, &error);
        if (!o.dtls)
        {
            return Fail(error);
        }
    }
    const std::string bad = o.transmission.Validate();
    if (!bad.empty())
    {
        return Fail(bad);
    }
    ClientCommandLine c;
    c.options = std::move(o);
    return c;
}

std::string
ClientUsage()
{
    return std::string(
               "Usage: lpwan-coap-client [OPTIONS] coap://HOST[:PORT]/PATH[?QUERY]\n"
               "       lpwan-coap-client [OPTIONS] --dtls-... coaps://HOST[:PORT]/PATH[?QUERY]\n"
               "\n"
               "Sends one CoAP request (RFC 7252) over UDP, or over DTLS 1.2 for coaps:// (default\n"
               "port 5684), optionally protected with OSCORE (RFC 8613) as well, and prints the\n"
               "response code and payload to stdout, e.g.\n"
               "  2.05 Content\n"
               "  Hello, world!\n"
               "Block-wise transfers (RFC 7959) and Observe (RFC 7641) are followed to the end;\n"
               "every notification is printed the same way. Diagnostics go to stderr.\n"
               "\n"
               "Request:\n"
               "  -m METHOD                   get (default), post, put, delete, fetch\n"
               "  -e TEXT                     request payload\n"
               "  -f FILE                     request payload read from FILE\n"
               "  -t FORMAT                   Content-Format of the payload: a number or text,\n"
               "                              link, xml, octet, exi, json, cbor\n"
               "  -A FORMAT                   Accept option\n"
               "  -T HEX                      token (1-8 bytes; default: random)\n"
               "  -N                          send a Non-confirmable request (default: CON)\n"
               "  -s SECONDS                  Observe the resource for SECONDS, printing each\n"
               "                              notification, then deregister\n"
               "  -b SIZE                     block size 16..1024: asks the server for Block2\n"
               "                              responses of SIZE (early negotiation); a payload\n"
               "                              larger than SIZE (default 1024) goes block-wise\n"
               "                              with Block1\n"
               "  -B SECONDS                  give up when no final answer after SECONDS\n"
               "                              (default 90)\n"
               "  -o FILE                     write the payload to FILE instead of stdout\n"
               "  -a ADDRESS                  local IPv4 address to send from (default 0.0.0.0)\n"
               "  -v                          print every datagram (hex) and, with OSCORE, the\n"
               "                              plain messages to stderr; with DTLS, the\n"
               "                              negotiated cipher suite\n"
               "  -h, --help                  this text\n"
               "\n")
           + TransmissionFlagsUsage() + "\n" + OscoreFlagsUsage() + "\n" + EdhocFlagsUsage() + "\n"
           + TlsFlagsUsage(ClientDtlsStyle())
           + "\n"
             "With OSCORE the request, every block and every notification is protected end to\n"
             "end (inner Block options, RFC 8613 section 4.1.3.4; Observe section 4.1.3.5).\n"
             "\n"
             "With DTLS (-v) the trace shows the plain CoAP datagrams inside the records.\n"
             "\n"
             "Exit status: 0 for a 2.xx response; 1 for a 4.xx/5.xx response; 2 for a bad\n"
             "command line; 3 for no answer (timeout, reset, network error, a DTLS handshake\n"
             "that got no answer); 4 for an OSCORE failure (the server rejected the request,\n"
             "or the response did not verify) or a failed DTLS handshake (wrong key, untrusted\n"
             "certificate, no common cipher suite); 130 when interrupted.\n"
             "\n"
             "Example (RFC 8613 Appendix C.1 context, against lpwan-coap-server):\n"
             "  lpwan-coap-client --oscore-secret 0102030405060708090a0b0c0d0e0f10 \\\n"
             "      --oscore-salt 9e7ca92223786340 --oscore-sender-id '' \\\n"
             "      --oscore-recipient-id 01 --oscore-seq-file /tmp/client.seq \\\n"
             "      coap://127.0.0.1:5683/hello\n"
             "\n"
             "Example (DTLS with a pre-shared key, against libcoap's coap-server-openssl -k):\n"
             "  lpwan-coap-client -v --dtls-psk-identity device1 --dtls-psk-key secretPSK \\\n"
             "      coaps://127.0.0.1/time\n";
}

} // namespace tools
} // namespace ns3
