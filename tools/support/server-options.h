/*
 * The command line of lpwan-coap-server (see ServerUsage() for the text --help prints).
 */
#ifndef LPWAN_TOOLS_SERVER_OPTIONS_H
#define LPWAN_TOOLS_SERVER_OPTIONS_H

#include "edhoc-flags.h"
#include "oscore-flags.h"
#include "protocols/coap/coap-transmission-parameters.h"
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

struct ServerOptions
{
    std::string address = "0.0.0.0";  ///< -A
    uint16_t port = 5683;             ///< -p (0: an ephemeral port); 5684 with DTLS
    double notifyIntervalS = 1.0;     ///< --notify-interval MS
    size_t largeSize = 2000;          ///< --large-size BYTES
    size_t maxBlockSize = 1024;       ///< --block-size: the largest Block2 the server sends
    std::optional<double> exitAfterS; ///< --exit-after SECONDS
    int verbose = 0;                  ///< -v
    coap::TransmissionParameters transmission;
    OscoreFlags oscore;
    EdhocFlags edhoc;   ///< --edhoc*: EDHOC, then OSCORE with its context
    TlsFlags dtlsFlags; ///< --dtls-* as given
    /// With --dtls-* flags: the DTLS server they describe (files already read); the server
    /// then speaks CoAP over DTLS only ("coaps").
    std::optional<tls::Options> dtls;
};

/// How lpwan-coap-server spells its DTLS flags.
TlsFlagStyle ServerDtlsStyle();

struct ServerCommandLine
{
    bool help = false;
    std::optional<ServerOptions> options;
    std::string error;
};

ServerCommandLine ParseServerCommandLine(const std::vector<std::string>& args);

std::string ServerUsage();

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_SERVER_OPTIONS_H
