/*
 * The value of the OSCORE option: the compressed COSE_Encrypt0 header (RFC 8613 section 6.1).
 *
 *    0 1 2 3 4 5 6 7 <------------- n bytes -------------->
 *   +-+-+-+-+-+-+-+-+--------------------------------------
 *   |0 0 0|h|k|  n  |       Partial IV (if any) ...
 *   +-+-+-+-+-+-+-+-+--------------------------------------
 *    <- 1 byte -> <----- s bytes ------>
 *   +------------+----------------------+------------------+
 *   | s (if any) | kid context (if any) | kid (if any) ... |
 *   +------------+----------------------+------------------+
 *
 * When every flag bit is zero the option value is empty.
 */
#ifndef LPWAN_OSCORE_OPTION_VALUE_H
#define LPWAN_OSCORE_OPTION_VALUE_H

#include "oscore-types.h"

#include <optional>
#include <string>

namespace lpwan
{
namespace oscore
{

/// The decompressed COSE header parameters carried in the OSCORE option.
struct OptionValue
{
    std::optional<Bytes> partialIv;  ///< present iff n > 0 (1..5 bytes)
    std::optional<Bytes> kidContext; ///< present iff h = 1 (0..255 bytes)
    std::optional<Bytes> kid;        ///< present iff k = 1 (possibly empty)

    bool operator==(const OptionValue& o) const
    {
        return partialIv == o.partialIv && kidContext == o.kidContext && kid == o.kid;
    }
};

/// Compresses the header. Throws std::invalid_argument on a Partial IV of 0 or more than 5
/// bytes or a kid context longer than 255 bytes (the core never builds those).
Bytes EncodeOptionValue(const OptionValue& value);

/// Decompresses strictly, never throws. Rejects (nullopt, with the reason in *why): reserved
/// flag bits 5-7 set, n = 6 or 7, a non-empty value whose flags are all zero (must be sent
/// empty), a Partial IV with a leading zero byte (non-minimal), truncated Partial IV / s /
/// kid context, and bytes left over when k = 0.
std::optional<OptionValue> DecodeOptionValue(const Bytes& value, std::string* why = nullptr);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_OPTION_VALUE_H
