/*
 * Incremental MQTT packet framing; see mqtt-stream-decoder.h.
 *
 * Consumed bytes are not erased one packet at a time (that would be quadratic for a burst of
 * small packets): a start offset advances, and the buffer is compacted when the consumed
 * prefix is at least half of it.
 */

#include "mqtt-stream-decoder.h"

#include "mqtt-remaining-length.h"

namespace lpwan
{
namespace mqtt
{

StreamDecoder::StreamDecoder(uint32_t maxPacketSize)
  : m_maxPacketSize(maxPacketSize)
{
}

void
StreamDecoder::Append(const uint8_t* data, size_t size)
{
    if (m_failed || size == 0)
    {
        return;
    }
    if (m_start > 0 && m_start * 2 >= m_buffer.size())
    {
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_start));
        m_start = 0;
    }
    m_buffer.insert(m_buffer.end(), data, data + size);
}

std::optional<DecodeResult>
StreamDecoder::Fail(DecodeError error)
{
    DecodeResult r;
    r.error = std::move(error);
    m_failed = r;
    m_buffer.clear();
    m_start = 0;
    return r;
}

std::optional<DecodeResult>
StreamDecoder::Next()
{
    if (m_failed)
    {
        return m_failed;
    }
    const size_t available = m_buffer.size() - m_start;
    if (available == 0)
    {
        return std::nullopt;
    }
    const uint8_t* p = m_buffer.data() + m_start;
    DecodeError error;
    if (!CheckFirstByte(p[0], &error))
    {
        return Fail(error);
    }
    const RemainingLengthResult length = ReadRemainingLength(p + 1, available - 1);
    if (length.status == RemainingLengthResult::Status::Malformed)
    {
        error.code = DecodeErrorCode::Malformed;
        error.reason = "Remaining Length longer than 4 bytes (section 2.2.3)";
        return Fail(error);
    }
    if (length.status == RemainingLengthResult::Status::NeedMore)
    {
        return std::nullopt;
    }
    if (!CheckRemainingLength(p[0], length.value, &error))
    {
        return Fail(error);
    }
    const uint64_t total = 1 + length.size + static_cast<uint64_t>(length.value);
    if (total > m_maxPacketSize)
    {
        error.code = DecodeErrorCode::PacketTooLarge;
        error.reason = "packet of " + std::to_string(total) + " bytes exceeds the limit of "
                       + std::to_string(m_maxPacketSize);
        return Fail(error);
    }
    if (available < total)
    {
        return std::nullopt;
    }
    DecodeResult r = DecodeBody(p[0], p + 1 + length.size, length.value);
    if (!r.ok)
    {
        return Fail(r.error);
    }
    r.size = static_cast<size_t>(total);
    m_start += r.size;
    if (m_start == m_buffer.size())
    {
        m_buffer.clear();
        m_start = 0;
    }
    return r;
}

void
StreamDecoder::Reset()
{
    m_buffer.clear();
    m_start = 0;
    m_failed.reset();
}

} // namespace mqtt
} // namespace lpwan
