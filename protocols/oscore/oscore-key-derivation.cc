/*
 * OSCORE key derivation on mbedTLS's HKDF.
 */

#include "oscore-key-derivation.h"

#include "../common/crypto-tally.h"
#include "oscore-cbor.h"

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include <stdexcept>

namespace lpwan
{
namespace oscore
{

Bytes
HkdfSha256(const Bytes& salt, const Bytes& ikm, const Bytes& info, size_t length)
{
    const mbedtls_md_info_t* md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    Bytes out(length);
    // mbedTLS substitutes HashLen zero bytes for a NULL salt, which is exactly RFC 5869's
    // rule for an absent salt and OSCORE's default (empty) Master Salt.
    const int rc = mbedtls_hkdf(md, salt.empty() ? nullptr : salt.data(), salt.size(), ikm.data(),
                                ikm.size(), info.data(), info.size(), out.data(), out.size());
    if (rc != 0)
    {
        throw std::runtime_error("mbedtls_hkdf failed");
    }
    return out;
}

DerivedKeys
DeriveKeys(const Bytes& masterSecret, const Bytes& masterSalt,
           const std::optional<Bytes>& idContext, const Bytes& senderId, const Bytes& recipientId,
           int64_t algorithm)
{
    // Deriving a context is key establishment, not protecting a message.
    CryptoPhaseScope handshake;
    DerivedKeys k;
    k.senderKey
        = HkdfSha256(masterSalt, masterSecret,
                     EncodeKdfInfo(senderId, idContext, algorithm, "Key", kKeyLength), kKeyLength);
    k.recipientKey = HkdfSha256(masterSalt, masterSecret,
                                EncodeKdfInfo(recipientId, idContext, algorithm, "Key", kKeyLength),
                                kKeyLength);
    // The Common IV uses the empty byte string as id.
    k.commonIv = HkdfSha256(masterSalt, masterSecret,
                            EncodeKdfInfo(Bytes{}, idContext, algorithm, "IV", kNonceLength),
                            kNonceLength);
    return k;
}

} // namespace oscore
} // namespace lpwan
