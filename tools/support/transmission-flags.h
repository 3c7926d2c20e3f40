/*
 * The CoAP transmission-parameter flags both tools share (RFC 7252 section 4.8): on a
 * high-latency link the defaults make every first retransmission spurious, and tests want
 * short timeouts.
 */
#ifndef LPWAN_TOOLS_TRANSMISSION_FLAGS_H
#define LPWAN_TOOLS_TRANSMISSION_FLAGS_H

#include "argument-reader.h"
#include "protocols/coap/coap-transmission-parameters.h"

#include <string>

namespace ns3
{
namespace tools
{

/// If `name` is a transmission flag (--ack-timeout, --ack-random-factor, --max-retransmit,
/// --nstart), reads its value into params and returns true (*error set for a bad value).
bool ConsumeTransmissionFlag(const std::string& name, ArgumentReader& reader,
                             coap::TransmissionParameters& params, std::string* error);

/// The usage lines of the transmission flags.
const char* TransmissionFlagsUsage();

} // namespace tools
} // namespace ns3

#endif // LPWAN_TOOLS_TRANSMISSION_FLAGS_H
