/*
 * lpwan-tls13's command line; see tls13-options.h.
 */

#include "tls13-options.h"

#include "command-line.h"
#include "credential-files.h"
#include "posix/ipv4-peer.h"
#include "protocols/common/hex.h"
#include "tls13-names.h"

#include <sstream>

namespace lpwan
{
namespace tools
{

namespace
{

po::options_description
Tls13OptionsDescription()
{
    po::options_description own("Options");
    // clang-format off
    own.add_options()
        ("role", po::value<std::string>()->value_name("client|server"), "which end (required)")
        ("host", po::value<std::string>()->value_name("ADDRESS"),
         "client: the server to connect to (a name or IPv4 literal); server: the IPv4 address "
         "to listen on (default 127.0.0.1)")
        ("port", po::value<std::string>()->value_name("PORT"),
         "client: the server's port (required); server: the port to listen on (default 0: "
         "any, printed)")
        ("ca", po::value<std::string>()->value_name("FILE"),
         "client: the CA certificate the server's must chain to (PEM or DER)")
        ("cert", po::value<std::string>()->value_name("FILE"),
         "server: its certificate; client: the certificate it presents when the server asks "
         "for one")
        ("key", po::value<std::string>()->value_name("FILE"), "the private key of --cert")
        ("client-ca", po::value<std::string>()->value_name("FILE"),
         "server: ask every client for a certificate (CertificateRequest) that chains to this "
         "CA (PEM or DER); a client without one fails with certificate_required")
        ("server-name", po::value<std::string>()->value_name("NAME"),
         "client: server_name to send and the name the certificate must carry (default: "
         "--host when it is a name)")
        ("cipher-suites", po::value<std::string>()->value_name("LIST"),
         "IANA names separated by ':' or ',' in preference order (default "
         "TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256)")
        ("groups", po::value<std::string>()->value_name("LIST"),
         "X25519, P-256 separated by ':' or ','; a client sends a key share for each "
         "(default X25519 for a client, X25519:P-256 for a server)")
        ("psk-identity", po::value<std::string>()->value_name("TEXT"), "external PSK identity")
        ("psk", po::value<std::string>()->value_name("HEX"), "external PSK (SHA-256)")
        ("psk-modes", po::value<std::string>()->value_name("LIST"),
         "psk_dhe_ke, psk_ke: client: offered (default psk_dhe_ke); server: accepted, in "
         "preference order (default psk_dhe_ke:psk_ke)")
        ("message", po::value<std::string>()->value_name("TEXT"),
         "application data to send (client: once connected; server: after reading)")
        ("lines", po::value<std::string>()->value_name("N"),
         "stop reading after N complete lines (default 0: until the peer closes)")
        ("keylog", po::value<std::string>()->value_name("FILE"),
         "append the session's TLS 1.3 secrets to FILE in the NSS key log format, as OpenSSL's "
         "-keylogfile and SSLKEYLOGFILE do (Wireshark: tls.keylog_file)")
        ("timeout", po::value<std::string>()->value_name("SECONDS"),
         "give up after SECONDS (default 10)")
        ("help,h", "this text");
    // clang-format on
    return own;
}

std::vector<std::string>
SplitList(const std::string& text)
{
    std::vector<std::string> items;
    std::string item;
    for (char c : text + ":")
    {
        if (c == ':' || c == ',')
        {
            if (!item.empty())
            {
                items.push_back(item);
            }
            item.clear();
        }
        else
        {
            item += c;
        }
    }
    return items;
}

template<typename T, typename F>
bool
ReadList(const po::variables_map& values, const std::string& option, F byName, std::vector<T>* out,
         std::string* error)
{
    const std::string* v = GivenValue(values, option);
    if (!v)
    {
        return true;
    }
    out->clear();
    for (const std::string& name : SplitList(*v))
    {
        const std::optional<T> value = byName(name);
        if (!value)
        {
            *error = "--" + option + ": '" + name + "' is not one this TLS 1.3 core implements";
            return false;
        }
        out->push_back(*value);
    }
    if (out->empty())
    {
        *error = "--" + option + ": the list is empty";
        return false;
    }
    return true;
}

Tls13CommandLine
Fail(std::string error)
{
    Tls13CommandLine c;
    c.error = std::move(error);
    return c;
}

} // namespace

Tls13CommandLine
ParseTls13CommandLine(const std::vector<std::string>& args)
{
    std::string error;
    const std::optional<CommandLine> line
        = ParseCommandLine(args, Tls13OptionsDescription(), &error);
    if (!line)
    {
        return Fail(error);
    }
    const po::variables_map& values = line->values;
    if (values.count("help") > 0)
    {
        Tls13CommandLine c;
        c.help = true;
        return c;
    }
    if (!line->positional.empty())
    {
        return Fail("unexpected argument '" + line->positional.front() + "'");
    }
    Tls13ToolOptions o;
    const std::string* role = GivenValue(values, "role");
    if (!role || (*role != "client" && *role != "server"))
    {
        return Fail("--role: client or server is required");
    }
    o.isServer = *role == "server";
    if (const std::string* v = GivenValue(values, "host"))
    {
        o.host = *v;
    }
    if (const std::string* v = GivenValue(values, "port"))
    {
        const auto port = ParseUnsigned("--port", *v, o.isServer ? 0 : 1, 65535, &error);
        if (!port)
        {
            return Fail(error);
        }
        o.port = static_cast<uint16_t>(*port);
    }
    else if (!o.isServer)
    {
        return Fail("--port: the client needs the server's port");
    }
    if (const std::string* v = GivenValue(values, "message"))
    {
        o.message.assign(v->begin(), v->end());
    }
    if (const std::string* v = GivenValue(values, "lines"))
    {
        const auto n = ParseUnsigned("--lines", *v, 0, 1000000, &error);
        if (!n)
        {
            return Fail(error);
        }
        o.lines = static_cast<unsigned>(*n);
    }
    if (const std::string* v = GivenValue(values, "timeout"))
    {
        const auto s = ParseNumber("--timeout", *v, 0.001, 86400, &error);
        if (!s)
        {
            return Fail(error);
        }
        o.timeoutS = *s;
    }
    if (const std::string* v = GivenValue(values, "keylog"))
    {
        if (v->empty())
        {
            return Fail("--keylog: a file name is required");
        }
        o.keyLogFile = *v;
    }

    std::vector<uint16_t> suites = o.clientConfig.cipherSuites;
    std::vector<uint16_t> groups
        = o.isServer ? o.serverConfig.keyExchangeGroups : o.clientConfig.keyShareGroups;
    std::vector<uint8_t> modes
        = o.isServer ? o.serverConfig.pskKeyExchangeModes : o.clientConfig.pskKeyExchangeModes;
    if (!ReadList<uint16_t>(values, "cipher-suites", Tls13CipherSuiteByName, &suites, &error)
        || !ReadList<uint16_t>(values, "groups", Tls13GroupByName, &groups, &error)
        || !ReadList<uint8_t>(values, "psk-modes", PskKeyExchangeModeByName, &modes, &error))
    {
        return Fail(error);
    }

    const std::string* pskIdentity = GivenValue(values, "psk-identity");
    const std::string* pskHex = GivenValue(values, "psk");
    std::optional<tls13::ExternalPsk> psk;
    if ((pskIdentity != nullptr) != (pskHex != nullptr))
    {
        return Fail("--psk-identity and --psk go together");
    }
    if (pskIdentity)
    {
        const std::optional<std::vector<uint8_t>> key = FromHex(*pskHex);
        if (pskIdentity->empty() || !key || key->empty())
        {
            return Fail(pskIdentity->empty() ? "--psk-identity: empty"
                                             : "--psk: not a non-empty hex string");
        }
        psk = tls13::ExternalPsk{std::vector<uint8_t>(pskIdentity->begin(), pskIdentity->end()),
                                 *key};
    }

    const std::string* ca = GivenValue(values, "ca");
    const std::string* cert = GivenValue(values, "cert");
    const std::string* key = GivenValue(values, "key");
    if (o.isServer)
    {
        if (ca || GivenValue(values, "server-name"))
        {
            return Fail("--ca and --server-name are client options (a server takes --client-ca)");
        }
        if ((cert != nullptr) != (key != nullptr) || (!cert && !psk))
        {
            return Fail("a server needs --cert and --key, or --psk-identity and --psk");
        }
        tls13::ServerConfig& s = o.serverConfig;
        s.cipherSuites = suites;
        s.keyExchangeGroups = groups;
        s.pskKeyExchangeModes = modes;
        s.externalPsk = psk;
        if (cert)
        {
            const auto der = LoadCertificateDer(*cert, &error);
            const auto keyDer = der ? LoadPrivateKeyDer(*key, &error) : std::nullopt;
            if (!keyDer)
            {
                return Fail(error);
            }
            s.certificateChain = {*der};
            s.privateKey = *keyDer;
        }
        if (const std::string* clientCa = GivenValue(values, "client-ca"))
        {
            if (!cert)
            {
                return Fail(
                    "--client-ca needs --cert and --key (client authentication is part "
                    "of a certificate handshake)");
            }
            const auto der = LoadCertificateDer(*clientCa, &error);
            if (!der)
            {
                return Fail(error);
            }
            s.requestClientCertificate = true;
            s.clientTrustAnchors = {*der};
        }
    }
    else
    {
        if (GivenValue(values, "client-ca"))
        {
            return Fail("--client-ca is a server option");
        }
        if ((cert != nullptr) != (key != nullptr))
        {
            return Fail("a client certificate needs both --cert and --key");
        }
        if (!ca && !psk)
        {
            return Fail("a client needs --ca, or --psk-identity and --psk");
        }
        tls13::ClientConfig& c = o.clientConfig;
        c.cipherSuites = suites;
        c.supportedGroups = groups;
        c.keyShareGroups = groups;
        c.pskKeyExchangeModes = modes;
        c.externalPsk = psk;
        if (ca)
        {
            const auto der = LoadCertificateDer(*ca, &error);
            if (!der)
            {
                return Fail(error);
            }
            c.trustAnchors = {*der};
        }
        if (cert)
        {
            const auto der = LoadCertificateDer(*cert, &error);
            const auto keyDer = der ? LoadPrivateKeyDer(*key, &error) : std::nullopt;
            if (!keyDer)
            {
                return Fail(error);
            }
            c.certificateChain = {*der};
            c.privateKey = *keyDer;
        }
        if (const std::string* v = GivenValue(values, "server-name"))
        {
            c.serverName = *v;
        }
        else if (!ParseIpv4Literal(o.host))
        {
            c.serverName = o.host; // the certificate must name the host we asked for
        }
        c.certificateName = c.serverName;
    }
    Tls13CommandLine c;
    c.options = std::move(o);
    return c;
}

std::string
Tls13Usage()
{
    std::ostringstream usage;
    usage << "Usage: lpwan-tls13 --role client|server [OPTIONS]\n"
             "\n"
             "One TLS 1.3 connection over TCP on the project's own sans-I/O TLS 1.3 core. Once\n"
             "connected it prints\n"
             "  connected: SUITE GROUP AUTH     (GROUP: x25519, secp256r1, or none with psk_ke;\n"
             "                                   AUTH: certificate or psk)\n"
             "a client then sends --message and reads; a server reads, then sends --message;\n"
             "both print what they received as\n"
             "  received N bytes: \"TEXT\"        (C escapes: \\n, \\\\, \\\", \\xNN)\n"
             "and close with close_notify. A server prints \"listening on ADDRESS:PORT\" first.\n"
          << Tls13OptionsDescription()
          << "\n"
             "Exit status: 0 when done; 2 for a bad command line; 3 when the peer cannot be\n"
             "reached, does not answer, or fewer than --lines lines arrived in time; 4 when the\n"
             "handshake failed (the alert is printed: wrong PSK, untrusted certificate, no common\n"
             "suite or group).\n"
             "\n"
             "Examples (the files from lpwan-test-pki DIR):\n"
             "  lpwan-tls13 --role server --port 4433 --cert DIR/server-cert.pem \\\n"
             "      --key DIR/server-key.pem --lines 1 --message 'hello device'\n"
             "  lpwan-tls13 --role client --port 4433 --ca DIR/ca-cert.pem \\\n"
             "      --server-name server.lpwan.test --message $'reading=42\\n' --lines 1\n"
             "  lpwan-tls13 --role client --port 4433 --psk-identity meter-1 \\\n"
             "      --psk 000102030405060708090a0b0c0d0e0f --message 'reading=42'\n";
    return usage.str();
}

} // namespace tools
} // namespace lpwan
