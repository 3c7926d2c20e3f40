/*
 * Names of the TLS 1.3 code points a command line gives and a tool prints: cipher suites by
 * their IANA names (which OpenSSL's -ciphersuites uses too: TLS_AES_128_CCM_SHA256), groups
 * by OpenSSL's -groups names (X25519, P-256) and the RFC's (x25519, secp256r1), PSK key
 * exchange modes by the RFC's (psk_dhe_ke, psk_ke), alerts by the RFC's. Only what the core
 * implements is accepted, so that a typo or an unsupported suite is a usage error, not a
 * handshake_failure later.
 */
#ifndef LPWAN_TOOLS_TLS13_NAMES_H
#define LPWAN_TOOLS_TLS13_NAMES_H

#include "protocols/tls13/tls13-types.h"

#include <cstdint>
#include <optional>
#include <string>

namespace lpwan
{
namespace tools
{

std::optional<uint16_t> Tls13CipherSuiteByName(const std::string& name);
/// The IANA name, or "0xNNNN" for a suite without one here.
std::string Tls13CipherSuiteName(uint16_t suite);

std::optional<uint16_t> Tls13GroupByName(const std::string& name);
/// "x25519", "secp256r1", or "0xNNNN".
std::string Tls13GroupName(uint16_t group);

std::optional<uint8_t> PskKeyExchangeModeByName(const std::string& name);

/// "decrypt_error(51)", "handshake_failure(40)", ...
std::string Tls13AlertName(tls13::AlertDescription alert);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_TLS13_NAMES_H
