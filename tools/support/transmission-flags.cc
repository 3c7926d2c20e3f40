/*
 * CoAP transmission flags; see transmission-flags.h.
 */

#include "transmission-flags.h"

#include "argument-values.h"

namespace ns3
{
namespace tools
{

bool
ConsumeTransmissionFlag(const std::string& name, ArgumentReader& reader,
                        coap::TransmissionParameters& params, std::string* error)
{
    const bool known = name == "--ack-timeout" || name == "--ack-random-factor"
                       || name == "--max-retransmit" || name == "--nstart";
    if (!known)
    {
        return false;
    }
    const std::optional<std::string> text = reader.Value(error);
    if (!text)
    {
        return true;
    }
    if (name == "--ack-timeout")
    {
        if (const auto v = ParseNumber(name, *text, 0.001, 3600, error))
        {
            params.ackTimeoutS = *v;
        }
    }
    else if (name == "--ack-random-factor")
    {
        if (const auto v = ParseNumber(name, *text, 1.0, 10.0, error))
        {
            params.ackRandomFactor = *v;
        }
    }
    else if (name == "--max-retransmit")
    {
        if (const auto v = ParseUnsigned(name, *text, 0, 20, error))
        {
            params.maxRetransmit = static_cast<uint32_t>(*v);
        }
    }
    else if (const auto v = ParseUnsigned(name, *text, 1, 64, error))
    {
        params.nstart = static_cast<uint32_t>(*v);
    }
    return true;
}

const char*
TransmissionFlagsUsage()
{
    return "CoAP transmission parameters (RFC 7252 section 4.8):\n"
           "  --ack-timeout SECONDS       ACK_TIMEOUT (default 2)\n"
           "  --ack-random-factor F       ACK_RANDOM_FACTOR (default 1.5)\n"
           "  --max-retransmit N          MAX_RETRANSMIT (default 4)\n"
           "  --nstart N                  NSTART (default 1)\n";
}

} // namespace tools
} // namespace ns3
