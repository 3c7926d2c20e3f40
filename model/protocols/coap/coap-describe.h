/*
 * One-line, human-readable renderings of CoAP messages for logs and tool traces, e.g.
 * "CON GET mid=0x1a2b token=0a0b0c0d [Observe:0, Uri-Path:time] 0 bytes".
 */
#ifndef LPWAN_COAP_DESCRIBE_H
#define LPWAN_COAP_DESCRIBE_H

#include "coap-message.h"

#include <string>

namespace ns3
{
namespace coap
{

/// The option's registered name ("Uri-Path"), or its number for unknown ones.
std::string OptionName(uint16_t number);

/// Type, code (method name for requests), message ID, token, options and payload size.
std::string Describe(const Message& message);

} // namespace coap
} // namespace ns3

#endif // LPWAN_COAP_DESCRIBE_H
