/*
 * The command line of lpwan-mqtt-publish (see PublishUsage() for the text --help prints): one
 * message to one topic on one broker, over TCP or TLS 1.2 (--tls-* flags).
 */
#ifndef LPWAN_TOOLS_PUBLISH_OPTIONS_H
#define LPWAN_TOOLS_PUBLISH_OPTIONS_H

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

struct PublishOptions
{
    std::string host;               ///< positional: a name or an IPv4 literal
    uint16_t port = 1883;           ///< positional
    std::string topic;              ///< positional
    std::vector<uint8_t> message;   ///< positional
    uint8_t qos = 1;                ///< -q 0|1
    bool retain = false;            ///< -r
    std::string clientId;           ///< -i (default: "lpwan-publish-" and random hex)
    uint16_t keepAliveSeconds = 60; ///< -k
    double timeoutS = 10;           ///< -W: give up after this long
    int verbose = 0;                ///< -v
    TlsFlags tlsFlags;              ///< --tls-* as given
    /// With --tls-* flags: the TLS client they describe (files already read).
    std::optional<tls::Options> tls;
};

struct PublishCommandLine
{
    bool help = false;
    std::optional<PublishOptions> options;
    std::string error;
};

PublishCommandLine ParsePublishCommandLine(const std::vector<std::string>& args);

std::string PublishUsage();

/// How lpwan-mqtt-publish spells its TLS flags.
TlsFlagStyle PublishTlsStyle();

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_PUBLISH_OPTIONS_H
