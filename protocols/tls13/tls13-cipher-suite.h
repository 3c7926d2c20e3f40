/*
 * The cipher suites this core implements (RFC 8446 appendix B.4): AES-128-GCM as RFC 8448
 * uses, and AES-128-CCM and AES-128-CCM_8 for constrained devices (the CCM_8 suite is not
 * Recommended for general use, but is what RFC 7925-style IoT profiles pick). All use
 * SHA-256, and an AEAD of mbedTLS 2.28 (mbedtls_gcm, mbedtls_ccm).
 */
#ifndef LPWAN_TLS13_CIPHER_SUITE_H
#define LPWAN_TLS13_CIPHER_SUITE_H

#include "tls13-types.h"

#include <optional>

namespace lpwan
{
namespace tls13
{

struct CipherSuiteInfo
{
    uint16_t id;
    bool gcm;         ///< AES-GCM, else AES-CCM
    size_t keyLength; ///< 16
    size_t tagLength; ///< 16, or 8 for CCM_8
};

/// The parameters of a suite this core implements; nullopt for any other.
std::optional<CipherSuiteInfo> LookUpCipherSuite(uint16_t id);

/// AEAD-Encrypt / AEAD-Decrypt (RFC 8446 section 5.2) with one key.
class Aead
{
  public:
    Aead(const CipherSuiteInfo& suite, const Bytes& key);

    /// ciphertext || tag.
    Bytes Seal(const Bytes& nonce, const Bytes& aad, const Bytes& plaintext) const;
    /// The plaintext, or nullopt when the tag does not verify (or the input is shorter than
    /// the tag).
    std::optional<Bytes> Open(const Bytes& nonce, const Bytes& aad, const Bytes& sealed) const;

    size_t TagLength() const
    {
        return m_suite.tagLength;
    }

  private:
    CipherSuiteInfo m_suite;
    Bytes m_key;
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_CIPHER_SUITE_H
