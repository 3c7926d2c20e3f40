/*
 * Authentication in TLS 1.3 (RFC 8446 sections 4.4.2 and 4.4.3) on mbedTLS's pk and x509
 * modules: the CertificateVerify signature input, signing with rsa_pss_rsae_sha256 or
 * ecdsa_secp256r1_sha256, verifying against the peer's end-entity certificate, and checking
 * that certificate against configured trust anchors.
 */
#ifndef LPWAN_TLS13_SIGNATURE_H
#define LPWAN_TLS13_SIGNATURE_H

#include "../common/sans-io.h"
#include "tls13-types.h"

#include <optional>
#include <string>

namespace lpwan
{
namespace tls13
{

/// The content covered by a CertificateVerify signature (section 4.4.3): 64 bytes of 0x20,
/// the context string "TLS 1.3, server CertificateVerify" (or client), a zero byte and the
/// transcript hash.
Bytes CertificateVerifyInput(bool server, const Bytes& transcriptHash);

/// The signature schemes a private key (DER, PKCS#1 / SEC1 / PKCS#8) can produce here, best
/// first: {rsa_pss_rsae_sha256} for RSA, {ecdsa_secp256r1_sha256} for a P-256 key.
std::vector<uint16_t> SignatureSchemesForKey(const Bytes& privateKeyDer);

/// Signs content with scheme. RSA-PSS uses a salt as long as the hash (section 4.2.3); its
/// salt and the RSA blinding, or the ECDSA nonce, are drawn from random.
std::optional<Bytes> Sign(const Bytes& privateKeyDer, uint16_t scheme, const Bytes& content,
                          RandomSource& random);

/// Verifies a signature with the public key of a DER certificate.
bool Verify(const Bytes& certificateDer, uint16_t scheme, const Bytes& content,
            const Bytes& signature);

/// Verifies a signature with a raw public key (RFC 7250: a DER SubjectPublicKeyInfo).
bool VerifyWithPublicKey(const Bytes& subjectPublicKeyInfoDer, uint16_t scheme,
                         const Bytes& content, const Bytes& signature);

/// The DER SubjectPublicKeyInfo of a private key's public half (what a raw-public-key
/// Certificate carries, RFC 7250 section 3); empty when the key does not parse.
Bytes SubjectPublicKeyInfoOf(const Bytes& privateKeyDer);

/// Checks a certificate_list (end-entity first) against trust anchors (DER): accepted when
/// the end-entity certificate is itself one of the anchors (a pinned certificate) or when the
/// chain verifies to one of them. When serverName is not empty, the end-entity certificate
/// must name it. Validity periods are not checked here: mbedTLS would read the wall clock,
/// which a sans-I/O core must not do.
bool VerifyCertificateChain(const std::vector<Bytes>& chain, const std::vector<Bytes>& anchors,
                            const std::string& serverName);

/// An RSA private key (DER, PKCS#1) from its components, big-endian: what RFC 8448 section 2
/// lists. nullopt when they do not form a key.
std::optional<Bytes> RsaPrivateKeyFromComponents(const Bytes& modulus, const Bytes& publicExponent,
                                                 const Bytes& privateExponent, const Bytes& prime1,
                                                 const Bytes& prime2);

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_SIGNATURE_H
