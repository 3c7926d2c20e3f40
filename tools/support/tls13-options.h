/*
 * The command line of lpwan-tls13 (Tls13Usage() is the text --help prints): one TLS 1.3
 * connection over TCP, as client or server, on the project's own TLS 1.3 core
 * (protocols/tls13/), authenticated by a certificate (the server's: ECDSA P-256 or RSA, as
 * lpwan-test-pki writes them, PEM or DER) or an external PSK (identity and hex key, spelled
 * like OpenSSL's -psk_identity / -psk), with the suites and groups asked for.
 */
#ifndef LPWAN_TOOLS_TLS13_OPTIONS_H
#define LPWAN_TOOLS_TLS13_OPTIONS_H

#include "protocols/tls13/tls13-client.h"
#include "protocols/tls13/tls13-server.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

struct Tls13ToolOptions
{
    bool isServer = false;          ///< --role server
    std::string host = "127.0.0.1"; ///< --host: where to connect (client), listen (server)
    uint16_t port = 0;              ///< --port (server: 0 lets the kernel pick)
    std::vector<uint8_t> message;   ///< --message: sent once connected (client), after the
                                    ///< client's data (server)
    unsigned lines = 0;             ///< --lines N: stop reading after N complete lines (0: read
                                    ///< until the peer closes)
    double timeoutS = 10;           ///< --timeout: for the whole run
    std::string keyLogFile;         ///< --keylog: append the session's secrets (NSS key log format)
    tls13::ClientConfig clientConfig; ///< the client's configuration (files read)
    tls13::ServerConfig serverConfig; ///< the server's
};

struct Tls13CommandLine
{
    bool help = false;
    std::optional<Tls13ToolOptions> options;
    std::string error;
};

Tls13CommandLine ParseTls13CommandLine(const std::vector<std::string>& args);

std::string Tls13Usage();

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_TLS13_OPTIONS_H
