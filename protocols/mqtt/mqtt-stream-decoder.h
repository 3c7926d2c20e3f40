/*
 * Cuts an MQTT byte stream (TCP, or the plaintext side of TLS) into control packets. Bytes
 * arrive in arbitrary pieces: a packet may be split anywhere, several may arrive at once.
 * Partial packets are buffered until complete.
 *
 * Errors are found as early as the bytes allow: a bad first byte at once, a fifth Remaining
 * Length byte as soon as it arrives, a packet over the size limit or a PINGREQ announcing a
 * body as soon as its length is known, so a peer cannot make the decoder wait for (and buffer)
 * a body that will be rejected anyway. After an error the stream is unusable (MQTT has no
 * resynchronisation: the connection must close [MQTT-4.8.0-1]) and the decoder keeps
 * returning that error.
 */
#ifndef LPWAN_MQTT_STREAM_DECODER_H
#define LPWAN_MQTT_STREAM_DECODER_H

#include "mqtt-codec.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace lpwan
{
namespace mqtt
{

class StreamDecoder
{
  public:
    /// maxPacketSize bounds a whole packet (fixed header included) and so the buffer.
    explicit StreamDecoder(uint32_t maxPacketSize = kMaxPacketSize);

    /// Adds received bytes. Ignored once the decoder has failed.
    void Append(const uint8_t* data, size_t size);

    /// The next complete packet (result.ok, result.size = its bytes on the wire), an error
    /// (!result.ok; every later call returns it again), or nullopt when more bytes are needed.
    std::optional<DecodeResult> Next();

    bool HasFailed() const
    {
        return m_failed.has_value();
    }

    /// Bytes received but not yet returned as packets.
    size_t BufferedBytes() const
    {
        return m_buffer.size() - m_start;
    }

    /// Forgets buffered bytes and any error: for a new connection.
    void Reset();

  private:
    std::optional<DecodeResult> Fail(DecodeError error);

    uint32_t m_maxPacketSize;
    std::vector<uint8_t> m_buffer;
    size_t m_start = 0; ///< first byte not yet consumed
    std::optional<DecodeResult> m_failed;
};

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_STREAM_DECODER_H
