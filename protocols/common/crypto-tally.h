/*
 * Counting the cryptographic operations the real stacks perform: AES block encryptions, SHA-256
 * compressions, elliptic-curve scalar multiplications and EdDSA signatures, so that a device
 * profile can price a protocol's computation (docs/energy.md).
 *
 * Why by interposition: the stacks run on mbedTLS 2.28 and libsodium as Debian ships them, and
 * neither library offers a hook that reports its primitive operations (mbedTLS's *_ALT macros
 * need the library rebuilt). crypto-tally.cc therefore defines the few primitive entry points
 * that every higher-level operation of those libraries reaches through the dynamic linker
 * (mbedtls_aes_crypt_ecb, mbedtls_internal_sha256_process, mbedtls_ecp_mul_restartable,
 * mbedtls_ecp_muladd_restartable; libsodium's crypto_scalarmult*, crypto_sign_detached,
 * crypto_sign_verify_detached), counts, and calls the library's own definition (dlsym
 * RTLD_NEXT), the way simulated-wall-clock.cc interposes time(). So a DTLS handshake inside
 * mbedTLS is counted as exactly as an OSCORE protection done by this project's code: CCM's
 * CBC-MAC and CTR blocks, HMAC and HKDF compressions, the TLS PRF, the transcript hashes,
 * deterministic ECDSA's HMAC-DRBG, all as the library executed them.
 *
 * What is not counted, on purpose: the simulation's deterministic random generator (CTR_DRBG,
 * seeded from ns-3 random streams; a device draws from its hardware RNG); field arithmetic
 * outside scalar multiplications (point decompression, key checks); GHASH (no GCM suite is
 * simulated); SHA-512 inside Ed25519 (priced with the signature).
 *
 * Where counted operations go: to the sink installed on the calling thread (one per thread, so
 * that a real-socket peer on another thread is not counted with the simulation), which picks
 * the tally of whoever is computing (the simulation: the node whose event is running), split
 * into handshake and exchange work by CryptoPhaseScope, which the stacks open around their
 * handshakes.
 */
#ifndef LPWAN_COMMON_CRYPTO_TALLY_H
#define LPWAN_COMMON_CRYPTO_TALLY_H

#include <cstdint>

namespace lpwan
{

/// Primitive operations, as the libraries executed them.
struct CryptoTally
{
    uint64_t aesBlocks = 0;     ///< AES-128 block encryptions (CCM's CBC-MAC and CTR, ...)
    uint64_t sha256Blocks = 0;  ///< SHA-256 compressions of 64 bytes (hashes, HMAC, HKDF, PRF)
    uint64_t p256BaseMul = 0;   ///< P-256 k*G: key generation, ECDSA signing
    uint64_t p256Mul = 0;       ///< P-256 k*P of another point: ECDH
    uint64_t p256MulAdd = 0;    ///< P-256 u1*G + u2*Q: ECDSA verification
    uint64_t x25519Mul = 0;     ///< X25519 scalar multiplications: key generation, ECDH
    uint64_t ed25519Sign = 0;   ///< Ed25519 signatures
    uint64_t ed25519Verify = 0; ///< Ed25519 verifications

    CryptoTally& operator+=(const CryptoTally& o);
    bool operator==(const CryptoTally& o) const;
    bool operator!=(const CryptoTally& o) const
    {
        return !(*this == o);
    }
    bool IsZero() const
    {
        return *this == CryptoTally{};
    }
};

CryptoTally operator+(CryptoTally a, const CryptoTally& b);

/// Which part of a protocol's life an operation belongs to.
enum class CryptoPhase
{
    EXCHANGE,  ///< protecting and verifying application data (the default)
    HANDSHAKE, ///< establishing keys: a (D)TLS handshake, EDHOC, an OSCORE context derivation
};

/// Where the operations counted on a thread go.
class CryptoTallySink
{
  public:
    virtual ~CryptoTallySink() = default;
    /// The tally the operation being counted now belongs to; nullptr leaves it uncounted.
    virtual CryptoTally* Current(CryptoPhase phase) = 0;
};

/// Installs sink on the calling thread (nullptr: count nothing); returns the previous sink.
CryptoTallySink* SetCryptoTallySink(CryptoTallySink* sink);

/// Marks the operations done while it lives, on this thread, as handshake work.
class CryptoPhaseScope
{
  public:
    explicit CryptoPhaseScope(CryptoPhase phase = CryptoPhase::HANDSHAKE);
    ~CryptoPhaseScope();
    CryptoPhaseScope(const CryptoPhaseScope&) = delete;
    CryptoPhaseScope& operator=(const CryptoPhaseScope&) = delete;

  private:
    CryptoPhase m_previous;
};

/// Counts everything done on this thread while it lives (tests, real-socket tools).
class ScopedCryptoTally : public CryptoTallySink
{
  public:
    ScopedCryptoTally();
    ~ScopedCryptoTally() override;
    ScopedCryptoTally(const ScopedCryptoTally&) = delete;
    ScopedCryptoTally& operator=(const ScopedCryptoTally&) = delete;

    CryptoTally* Current(CryptoPhase phase) override;
    const CryptoTally& Handshake() const
    {
        return m_handshake;
    }
    const CryptoTally& Exchange() const
    {
        return m_exchange;
    }
    CryptoTally Total() const
    {
        return m_handshake + m_exchange;
    }

  private:
    CryptoTally m_handshake;
    CryptoTally m_exchange;
    CryptoTallySink* m_previous;
};

/**
 * Whether the interposition is in effect in this process: hashes one block and encrypts one
 * AES block under a ScopedCryptoTally and checks that both were counted. False when the
 * process resolved the libraries' symbols before this library's (a link-order mistake); a run
 * that prices computation must then stop rather than report zero.
 */
bool CryptoTallyWorks();

} // namespace lpwan

#endif // LPWAN_COMMON_CRYPTO_TALLY_H
