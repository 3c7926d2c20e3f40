/*
 * Which CoAP options OSCORE encrypts (Class E, "Inner"), which it leaves readable for proxies
 * (Class U, "Outer") and which it only integrity-protects (Class I), RFC 8613 section 4.1:
 *
 *   Outer only (U):  Uri-Host, Uri-Port, Proxy-Uri (recomposed), Proxy-Scheme, OSCORE,
 *                    Hop-Limit (RFC 8768), EDHOC (RFC 9668)
 *   Inner and Outer: Observe (4.1.3.5: same value in requests; empty Inner value in
 *                    notifications). Block1/Block2/Size1/Size2 and Max-Age are E and U in the
 *                    RFC's table, but the Outer instances are added by proxies (Outer
 *                    block-wise, see oscore-outer-block.h) or for OSCORE error responses
 *                    (Max-Age 0): an original message's own instances are sent Inner.
 *   Inner only (E):  everything else, including Echo and Request-Tag (RFC 9175) and every
 *                    unknown option ("SHALL be processed as Class E", section 4.1).
 *   Class I:         none defined (section 4.1.2); IsClassI is the single place to add one.
 */
#ifndef LPWAN_OSCORE_OPTION_CLASSES_H
#define LPWAN_OSCORE_OPTION_CLASSES_H

#include "../coap/coap-message.h"
#include "oscore-types.h"

#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace oscore
{

/// Option numbers OSCORE handles that coap-message.h does not name.
namespace extra_option
{
constexpr uint16_t HopLimit = 16;    ///< RFC 8768, Class U
constexpr uint16_t Edhoc = 21;       ///< RFC 9668, Class U
constexpr uint16_t NoResponse = 258; ///< RFC 7967, Inner (4.1.3.6)
} // namespace extra_option

/// True for options that are only ever Outer (Class U): kept by the receiver in step 1 of
/// sections 8.2 / 8.4. Every other Outer option is discarded there.
bool IsOuterOnly(uint16_t number);

/// True for Class I options (none are defined by RFC 8613).
bool IsClassI(uint16_t number);

/// The options of an original message sorted into their OSCORE classes.
struct SplitOptions
{
    std::vector<coap::Option> inner;  ///< go into the plaintext
    std::vector<coap::Option> outer;  ///< go into the OSCORE message (without the OSCORE option)
    std::vector<coap::Option> classI; ///< subset of outer that the AAD covers
};

/// Splits the options of an original request or response for sending (sections 4.1.1-4.1.3,
/// including Proxy-Uri decomposition). nullopt, with the reason in *why, when the message
/// already has an OSCORE option (nesting is not supported, 4.1.3.7), has a Proxy-Uri that does
/// not parse or a Proxy-Uri together with Uri-Host/Uri-Port/Uri-Path/Uri-Query/Proxy-Scheme
/// (forbidden by RFC 7252 section 5.10.2).
std::optional<SplitOptions> SplitForSending(const coap::Message& original, std::string* why);

/// Options of the decrypted message: the received Outer options that survive step 1 of
/// sections 8.2 / 8.4 (Outer-only ones minus OSCORE) plus the Inner ones; an Inner option
/// replaces Outer instances of the same number. Returned in ascending order.
std::vector<coap::Option> MergeReceivedOptions(const coap::Message& received,
                                               const std::vector<coap::Option>& inner);

/// The Class I options of a message, encoded for the AAD's 'options' field.
Bytes ClassIOptionBytes(const std::vector<coap::Option>& options);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_OPTION_CLASSES_H
