/*
 * The counting sink, the phase scope, and the definitions that interpose mbedTLS's and
 * libsodium's primitive entry points (see crypto-tally.h for why and what is counted).
 */

#include "crypto-tally.h"

#include <dlfcn.h>
#include <mbedtls/aes.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/sha256.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace lpwan
{

CryptoTally&
CryptoTally::operator+=(const CryptoTally& o)
{
    aesBlocks += o.aesBlocks;
    sha256Blocks += o.sha256Blocks;
    p256BaseMul += o.p256BaseMul;
    p256Mul += o.p256Mul;
    p256MulAdd += o.p256MulAdd;
    x25519Mul += o.x25519Mul;
    ed25519Sign += o.ed25519Sign;
    ed25519Verify += o.ed25519Verify;
    return *this;
}

bool
CryptoTally::operator==(const CryptoTally& o) const
{
    return aesBlocks == o.aesBlocks && sha256Blocks == o.sha256Blocks
           && p256BaseMul == o.p256BaseMul && p256Mul == o.p256Mul && p256MulAdd == o.p256MulAdd
           && x25519Mul == o.x25519Mul && ed25519Sign == o.ed25519Sign
           && ed25519Verify == o.ed25519Verify;
}

CryptoTally
operator+(CryptoTally a, const CryptoTally& b)
{
    a += b;
    return a;
}

namespace
{

// Per thread; plain trivially-constructible thread_locals, as the interposed functions may run
// before any constructor (a library's own initialisation).
thread_local CryptoTallySink* g_sink = nullptr;
thread_local CryptoPhase g_phase = CryptoPhase::EXCHANGE;
// Inside a counted or excluded operation: what it calls is part of it (a scalar
// multiplication's blinding hashes) or not the device's (the DRBG's AES blocks).
thread_local int g_depth = 0;

/// The tally an operation starting now goes to, or nullptr.
CryptoTally*
Target()
{
    return g_sink != nullptr && g_depth == 0 ? g_sink->Current(g_phase) : nullptr;
}

/// Keeps what an operation calls from being counted again.
class Nested
{
  public:
    Nested()
    {
        ++g_depth;
    }
    ~Nested()
    {
        --g_depth;
    }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;
};

/// The library's own definition of an interposed function.
template<typename Fn>
Fn
Next(const char* name)
{
    void* f = dlsym(RTLD_NEXT, name);
    if (f == nullptr)
    {
        // Cannot happen with the libraries this is linked against; no way to go on.
        std::fprintf(stderr, "lpwan crypto-tally: %s not found after this library\n", name);
        std::abort();
    }
    return reinterpret_cast<Fn>(f);
}

/// One of a tally's counts; nullptr: an operation that is not counted.
using Counter = uint64_t CryptoTally::*;

/// An interposed entry point: counts the operation, then runs the library's own definition,
/// during which nothing it calls is counted again.
template<typename Fn, typename... Args>
int
CountAndRun(Counter counter, Fn real, Args... args)
{
    if (counter != nullptr)
    {
        if (CryptoTally* t = Target())
        {
            ++(t->*counter);
        }
    }
    Nested nested;
    return real(args...);
}

} // namespace

CryptoTallySink*
SetCryptoTallySink(CryptoTallySink* sink)
{
    CryptoTallySink* previous = g_sink;
    g_sink = sink;
    return previous;
}

CryptoPhaseScope::CryptoPhaseScope(CryptoPhase phase)
  : m_previous(g_phase)
{
    g_phase = phase;
}

CryptoPhaseScope::~CryptoPhaseScope()
{
    g_phase = m_previous;
}

ScopedCryptoTally::ScopedCryptoTally()
  : m_previous(SetCryptoTallySink(this))
{
}

ScopedCryptoTally::~ScopedCryptoTally()
{
    SetCryptoTallySink(m_previous);
}

CryptoTally*
ScopedCryptoTally::Current(CryptoPhase phase)
{
    return phase == CryptoPhase::HANDSHAKE ? &m_handshake : &m_exchange;
}

bool
CryptoTallyWorks()
{
    ScopedCryptoTally tally;
    unsigned char block[64] = {};
    unsigned char digest[32];
    if (mbedtls_sha256_ret(block, sizeof block, digest, 0) != 0)
    {
        return false;
    }
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    const bool ok = mbedtls_aes_setkey_enc(&aes, block, 128) == 0
                    && mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, block, digest) == 0;
    mbedtls_aes_free(&aes);
    // 64 bytes and the padding block: two compressions.
    return ok && tally.Total().sha256Blocks == 2 && tally.Total().aesBlocks == 1;
}

} // namespace lpwan

using lpwan::CountAndRun;
using lpwan::CryptoTally;
using lpwan::Next;

// ---- mbedTLS (libmbedcrypto): every AES block, every SHA-256 compression ----

extern "C" int
mbedtls_aes_crypt_ecb(mbedtls_aes_context* ctx, int mode, const unsigned char input[16],
                      unsigned char output[16])
{
    static const auto real = Next<decltype(&mbedtls_aes_crypt_ecb)>("mbedtls_aes_crypt_ecb");
    return CountAndRun(&CryptoTally::aesBlocks, real, ctx, mode, input, output);
}

