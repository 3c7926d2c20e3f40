#include "tls13-signature.h"

#include "../common/random-bytes.h"
#include "tls13-key-schedule.h"

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <string>

namespace lpwan
{
namespace tls13
{

namespace
{

struct Pk
{
    mbedtls_pk_context pk;

    Pk()
    {
        mbedtls_pk_init(&pk);
    }

    ~Pk()
    {
        mbedtls_pk_free(&pk);
    }
};

struct Crt
{
    mbedtls_x509_crt crt;

    Crt()
    {
        mbedtls_x509_crt_init(&crt);
    }

    ~Crt()
    {
        mbedtls_x509_crt_free(&crt);
    }
};

bool
ParseKey(const Bytes& der, Pk& key)
{
    return !der.empty() && mbedtls_pk_parse_key(&key.pk, der.data(), der.size(), nullptr, 0) == 0;
}

bool
IsP256(mbedtls_pk_context& pk)
{
    return mbedtls_pk_can_do(&pk, MBEDTLS_PK_ECDSA)
           && mbedtls_pk_ec(pk)->grp.id == MBEDTLS_ECP_DP_SECP256R1;
}

bool
IsRsa(mbedtls_pk_context& pk)
{
    return mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA;
}

} // namespace

Bytes
CertificateVerifyInput(bool server, const Bytes& transcriptHash)
{
    const std::string context
        = server ? "TLS 1.3, server CertificateVerify" : "TLS 1.3, client CertificateVerify";
    // Reserved up front: g++ 12 misreads the inserts below as out of bounds (-Warray-bounds).
    Bytes out;
    out.reserve(64 + context.size() + 1 + transcriptHash.size());
    out.assign(64, 0x20);
    out.insert(out.end(), context.begin(), context.end());
    out.push_back(0);
    out.insert(out.end(), transcriptHash.begin(), transcriptHash.end());
    return out;
}

std::vector<uint16_t>
SignatureSchemesForKey(const Bytes& privateKeyDer)
{
    Pk key;
    if (!ParseKey(privateKeyDer, key))
    {
        return {};
    }
    if (IsRsa(key.pk))
    {
        return {scheme::kRsaPssRsaeSha256};
    }
    if (IsP256(key.pk))
    {
        return {scheme::kEcdsaSecp256r1Sha256};
    }
    return {};
}

std::optional<Bytes>
Sign(const Bytes& privateKeyDer, uint16_t scheme, const Bytes& content, RandomSource& random)
{
    Pk key;
    if (!ParseKey(privateKeyDer, key))
    {
        return std::nullopt;
    }
    const Bytes hash = Sha256(content);
    if (scheme == scheme::kRsaPssRsaeSha256 && IsRsa(key.pk))
    {
        mbedtls_rsa_context* rsa = mbedtls_pk_rsa(key.pk);
        mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
        Bytes sig(mbedtls_rsa_get_len(rsa));
        if (mbedtls_rsa_rsassa_pss_sign_ext(rsa, MbedtlsRandom, &random, MBEDTLS_MD_SHA256,
                                            static_cast<unsigned>(hash.size()), hash.data(),
                                            static_cast<int>(kHashLength), sig.data())
            != 0)
        {
            return std::nullopt;
        }
        return sig;
    }
    if (scheme == scheme::kEcdsaSecp256r1Sha256 && IsP256(key.pk))
    {
        Bytes sig(MBEDTLS_PK_SIGNATURE_MAX_SIZE);
        size_t n = 0;
        if (mbedtls_pk_sign(&key.pk, MBEDTLS_MD_SHA256, hash.data(), hash.size(), sig.data(), &n,
                            MbedtlsRandom, &random)
            != 0)
        {
            return std::nullopt;
        }
        sig.resize(n);
        return sig;
    }
    return std::nullopt;
}

namespace
{

/// Verifies with a parsed public key (a certificate's or a raw one).
bool
VerifyWithKey(mbedtls_pk_context& pk, uint16_t scheme, const Bytes& content, const Bytes& signature)
{
    const Bytes hash = Sha256(content);
    if (scheme == scheme::kRsaPssRsaeSha256 && IsRsa(pk))
    {
        // rsae: the key is an rsaEncryption key; the salt must be as long as the hash.
        mbedtls_pk_rsassa_pss_options options{MBEDTLS_MD_SHA256, static_cast<int>(kHashLength)};
        return mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &options, &pk, MBEDTLS_MD_SHA256,
                                     hash.data(), hash.size(), signature.data(), signature.size())
               == 0;
    }
    if (scheme == scheme::kEcdsaSecp256r1Sha256 && IsP256(pk))
    {
        return mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA256, hash.data(), hash.size(), signature.data(),
                                 signature.size())
               == 0;
    }
    return false;
}

} // namespace

