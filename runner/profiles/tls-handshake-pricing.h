/*
 * The MCU's crypto for (D)TLS 1.2 handshakes a device completed, from the handshake figures of
 * its DTLS transport or its TLS connections: the same asymmetric operations per handshake for
 * DTLS and TLS (shared by the DTLS profiles and tls-mqtt).
 */
#ifndef LPWAN_TLS_HANDSHAKE_PRICING_H
#define LPWAN_TLS_HANDSHAKE_PRICING_H

#include "energy/crypto-ops.h"
#include "protocols/tls/handshake-figures.h"

namespace ns3
{

/// ecdhe: certificates and ECDHE (else PSK). Full and abbreviated handshakes are priced apart.
CryptoOps PriceTlsHandshakes(const lpwan::tls::HandshakeFigures& figures, bool ecdhe);

} // namespace ns3

#endif // LPWAN_TLS_HANDSHAKE_PRICING_H
