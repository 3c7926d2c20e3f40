/*
 * CoAP transmission flags; see transmission-flags.h.
 */

#include "transmission-flags.h"

namespace lpwan
{
namespace tools
{

po::options_description
TransmissionOptions()
{
    po::options_description o("CoAP transmission parameters (RFC 7252 section 4.8)");
    // clang-format off
    o.add_options()
        ("ack-timeout", po::value<std::string>()->value_name("SECONDS"), "ACK_TIMEOUT (default 2)")
        ("ack-random-factor", po::value<std::string>()->value_name("F"),
         "ACK_RANDOM_FACTOR (default 1.5)")
        ("max-retransmit", po::value<std::string>()->value_name("N"), "MAX_RETRANSMIT (default 4)")
        ("nstart", po::value<std::string>()->value_name("N"), "NSTART (default 1)");
    // clang-format on
    return o;
}

bool
ReadTransmissionFlags(const po::variables_map& values, coap::TransmissionParameters* params,
                      std::string* error)
{
    if (const std::string* text = GivenValue(values, "ack-timeout"))
    {
        const auto v = ParseNumber("--ack-timeout", *text, 0.001, 3600, error);
        if (!v)
        {
            return false;
        }
        params->ackTimeoutS = *v;
    }
    if (const std::string* text = GivenValue(values, "ack-random-factor"))
    {
        const auto v = ParseNumber("--ack-random-factor", *text, 1.0, 10.0, error);
        if (!v)
        {
            return false;
        }
        params->ackRandomFactor = *v;
    }
    if (const std::string* text = GivenValue(values, "max-retransmit"))
    {
        const auto v = ParseUnsigned("--max-retransmit", *text, 0, 20, error);
        if (!v)
        {
            return false;
        }
        params->maxRetransmit = static_cast<uint32_t>(*v);
    }
    if (const std::string* text = GivenValue(values, "nstart"))
    {
        const auto v = ParseUnsigned("--nstart", *text, 1, 64, error);
        if (!v)
        {
            return false;
        }
        params->nstart = static_cast<uint32_t>(*v);
    }
    return true;
}

} // namespace tools
} // namespace lpwan
