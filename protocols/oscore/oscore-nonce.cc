/*
 * Partial IV encoding and AEAD nonce construction.
 */

#include "oscore-nonce.h"

namespace lpwan
{
namespace oscore
{

Bytes
EncodePartialIv(uint64_t sequenceNumber)
{
    Bytes piv;
    for (int shift = 32; shift >= 0; shift -= 8)
    {
        const uint8_t b = static_cast<uint8_t>(sequenceNumber >> shift);
        if (b != 0 || !piv.empty())
        {
            piv.push_back(b);
        }
    }
    if (piv.empty())
    {
        piv.push_back(0); // "Partial IV of value 0 ... is encoded to the byte string 0x00"
    }
    return piv;
}

std::optional<uint64_t>
DecodePartialIv(const Bytes& partialIv)
{
    if (partialIv.empty() || partialIv.size() > kMaxPartialIvLength)
    {
        return std::nullopt;
    }
    if (partialIv.size() > 1 && partialIv[0] == 0)
    {
        // A non-minimal encoding names the same nonce as the minimal one but a different
        // request_piv in the AAD; refusing it keeps one Partial IV per sequence number.
        return std::nullopt;
    }
    uint64_t v = 0;
    for (uint8_t b : partialIv)
    {
        v = (v << 8) | b;
    }
    return v;
}

Bytes
BuildNonce(const Bytes& commonIv, const Bytes& idPiv, const Bytes& partialIv)
{
    if (commonIv.size() != kNonceLength || idPiv.size() > kMaxIdLength
        || partialIv.size() > kMaxPartialIvLength)
    {
        return {};
    }
    Bytes nonce(kNonceLength, 0);
    nonce[0] = static_cast<uint8_t>(idPiv.size());
    // ID_PIV right-aligned in bytes 1..7, Partial IV right-aligned in bytes 8..12.
    const size_t idEnd = 1 + kMaxIdLength;
    for (size_t i = 0; i < idPiv.size(); ++i)
    {
        nonce[idEnd - idPiv.size() + i] = idPiv[i];
    }
    for (size_t i = 0; i < partialIv.size(); ++i)
    {
        nonce[kNonceLength - partialIv.size() + i] = partialIv[i];
    }
    for (size_t i = 0; i < kNonceLength; ++i)
    {
        nonce[i] ^= commonIv[i];
    }
    return nonce;
}

} // namespace oscore
} // namespace lpwan
