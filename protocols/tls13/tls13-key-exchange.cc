#include "tls13-key-exchange.h"

#include "../common/mbedtls-holders.h"
#include "../common/random-bytes.h"

#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>

namespace lpwan
{
namespace tls13
{

namespace
{

constexpr size_t kScalarLength = 32;
constexpr size_t kP256PointLength = 65; // 0x04 || X || Y

/// Reads an X25519 scalar after the clamping of RFC 7748 section 5 (mbedTLS checks that a
/// Curve25519 private key is clamped, while RFC 8448 lists the unclamped bytes).
bool
ReadX25519Scalar(const Bytes& key, Mpi& d)
{
    if (key.size() != kScalarLength)
    {
        return false;
    }
    Bytes k = key;
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    return mbedtls_mpi_read_binary_le(&d.m, k.data(), k.size()) == 0;
}

Bytes
WriteLe(const mbedtls_mpi& v)
{
    Bytes out(kScalarLength);
    if (mbedtls_mpi_write_binary_le(&v, out.data(), out.size()) != 0)
    {
        return {};
    }
    return out;
}

Bytes
WriteBe(const mbedtls_mpi& v)
{
    Bytes out(kScalarLength);
    if (mbedtls_mpi_write_binary(&v, out.data(), out.size()) != 0)
    {
        return {};
    }
    return out;
}

bool
AllZero(const Bytes& b)
{
    uint8_t acc = 0;
    for (uint8_t x : b)
    {
        acc |= x;
    }
    return acc == 0;
}

} // namespace

bool
IsKeyExchangeGroup(uint16_t group)
{
    return group == group::kX25519 || group == group::kSecp256r1;
}

std::optional<Bytes>
KeySharePublicKey(uint16_t group, const Bytes& privateKey)
{
    Mpi d;
    EcpPoint q;
    if (group == group::kX25519)
    {
        EcpGroup grp(MBEDTLS_ECP_DP_CURVE25519);
        // A NULL f_rng lets mbedTLS blind with its internal deterministic generator: no draw
        // from the RandomSource, same result.
        if (!grp.ok || !ReadX25519Scalar(privateKey, d)
            || mbedtls_ecp_mul(&grp.g, &q.p, &d.m, &grp.g.G, nullptr, nullptr) != 0)
        {
            return std::nullopt;
        }
        Bytes out = WriteLe(q.p.X);
        return out.empty() ? std::nullopt : std::optional<Bytes>(out);
    }
    if (group == group::kSecp256r1)
    {
        EcpGroup grp(MBEDTLS_ECP_DP_SECP256R1);
        if (!grp.ok || privateKey.size() != kScalarLength
            || mbedtls_mpi_read_binary(&d.m, privateKey.data(), privateKey.size()) != 0
            || mbedtls_ecp_check_privkey(&grp.g, &d.m) != 0
            || mbedtls_ecp_mul(&grp.g, &q.p, &d.m, &grp.g.G, nullptr, nullptr) != 0)
        {
            return std::nullopt;
        }
        Bytes out(kP256PointLength);
        size_t n = 0;
        if (mbedtls_ecp_point_write_binary(&grp.g, &q.p, MBEDTLS_ECP_PF_UNCOMPRESSED, &n,
                                           out.data(), out.size())
                != 0
            || n != kP256PointLength)
        {
            return std::nullopt;
        }
        return out;
    }
    return std::nullopt;
}

std::optional<KeyShareKeyPair>
GenerateKeyShare(uint16_t group, RandomSource& random)
{
    if (!IsKeyExchangeGroup(group))
    {
        return std::nullopt;
    }
    // A P-256 candidate is invalid only when it is 0 or >= n (about 2^-32): a few draws do.
    for (int attempt = 0; attempt < 8; ++attempt)
    {
        KeyShareKeyPair kp;
        kp.group = group;
        kp.privateKey = RandomBytes(random, kScalarLength);
        std::optional<Bytes> pub = KeySharePublicKey(group, kp.privateKey);
        if (pub)
        {
            kp.publicKey = std::move(*pub);
            return kp;
        }
    }
    return std::nullopt;
}

std::optional<Bytes>
KeyShareSharedSecret(uint16_t group, const Bytes& privateKey, const Bytes& peerPublicKey)
{
    Mpi d;
    EcpPoint q;
    Mpi z;
    if (group == group::kX25519)
    {
        EcpGroup grp(MBEDTLS_ECP_DP_CURVE25519);
        if (!grp.ok || peerPublicKey.size() != kScalarLength || !ReadX25519Scalar(privateKey, d))
        {
            return std::nullopt;
        }
        // RFC 7748 section 5: the most significant bit of the u-coordinate is masked.
        Bytes u = peerPublicKey;
        u[31] &= 127;
        if (mbedtls_mpi_read_binary_le(&q.p.X, u.data(), u.size()) != 0
            || mbedtls_mpi_lset(&q.p.Z, 1) != 0
            || mbedtls_ecdh_compute_shared(&grp.g, &z.m, &q.p, &d.m, nullptr, nullptr) != 0)
        {
            return std::nullopt;
        }
        Bytes out = WriteLe(z.m);
        if (out.empty() || AllZero(out))
        {
            return std::nullopt;
        }
        return out;
    }
    if (group == group::kSecp256r1)
    {
        EcpGroup grp(MBEDTLS_ECP_DP_SECP256R1);
        // Section 4.2.8.2: only the uncompressed form (legacy_form 4) is allowed.
        if (!grp.ok || peerPublicKey.size() != kP256PointLength || peerPublicKey[0] != 0x04
            || privateKey.size() != kScalarLength
            || mbedtls_mpi_read_binary(&d.m, privateKey.data(), privateKey.size()) != 0
            || mbedtls_ecp_check_privkey(&grp.g, &d.m) != 0
            || mbedtls_ecp_point_read_binary(&grp.g, &q.p, peerPublicKey.data(),
                                             peerPublicKey.size())
                   != 0
            || mbedtls_ecp_check_pubkey(&grp.g, &q.p) != 0
            || mbedtls_ecdh_compute_shared(&grp.g, &z.m, &q.p, &d.m, nullptr, nullptr) != 0)
        {
            return std::nullopt;
        }
        Bytes out = WriteBe(z.m);
        return out.empty() ? std::nullopt : std::optional<Bytes>(out);
    }
    return std::nullopt;
}

} // namespace tls13
} // namespace lpwan
