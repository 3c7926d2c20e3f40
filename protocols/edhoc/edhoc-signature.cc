#include "edhoc-signature.h"

#include "edhoc-ecdh.h"

#include <mbedtls/ecdsa.h>
#include <mbedtls/sha256.h>
#include <sodium.h>

namespace lpwan
{
namespace edhoc
{

namespace
{

constexpr size_t kScalar = 32;

/// RAII for an mbedTLS ECDSA computation on P-256.
struct Es256
{
    mbedtls_ecp_group grp;
    mbedtls_mpi d;
    mbedtls_mpi r;
    mbedtls_mpi s;
    mbedtls_ecp_point q;
    bool ok;

    Es256()
    {
        mbedtls_ecp_group_init(&grp);
        mbedtls_mpi_init(&d);
        mbedtls_mpi_init(&r);
        mbedtls_mpi_init(&s);
        mbedtls_ecp_point_init(&q);
        ok = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0;
    }

    ~Es256()
    {
        mbedtls_ecp_point_free(&q);
        mbedtls_mpi_free(&s);
        mbedtls_mpi_free(&r);
        mbedtls_mpi_free(&d);
        mbedtls_ecp_group_free(&grp);
    }
};

bool
Sha256(const Bytes& m, uint8_t out[32])
{
    return mbedtls_sha256_ret(m.data(), m.size(), out, 0) == 0;
}

} // namespace

std::optional<Bytes>
SignaturePublicKey(SignatureAlgorithm alg, const Bytes& privateKey)
{
    if (alg == SignatureAlgorithm::EdDsa)
    {
        if (sodium_init() < 0 || privateKey.size() != crypto_sign_SEEDBYTES)
        {
            return std::nullopt;
        }
        Bytes pk(crypto_sign_PUBLICKEYBYTES);
        Bytes sk(crypto_sign_SECRETKEYBYTES);
        crypto_sign_seed_keypair(pk.data(), sk.data(), privateKey.data());
        sodium_memzero(sk.data(), sk.size());
        return pk;
    }
    return DhPublicKey(Curve::P256, privateKey); // same key pair arithmetic: Q = d G
}

std::optional<Bytes>
Sign(SignatureAlgorithm alg, const Bytes& privateKey, const Bytes& message, RandomSource& random)
{
    if (alg == SignatureAlgorithm::EdDsa)
    {
        if (sodium_init() < 0 || privateKey.size() != crypto_sign_SEEDBYTES)
        {
            return std::nullopt;
        }
        Bytes pk(crypto_sign_PUBLICKEYBYTES);
        Bytes sk(crypto_sign_SECRETKEYBYTES);
        crypto_sign_seed_keypair(pk.data(), sk.data(), privateKey.data());
        Bytes sig(crypto_sign_BYTES);
        crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk.data());
        sodium_memzero(sk.data(), sk.size());
        return sig;
    }
    Es256 e;
    uint8_t hash[32];
    if (!e.ok || privateKey.size() != kScalar || !Sha256(message, hash)
        || mbedtls_mpi_read_binary(&e.d, privateKey.data(), privateKey.size()) != 0
        || mbedtls_ecp_check_privkey(&e.grp, &e.d) != 0
        || mbedtls_ecdsa_sign_det_ext(&e.grp, &e.r, &e.s, &e.d, hash, sizeof(hash),
                                      MBEDTLS_MD_SHA256, MbedtlsRandom, &random)
               != 0)
    {
        return std::nullopt;
    }
    Bytes sig(2 * kScalar);
    if (mbedtls_mpi_write_binary(&e.r, sig.data(), kScalar) != 0
        || mbedtls_mpi_write_binary(&e.s, sig.data() + kScalar, kScalar) != 0)
    {
        return std::nullopt;
    }
    return sig;
}

bool
Verify(SignatureAlgorithm alg, const Bytes& publicKey, const Bytes& message, const Bytes& signature)
{
    if (alg == SignatureAlgorithm::EdDsa)
    {
        return sodium_init() >= 0 && publicKey.size() == crypto_sign_PUBLICKEYBYTES
               && signature.size() == crypto_sign_BYTES
               && crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                              publicKey.data())
                      == 0;
    }
    Es256 e;
    uint8_t hash[32];
    if (!e.ok || publicKey.size() != 2 * kScalar || signature.size() != 2 * kScalar
        || !Sha256(message, hash))
    {
        return false;
    }
    return mbedtls_mpi_read_binary(&e.q.X, publicKey.data(), kScalar) == 0
           && mbedtls_mpi_read_binary(&e.q.Y, publicKey.data() + kScalar, kScalar) == 0
           && mbedtls_mpi_lset(&e.q.Z, 1) == 0 && mbedtls_ecp_check_pubkey(&e.grp, &e.q) == 0
           && mbedtls_mpi_read_binary(&e.r, signature.data(), kScalar) == 0
           && mbedtls_mpi_read_binary(&e.s, signature.data() + kScalar, kScalar) == 0
           && mbedtls_ecdsa_verify(&e.grp, hash, sizeof(hash), &e.q, &e.r, &e.s) == 0;
}

} // namespace edhoc
} // namespace lpwan
