/*
 * Types shared by every sans-I/O protocol core (CoAP, and later OSCORE, DTLS, MQTT).
 *
 * A core never reads a clock, a socket or a global random generator: the driver hands it
 * the current time and a RandomSource, and collects the datagrams and timers it asks for.
 * The same core therefore runs under ns-3 (simulated time, ns-3 random streams) and over
 * real sockets (wall time, OS randomness).
 */
#ifndef LPWAN_SANS_IO_H
#define LPWAN_SANS_IO_H

#include <cstdint>
#include <vector>

namespace lpwan
{

/// A point in time, in nanoseconds since the driver's epoch (simulation start for ns-3).
using TimeNs = int64_t;

/// Converts seconds to TimeNs, rounding to the nearest nanosecond.
inline TimeNs
SecondsToNs(double seconds)
{
    return static_cast<TimeNs>(seconds * 1e9 + (seconds >= 0 ? 0.5 : -0.5));
}

/// Converts TimeNs to seconds.
inline double
NsToSeconds(TimeNs t)
{
    return static_cast<double>(t) * 1e-9;
}

/// An opaque name the driver gives a remote transport endpoint (address and port).
/// The ns-3 and POSIX drivers pack an IPv4 address and port as (address << 16) | port.
using PeerId = uint64_t;

/// Packs an IPv4 address (host byte order) and UDP port into a PeerId.
inline PeerId
MakePeerId(uint32_t ipv4, uint16_t port)
{
    return (static_cast<PeerId>(ipv4) << 16) | port;
}

/// Randomness the driver provides to a core: an ns-3 random stream in the simulator.
class RandomSource
{
  public:
    virtual ~RandomSource() = default;
    /// A uniform draw in [0, 1).
    virtual double Uniform01() = 0;
    /// A uniform 32-bit integer.
    virtual uint32_t Uint32() = 0;
};

/// A datagram a core wants sent.
struct Datagram
{
    PeerId peer = 0;
    std::vector<uint8_t> bytes;
    /// True when this datagram repeats one sent before: a CON retransmitted on timeout, or a
    /// cached ACK/response re-sent for a duplicate request. Drivers count these.
    bool retransmission = false;
};

} // namespace lpwan

#endif // LPWAN_SANS_IO_H
