/*
 * What the simulator knows about one application message (one meter report and its exchange):
 * one row of messages.csv.
 */
#ifndef LPWAN_MESSAGE_RECORD_H
#define LPWAN_MESSAGE_RECORD_H

#include "layer-bytes.h"
#include "message-exposure.h"

#include <cstdint>
#include <string>

namespace ns3
{

struct MessageRecord
{
    uint64_t id = 0;          ///< unique in the run, in order of creation
    uint32_t device = 0;      ///< device index in the scenario (0-based)
    std::string protocol;     ///< stack, e.g. "coap"
    bool confirmable = true;  ///< CON (true) or NON request
    LayerBytes request;       ///< bytes per layer of the request's first transmission on air
    LayerBytes air;           ///< all bytes on air for this message: every copy, both directions
    uint32_t framesOnAir = 0; ///< frames put on the air for this message
    uint32_t framesLost = 0;  ///< of those, frames the link lost (loss, collision, ...)
    uint32_t retransmissions = 0;   ///< retransmissions of the request by the device
    uint32_t repeatedDatagrams = 0; ///< every repeated datagram (both directions)
    double sendTime = -1;     ///< seconds: when the application handed the report to its stack
    double deliverTime = -1;  ///< seconds: when the server application first received it
    double completeTime = -1; ///< seconds: when the device's exchange ended
    std::string completion = "in-flight"; ///< response, timeout, reset, in-flight
    std::string responseCode;             ///< e.g. "2.04" when a response arrived
    /// The handshake this report waited for: none, full, abbreviated or failed (DTLS/TLS).
    std::string handshake = "none";
    double handshakeTime = 0;       ///< seconds the report waited for that handshake
    uint64_t handshakeAirBytes = 0; ///< of `air`, the bytes of handshake frames (all layers)
    MessageExposure exposure;       ///< what an adversary did to it (topology scenarios)

    bool Delivered() const
    {
        return deliverTime >= 0;
    }

    /// Seconds from send to delivery at the server; negative when not delivered.
    double Latency() const
    {
        return Delivered() ? deliverTime - sendTime : -1;
    }
};

} // namespace ns3

#endif // LPWAN_MESSAGE_RECORD_H
