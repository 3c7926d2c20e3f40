/*
 * Derived CoAP time values (RFC 7252 section 4.8.2). They are recomputed from the base
 * parameters on every call rather than cached, so that changing one base parameter can
 * never leave a stale derived value behind.
 */

#include "coap-transmission-parameters.h"

#include <cmath>

namespace lpwan
{
namespace coap
{

namespace
{

/// Above this the doubling timeout (ACK_TIMEOUT * 2^MAX_RETRANSMIT) no longer fits the
/// int64 nanosecond clock for any sensible ACK_TIMEOUT; RFC 7252's default is 4.
constexpr uint32_t kMaxMaxRetransmit = 20;

/// Longest time value accepted, in seconds (about 31 years): keeps every derived value,
/// converted to nanoseconds and added to a simulation time, far from int64 overflow.
constexpr double kMaxSeconds = 1e9;

bool
IsFiniteNonNegative(double v)
{
    return std::isfinite(v) && v >= 0.0;
}

} // namespace

double
TransmissionParameters::MaxTransmitSpanS() const
{
    return ackTimeoutS * (std::ldexp(1.0, static_cast<int>(maxRetransmit)) - 1.0) * ackRandomFactor;
}

double
TransmissionParameters::MaxTransmitWaitS() const
{
    return ackTimeoutS * (std::ldexp(1.0, static_cast<int>(maxRetransmit) + 1) - 1.0)
           * ackRandomFactor;
}

double
TransmissionParameters::MaxRttS() const
{
    return 2.0 * maxLatencyS + processingDelayS;
}

double
TransmissionParameters::ExchangeLifetimeS() const
{
    return MaxTransmitSpanS() + 2.0 * maxLatencyS + processingDelayS;
}

double
TransmissionParameters::NonLifetimeS() const
{
    return MaxTransmitSpanS() + maxLatencyS;
}

std::string
TransmissionParameters::Validate() const
{
    if (!std::isfinite(ackTimeoutS) || ackTimeoutS <= 0.0 || ackTimeoutS > kMaxSeconds)
    {
        return "ACK_TIMEOUT must be a positive number of seconds.";
    }
    if (!std::isfinite(ackRandomFactor) || ackRandomFactor < 1.0 || ackRandomFactor > 1000.0)
    {
        return "ACK_RANDOM_FACTOR must be between 1 and 1000.";
    }
    if (maxRetransmit > kMaxMaxRetransmit)
    {
        return "MAX_RETRANSMIT must be at most 20.";
    }
    if (nstart < 1)
    {
        return "NSTART must be at least 1.";
    }
    if (!IsFiniteNonNegative(maxLatencyS) || maxLatencyS > kMaxSeconds)
    {
        return "MAX_LATENCY must be a non-negative number of seconds.";
    }
    if (!IsFiniteNonNegative(processingDelayS) || processingDelayS > kMaxSeconds)
    {
        return "PROCESSING_DELAY must be a non-negative number of seconds.";
    }
    if (ExchangeLifetimeS() > kMaxSeconds || MaxTransmitWaitS() > kMaxSeconds)
    {
        return "ACK_TIMEOUT, ACK_RANDOM_FACTOR and MAX_RETRANSMIT give a MAX_TRANSMIT_WAIT or "
               "EXCHANGE_LIFETIME above 1e9 s.";
    }
    return "";
}

} // namespace coap
} // namespace lpwan
