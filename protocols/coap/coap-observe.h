/*
 * Observe (RFC 7641) vocabulary shared by the endpoint, applications and tests: the option's
 * register/deregister values, its 24-bit sequence numbers and the client's freshness rule
 * for notifications that may arrive out of order (section 3.4).
 */
#ifndef LPWAN_COAP_OBSERVE_H
#define LPWAN_COAP_OBSERVE_H

#include "../common/sans-io.h"
#include "coap-message.h"

#include <cstdint>
#include <optional>

namespace lpwan
{
namespace coap
{

/// Observe option value in a request: add the client to the observers (RFC 7641 section 2).
constexpr uint32_t kObserveRegister = 0;
/// Observe option value in a request: remove the client from the observers.
constexpr uint32_t kObserveDeregister = 1;
/// Sequence numbers in notifications are 24-bit and wrap (RFC 7641 section 4.4).
constexpr uint32_t kObserveSequenceMask = 0xffffff;

/// The message's Observe option value, or nullopt when it has none.
std::optional<uint32_t> GetObserve(const Message& message);

/// True when a request asks to register as an observer (Observe = 0).
bool IsObserveRegistration(const Message& request);

/// RFC 7641 section 3.4: a notification with sequence number v2 received at t2 is newer than
/// the last one the client kept (v1, received at t1) when v2 is ahead of v1 in the 24-bit
/// serial-number sense, or when more than 128 seconds have passed (after which the server's
/// counter may have wrapped and the comparison tells nothing).
bool IsNotificationFresh(uint32_t v1, lpwan::TimeNs t1, uint32_t v2, lpwan::TimeNs t2);

} // namespace coap
} // namespace lpwan

#endif // LPWAN_COAP_OBSERVE_H
