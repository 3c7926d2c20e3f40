/*
 * The CBOR structures OSCORE feeds to HKDF and to the AEAD (RFC 8613 sections 3.2.1 and 5.4),
 * encoded with libcbor, and the bstr wrapping that Appendix B.2 applies to 'kid context'.
 */
#ifndef LPWAN_OSCORE_CBOR_H
#define LPWAN_OSCORE_CBOR_H

#include "oscore-types.h"

#include <optional>
#include <string>

namespace lpwan
{
namespace oscore
{

/// info = [ id : bstr, id_context : bstr / nil, alg_aead : int, type : tstr, L : uint ]
Bytes EncodeKdfInfo(const Bytes& id, const std::optional<Bytes>& idContext, int64_t algorithm,
                    const std::string& type, uint64_t length);

/// aad_array = [ oscore_version, [ alg_aead ], request_kid, request_piv, options ]
Bytes EncodeAadArray(int64_t algorithm, const Bytes& requestKid, const Bytes& requestPiv,
                     const Bytes& classIOptions);

/// The AEAD's additional data: Enc_structure = [ "Encrypt0", h'', external_aad ] where
/// external_aad = bstr .cbor aad_array.
Bytes EncodeAad(int64_t algorithm, const Bytes& requestKid, const Bytes& requestPiv,
                const Bytes& classIOptions);

/// The CBOR encoding of value as a definite byte string (Appendix B.2 'kid context').
Bytes WrapBstr(const Bytes& value);

/// Inverse of WrapBstr: nullopt unless encoded is exactly one definite CBOR byte string.
std::optional<Bytes> UnwrapBstr(const Bytes& encoded);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_CBOR_H
