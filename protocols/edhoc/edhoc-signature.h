/*
 * Signature authentication (RFC 9528 section 5.3.2 / 5.4.2): Ed25519 (suite 0, libsodium;
 * mbedTLS 2.28 has no EdDSA) and ECDSA P-256 with SHA-256 (ES256, suite 2, mbedTLS).
 *
 * Keys: Ed25519 private keys are the 32-byte RFC 8032 seed, public keys 32 bytes; ES256 private
 * keys are the 32-byte big-endian d, public keys x || y (64 bytes). Signatures are 64 bytes (for
 * ES256 r || s, as COSE encodes them).
 */
#ifndef LPWAN_EDHOC_SIGNATURE_H
#define LPWAN_EDHOC_SIGNATURE_H

#include "../common/random-bytes.h"
#include "edhoc-cipher-suite.h"

namespace lpwan
{
namespace edhoc
{

/// The public key of a signature private key; nullopt when the private key is invalid.
std::optional<Bytes> SignaturePublicKey(SignatureAlgorithm alg, const Bytes& privateKey);

/// Signs message. Ed25519 is deterministic; ES256 uses deterministic ECDSA (RFC 6979), and the
/// RandomSource only feeds mbedTLS's side-channel blinding, never the signature itself.
std::optional<Bytes> Sign(SignatureAlgorithm alg, const Bytes& privateKey, const Bytes& message,
                          RandomSource& random);

/// True when signature is valid for message under publicKey.
bool Verify(SignatureAlgorithm alg, const Bytes& publicKey, const Bytes& message,
            const Bytes& signature);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_SIGNATURE_H
