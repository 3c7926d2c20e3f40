/*
 * The MCU's crypto for the (D)TLS handshakes a device completed, from the handshake figures of
 * its DTLS transport or its TLS connections: the same asymmetric operations per handshake for
 * DTLS 1.2 and TLS 1.2 (shared by the DTLS profiles and tls-mqtt), and TLS 1.3's (tls13-mqtt).
 */
#ifndef LPWAN_TLS_HANDSHAKE_PRICING_H
#define LPWAN_TLS_HANDSHAKE_PRICING_H

#include "energy/crypto-ops.h"
#include "protocols/tls/handshake-figures.h"

namespace ns3
{

/// ecdhe: certificates and ECDHE (else PSK). Full and abbreviated handshakes are priced apart.
CryptoOps PriceTlsHandshakes(const lpwan::tls::HandshakeFigures& figures, bool ecdhe);

/// The client side of the TLS 1.3 handshakes a device completed with the project's core
/// (protocols/tls13/), with X25519 and AES-128-CCM-8: an external PSK in psk_dhe_ke, or
/// (certificates) the server's ECDSA P-256 certificate. No resumption.
CryptoOps PriceTls13Handshakes(const lpwan::tls::HandshakeFigures& figures, bool certificates);

} // namespace ns3

#endif // LPWAN_TLS_HANDSHAKE_PRICING_H
