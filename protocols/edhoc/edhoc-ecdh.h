/*
 * The Diffie-Hellman key exchange of EDHOC (RFC 9528 section 3.7): X25519 (suite 0, on
 * libsodium, which also provides suite 0's Ed25519 that mbedTLS 2.28 lacks: one library for the
 * whole suite, with RFC 7748's byte order) and P-256 (suite 2, on mbedTLS). Used both for the
 * ephemeral keys and for static DH authentication keys.
 *
 * Public keys as EDHOC carries them: X25519 32 bytes; P-256 ephemeral keys only the
 * 32-byte x-coordinate (RFC 9528 section 3.7, "compact representation"), P-256 static keys from
 * credentials x || y (64 bytes). Private keys are 32 bytes (X25519 scalar, P-256 big-endian d).
 */
#ifndef LPWAN_EDHOC_ECDH_H
#define LPWAN_EDHOC_ECDH_H

#include "../common/random-bytes.h"
#include "edhoc-cipher-suite.h"

namespace lpwan
{
namespace edhoc
{

struct KeyPair
{
    Bytes privateKey;
    Bytes publicKey; ///< X25519: 32 bytes; P-256: the 32-byte x-coordinate
};

/// A fresh ephemeral key pair from 32 random bytes (P-256: redrawn while the bytes are not a
/// valid scalar, which happens with probability about 2^-32).
std::optional<KeyPair> GenerateKeyPair(Curve curve, RandomSource& random);

/// The public key of a private key: X25519 32 bytes, P-256 x || y (64 bytes). nullopt when the
/// private key is invalid.
std::optional<Bytes> DhPublicKey(Curve curve, const Bytes& privateKey);

/// The shared secret (X25519 output / P-256 x-coordinate, 32 bytes). nullopt when the peer's
/// public key is not a valid point (wrong length, not on the curve, low order).
std::optional<Bytes> DhSharedSecret(Curve curve, const Bytes& privateKey, const Bytes& peerPublic);

/// Length of the ephemeral public key G_X / G_Y on the wire.
inline size_t
EphemeralKeyLength(Curve)
{
    return 32; // X25519 and P-256 x-coordinate alike
}

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_ECDH_H
