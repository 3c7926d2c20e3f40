/*
 * EDHOC's key schedule primitives (RFC 9528 section 4): the hash, EDHOC_Extract and
 * EDHOC_Expand (HKDF with SHA-256, on mbedTLS), EDHOC_KDF with its CBOR info, and the
 * transcript hashes TH_2, TH_3 and TH_4. Suites 0 and 2 both use SHA-256.
 */
#ifndef LPWAN_EDHOC_KEY_SCHEDULE_H
#define LPWAN_EDHOC_KEY_SCHEDULE_H

#include "../common/sha256-hkdf.h"
#include "edhoc-types.h"

namespace lpwan
{
namespace edhoc
{

constexpr size_t kHashLength = 32;
/// HKDF-Expand with SHA-256 produces at most 255 blocks.
constexpr size_t kMaxExpandLength = 255 * kHashLength;

/// SHA-256.
Bytes Hash(const Bytes& data);

/// EDHOC_Extract(salt, IKM) = HMAC-SHA-256(salt, IKM) (HKDF-Extract).
Bytes Extract(const Bytes& salt, const Bytes& ikm);

/// EDHOC_Expand(PRK, info, length) = HKDF-Expand. Empty when length exceeds kMaxExpandLength.
Bytes Expand(const Bytes& prk, const Bytes& info, size_t length);

/// info = ( info_label : int, context : bstr, length : uint ), a CBOR sequence.
Bytes KdfInfo(int64_t label, const Bytes& context, size_t length);

/// EDHOC_KDF(PRK, info_label, context, length) = EDHOC_Expand(PRK, info, length).
Bytes Kdf(const Bytes& prk, int64_t label, const Bytes& context, size_t length);

/// TH_2 = H( G_Y, H(message_1) ), both as CBOR byte strings.
Bytes TranscriptHash2(const Bytes& gY, const Bytes& hashMessage1);

/// TH_3 = H( TH_2, PLAINTEXT_2, CRED_R ); TH_4 = H( TH_3, PLAINTEXT_3, CRED_I ). TH as a
/// byte string, the plaintext and the credential as they are (CBOR already).
Bytes TranscriptHashNext(const Bytes& previousTh, const Bytes& plaintext, const Bytes& cred);

/// Constant-time comparison (MACs).
using lpwan::ConstantTimeEqual;

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_KEY_SCHEDULE_H
