/*
 * AES-CCM-16-64-128 on mbedTLS's CCM module.
 */

#include "oscore-aead.h"

#include <mbedtls/ccm.h>

namespace lpwan
{
namespace oscore
{

namespace
{

/// An mbedtls_ccm_context keyed for AES-128, released on scope exit.
class Ccm
{
  public:
    explicit Ccm(const Bytes& key)
    {
        mbedtls_ccm_init(&m_ctx);
        m_ok = key.size() == kKeyLength
               && mbedtls_ccm_setkey(&m_ctx, MBEDTLS_CIPHER_ID_AES, key.data(), 128) == 0;
    }

    ~Ccm()
    {
        mbedtls_ccm_free(&m_ctx);
    }

    Ccm(const Ccm&) = delete;
    Ccm& operator=(const Ccm&) = delete;

    bool Ok() const
    {
        return m_ok;
    }

    mbedtls_ccm_context* Get()
    {
        return &m_ctx;
    }

  private:
    mbedtls_ccm_context m_ctx;
    bool m_ok = false;
};

} // namespace

Bytes
AeadEncrypt(const Bytes& key, const Bytes& nonce, const Bytes& aad, const Bytes& plaintext)
{
    if (nonce.size() != kNonceLength || plaintext.size() > kMaxPlaintextLength)
    {
        return {};
    }
    Ccm ccm(key);
    if (!ccm.Ok())
    {
        return {};
    }
    Bytes out(plaintext.size() + kTagLength);
    const int rc = mbedtls_ccm_encrypt_and_tag(
        ccm.Get(), plaintext.size(), nonce.data(), nonce.size(), aad.data(), aad.size(),
        plaintext.data(), out.data(), out.data() + plaintext.size(), kTagLength);
    if (rc != 0)
    {
        return {};
    }
    return out;
}

std::optional<Bytes>
AeadDecrypt(const Bytes& key, const Bytes& nonce, const Bytes& aad, const Bytes& ciphertextAndTag)
{
    if (nonce.size() != kNonceLength || ciphertextAndTag.size() < kTagLength
        || ciphertextAndTag.size() - kTagLength > kMaxPlaintextLength)
    {
        return std::nullopt;
    }
    Ccm ccm(key);
    if (!ccm.Ok())
    {
        return std::nullopt;
    }
    const size_t length = ciphertextAndTag.size() - kTagLength;
    // One spare byte so that data() is never null for an empty plaintext.
    Bytes out(length + 1);
    const int rc = mbedtls_ccm_auth_decrypt(
        ccm.Get(), length, nonce.data(), nonce.size(), aad.data(), aad.size(),
        ciphertextAndTag.data(), out.data(), ciphertextAndTag.data() + length, kTagLength);
    if (rc != 0)
    {
        return std::nullopt;
    }
    out.resize(length);
    return out;
}

} // namespace oscore
} // namespace lpwan
