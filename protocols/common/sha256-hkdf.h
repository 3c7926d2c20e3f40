/*
 * SHA-256, HMAC-SHA-256 and HKDF with SHA-256 (RFC 5869) on mbedTLS, and a constant-time
 * comparison on libsodium: the primitives under EDHOC's and TLS 1.3's key schedules, written
 * once here; each core keeps its own names and error conventions for them in its key schedule.
 */
#ifndef LPWAN_COMMON_SHA256_HKDF_H
#define LPWAN_COMMON_SHA256_HKDF_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace lpwan
{

constexpr size_t kSha256Length = 32;
/// HKDF-Expand with SHA-256 produces at most 255 blocks (RFC 5869 section 2.3).
constexpr size_t kHkdfSha256MaxLength = 255 * kSha256Length;

std::vector<uint8_t> Sha256(const std::vector<uint8_t>& data);

std::vector<uint8_t> HmacSha256(const std::vector<uint8_t>& key, const std::vector<uint8_t>& data);

/// HKDF-Extract(salt, IKM); an empty salt is HashLen zero bytes, as RFC 5869 specifies.
std::vector<uint8_t> HkdfSha256Extract(const std::vector<uint8_t>& salt,
                                       const std::vector<uint8_t>& ikm);

/// HKDF-Expand(PRK, info, length); nullopt when length is 0 or above kHkdfSha256MaxLength.
std::optional<std::vector<uint8_t>> HkdfSha256Expand(const std::vector<uint8_t>& prk,
                                                     const std::vector<uint8_t>& info,
                                                     size_t length);

/// Equal sizes and equal bytes, in time that depends on the size only (MACs, Finished).
bool ConstantTimeEqual(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b);

} // namespace lpwan

#endif // LPWAN_COMMON_SHA256_HKDF_H
