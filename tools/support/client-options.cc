/*
 * lpwan-coap-client's command line; see client-options.h.
 */

#include "client-options.h"

#include "hex.h"
#include "posix/ipv4-peer.h"
#include "protocols/coap/coap-block.h"
#include "protocols/coap/coap-message.h"
#include "transmission-flags.h"

#include <fstream>
#include <iterator>
#include <sstream>

namespace lpwan
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

/// Every option of the client: the request's, then the shared groups'.
po::options_description
ClientOptionsDescription()
{
    po::options_description request("Request");
    // clang-format off
    request.add_options()
        (",m", po::value<std::string>()->value_name("METHOD"),
         "get (default), post, put, delete, fetch")
        (",e", po::value<std::string>()->value_name("TEXT"), "request payload")
        (",f", po::value<std::string>()->value_name("FILE"), "request payload read from FILE")
        (",t", po::value<std::string>()->value_name("FORMAT"),
         "Content-Format of the payload: a number or text, link, xml, octet, exi, json, cbor")
        (",A", po::value<std::string>()->value_name("FORMAT"), "Accept option")
        (",T", po::value<std::string>()->value_name("HEX"), "token (1-8 bytes; default: random)")
        (",N", "send a Non-confirmable request (default: CON)")
        (",s", po::value<std::string>()->value_name("SECONDS"),
         "Observe the resource for SECONDS, printing each notification, then deregister")
        (",b", po::value<std::string>()->value_name("SIZE"),
         "block size 16..1024: asks the server for Block2 responses of SIZE (early "
         "negotiation); a payload larger than SIZE (default 1024) goes block-wise with Block1")
        (",B", po::value<std::string>()->value_name("SECONDS"),
         "give up when no final answer after SECONDS (default 90)")
        (",o", po::value<std::string>()->value_name("FILE"),
         "write the payload to FILE instead of stdout")
        (",a", po::value<std::string>()->value_name("ADDRESS"),
         "local IPv4 address to send from (default 0.0.0.0)")
        (",v", VerbositySwitch(),
         "print every datagram (hex) and, with OSCORE, the plain messages to stderr; with "
         "DTLS, the negotiated cipher suite")
        ("help,h", "this text");
    // clang-format on
    po::options_description all;
    all.add(request)
        .add(TransmissionOptions())
        .add(OscoreOptions())
        .add(EdhocOptions())
        .add(TlsOptions(ClientDtlsStyle()));
    return all;
}

/// Reads the request's own options into o; false with *error for a bad one.
bool
ReadRequestOptions(const po::variables_map& values, ClientOptions& o, std::string* error)
{
    if (const std::string* v = GivenValue(values, "-m"))
    {
        const auto m = ParseMethod(*v);
        if (!m)
        {
            *error = "-m: unknown method '" + *v + "' (get, post, put, delete, fetch)";
            return false;
        }
        o.method = *m;
    }
    const std::string* text = GivenValue(values, "-e");
    const std::string* file = GivenValue(values, "-f");
    if (text != nullptr && file != nullptr)
    {
        *error = "-e/-f: only one payload";
        return false;
    }
    if (text != nullptr)
    {
        o.payload = std::vector<uint8_t>(text->begin(), text->end());
    }
    if (file != nullptr)
    {
        std::vector<uint8_t> bytes;
        if (!ReadFile(*file, &bytes, error))
        {
            return false;
        }
        o.payload = std::move(bytes);
    }
    for (const char* option : {"-t", "-A"})
    {
        if (const std::string* v = GivenValue(values, option))
        {
            const auto cf = ParseContentFormat(*v);
            if (!cf)
            {
                *error = std::string(option) + ": unknown content format '" + *v
                         + "' (a number, or text, link, xml, octet, exi, json, cbor)";
                return false;
            }
            (option == std::string("-t") ? o.contentFormat : o.accept) = cf;
        }
    }
    if (const std::string* v = GivenValue(values, "-T"))
    {
        std::string why;
        o.token = ParseHex(*v, &why);
        if (!o.token)
        {
            *error = "-T: " + why;
            return false;
        }
        if (o.token->empty() || o.token->size() > 8)
        {
            *error = "-T: a token has 1 to 8 bytes (" + std::to_string(o.token->size()) + " given)";
            return false;
        }
    }
    o.nonConfirmable = values.count("-N") > 0;
    if (const std::string* v = GivenValue(values, "-s"))
    {
        o.observeSeconds = ParseNumber("-s", *v, 0, 86400 * 365, error);
        if (!o.observeSeconds)
        {
            return false;
        }
    }
    if (const std::string* v = GivenValue(values, "-b"))
    {
        const auto n = ParseUnsigned("-b", *v, 16, 1024, error);
        if (!n)
        {
            return false;
        }
        if (!coap::BlockSizeToSzx(*n))
        {
            *error = "-b: " + *v + " is not a block size (16, 32, 64, ..., 1024)";
            return false;
        }
        o.blockSize = *n;
    }
    if (const std::string* v = GivenValue(values, "-B"))
    {
        const auto seconds = ParseNumber("-B", *v, 0.001, 86400 * 365, error);
        if (!seconds)
        {
            return false;
        }
        o.waitSeconds = *seconds;
    }
    if (const std::string* v = GivenValue(values, "-o"))
    {
        o.outputFile = *v;
    }
    if (const std::string* v = GivenValue(values, "-a"))
    {
        if (!ParseIpv4Literal(*v))
        {
            *error = "-a: '" + *v + "' is not an IPv4 address";
            return false;
        }
        o.bindAddress = *v;
    }
    o.verbose = VerbosityOf(values, "-v");
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
    std::string error;
    const std::optional<CommandLine> line
        = ParseCommandLine(args, ClientOptionsDescription(), &error);
    if (!line)
    {
        return Fail(error);
    }
    const po::variables_map& values = line->values;
    if (values.count("help") > 0)
    {
        ClientCommandLine c;
        c.help = true;
        return c;
    }
    ClientOptions o;
    o.method = coap::code::Get;
    if (!ReadRequestOptions(values, o, &error)
        || !ReadTransmissionFlags(values, &o.transmission, &error)
        || !ReadOscoreFlags(values, &o.oscore, &error) || !ReadEdhocFlags(values, &o.edhoc, &error)
        || !ReadTlsFlags(ClientDtlsStyle(), values, &o.dtlsFlags, &error))
    {
        return Fail(error);
    }
    if (line->positional.size() > 1)
    {
        return Fail("unexpected argument '" + line->positional[1] + "' (only one URI)");
    }
    const std::optional<std::string> uriText
        = line->positional.empty() ? std::nullopt : std::optional(line->positional.front());
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
    std::ostringstream usage;
    usage << "Usage: lpwan-coap-client [OPTIONS] coap://HOST[:PORT]/PATH[?QUERY]\n"
             "       lpwan-coap-client [OPTIONS] --dtls-... coaps://HOST[:PORT]/PATH[?QUERY]\n"
             "\n"
             "Sends one CoAP request (RFC 7252) over UDP, or over DTLS 1.2 for coaps:// (default\n"
             "port 5684), optionally protected with OSCORE (RFC 8613) as well, and prints the\n"
             "response code and payload to stdout, e.g.\n"
             "  2.05 Content\n"
             "  Hello, world!\n"
             "Block-wise transfers (RFC 7959) and Observe (RFC 7641) are followed to the end;\n"
             "every notification is printed the same way. Diagnostics go to stderr.\n"
          << ClientOptionsDescription()
          << "\n"
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
    return usage.str();
}

} // namespace tools
} // namespace lpwan
