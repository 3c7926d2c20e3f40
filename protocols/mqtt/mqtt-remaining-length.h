/*
 * The Remaining Length field of the MQTT fixed header (section 2.2.3): a little-endian base-128
 * integer, seven bits per byte, the top bit saying "more bytes follow", at most four bytes.
 *
 * Decoding follows the 3.1.1 text exactly: a fifth byte (the fourth with its continuation bit
 * set) is malformed, and a non-minimal encoding such as 0x80 0x00 for 0 is accepted, because
 * 3.1.1 does not forbid it (MQTT 5.0 added that rule as [MQTT-1.5.5-1]). The encoder always
 * writes the minimal form.
 */
#ifndef LPWAN_MQTT_REMAINING_LENGTH_H
#define LPWAN_MQTT_REMAINING_LENGTH_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lpwan
{
namespace mqtt
{

/// Appends the minimal encoding of value. Precondition: value <= kMaxRemainingLength
/// (checked: throws std::invalid_argument).
void AppendRemainingLength(std::vector<uint8_t>& out, uint32_t value);

/// Bytes the minimal encoding of value takes (1 to 4). Same precondition.
size_t RemainingLengthSize(uint32_t value);

/// Outcome of reading a Remaining Length from the start of a buffer.
struct RemainingLengthResult
{
    enum class Status
    {
        Ok,        ///< value and size are set
        NeedMore,  ///< the buffer ends before the last byte of the field
        Malformed, ///< a continuation bit on the fourth byte
    };

    Status status = Status::NeedMore;
    uint32_t value = 0;
    size_t size = 0; ///< bytes the field took
};

/// Reads a Remaining Length from [data, data + size). Never reads past size.
RemainingLengthResult ReadRemainingLength(const uint8_t* data, size_t size);

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_REMAINING_LENGTH_H
