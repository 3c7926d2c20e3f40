/*
 * X25519 on libsodium, P-256 on mbedTLS's ECP module.
 *
 * mbedTLS 2.28 cannot read a compressed or x-only P-256 point, so the y-coordinate of an x-only
 * key is computed here with mbedTLS's bignum functions: y = sqrt(x^3 - 3x + b) mod p, and since
 * p = 3 mod 4 the square root is (x^3 - 3x + b)^((p+1)/4). Either root gives the same shared
 * x-coordinate, which is why EDHOC may drop y.
 */

#include "edhoc-ecdh.h"

#include "../common/mbedtls-holders.h"

#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>
#include <sodium.h>

namespace lpwan
{
namespace edhoc
{

namespace
{

constexpr size_t kP256Size = 32;

void
EnsureSodium()
{
    static const int rc = sodium_init(); // thread-safe and idempotent
    (void) rc;
}

/// Reads d and checks 1 <= d < n.
bool
ReadPrivate(const EcpGroup& grp, const Bytes& key, Mpi& d)
{
    return key.size() == kP256Size && mbedtls_mpi_read_binary(&d.m, key.data(), key.size()) == 0
           && mbedtls_ecp_check_privkey(&grp.g, &d.m) == 0;
}

/// y for an x on P-256 (either root); false when x is not the x-coordinate of a curve point.
bool
DecompressY(const EcpGroup& grp, const mbedtls_mpi& x, mbedtls_mpi& y)
{
    const mbedtls_mpi& p = grp.g.P;
    Mpi rhs;
    Mpi t;
    Mpi e;
    Mpi check;
    // rhs = x^3 - 3x + b mod p (P-256 has a = -3)
    bool ok = mbedtls_mpi_cmp_mpi(&x, &p) < 0 && mbedtls_mpi_mul_mpi(&t.m, &x, &x) == 0
              && mbedtls_mpi_mod_mpi(&t.m, &t.m, &p) == 0
              && mbedtls_mpi_mul_mpi(&rhs.m, &t.m, &x) == 0 && mbedtls_mpi_mul_int(&t.m, &x, 3) == 0
              && mbedtls_mpi_sub_mpi(&rhs.m, &rhs.m, &t.m) == 0
              && mbedtls_mpi_add_mpi(&rhs.m, &rhs.m, &grp.g.B) == 0
              && mbedtls_mpi_mod_mpi(&rhs.m, &rhs.m, &p) == 0;
    // y = rhs^((p+1)/4) mod p
    ok = ok && mbedtls_mpi_add_int(&e.m, &p, 1) == 0 && mbedtls_mpi_shift_r(&e.m, 2) == 0
         && mbedtls_mpi_exp_mod(&y, &rhs.m, &e.m, &p, nullptr) == 0;
    // a square root exists only when y^2 = rhs
    ok = ok && mbedtls_mpi_mul_mpi(&check.m, &y, &y) == 0
         && mbedtls_mpi_mod_mpi(&check.m, &check.m, &p) == 0
         && mbedtls_mpi_cmp_mpi(&check.m, &rhs.m) == 0;
    return ok;
}

/// Reads a P-256 public key given as x (32 bytes) or x || y (64 bytes) and checks it.
bool
ReadPublic(const EcpGroup& grp, const Bytes& key, EcpPoint& q)
{
    if (key.size() != kP256Size && key.size() != 2 * kP256Size)
    {
        return false;
    }
    bool ok = mbedtls_mpi_read_binary(&q.p.X, key.data(), kP256Size) == 0
              && mbedtls_mpi_lset(&q.p.Z, 1) == 0;
    if (!ok)
    {
        return false;
    }
    if (key.size() == 2 * kP256Size)
    {
        ok = mbedtls_mpi_read_binary(&q.p.Y, key.data() + kP256Size, kP256Size) == 0;
    }
    else
    {
        ok = DecompressY(grp, q.p.X, q.p.Y);
    }
    return ok && mbedtls_ecp_check_pubkey(&grp.g, &q.p) == 0;
}

Bytes
WriteCoordinate(const mbedtls_mpi& v)
{
    Bytes out(kP256Size);
    if (mbedtls_mpi_write_binary(&v, out.data(), out.size()) != 0)
    {
        return {};
    }
    return out;
}

} // namespace

std::optional<Bytes>
DhPublicKey(Curve curve, const Bytes& privateKey)
{
    if (curve == Curve::X25519)
    {
        EnsureSodium();
        if (privateKey.size() != crypto_scalarmult_SCALARBYTES)
        {
            return std::nullopt;
        }
        Bytes pub(crypto_scalarmult_BYTES);
        if (crypto_scalarmult_base(pub.data(), privateKey.data()) != 0)
        {
            return std::nullopt;
        }
        return pub;
    }
    EcpGroup grp(MBEDTLS_ECP_DP_SECP256R1);
    Mpi d;
    EcpPoint q;
    // A NULL f_rng makes mbedTLS blind the multiplication with its internal deterministic
    // generator: the result is the same, and no draw from the RandomSource is needed.
    if (!grp.ok || !ReadPrivate(grp, privateKey, d)
        || mbedtls_ecp_mul(&grp.g, &q.p, &d.m, &grp.g.G, nullptr, nullptr) != 0)
    {
        return std::nullopt;
    }
    Bytes out = WriteCoordinate(q.p.X);
    const Bytes y = WriteCoordinate(q.p.Y);
    if (out.empty() || y.empty())
    {
        return std::nullopt;
    }
    out.insert(out.end(), y.begin(), y.end());
    return out;
}

std::optional<KeyPair>
GenerateKeyPair(Curve curve, RandomSource& random)
{
    // A P-256 candidate is invalid only when it is 0 or >= n (about 2^-32): a few draws suffice.
    for (int attempt = 0; attempt < 8; ++attempt)
    {
        KeyPair kp;
        kp.privateKey = RandomBytes(random, 32);
        std::optional<Bytes> pub = DhPublicKey(curve, kp.privateKey);
        if (!pub)
        {
            continue;
        }
        pub->resize(32); // P-256: keep the x-coordinate only
        kp.publicKey = std::move(*pub);
        return kp;
    }
    return std::nullopt;
}

std::optional<Bytes>
DhSharedSecret(Curve curve, const Bytes& privateKey, const Bytes& peerPublic)
{
    if (curve == Curve::X25519)
    {
        EnsureSodium();
        if (privateKey.size() != crypto_scalarmult_SCALARBYTES
            || peerPublic.size() != crypto_scalarmult_BYTES)
        {
            return std::nullopt;
        }
        Bytes shared(crypto_scalarmult_BYTES);
        // libsodium fails for low-order points (an all-zero output).
        if (crypto_scalarmult(shared.data(), privateKey.data(), peerPublic.data()) != 0)
        {
            return std::nullopt;
        }
        return shared;
    }
    EcpGroup grp(MBEDTLS_ECP_DP_SECP256R1);
    Mpi d;
    EcpPoint q;
    Mpi z;
    if (!grp.ok || !ReadPrivate(grp, privateKey, d) || !ReadPublic(grp, peerPublic, q)
        || mbedtls_ecdh_compute_shared(&grp.g, &z.m, &q.p, &d.m, nullptr, nullptr) != 0)
    {
        return std::nullopt;
    }
    Bytes out = WriteCoordinate(z.m);
    if (out.empty())
    {
        return std::nullopt;
    }
    return out;
}

} // namespace edhoc
} // namespace lpwan
