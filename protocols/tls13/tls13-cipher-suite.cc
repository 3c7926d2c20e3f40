#include "tls13-cipher-suite.h"

#include <mbedtls/ccm.h>
#include <mbedtls/gcm.h>

#include <stdexcept>

namespace lpwan
{
namespace tls13
{

namespace
{

struct Gcm
{
    mbedtls_gcm_context ctx;

    explicit Gcm(const Bytes& key)
    {
        mbedtls_gcm_init(&ctx);
        if (mbedtls_gcm_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, key.data(),
                               static_cast<unsigned>(key.size() * 8))
            != 0)
        {
            mbedtls_gcm_free(&ctx);
            throw std::invalid_argument("AES-GCM key");
        }
    }

    ~Gcm()
    {
        mbedtls_gcm_free(&ctx);
    }
};

struct Ccm
{
    mbedtls_ccm_context ctx;

    explicit Ccm(const Bytes& key)
    {
        mbedtls_ccm_init(&ctx);
        if (mbedtls_ccm_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, key.data(),
                               static_cast<unsigned>(key.size() * 8))
            != 0)
        {
            mbedtls_ccm_free(&ctx);
            throw std::invalid_argument("AES-CCM key");
        }
    }

    ~Ccm()
    {
        mbedtls_ccm_free(&ctx);
    }
};

} // namespace

std::optional<CipherSuiteInfo>
LookUpCipherSuite(uint16_t id)
{
    switch (id)
    {
        case suite::kAes128GcmSha256:
            return CipherSuiteInfo{id, true, 16, 16};
        case suite::kAes128CcmSha256:
            return CipherSuiteInfo{id, false, 16, 16};
        case suite::kAes128Ccm8Sha256:
            return CipherSuiteInfo{id, false, 16, 8};
        default:
            return std::nullopt;
    }
}

Aead::Aead(const CipherSuiteInfo& suite, const Bytes& key)
  : m_suite(suite)
  , m_key(key)
{
    if (key.size() != suite.keyLength)
    {
        throw std::invalid_argument("AEAD key length");
    }
}

Bytes
Aead::Seal(const Bytes& nonce, const Bytes& aad, const Bytes& plaintext) const
{
    Bytes out(plaintext.size() + m_suite.tagLength);
    uint8_t* tag = out.data() + plaintext.size();
    int rc;
    if (m_suite.gcm)
    {
        Gcm g(m_key);
        rc = mbedtls_gcm_crypt_and_tag(&g.ctx, MBEDTLS_GCM_ENCRYPT, plaintext.size(), nonce.data(),
                                       nonce.size(), aad.data(), aad.size(), plaintext.data(),
                                       out.data(), m_suite.tagLength, tag);
    }
    else
    {
        Ccm c(m_key);
        rc = mbedtls_ccm_encrypt_and_tag(&c.ctx, plaintext.size(), nonce.data(), nonce.size(),
                                         aad.data(), aad.size(), plaintext.data(), out.data(), tag,
                                         m_suite.tagLength);
    }
    if (rc != 0)
    {
        throw std::runtime_error("AEAD seal failed");
    }
    return out;
}

std::optional<Bytes>
Aead::Open(const Bytes& nonce, const Bytes& aad, const Bytes& sealed) const
{
    if (sealed.size() < m_suite.tagLength)
    {
        return std::nullopt;
    }
    const size_t n = sealed.size() - m_suite.tagLength;
    Bytes out(n);
    const uint8_t* tag = sealed.data() + n;
    int rc;
    if (m_suite.gcm)
    {
        Gcm g(m_key);
        rc = mbedtls_gcm_auth_decrypt(&g.ctx, n, nonce.data(), nonce.size(), aad.data(), aad.size(),
                                      tag, m_suite.tagLength, sealed.data(), out.data());
    }
    else
    {
        Ccm c(m_key);
        rc = mbedtls_ccm_auth_decrypt(&c.ctx, n, nonce.data(), nonce.size(), aad.data(), aad.size(),
                                      sealed.data(), out.data(), tag, m_suite.tagLength);
    }
    if (rc != 0)
    {
        return std::nullopt;
    }
    return out;
}

} // namespace tls13
} // namespace lpwan
