/*
 * Fuzz target mqtt-stream: a byte stream, cut into pieces, into mqtt::StreamDecoder (how the
 * client and the broker read TCP/TLS).
 *
 * The first input byte chooses the cuts (piece sizes cycle through 1 .. byte % 16 + 1, byte
 * 0xff: one piece); the rest is the stream. Oracle: the packets the decoder yields, however
 * the stream is cut, are those it yields for the stream in one piece, and each is what
 * mqtt::Decode makes of exactly its bytes; it fails with one cut exactly when it fails with
 * another, with the same error code; nothing is yielded after a failure; what it still buffers
 * is what the packets did not use.
 * Seeds: the mqtt-codec packets, concatenated (gen-*).
 */
#include "fuzz-check.h"
#include "protocols/mqtt/mqtt-stream-decoder.h"

using namespace lpwan;
using namespace lpwan_fuzz;

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    mqtt::PublishPacket publish;
    publish.topic = "meters/0001/reading";
    publish.qos = 1;
    publish.packetId = 7;
    publish.payload = Bytes(300, 0x41); // a two-byte Remaining Length
    Bytes stream = mqtt::Encode(mqtt::ConnackPacket{});
    for (const mqtt::Packet& p :
         std::vector<mqtt::Packet>{publish, mqtt::PubackPacket{7}, mqtt::PingrespPacket{}})
    {
        const Bytes b = mqtt::Encode(p);
        stream.insert(stream.end(), b.begin(), b.end());
    }
    for (uint8_t cut : {0x00, 0x03, 0x0f, 0xff})
    {
        Bytes seed{cut};
        seed.insert(seed.end(), stream.begin(), stream.end());
        WriteSeed("stream-" + std::to_string(cut), seed);
    }
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    const uint8_t cut = data[0];
    const uint8_t* stream = data + 1;
    const size_t length = size - 1;

    // Reference: the whole stream at once; each packet it yields is what mqtt::Decode makes
    // of exactly its bytes.
    std::vector<mqtt::Packet> expected;
    size_t consumed = 0;
    std::optional<mqtt::DecodeError> failure;
    {
        mqtt::StreamDecoder whole;
        whole.Append(stream, length);
        while (std::optional<mqtt::DecodeResult> r = whole.Next())
        {
            if (!r->ok)
            {
                failure = r->error;
                break;
            }
            const mqtt::DecodeResult exact = mqtt::Decode(stream + consumed, r->size);
            FUZZ_CHECK(exact.ok && exact.packet == r->packet && exact.size == r->size,
                       "a streamed packet differs from mqtt::Decode of its bytes");
            expected.push_back(r->packet);
            consumed += r->size;
        }
    }

    mqtt::StreamDecoder decoder;
    std::vector<mqtt::Packet> got;
    std::optional<mqtt::DecodeError> failed;
    size_t at = 0;
    size_t piece = 1;
    while (at < length)
    {
        const size_t n = cut == 0xff ? length : std::min(length - at, piece);
        decoder.Append(stream + at, n);
        at += n;
        piece = piece % (cut % 16 + 1) + 1;
        while (std::optional<mqtt::DecodeResult> r = decoder.Next())
        {
            if (!r->ok)
            {
                failed = r->error;
                break;
            }
            FUZZ_CHECK(!failed, "a packet after a failure");
            got.push_back(r->packet);
        }
        if (failed)
        {
            FUZZ_CHECK(decoder.HasFailed(), "HasFailed after a failure");
            break;
        }
    }

    FUZZ_CHECK(got == expected, "the packets depend on how the stream is cut");
    FUZZ_CHECK(failed.has_value() == failure.has_value(), "failed with one cut, not another");
    if (failed)
    {
        FUZZ_CHECK(failed->code == failure->code, "a different error with another cut");
        return 0;
    }
    FUZZ_CHECK(decoder.BufferedBytes() == length - consumed, "buffered bytes");
    return 0;
}
