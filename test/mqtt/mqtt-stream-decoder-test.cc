/*
 * Randomized properties of the MQTT codec and stream decoder:
 *   - round trip: thousands of random valid packets of every type encode, decode to the same
 *     value, and their sizes and PUBLISH header/payload split agree with the encoding;
 *   - framing: a stream of random packets cut at random points (down to one byte at a time)
 *     yields the same packets in order, with nothing left over;
 *   - early errors: a bad first byte, a fifth length byte, an oversized or impossible length
 *     is reported before any body arrives, and the error is sticky;
 *   - fuzz: thousands of mutated and truncated streams never crash the decoder, and whatever
 *     it accepts re-encodes (the encoder accepts what the decoder accepts).
 */

#include "mqtt-test-util.h"
#include "protocols/mqtt/mqtt-codec.h"
#include "protocols/mqtt/mqtt-stream-decoder.h"

#include <gtest/gtest.h>

#include <vector>

namespace
{

using namespace lpwan::mqtt;
using mqtttest::Hex;
using mqtttest::PacketGenerator;
using mqtttest::ToHex;

TEST(MqttCodecRoundTrip, RandomPacketsOfEveryTypeDecodeToThemselves)
{
    PacketGenerator gen(20250101);
    std::vector<int> seenTypes(15, 0);
    for (int i = 0; i < 4000; ++i)
    {
        const Packet p = gen.RandomPacket();
        ASSERT_EQ(CheckEncodable(p), "");
        const Bytes wire = Encode(p);
        ASSERT_EQ(EncodedSize(p), wire.size());
        const DecodeResult d = Decode(wire);
        ASSERT_TRUE(d.ok) << d.error.reason << " for " << ToHex(wire);
        ASSERT_EQ(d.size, wire.size());
        ASSERT_TRUE(d.packet == p) << ToHex(wire);
        ++seenTypes[static_cast<int>(TypeOf(p))];
        if (const auto* m = std::get_if<PublishPacket>(&p))
        {
            const size_t header = PublishHeaderSize(*m);
            ASSERT_EQ(PublishHeaderSize(wire.data(), wire.size()), std::optional<size_t>(header));
            ASSERT_EQ(wire.size() - header, m->payload.size());
            ASSERT_TRUE(std::equal(m->payload.begin(), m->payload.end(), wire.begin() + header));
        }
    }
    for (int t = 1; t <= 14; ++t)
    {
        EXPECT_GT(seenTypes[t], 100) << PacketTypeName(static_cast<PacketType>(t));
    }
}

TEST(MqttStreamDecoder, ArbitraryFragmentationYieldsThePacketsInOrder)
{
    PacketGenerator gen(7);
    for (int round = 0; round < 200; ++round)
    {
        std::vector<Packet> sent;
        Bytes stream;
        const int count = static_cast<int>(gen.Uniform(1, 30));
        for (int i = 0; i < count; ++i)
        {
            Packet p = gen.Coin() ? Packet(gen.RandomPublish(round % 10 == 0 ? 20000 : 200))
                                  : gen.RandomPacket();
            const Bytes wire = Encode(p);
            stream.insert(stream.end(), wire.begin(), wire.end());
            sent.push_back(std::move(p));
        }
        StreamDecoder decoder;
        std::vector<Packet> received;
        size_t pos = 0;
        const uint32_t maxChunk = round % 3 == 0 ? 1 : round % 3 == 1 ? 7 : 3000;
        while (pos < stream.size())
        {
            const size_t chunk = std::min<size_t>(stream.size() - pos, gen.Uniform(1, maxChunk));
            decoder.Append(stream.data() + pos, chunk);
            pos += chunk;
            while (auto r = decoder.Next())
            {
                ASSERT_TRUE(r->ok) << r->error.reason;
                EXPECT_EQ(r->size, Encode(r->packet).size());
                received.push_back(std::move(r->packet));
            }
        }
        ASSERT_EQ(received.size(), sent.size()) << "round " << round;
        for (size_t i = 0; i < sent.size(); ++i)
        {
            EXPECT_TRUE(received[i] == sent[i]) << "round " << round << " packet " << i;
        }
        EXPECT_EQ(decoder.BufferedBytes(), 0u);
        EXPECT_FALSE(decoder.Next().has_value());
    }
}

TEST(MqttStreamDecoder, PacketsBeforeAnErrorAreDeliveredThenTheErrorSticks)
{
    StreamDecoder decoder;
    const Bytes stream = Hex("d0 00  40 02 00 07  f0 00  c0 00");
    decoder.Append(stream.data(), stream.size());
    auto r = decoder.Next();
    ASSERT_TRUE(r && r->ok);
    EXPECT_EQ(TypeOf(r->packet), PacketType::Pingresp);
    r = decoder.Next();
    ASSERT_TRUE(r && r->ok);
    EXPECT_EQ(std::get<PubackPacket>(r->packet).packetId, 7);
    r = decoder.Next();
    ASSERT_TRUE(r && !r->ok);
    EXPECT_NE(r->error.reason.find("reserved packet type 15"), std::string::npos);
    EXPECT_TRUE(decoder.HasFailed());
    // Sticky: the valid PINGREQ after it is never returned, new bytes are ignored.
    const Bytes more = Hex("c0 00");
    decoder.Append(more.data(), more.size());
    r = decoder.Next();
    ASSERT_TRUE(r && !r->ok);
    EXPECT_EQ(decoder.BufferedBytes(), 0u);

    decoder.Reset();
    decoder.Append(more.data(), more.size());
    r = decoder.Next();
    ASSERT_TRUE(r && r->ok);
    EXPECT_EQ(TypeOf(r->packet), PacketType::Pingreq);
}

TEST(MqttStreamDecoder, ErrorsAreFoundBeforeTheBodyArrives)
{
    struct Case
    {
        const char* hex;
        uint32_t limit;
        DecodeErrorCode code;
    };

    const std::vector<Case> cases = {
        {"f3", kMaxPacketSize, DecodeErrorCode::Malformed},             // first byte alone
        {"36", kMaxPacketSize, DecodeErrorCode::Malformed},             // PUBLISH QoS 3
        {"30 80 80 80 80", kMaxPacketSize, DecodeErrorCode::Malformed}, // fifth length byte
        {"c0 ff ff ff 7f", kMaxPacketSize, DecodeErrorCode::Malformed}, // PINGREQ with a body
        {"40 80 01", kMaxPacketSize, DecodeErrorCode::Malformed},       // PUBACK of 128 bytes
        {"30 e9 07", 1000, DecodeErrorCode::PacketTooLarge},            // 1001 + 3 bytes
    };
    for (const Case& c : cases)
    {
        StreamDecoder decoder(c.limit);
        const Bytes b = Hex(c.hex);
        decoder.Append(b.data(), b.size());
        const auto r = decoder.Next();
        ASSERT_TRUE(r.has_value()) << c.hex;
        EXPECT_FALSE(r->ok) << c.hex;
        EXPECT_EQ(r->error.code, c.code) << c.hex << ": " << r->error.reason;
    }
    // At exactly the limit it waits for the body instead.
    StreamDecoder decoder(1000);
    const Bytes b = Hex("30 e5 07"); // Remaining Length 997: 1000 bytes in all
    decoder.Append(b.data(), b.size());
    EXPECT_FALSE(decoder.Next().has_value());
}

/// Mutations a byte stream can suffer: bit flips, byte changes, insertions, deletions,
/// truncation, and splicing in bytes from elsewhere in the stream.
Bytes
Mutate(PacketGenerator& gen, Bytes b)
{
    const int n = static_cast<int>(gen.Uniform(1, 6));
    for (int i = 0; i < n && !b.empty(); ++i)
    {
        const size_t at = gen.Uniform(0, static_cast<uint32_t>(b.size() - 1));
        switch (gen.Uniform(0, 5))
        {
            case 0:
                b[at] ^= static_cast<uint8_t>(1u << gen.Uniform(0, 7));
                break;
            case 1:
                b[at] = static_cast<uint8_t>(gen.Uniform(0, 255));
                break;
            case 2:
                b.insert(b.begin() + static_cast<std::ptrdiff_t>(at),
                         static_cast<uint8_t>(gen.Uniform(0, 255)));
                break;
            case 3:
                b.erase(b.begin() + static_cast<std::ptrdiff_t>(at));
                break;
            case 4:
                b.resize(at);
                break;
            default:
            {
                const size_t from = gen.Uniform(0, static_cast<uint32_t>(b.size() - 1));
                b[at] = b[from];
                break;
            }
        }
    }
    return b;
}

TEST(MqttCodecFuzz, MutatedAndTruncatedStreamsNeverCrashTheDecoder)
{
    PacketGenerator gen(424242);
    size_t accepted = 0;
    size_t rejected = 0;
    for (int round = 0; round < 5000; ++round)
    {
        Bytes stream;
        const int count = static_cast<int>(gen.Uniform(1, 5));
        for (int i = 0; i < count; ++i)
        {
            const Bytes wire = Encode(gen.RandomPacket());
            stream.insert(stream.end(), wire.begin(), wire.end());
        }
        const Bytes mutated = Mutate(gen, stream);

        // Whole-packet decoding of the mutated bytes.
        const DecodeResult whole = Decode(mutated.data(), mutated.size(), 65536);
        if (whole.ok)
        {
            ASSERT_EQ(CheckEncodable(whole.packet), "") << ToHex(mutated);
        }

        // Stream decoding in random chunks, with a small size limit.
        StreamDecoder decoder(4096);
        size_t pos = 0;
        bool failed = false;
        while (pos < mutated.size() && !failed)
        {
            const size_t chunk = std::min<size_t>(mutated.size() - pos, gen.Uniform(1, 40));
            decoder.Append(mutated.data() + pos, chunk);
            pos += chunk;
            while (auto r = decoder.Next())
            {
                if (!r->ok)
                {
                    ASSERT_FALSE(r->error.reason.empty());
                    failed = true;
                    ++rejected;
                    break;
                }
                ++accepted;
                // Whatever the decoder accepts, the encoder can write and read back.
                ASSERT_EQ(CheckEncodable(r->packet), "") << ToHex(mutated);
                const DecodeResult again = Decode(Encode(r->packet));
                ASSERT_TRUE(again.ok);
                ASSERT_TRUE(again.packet == r->packet);
            }
        }
    }
    // The mutations exercise both paths.
    EXPECT_GT(accepted, 1000u);
    EXPECT_GT(rejected, 1000u);
}

TEST(MqttCodecFuzz, RandomBytesNeverCrashTheDecoder)
{
    PacketGenerator gen(99);
    for (int round = 0; round < 20000; ++round)
    {
        Bytes b = gen.RandomBytes(24);
        if (!b.empty() && gen.Coin())
        {
            // Give half of them a valid first byte so the body parsers are reached.
            static const uint8_t firsts[] = {0x10, 0x20, 0x30, 0x32, 0x3d, 0x40, 0x50, 0x62,
                                             0x70, 0x82, 0x90, 0xa2, 0xb0, 0xc0, 0xd0, 0xe0};
            b[0] = firsts[gen.Uniform(0, 15)];
            if (b.size() > 1)
            {
                b[1] = static_cast<uint8_t>(b.size() - 2); // a consistent Remaining Length
            }
        }
        const DecodeResult d = Decode(b.data(), b.size());
        if (d.ok)
        {
            ASSERT_EQ(CheckEncodable(d.packet), "") << ToHex(b);
        }
        else
        {
            ASSERT_FALSE(d.error.reason.empty());
        }
    }
}

} // namespace
