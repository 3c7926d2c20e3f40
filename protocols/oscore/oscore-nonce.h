/*
 * The Partial IV (a Sender Sequence Number in network byte order without leading zero bytes,
 * RFC 8613 section 5) and the AEAD nonce built from it (section 5.2):
 *
 *      <- nonce length minus 6 B -> <-- 5 bytes -->
 *   +---+-------------------+--------+---------+-----+
 *   | S |      padding      | ID_PIV | padding | PIV |  XOR  Common IV  =  nonce
 *   +---+-------------------+--------+---------+-----+
 *
 * where ID_PIV is the Sender ID of the endpoint that generated the Partial IV and S its length.
 */
#ifndef LPWAN_OSCORE_NONCE_H
#define LPWAN_OSCORE_NONCE_H

#include "oscore-types.h"

#include <optional>

namespace lpwan
{
namespace oscore
{

/// Encodes a sequence number as a Partial IV: 0 -> 0x00, 20 -> 0x14, 256 -> 0x0100.
/// Precondition: sequenceNumber <= kMaxSequenceNumber.
Bytes EncodePartialIv(uint64_t sequenceNumber);

/// Decodes a Partial IV strictly: 1 to 5 bytes, no leading zero byte unless it is the single
/// byte 0x00 (the only encoding EncodePartialIv produces). nullopt otherwise.
std::optional<uint64_t> DecodePartialIv(const Bytes& partialIv);

/// The AEAD nonce; an empty vector when commonIv is not 13 bytes, idPiv is longer than
/// kMaxIdLength or partialIv longer than kMaxPartialIvLength.
Bytes BuildNonce(const Bytes& commonIv, const Bytes& idPiv, const Bytes& partialIv);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_NONCE_H