extern "C" int
mbedtls_internal_sha256_process(mbedtls_sha256_context* ctx, const unsigned char data[64])
{
    static const auto real
        = Next<decltype(&mbedtls_internal_sha256_process)>("mbedtls_internal_sha256_process");
    return CountAndRun(&CryptoTally::sha256Blocks, real, ctx, data);
}

// ---- mbedTLS: scalar multiplications. mbedtls_ecp_mul, ECDH, key generation and ECDSA
// signing all reach mbedtls_ecp_mul_restartable; ECDSA verification reaches
// mbedtls_ecp_muladd_restartable. ----

extern "C" int
mbedtls_ecp_mul_restartable(mbedtls_ecp_group* grp, mbedtls_ecp_point* R, const mbedtls_mpi* m,
                            const mbedtls_ecp_point* P, int (*f_rng)(void*, unsigned char*, size_t),
                            void* p_rng, mbedtls_ecp_restart_ctx* rs_ctx)
{
    static const auto real
        = Next<decltype(&mbedtls_ecp_mul_restartable)>("mbedtls_ecp_mul_restartable");
    lpwan::Counter counter = nullptr;
    if (grp->id == MBEDTLS_ECP_DP_SECP256R1)
    {
        // Fixed-base (key generation, the k*G of a signature) is cheaper than ECDH's variable
        // base in every implementation, and priced apart.
        const bool base = P == &grp->G || mbedtls_ecp_point_cmp(P, &grp->G) == 0;
        counter = base ? &CryptoTally::p256BaseMul : &CryptoTally::p256Mul;
    }
    else if (grp->id == MBEDTLS_ECP_DP_CURVE25519)
    {
        counter = &CryptoTally::x25519Mul;
    }
    return CountAndRun(counter, real, grp, R, m, P, f_rng, p_rng, rs_ctx);
}

extern "C" int
mbedtls_ecp_muladd_restartable(mbedtls_ecp_group* grp, mbedtls_ecp_point* R, const mbedtls_mpi* m,
                               const mbedtls_ecp_point* P, const mbedtls_mpi* n,
                               const mbedtls_ecp_point* Q, mbedtls_ecp_restart_ctx* rs_ctx)
{
    static const auto real
        = Next<decltype(&mbedtls_ecp_muladd_restartable)>("mbedtls_ecp_muladd_restartable");
    return CountAndRun(grp->id == MBEDTLS_ECP_DP_SECP256R1 ? &CryptoTally::p256MulAdd : nullptr,
                       real, grp, R, m, P, n, Q, rs_ctx);
}

// ---- mbedTLS: the simulation's random generator is not the device's work ----

extern "C" int
mbedtls_ctr_drbg_random_with_add(void* p_rng, unsigned char* output, size_t output_len,
                                 const unsigned char* additional, size_t add_len)
{
    static const auto real
        = Next<decltype(&mbedtls_ctr_drbg_random_with_add)>("mbedtls_ctr_drbg_random_with_add");
    return CountAndRun(nullptr, real, p_rng, output, output_len, additional, add_len);
}

extern "C" int
mbedtls_ctr_drbg_seed(mbedtls_ctr_drbg_context* ctx,
                      int (*f_entropy)(void*, unsigned char*, size_t), void* p_entropy,
                      const unsigned char* custom, size_t len)
{
    // A session's generator is seeded when the session is made, during a run when a device
    // reconnects: not the device's work either.
    static const auto real = Next<decltype(&mbedtls_ctr_drbg_seed)>("mbedtls_ctr_drbg_seed");
    return CountAndRun(nullptr, real, ctx, f_entropy, p_entropy, custom, len);
}

// ---- libsodium: X25519 and Ed25519 (EDHOC cipher suites 0 and 1), at the calls this
// project's code makes ----

extern "C" int
crypto_scalarmult_base(unsigned char* q, const unsigned char* n)
{
    static const auto real = Next<decltype(&crypto_scalarmult_base)>("crypto_scalarmult_base");
    return CountAndRun(&CryptoTally::x25519Mul, real, q, n);
}

extern "C" int
crypto_scalarmult(unsigned char* q, const unsigned char* n, const unsigned char* p)
{
    static const auto real = Next<decltype(&crypto_scalarmult)>("crypto_scalarmult");
    return CountAndRun(&CryptoTally::x25519Mul, real, q, n, p);
}

extern "C" int
crypto_sign_detached(unsigned char* sig, unsigned long long* siglen_p, const unsigned char* m,
                     unsigned long long mlen, const unsigned char* sk)
{
    static const auto real = Next<decltype(&crypto_sign_detached)>("crypto_sign_detached");
    return CountAndRun(&CryptoTally::ed25519Sign, real, sig, siglen_p, m, mlen, sk);
}

extern "C" int
crypto_sign_verify_detached(const unsigned char* sig, const unsigned char* m,
                            unsigned long long mlen, const unsigned char* pk)
{
    static const auto real
        = Next<decltype(&crypto_sign_verify_detached)>("crypto_sign_verify_detached");
    return CountAndRun(&CryptoTally::ed25519Verify, real, sig, m, mlen, pk);
}
