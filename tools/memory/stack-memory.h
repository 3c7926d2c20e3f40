/*
 * What each security profile's stack really holds in RAM, measured by running the real code:
 * a device and a server (the same cores the simulated nodes and the real-socket tools run)
 * joined in memory, every allocation booked to the side that made it (heap-meter.h).
 *
 * Per profile: what a device keeps between reports, the most it holds during its handshake
 * (or context derivation) and during one report and its response; what the server keeps per
 * device (the slope between one device and kServerDevices devices, so that state the server
 * allocates once on first use is not charged to each device) and the most one handshake adds
 * to it; what the server holds whatever the number of devices. Only the security layer is
 * measured: CoAP's and MQTT's own state, the same with or without security, is not.
 *
 * Figures are heap bytes on this build (x86-64, 64-bit pointers, Debian's mbedTLS 2.28 with
 * its 16 KiB record buffers): they compare the profiles as built here, not an MCU's RAM.
 */
#ifndef LPWAN_TOOLS_STACK_MEMORY_H
#define LPWAN_TOOLS_STACK_MEMORY_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

/// Devices the server-side figures are measured with.
constexpr int kServerDevices = 8;

/// Heap bytes, each as its comment says.
struct MemoryFigures
{
    int64_t deviceHeld = 0;          ///< kept by a device between reports
    int64_t deviceHandshakePeak = 0; ///< the most a device holds during its handshake
    int64_t deviceExchangePeak = 0;  ///< the most a device holds during one report exchange
    int64_t serverPerDevice = 0;     ///< kept by the server for each device
    int64_t serverHandshakePeak = 0; ///< the most one device's handshake adds on the server
    int64_t serverShared = 0;        ///< held by the server whatever the number of devices

    MemoryFigures& operator+=(const MemoryFigures& other);
};

struct ProfileMemory
{
    std::string profile;
    std::string measured; ///< what was run, for people
    MemoryFigures figures;
};

/// What a report exchange carries: the request's and the response's application bytes.
struct ExchangeSize
{
    size_t requestPayload = 50; ///< traffic.payload_bytes' default
    size_t responsePayload = 0; ///< server.response_payload_bytes' default
};

/// The profiles measured, in security.profile's order.
std::vector<std::string> MeasuredProfiles();

/// Runs the profile's stacks and measures them; throws std::invalid_argument for a profile
/// MeasuredProfiles() does not name, std::runtime_error when a handshake does not complete.
ProfileMemory MeasureProfileMemory(const std::string& profile, const ExchangeSize& size = {});

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_STACK_MEMORY_H
