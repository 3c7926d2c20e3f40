/*
 * One-line, human-readable renderings of CoAP messages for logs and tool traces, e.g.
 * "CON GET mid=0x1a2b token=0a0b0c0d [Observe:0, Uri-Path:time] 0 bytes".
 */
#ifndef LPWAN_COAP_DESCRIBE_H
#define LPWAN_COAP_DESCRIBE_H

#include "coap-message.h"

#include <string>

namespace lpwan
{
namespace coap
{

/// The option's registered name ("Uri-Path"), or its number for unknown ones.
std::string OptionName(uint16_t number);

/// The registered name of a response code ("Content" for 2.05, RFC 7252 section 12.1.2,
/// RFC 7959, RFC 8516) or of a method ("GET", also FETCH, PATCH, iPATCH of RFC 8132); ""
/// for codes without one.
std::string CodeName(uint8_t code);

/// Type, code (method name for requests), message ID, token, options and payload size.
std::string Describe(const Message& message);

} // namespace coap
} // namespace lpwan

#endif // LPWAN_COAP_DESCRIBE_H
