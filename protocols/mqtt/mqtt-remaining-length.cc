/*
 * The Remaining Length variable length integer; see mqtt-remaining-length.h.
 */

#include "mqtt-remaining-length.h"

#include "mqtt-packet.h"

#include <stdexcept>
#include <string>

namespace lpwan
{
namespace mqtt
{

void
AppendRemainingLength(std::vector<uint8_t>& out, uint32_t value)
{
    if (value > kMaxRemainingLength)
    {
        throw std::invalid_argument("MQTT Remaining Length " + std::to_string(value)
                                    + " exceeds 268435455");
    }
    do
    {
        uint8_t byte = value % 128;
        value /= 128;
        if (value > 0)
        {
            byte |= 0x80;
        }
        out.push_back(byte);
    } while (value > 0);
}

size_t
RemainingLengthSize(uint32_t value)
{
    if (value > kMaxRemainingLength)
    {
        throw std::invalid_argument("MQTT Remaining Length " + std::to_string(value)
                                    + " exceeds 268435455");
    }
    return value < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : 4;
}

RemainingLengthResult
ReadRemainingLength(const uint8_t* data, size_t size)
{
    RemainingLengthResult r;
    uint32_t multiplier = 1;
    for (size_t i = 0; i < 4; ++i)
    {
        if (i >= size)
        {
            r.status = RemainingLengthResult::Status::NeedMore;
            return r;
        }
        r.value += static_cast<uint32_t>(data[i] & 0x7f) * multiplier;
        multiplier *= 128;
        if ((data[i] & 0x80) == 0)
        {
            r.status = RemainingLengthResult::Status::Ok;
            r.size = i + 1;
            return r;
        }
    }
    // The fourth byte announced a fifth: the decoding algorithm of section 2.2.3 throws
    // "Malformed Remaining Length" here.
    r.status = RemainingLengthResult::Status::Malformed;
    r.value = 0;
    return r;
}

} // namespace mqtt
} // namespace lpwan
