/*
 * The crypto tally counts what mbedTLS and libsodium really execute (protocols/common/
 * crypto-tally.h): the primitive counts of known inputs, the phases, what is left out (the
 * simulation's DRBG), and that another thread's work is not counted.
 */
#include "protocols/common/crypto-tally.h"

#include <gtest/gtest.h>
#include <mbedtls/ccm.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>
#include <sodium.h>

#include <cstring>
#include <thread>
#include <vector>

namespace
{

using lpwan::CryptoPhase;
using lpwan::CryptoPhaseScope;
using lpwan::CryptoTally;
using lpwan::ScopedCryptoTally;

// A deterministic stand-in RNG for mbedTLS calls (counted work must not depend on it).
int
CountingRng(void* state, unsigned char* out, size_t n)
{
    auto* counter = static_cast<uint8_t*>(state);
    for (size_t i = 0; i < n; ++i)
    {
        out[i] = ++*counter;
    }
    return 0;
}

uint64_t
Sha256Blocks(size_t bytes)
{
    ScopedCryptoTally tally;
    std::vector<unsigned char> data(bytes, 0x5a);
    unsigned char digest[32];
    EXPECT_EQ(mbedtls_sha256_ret(data.data(), data.size(), digest, 0), 0);
    return tally.Total().sha256Blocks;
}

} // namespace

TEST(CryptoTally, InterpositionIsInEffect)
{
    EXPECT_TRUE(lpwan::CryptoTallyWorks());
}

TEST(CryptoTally, Sha256CompressionsFollowFromTheLengthAndPadding)
{
    // FIPS 180-4 padding: the message, one 0x80 byte and the 8-byte length, in 64-byte blocks.
    EXPECT_EQ(Sha256Blocks(0), 1u);
    EXPECT_EQ(Sha256Blocks(55), 1u);
    EXPECT_EQ(Sha256Blocks(56), 2u);
    EXPECT_EQ(Sha256Blocks(64), 2u);
    EXPECT_EQ(Sha256Blocks(1000), 16u);
}

TEST(CryptoTally, HmacSha256CostsTheKeyPadsAndBothPasses)
{
    ScopedCryptoTally tally;
    const unsigned char key[32] = {1};
    const unsigned char msg[10] = {2};
    unsigned char mac[32];
    ASSERT_EQ(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key, sizeof key, msg,
                              sizeof msg, mac),
              0);
    // Inner: ipad block + 10 bytes (one block); outer: opad block + 32-byte inner hash.
    EXPECT_EQ(tally.Total().sha256Blocks, 4u);
    EXPECT_EQ(tally.Total().aesBlocks, 0u);
}

TEST(CryptoTally, CcmBlocksFollowRfc3610)
{
    // AES-CCM of P bytes with A bytes of associated data: B0, ceil((A + 2) / 16) AAD blocks,
    // ceil(P / 16) CBC-MAC and ceil(P / 16) CTR blocks, and the counter block of the tag.
    mbedtls_ccm_context ccm;
    mbedtls_ccm_init(&ccm);
    const unsigned char key[16] = {7};
    ASSERT_EQ(mbedtls_ccm_setkey(&ccm, MBEDTLS_CIPHER_ID_AES, key, 128), 0);
    struct Case
    {
        size_t plaintext;
        size_t aad;
    };
    for (Case c : {Case{0, 0}, Case{5, 20}, Case{16, 13}, Case{17, 13}, Case{100, 30}})
    {
        std::vector<unsigned char> in(c.plaintext, 1), out(c.plaintext), aad(c.aad, 2);
        unsigned char nonce[13] = {3};
        unsigned char tag[8];
        ScopedCryptoTally tally;
        ASSERT_EQ(mbedtls_ccm_encrypt_and_tag(&ccm, in.size(), nonce, sizeof nonce, aad.data(),
                                              aad.size(), in.data(), out.data(), tag, sizeof tag),
                  0);
        const uint64_t aadBlocks = c.aad == 0 ? 0 : (c.aad + 2 + 15) / 16;
        const uint64_t dataBlocks = (c.plaintext + 15) / 16;
        EXPECT_EQ(tally.Total().aesBlocks, 1 + aadBlocks + 2 * dataBlocks + 1)
            << c.plaintext << " bytes, " << c.aad << " bytes of AAD";
    }
    mbedtls_ccm_free(&ccm);
}

