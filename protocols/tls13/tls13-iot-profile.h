/*
 * The TLS 1.3 an IoT device and its server speak in this project (the tls13-mqtt profile, the
 * memory measurement): AES-128-CCM-8 records (RFC 8446's TLS_AES_128_CCM_8_SHA256, the suite
 * RFC 9325 and IoT profiles name for constrained devices) and X25519, offered alone so that the
 * ClientHello carries nothing the device does not implement; ECDSA P-256 for a server
 * certificate. With an external PSK, psk_dhe_ke only: the PSK authenticates, X25519 gives
 * forward secrecy (RFC 8446 section 2.2). Credentials (PSKs, certificates) are the caller's.
 */
#ifndef LPWAN_TLS13_IOT_PROFILE_H
#define LPWAN_TLS13_IOT_PROFILE_H

#include "tls13-client.h"
#include "tls13-server.h"

namespace lpwan
{
namespace tls13
{

/// psk: the client authenticates the server with an external PSK (else with a certificate,
/// and offers no PSK mode).
ClientConfig IotClientConfig(bool psk);
ServerConfig IotServerConfig(bool psk);

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_IOT_PROFILE_H
