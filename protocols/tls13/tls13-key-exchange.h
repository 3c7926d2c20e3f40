/*
 * (EC)DHE for key_share (RFC 8446 sections 4.2.8.2 and 7.4.2) on mbedTLS's ECP module:
 * X25519 (RFC 7748, little-endian u-coordinates) and secp256r1 (uncompressed points, the
 * shared secret is the x-coordinate).
 */
#ifndef LPWAN_TLS13_KEY_EXCHANGE_H
#define LPWAN_TLS13_KEY_EXCHANGE_H

#include "../common/sans-io.h"
#include "tls13-types.h"

#include <optional>

namespace lpwan
{
namespace tls13
{

/// An ephemeral key pair for one group.
struct KeyShareKeyPair
{
    uint16_t group = 0;
    Bytes privateKey;
    Bytes publicKey; ///< key_exchange as it goes on the wire
};

/// True for the groups this core can compute (x25519, secp256r1).
bool IsKeyExchangeGroup(uint16_t group);

/// The key_exchange value for a private key (X25519: the 32 bytes RFC 7748 names a scalar,
/// clamped here; P-256: a 32-byte big-endian scalar in [1, n-1]).
std::optional<Bytes> KeySharePublicKey(uint16_t group, const Bytes& privateKey);

/// Draws a private key (32 bytes) from the RandomSource and computes its public key.
std::optional<KeyShareKeyPair> GenerateKeyShare(uint16_t group, RandomSource& random);

/// The shared secret, or nullopt for an invalid peer key (wrong length, not on the curve, a
/// compressed P-256 point, or an all-zero X25519 result, which section 7.4.2 forbids).
std::optional<Bytes> KeyShareSharedSecret(uint16_t group, const Bytes& privateKey,
                                          const Bytes& peerPublicKey);

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_KEY_EXCHANGE_H