TEST(CryptoTally, P256KeyGenerationEcdhSigningAndVerification)
{
    uint8_t rngState = 0;
    mbedtls_ecdsa_context a;
    mbedtls_ecdsa_init(&a);
    CryptoTally keygen;
    {
        ScopedCryptoTally tally;
        ASSERT_EQ(mbedtls_ecdsa_genkey(&a, MBEDTLS_ECP_DP_SECP256R1, CountingRng, &rngState), 0);
        keygen = tally.Total();
    }
    EXPECT_EQ(keygen.p256BaseMul, 1u);
    EXPECT_EQ(keygen.p256Mul, 0u);
    EXPECT_EQ(keygen.p256MulAdd, 0u);

    const unsigned char hash[32] = {9};
    unsigned char sig[MBEDTLS_ECDSA_MAX_LEN];
    size_t sigLen = 0;
    CryptoTally sign;
    {
        ScopedCryptoTally tally;
        ASSERT_EQ(mbedtls_ecdsa_write_signature(&a, MBEDTLS_MD_SHA256, hash, sizeof hash, sig,
                                                &sigLen, CountingRng, &rngState),
                  0);
        sign = tally.Total();
    }
    EXPECT_EQ(sign.p256BaseMul, 1u);
    EXPECT_EQ(sign.p256Mul, 0u);
    EXPECT_EQ(sign.p256MulAdd, 0u);

    CryptoTally verify;
    {
        ScopedCryptoTally tally;
        ASSERT_EQ(mbedtls_ecdsa_read_signature(&a, hash, sizeof hash, sig, sigLen), 0);
        verify = tally.Total();
    }
    EXPECT_EQ(verify.p256BaseMul + verify.p256Mul, 0u);
    EXPECT_EQ(verify.p256MulAdd, 1u);

    mbedtls_ecp_point peer;
    mbedtls_ecp_point_init(&peer);
    mbedtls_mpi peerKey, shared;
    mbedtls_mpi_init(&peerKey);
    mbedtls_mpi_init(&shared);
    ASSERT_EQ(mbedtls_ecdh_gen_public(&a.grp, &peerKey, &peer, CountingRng, &rngState), 0);
    {
        ScopedCryptoTally tally;
        ASSERT_EQ(mbedtls_ecdh_compute_shared(&a.grp, &shared, &peer, &a.d, CountingRng, &rngState),
                  0);
        EXPECT_EQ(tally.Total().p256Mul, 1u);
        EXPECT_EQ(tally.Total().p256BaseMul, 0u);
        EXPECT_EQ(tally.Total().sha256Blocks, 0u) << "blinding is part of the multiplication";
    }
    mbedtls_mpi_free(&shared);
    mbedtls_mpi_free(&peerKey);
    mbedtls_ecp_point_free(&peer);
    mbedtls_ecdsa_free(&a);
}

TEST(CryptoTally, X25519AndEd25519FromLibsodium)
{
    ASSERT_GE(sodium_init(), 0);
    unsigned char sk[32] = {1}, pk[32], peer[32], shared[32];
    ScopedCryptoTally tally;
    ASSERT_EQ(crypto_scalarmult_base(pk, sk), 0);
    ASSERT_EQ(crypto_scalarmult_base(peer, pk), 0);
    ASSERT_EQ(crypto_scalarmult(shared, sk, peer), 0);
    EXPECT_EQ(tally.Total().x25519Mul, 3u);

    unsigned char seed[crypto_sign_SEEDBYTES] = {4};
    unsigned char signPk[crypto_sign_PUBLICKEYBYTES], signSk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_seed_keypair(signPk, signSk, seed);
    const unsigned char msg[3] = {1, 2, 3};
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, msg, sizeof msg, signSk);
    EXPECT_EQ(crypto_sign_verify_detached(sig, msg, sizeof msg, signPk), 0);
    EXPECT_EQ(tally.Total().ed25519Sign, 1u);
    EXPECT_EQ(tally.Total().ed25519Verify, 1u);
    EXPECT_EQ(tally.Total().sha256Blocks, 0u);
}

TEST(CryptoTally, TheSimulationsRandomGeneratorIsNotCounted)
{
    ScopedCryptoTally seeding;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ctr_drbg_init(&drbg);
    uint8_t state = 0;
    ASSERT_EQ(mbedtls_ctr_drbg_seed(
                  &drbg,
                  [](void* s, unsigned char* o, size_t n)
                  {
                      return CountingRng(s, o, n);
                  },
                  &state, nullptr, 0),
              0);
    EXPECT_TRUE(seeding.Total().IsZero()) << "seeding";
    ScopedCryptoTally tally;
    unsigned char out[100];
    ASSERT_EQ(mbedtls_ctr_drbg_random(&drbg, out, sizeof out), 0);
    EXPECT_TRUE(tally.Total().IsZero());
    mbedtls_ctr_drbg_free(&drbg);
}

TEST(CryptoTally, PhasesSplitHandshakeFromExchange)
{
    ScopedCryptoTally tally;
    Sha256Blocks(0); // an inner tally takes this one
    unsigned char digest[32];
    mbedtls_sha256_ret(nullptr, 0, digest, 0);
    {
        CryptoPhaseScope handshake;
        mbedtls_sha256_ret(nullptr, 0, digest, 0);
        mbedtls_sha256_ret(nullptr, 0, digest, 0);
        {
            CryptoPhaseScope exchange(CryptoPhase::EXCHANGE);
            mbedtls_sha256_ret(nullptr, 0, digest, 0);
        }
    }
    EXPECT_EQ(tally.Handshake().sha256Blocks, 2u);
    EXPECT_EQ(tally.Exchange().sha256Blocks, 2u);
}

TEST(CryptoTally, AnotherThreadsWorkIsNotCounted)
{
    ScopedCryptoTally tally;
    std::thread other(
        []
        {
            unsigned char digest[32];
            mbedtls_sha256_ret(nullptr, 0, digest, 0);
        });
    other.join();
    EXPECT_TRUE(tally.Total().IsZero());
}
