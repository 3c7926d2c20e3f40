/*
 * The CoAP transmission-parameter flags both tools share (RFC 7252 section 4.8): on a
 * high-latency link the defaults make every first retransmission spurious, and tests want
 * short timeouts.
 */
#ifndef LPWAN_TOOLS_TRANSMISSION_FLAGS_H
#define LPWAN_TOOLS_TRANSMISSION_FLAGS_H

#include "command-line.h"
#include "protocols/coap/coap-transmission-parameters.h"

#include <string>

namespace lpwan
{
namespace tools
{

/// The transmission flags: --ack-timeout, --ack-random-factor, --max-retransmit, --nstart.
po::options_description TransmissionOptions();

/// Reads the transmission flags given into params (the others keep their value); false with
/// *error for a bad value.
bool ReadTransmissionFlags(const po::variables_map& values, coap::TransmissionParameters* params,
                           std::string* error);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_TRANSMISSION_FLAGS_H
