/*
 * What an adversary did to one application message (one report): messages.csv's adv_*
 * columns. All zero when no adversary is on the report's path. "Copies" are the datagrams of
 * the report's request the adversary handled (the first transmission and retransmissions; at
 * a CoAP proxy, the one request it forwards).
 */
#ifndef LPWAN_MESSAGE_EXPOSURE_H
#define LPWAN_MESSAGE_EXPOSURE_H

#include <cstdint>

namespace ns3
{

struct MessageExposure
{
    uint32_t copiesSeen = 0;         ///< copies that passed a compromised node
    uint32_t plaintextBytesRead = 0; ///< application payload bytes it could read (0: none)
    uint32_t modified = 0;           ///< copies it changed
    uint32_t modifiedAccepted = 0;   ///< changed copies the server accepted as genuine
    uint32_t modifiedDetected = 0;   ///< changed copies OSCORE or DTLS rejected at the server
    uint32_t replayed = 0;           ///< copies it sent again later
    uint32_t replaysAccepted = 0;    ///< replays the server delivered to its application
    uint32_t replaysRejected = 0;    ///< replays OSCORE, DTLS or CoAP deduplication rejected
    uint32_t dropped = 0;            ///< copies it dropped
    uint32_t delayed = 0;            ///< copies it held back
};

} // namespace ns3

#endif // LPWAN_MESSAGE_EXPOSURE_H
