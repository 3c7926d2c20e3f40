/*
 * Connection identifiers C_I and C_R (RFC 9528 section 3.3) and the compact form of a 'kid'
 * in PLAINTEXT_2/3 (section 3.5.3.2) share one encoding: a byte string, except that a one-byte
 * string which is itself the CBOR encoding of an integer in -24..23 (0x00..0x17, 0x20..0x37)
 * is sent as that integer. C_I = h'2d' is therefore the single byte 0x2d, C_R = h'18' is 41 18.
 */
#ifndef LPWAN_EDHOC_CONNECTION_ID_H
#define LPWAN_EDHOC_CONNECTION_ID_H

#include "edhoc-cbor.h"

namespace lpwan
{
namespace edhoc
{

/// True for the one-byte strings sent as integers.
bool IsOneByteInt(const Bytes& id);

/// The CBOR data item that carries id.
Bytes EncodeCompactBstr(const Bytes& id);

/// Reads a compact byte string: an integer in -24..23 or a byte string of at most maxLength
/// bytes that is not a one-byte integer encoding (which must be sent as the integer).
bool ReadCompactBstr(CborReader& reader, Bytes& id, size_t maxLength);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_CONNECTION_ID_H