bool
Verify(const Bytes& certificateDer, uint16_t scheme, const Bytes& content, const Bytes& signature)
{
    Crt cert;
    if (certificateDer.empty()
        || mbedtls_x509_crt_parse_der(&cert.crt, certificateDer.data(), certificateDer.size()) != 0)
    {
        return false;
    }
    return VerifyWithKey(cert.crt.pk, scheme, content, signature);
}

bool
VerifyWithPublicKey(const Bytes& subjectPublicKeyInfoDer, uint16_t scheme, const Bytes& content,
                    const Bytes& signature)
{
    Pk key;
    if (subjectPublicKeyInfoDer.empty()
        || mbedtls_pk_parse_public_key(&key.pk, subjectPublicKeyInfoDer.data(),
                                       subjectPublicKeyInfoDer.size())
               != 0)
    {
        return false;
    }
    return VerifyWithKey(key.pk, scheme, content, signature);
}

Bytes
SubjectPublicKeyInfoOf(const Bytes& privateKeyDer)
{
    Pk key;
    if (!ParseKey(privateKeyDer, key))
    {
        return {};
    }
    // mbedtls_pk_write_pubkey_der writes at the end of the buffer and returns the length.
    Bytes buffer(1024);
    const int n = mbedtls_pk_write_pubkey_der(&key.pk, buffer.data(), buffer.size());
    if (n <= 0)
    {
        return {};
    }
    return Bytes(buffer.end() - n, buffer.end());
}

bool
VerifyCertificateChain(const std::vector<Bytes>& chain, const std::vector<Bytes>& anchors,
                       const std::string& serverName)
{
    if (chain.empty() || anchors.empty())
    {
        return false;
    }
    Crt certs;
    for (const Bytes& der : chain)
    {
        if (der.empty() || mbedtls_x509_crt_parse_der(&certs.crt, der.data(), der.size()) != 0)
        {
            return false;
        }
    }
    Crt trusted;
    for (const Bytes& der : anchors)
    {
        if (der.empty() || mbedtls_x509_crt_parse_der(&trusted.crt, der.data(), der.size()) != 0)
        {
            return false;
        }
    }
    const bool pinned = std::find(anchors.begin(), anchors.end(), chain.front()) != anchors.end();
    uint32_t flags = 0;
    const int rc = mbedtls_x509_crt_verify(&certs.crt, &trusted.crt, nullptr,
                                           serverName.empty() ? nullptr : serverName.c_str(),
                                           &flags, nullptr, nullptr);
    // The validity period is the driver's to judge (it knows the time); a pinned
    // certificate needs no issuer.
    if (rc != 0 && rc != MBEDTLS_ERR_X509_CERT_VERIFY_FAILED)
    {
        return false;
    }
    if (pinned)
    {
        // The configured bytes themselves are trusted: issuer, key size (RFC 8448's RSA key
        // has 1024 bits, below mbedTLS's default profile) and dates do not matter; the name
        // still does.
        return (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) == 0;
    }
    const uint32_t ignored = MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE;
    return (flags & ~ignored) == 0;
}

std::optional<Bytes>
RsaPrivateKeyFromComponents(const Bytes& modulus, const Bytes& publicExponent,
                            const Bytes& privateExponent, const Bytes& prime1, const Bytes& prime2)
{
    Pk key;
    if (mbedtls_pk_setup(&key.pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) != 0)
    {
        return std::nullopt;
    }
    mbedtls_rsa_context* rsa = mbedtls_pk_rsa(key.pk);
    if (mbedtls_rsa_import_raw(rsa, modulus.data(), modulus.size(), prime1.data(), prime1.size(),
                               prime2.data(), prime2.size(), privateExponent.data(),
                               privateExponent.size(), publicExponent.data(), publicExponent.size())
            != 0
        || mbedtls_rsa_complete(rsa) != 0 || mbedtls_rsa_check_privkey(rsa) != 0)
    {
        return std::nullopt;
    }
    // mbedtls_pk_write_key_der writes at the end of the buffer.
    Bytes buf(4096);
    const int n = mbedtls_pk_write_key_der(&key.pk, buf.data(), buf.size());
    if (n <= 0)
    {
        return std::nullopt;
    }
    return Bytes(buf.end() - n, buf.end());
}

} // namespace tls13
} // namespace lpwan
