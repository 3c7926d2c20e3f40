/*
 * Derivation of the Sender Key, Recipient Key and Common IV from the input parameters of a
 * security context (RFC 8613 section 3.2.1): HKDF-SHA-256 with the Master Salt as salt, the
 * Master Secret as input keying material and a CBOR 'info' array per output.
 */
#ifndef LPWAN_OSCORE_KEY_DERIVATION_H
#define LPWAN_OSCORE_KEY_DERIVATION_H

#include "oscore-types.h"

#include <optional>

namespace lpwan
{
namespace oscore
{

/// HKDF (RFC 5869) with SHA-256: extract with salt (empty = HashLen zero bytes) then expand.
Bytes HkdfSha256(const Bytes& salt, const Bytes& ikm, const Bytes& info, size_t length);

/// The derived, immutable key material of a security context.
struct DerivedKeys
{
    Bytes senderKey;
    Bytes recipientKey;
    Bytes commonIv;
};

/// Derives the three outputs for AES-CCM-16-64-128 (L = 16 for keys, 13 for the Common IV).
DerivedKeys DeriveKeys(const Bytes& masterSecret, const Bytes& masterSalt,
                       const std::optional<Bytes>& idContext, const Bytes& senderId,
                       const Bytes& recipientId, int64_t algorithm);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_KEY_DERIVATION_H
