/*
 * The (D)TLS command-line flags of the real-socket tools, and the tls::Options they describe:
 * a pre-shared key (identity and key, the key as text like libcoap's -k or in hex) and/or
 * certificates (CA, own certificate and key, as PEM or DER files), plus cipher suites and, for
 * DTLS, the handshake retransmission timer. The CoAP tools spell them --dtls-..., the MQTT
 * publisher --tls-...: a TlsFlagStyle says which, and for which role and transport.
 *
 * Default cipher suites: the CCM_8 suites CoAP's profile prefers (RFC 7252 section 9.1.3),
 * then the AES-128-GCM ones that OpenSSL peers (libcoap, mosquitto) also offer by default:
 *   PSK:          TLS_PSK_WITH_AES_128_CCM_8, TLS_PSK_WITH_AES_128_GCM_SHA256
 *   certificates: TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
 * Options::wallClockBase is nullopt: real tools see the real clock (certificate validity).
 */
#ifndef LPWAN_TOOLS_TLS_FLAGS_H
#define LPWAN_TOOLS_TLS_FLAGS_H

#include "command-line.h"
#include "protocols/tls/tls-config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

/// Which tool's flags: their prefix ("--dtls-" or "--tls-"), role and transport.
struct TlsFlagStyle
{
    std::string prefix;
    tls::Role role = tls::Role::Client;
    tls::Transport transport = tls::Transport::Datagram;
};

struct TlsFlags
{
    std::optional<std::vector<uint8_t>> pskIdentity; ///< PREFIXpsk-identity TEXT
    std::optional<std::vector<uint8_t>> pskKey;      ///< PREFIXpsk-key TEXT / PREFIXpsk-key-hex HEX
    std::string caFile;                              ///< PREFIXca FILE
    std::string certFile;                            ///< PREFIXcert FILE
    std::string keyFile;                             ///< PREFIXkey FILE
    std::string serverName;                          ///< PREFIXserver-name NAME (client)
    std::vector<int> cipherSuites;                   ///< PREFIXcipher-suite NAME (repeatable)
    std::optional<uint32_t> handshakeTimeoutMinMs;   ///< PREFIXhandshake-timeout-min SECONDS
    std::optional<uint32_t> handshakeTimeoutMaxMs;   ///< PREFIXhandshake-timeout-max SECONDS
    /// PREFIXversion 1.2|1.3 (DTLS only): 1.3 runs the project's DTLS 1.3 (PSK only).
    bool dtls13 = false;

    /// True when any of the flags was given.
    bool Any() const;
};

/// The style's flags (PREFIXpsk-identity, ...; the server name only for a client, the
/// handshake timeouts only for DTLS).
po::options_description TlsOptions(const TlsFlagStyle& style);

/// Reads the style's flags given into flags; false with *error for a bad value (an empty
/// identity or file name, a key that is not hex, both key flags, an unknown cipher suite).
bool ReadTlsFlags(const TlsFlagStyle& style, const po::variables_map& values, TlsFlags* flags,
                  std::string* error);

/// The options the flags describe, with the files read: nullopt without error when no flag
/// was given; nullopt with *error when they are incomplete (a PSK needs identity and key; a
/// client's certificate mode needs the CA; a server's needs certificate and key), a file does
/// not parse, or tls::Config rejects them.
std::optional<tls::Options> BuildTlsOptions(const TlsFlagStyle& style, const TlsFlags& flags,
                                            std::string* error);

/// The cipher suite number of an mbedTLS or IANA name ("TLS-PSK-WITH-AES-128-CCM-8" or
/// "TLS_PSK_WITH_AES_128_CCM_8"), if this mbedTLS supports it.
std::optional<int> ParseCipherSuite(const std::string& name);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_TLS_FLAGS_H
