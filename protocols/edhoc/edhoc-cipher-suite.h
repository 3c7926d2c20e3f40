/*
 * EDHOC cipher suites (RFC 9528 section 3.6 and 10.2). This implementation runs suites 0 and
 * 2, the two that RFC 9529's traces use; both share the AEAD (AES-CCM-16-64-128), the hash
 * (SHA-256) and the MAC length (8), and differ in the curve and the signature algorithm.
 */
#ifndef LPWAN_EDHOC_CIPHER_SUITE_H
#define LPWAN_EDHOC_CIPHER_SUITE_H

#include "edhoc-types.h"

namespace lpwan
{
namespace edhoc
{

/// The elliptic curve of the key exchange (and of static DH authentication keys).
enum class Curve : uint8_t
{
    X25519,
    P256,
};

/// The signature algorithm of signature authentication.
enum class SignatureAlgorithm : uint8_t
{
    EdDsa, ///< COSE -8, Ed25519
    Es256, ///< COSE -7, ECDSA with P-256 and SHA-256
};

struct CipherSuite
{
    int64_t id = 0;
    int64_t aeadAlgorithm = 10;  ///< COSE 10: AES-CCM-16-64-128
    int64_t hashAlgorithm = -16; ///< COSE -16: SHA-256
    size_t macLength = 8;        ///< EDHOC MAC length for static DH authentication
    Curve curve = Curve::X25519;
    SignatureAlgorithm signature = SignatureAlgorithm::EdDsa;
    int64_t appAeadAlgorithm = 10; ///< application (OSCORE) AEAD
    int64_t appHashAlgorithm = -16;
    size_t hashLength = 32;
    size_t keyLength = 16; ///< AEAD key length
    size_t ivLength = 13;  ///< AEAD nonce length
    size_t tagLength = 8;  ///< AEAD tag length
};

/// Suite by its identifier; nullopt for suites this implementation does not run.
std::optional<CipherSuite> FindCipherSuite(int64_t id);

/// True for the suites FindCipherSuite knows (0 and 2).
bool IsImplementedSuite(int64_t id);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_CIPHER_SUITE_H
