/*
 * OSCORE option value compression and decompression (RFC 8613 section 6.1).
 */

#include "oscore-option-value.h"

#include <stdexcept>

namespace lpwan
{
namespace oscore
{

namespace
{

constexpr uint8_t kReservedFlags = 0xE0; // bits 5-7: malformed when set (section 6.1)
constexpr uint8_t kKidContextFlag = 0x10;
constexpr uint8_t kKidFlag = 0x08;
constexpr uint8_t kPivLengthMask = 0x07;

std::optional<OptionValue>
Reject(std::string* why, const char* reason)
{
    if (why != nullptr)
    {
        *why = reason;
    }
    return std::nullopt;
}

} // namespace

Bytes
EncodeOptionValue(const OptionValue& value)
{
    uint8_t flags = 0;
    Bytes out(1, 0);
    if (value.partialIv)
    {
        const size_t n = value.partialIv->size();
        if (n == 0 || n > kMaxPartialIvLength)
        {
            throw std::invalid_argument("OSCORE Partial IV must be 1 to 5 bytes");
        }
        flags |= static_cast<uint8_t>(n);
        out.insert(out.end(), value.partialIv->begin(), value.partialIv->end());
    }
    if (value.kidContext)
    {
        if (value.kidContext->size() > 0xFF)
        {
            throw std::invalid_argument("OSCORE kid context longer than 255 bytes");
        }
        flags |= kKidContextFlag;
        out.push_back(static_cast<uint8_t>(value.kidContext->size()));
        out.insert(out.end(), value.kidContext->begin(), value.kidContext->end());
    }
    if (value.kid)
    {
        flags |= kKidFlag;
        out.insert(out.end(), value.kid->begin(), value.kid->end());
    }
    if (flags == 0)
    {
        return {}; // "If the OSCORE flag bits are all zero (0x00), the Option value SHALL be empty"
    }
    out[0] = flags;
    return out;
}

std::optional<OptionValue>
DecodeOptionValue(const Bytes& value, std::string* why)
{
    OptionValue v;
    if (value.empty())
    {
        return v;
    }
    const uint8_t flags = value[0];
    if ((flags & kReservedFlags) != 0)
    {
        return Reject(why, "reserved OSCORE flag bit set");
    }
    if (flags == 0)
    {
        return Reject(why, "OSCORE option with all flags zero is not empty");
    }
    const size_t n = flags & kPivLengthMask;
    if (n > kMaxPartialIvLength)
    {
        return Reject(why, "reserved Partial IV length 6 or 7");
    }
    size_t pos = 1;
    if (n > 0)
    {
        if (value.size() - pos < n)
        {
            return Reject(why, "truncated Partial IV");
        }
        if (n > 1 && value[pos] == 0)
        {
            return Reject(why, "Partial IV with leading zero byte");
        }
        v.partialIv = Bytes(value.begin() + pos, value.begin() + pos + n);
        pos += n;
    }
    if ((flags & kKidContextFlag) != 0)
    {
        if (value.size() - pos < 1)
        {
            return Reject(why, "missing kid context length");
        }
        const size_t s = value[pos++];
        if (value.size() - pos < s)
        {
            return Reject(why, "truncated kid context");
        }
        v.kidContext = Bytes(value.begin() + pos, value.begin() + pos + s);
        pos += s;
    }
    if ((flags & kKidFlag) != 0)
    {
        v.kid = Bytes(value.begin() + pos, value.end()); // kid is always the last field
    }
    else if (pos != value.size())
    {
        return Reject(why, "trailing bytes in OSCORE option");
    }
    return v;
}

} // namespace oscore
} // namespace lpwan
