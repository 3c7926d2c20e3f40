/*
 * Observe (RFC 7641) helpers; see coap-observe.h.
 */

#include "coap-observe.h"

namespace lpwan
{
namespace coap
{

std::optional<uint32_t>
GetObserve(const Message& message)
{
    const Option* o = message.FindOption(option::Observe);
    if (o == nullptr)
    {
        return std::nullopt;
    }
    // The option is at most 3 bytes (RFC 7641 section 2); masking keeps a longer, invalid value
    // inside the sequence space instead of rejecting the whole message.
    return DecodeUintOption(o->value) & kObserveSequenceMask;
}

bool
IsObserveRegistration(const Message& request)
{
    const std::optional<uint32_t> v = GetObserve(request);
    return v.has_value() && *v == kObserveRegister;
}

bool
IsNotificationFresh(uint32_t v1, lpwan::TimeNs t1, uint32_t v2, lpwan::TimeNs t2)
{
    // The exact rule of RFC 7641 section 3.4, with 2^23 as half the 24-bit sequence space.
    constexpr uint32_t kHalf = 1u << 23;
    v1 &= kObserveSequenceMask;
    v2 &= kObserveSequenceMask;
    return (v1 < v2 && v2 - v1 < kHalf) || (v1 > v2 && v1 - v2 > kHalf)
           || t2 > t1 + lpwan::SecondsToNs(128.0);
}

} // namespace coap
} // namespace lpwan
