/*
 * AES-CCM-16-64-128 (COSE algorithm 10, RFC 8152 section 10.2): AES-128 in CCM mode with a
 * 13-byte nonce (so a 2-byte length field: at most 65535 bytes of plaintext) and an 8-byte tag.
 */
#ifndef LPWAN_OSCORE_AEAD_H
#define LPWAN_OSCORE_AEAD_H

#include "oscore-types.h"

#include <optional>

namespace lpwan
{
namespace oscore
{

/// Largest plaintext CCM can protect with a 2-byte length field.
constexpr size_t kMaxPlaintextLength = 0xFFFF;

/// Returns ciphertext || tag, or an empty vector when the inputs have the wrong sizes or the
/// plaintext is longer than kMaxPlaintextLength.
Bytes AeadEncrypt(const Bytes& key, const Bytes& nonce, const Bytes& aad, const Bytes& plaintext);

/// Verifies and decrypts ciphertext || tag; nullopt on any failure (wrong sizes, tag mismatch).
std::optional<Bytes> AeadDecrypt(const Bytes& key, const Bytes& nonce, const Bytes& aad,
                                 const Bytes& ciphertextAndTag);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_AEAD_H
