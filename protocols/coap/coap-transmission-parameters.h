/*
 * CoAP transmission parameters and the time values derived from them (RFC 7252 section 4.8).
 * All configurable: on LPWAN links one round trip can exceed the default ACK_TIMEOUT (2 s),
 * which makes every first retransmission spurious.
 */
#ifndef LPWAN_COAP_TRANSMISSION_PARAMETERS_H
#define LPWAN_COAP_TRANSMISSION_PARAMETERS_H

#include <cstdint>
#include <string>

namespace lpwan
{
namespace coap
{

struct TransmissionParameters
{
    double ackTimeoutS = 2.0;      ///< ACK_TIMEOUT
    double ackRandomFactor = 1.5;  ///< ACK_RANDOM_FACTOR (>= 1)
    uint32_t maxRetransmit = 4;    ///< MAX_RETRANSMIT
    uint32_t nstart = 1;           ///< NSTART: outstanding CON requests per peer
    double maxLatencyS = 100.0;    ///< MAX_LATENCY
    double processingDelayS = 2.0; ///< PROCESSING_DELAY (RFC default: ACK_TIMEOUT)

    /// MAX_TRANSMIT_SPAN = ACK_TIMEOUT * (2^MAX_RETRANSMIT - 1) * ACK_RANDOM_FACTOR (45 s)
    double MaxTransmitSpanS() const;
    /// MAX_TRANSMIT_WAIT = ACK_TIMEOUT * (2^(MAX_RETRANSMIT + 1) - 1) * ACK_RANDOM_FACTOR (93 s)
    double MaxTransmitWaitS() const;
    /// MAX_RTT = 2 * MAX_LATENCY + PROCESSING_DELAY (202 s)
    double MaxRttS() const;
    /// EXCHANGE_LIFETIME = MAX_TRANSMIT_SPAN + 2 * MAX_LATENCY + PROCESSING_DELAY (247 s)
    double ExchangeLifetimeS() const;
    /// NON_LIFETIME = MAX_TRANSMIT_SPAN + MAX_LATENCY (145 s)
    double NonLifetimeS() const;

    /// Empty when the parameters are usable, else a sentence naming the bad one.
    std::string Validate() const;
};

} // namespace coap
} // namespace lpwan

#endif // LPWAN_COAP_TRANSMISSION_PARAMETERS_H
