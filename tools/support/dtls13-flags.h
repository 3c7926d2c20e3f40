/*
 * What the CoAP tools' --dtls-* flags describe when --dtls-version 1.3 is given: a DTLS 1.3
 * transport (protocols/tls13/dtls13-transport.h) with the pre-shared key, the handshake timer
 * and connection IDs (a server gives each session a 2-byte CID; a client asks for none), as the
 * dtls13-psk profile runs it in the simulation. Certificates and cipher suite choices are
 * DTLS 1.2 flags here: the DTLS 1.3 tools speak TLS_AES_128_CCM_8_SHA256 with a PSK only.
 */
#ifndef LPWAN_TOOLS_DTLS13_FLAGS_H
#define LPWAN_TOOLS_DTLS13_FLAGS_H

#include "protocols/tls13/dtls13-transport.h"
#include "tls-flags.h"

#include <memory>
#include <optional>
#include <string>

namespace lpwan
{
namespace tools
{

/// The transport configuration (random: the source the sessions draw from), or nullopt with
/// *error naming the flag that does not apply to DTLS 1.3 or is missing.
std::optional<tls13::Dtls13TransportConfig> BuildDtls13Config(const TlsFlags& flags, bool server,
                                                              std::shared_ptr<RandomSource> random,
                                                              std::string* error);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_DTLS13_FLAGS_H
