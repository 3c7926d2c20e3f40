/*
 * The command line of lpwan-coap-client (see ClientUsage() for the text --help prints):
 * what to request from which URI, how (CON/NON, block-wise, Observe) and with which security
 * (OSCORE end to end, DTLS for coaps:// URIs, or both).
 */
#ifndef LPWAN_TOOLS_CLIENT_OPTIONS_H
#define LPWAN_TOOLS_CLIENT_OPTIONS_H

#include "edhoc-flags.h"
#include "oscore-flags.h"
#include "protocols/coap/coap-transmission-parameters.h"
#include "protocols/coap/coap-uri.h"
#include "protocols/tls/tls-config.h"
#include "tls-flags.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

struct ClientOptions
{
    coap::CoapUri uri;                           ///< the positional URI
    uint8_t method = 0;                          ///< -m: a request code (GET by default)
    std::optional<std::vector<uint8_t>> payload; ///< -e TEXT or -f FILE
    std::optional<uint32_t> contentFormat;       ///< -t
    std::optional<uint32_t> accept;              ///< -A
    std::optional<double> observeSeconds;        ///< -s
    std::optional<size_t> blockSize;             ///< -b (16..1024, a power of two)
    bool nonConfirmable = false;                 ///< -N
    std::optional<std::vector<uint8_t>> token;   ///< -T HEX (1..8 bytes)
    double waitSeconds = 90;                     ///< -B: give up after this long
    std::string outputFile;                      ///< -o: write the payload there, not to stdout
    std::string bindAddress = "0.0.0.0";         ///< -a: local address to send from
    int verbose = 0;                             ///< -v (repeatable)
    coap::TransmissionParameters transmission;
    OscoreFlags oscore;
    EdhocFlags edhoc;   ///< --edhoc*: EDHOC, then OSCORE with its context
    TlsFlags dtlsFlags; ///< --dtls-* as given
    /// For coaps:// URIs: the DTLS client the --dtls-* flags describe (files already read).
    std::optional<tls::Options> dtls;
};

/// How lpwan-coap-client spells its DTLS flags.
TlsFlagStyle ClientDtlsStyle();

/// The outcome of parsing: help, options, or one line of error.
struct ClientCommandLine
{
    bool help = false;
    std::optional<ClientOptions> options; ///< set unless help or error
    std::string error;                    ///< set when neither help nor options
};

/// Parses the arguments after the program name. Payload files (-f) are read here.
ClientCommandLine ParseClientCommandLine(const std::vector<std::string>& args);

/// The --help text.
std::string ClientUsage();

/// A Content-Format given as a number (0..65535) or a short name: text, link, xml, octet,
/// exi, json, cbor (RFC 7252 section 12.3, RFC 7049). nullopt when neither.
std::optional<uint32_t> ParseContentFormat(const std::string& text);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_CLIENT_OPTIONS_H
