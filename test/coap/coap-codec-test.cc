/*
 * The CoAP codec against byte strings built by hand from RFC 7252 (section 3 and the
 * examples of appendix A), every rejection rule of coap-codec.h, random round trips, and a
 * fuzz run of mutated and random inputs (the decoder must never crash or misread).
 */

#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-message.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace
{

using namespace lpwan::coap;
using Bytes = std::vector<uint8_t>;

Bytes
Str(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

Bytes
Concat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const auto& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

/// A random, encodable message with options in ascending order.
Message
RandomMessage(std::mt19937& rng)
{
    std::uniform_int_distribution<int> byte(0, 255);
    Message m;
    m.type = static_cast<Type>(rng() % 4);
    m.code = static_cast<uint8_t>(byte(rng));
    m.messageId = static_cast<uint16_t>(rng());
    const size_t tkl = rng() % 9;
    for (size_t i = 0; i < tkl; ++i)
    {
        m.token.push_back(static_cast<uint8_t>(byte(rng)));
    }
    const int nOptions = static_cast<int>(rng() % 8);
    uint32_t number = 0;
    for (int i = 0; i < nOptions; ++i)
    {
        // Deltas across all three encodings, including repeated options (delta 0).
        static const uint32_t kDeltaMax[] = {0, 12, 268, 2000, 65535};
        number += rng() % (kDeltaMax[rng() % 5] + 1);
        if (number > 65535)
        {
            break;
        }
        static const size_t kLenMax[] = {0, 12, 13, 268, 600};
        const size_t len = rng() % (kLenMax[rng() % 5] + 1);
        Bytes value(len);
        for (auto& b : value)
        {
            b = static_cast<uint8_t>(byte(rng));
        }
        m.AddOption(static_cast<uint16_t>(number), value);
    }
    if (rng() % 3 != 0)
    {
        m.payload.resize(rng() % 300);
        for (auto& b : m.payload)
        {
            b = static_cast<uint8_t>(byte(rng));
        }
    }
    if (m.code == code::Empty)
    {
        // A well-formed empty message carries nothing after the header.
        m.token.clear();
        m.options.clear();
        m.payload.clear();
    }
    return m;
}

// ---- RFC 7252 examples ----

TEST(CoapCodec, RfcGetTemperatureWithoutToken)
{
    // RFC 7252 appendix A, figure 16: CON [0x7d34] GET /temperature.
    Message m;
    m.type = Type::Confirmable;
    m.code = code::Get;
    m.messageId = 0x7d34;
    m.SetUriPath("/temperature");
    const Bytes expected
        = Concat({{0x40, 0x01, 0x7d, 0x34}, {0xbb} /* delta 11, length 11 */, Str("temperature")});
    EXPECT_EQ(Encode(m), expected);
    EXPECT_EQ(EncodedOverhead(m), expected.size());

    DecodeResult r = Decode(expected);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.headerValid);
    EXPECT_EQ(r.message, m);
    EXPECT_EQ(r.message.GetUriPath(), "temperature");
}

TEST(CoapCodec, RfcGetTemperatureWithToken)
{
    // CON [0x7d34] GET /temperature with a 4-byte token: TKL 4 in the first byte.
    Message m;
    m.type = Type::Confirmable;
    m.code = code::Get;
    m.messageId = 0x7d34;
    m.token = {0xde, 0xad, 0xbe, 0xef};
    m.AddStringOption(option::UriPath, "temperature");
    const Bytes expected
        = Concat({{0x44, 0x01, 0x7d, 0x34, 0xde, 0xad, 0xbe, 0xef}, {0xbb}, Str("temperature")});
    EXPECT_EQ(Encode(m), expected);
    DecodeResult r = Decode(expected);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.message, m);
}

TEST(CoapCodec, RfcPiggybackedContent)
{
    // RFC 7252 appendix A, figure 16: ACK [0x7d34] 2.05 Content "22.3 C".
    Message m;
    m.type = Type::Acknowledgement;
    m.code = code::Content;
    m.messageId = 0x7d34;
    m.payload = Str("22.3 C");
    const Bytes expected = Concat({{0x60, 0x45, 0x7d, 0x34, 0xff}, Str("22.3 C")});
    EXPECT_EQ(Encode(m), expected);
    EXPECT_EQ(EncodedOverhead(m), 5u);
    DecodeResult r = Decode(expected);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.message, m);
    EXPECT_TRUE(r.message.IsResponse());
}

TEST(CoapCodec, RfcTokenExample)
{
    // RFC 7252 appendix A, figure 17: CON [0x7d35] GET /temperature, Token 0x20, and the
    // ACK 2.05 answer carrying the same token.
    Message req;
    req.type = Type::Confirmable;
    req.code = code::Get;
    req.messageId = 0x7d35;
    req.token = {0x20};
    req.SetUriPath("temperature");
    EXPECT_EQ(Encode(req), Concat({{0x41, 0x01, 0x7d, 0x35, 0x20, 0xbb}, Str("temperature")}));

    Message ack;
    ack.type = Type::Acknowledgement;
    ack.code = code::Content;
    ack.messageId = 0x7d35;
    ack.token = {0x20};
    ack.payload = Str("22.3 C");
    EXPECT_EQ(Encode(ack), Concat({{0x61, 0x45, 0x7d, 0x35, 0x20, 0xff}, Str("22.3 C")}));
}

TEST(CoapCodec, EmptyAckIsFourBytes)
{
    Message m;
    m.type = Type::Acknowledgement;
    m.code = code::Empty;
    m.messageId = 0x1234;
    const Bytes expected = {0x60, 0x00, 0x12, 0x34};
    EXPECT_EQ(Encode(m), expected);
    EXPECT_EQ(EncodedOverhead(m), 4u);
    DecodeResult r = Decode(expected);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.message.IsEmpty());
    EXPECT_EQ(r.message, m);

    Message rst = m;
    rst.type = Type::Reset;
    EXPECT_EQ(Encode(rst), (Bytes{0x70, 0x00, 0x12, 0x34}));
}

// ---- option delta and length extensions ----

struct ExtensionCase
{
    uint32_t value;
    uint8_t nibble;
    Bytes extension;
};

// The boundaries of RFC 7252 section 3.1: 0-12 inline, 13-268 in one extra byte (value - 13),
// 269-65804 in two (value - 269, big endian).
const ExtensionCase kExtensionCases[] = {
    {0, 0, {}},
    {12, 12, {}},
    {13, 13, {0x00}},
    {14, 13, {0x01}},
    {268, 13, {0xff}},
    {269, 14, {0x00, 0x00}},
    {270, 14, {0x00, 0x01}},
    {524, 14, {0x00, 0xff}},
    {525, 14, {0x01, 0x00}},
    {1000, 14, {0x02, 0xdb}},
    {65535, 14, {0xfe, 0xf2}},
};

TEST(CoapCodec, OptionDeltaExtensions)
{
    for (const auto& c : kExtensionCases)
    {
        Message m;
        m.type = Type::NonConfirmable;
        m.code = code::Post;
        m.messageId = 1;
        m.AddOption(static_cast<uint16_t>(c.value), {0xaa});
        const Bytes expected = Concat({{0x50, 0x02, 0x00, 0x01},
                                       {static_cast<uint8_t>((c.nibble << 4) | 1)},
                                       c.extension,
                                       {0xaa}});
        EXPECT_EQ(Encode(m), expected) << "delta " << c.value;
        EXPECT_EQ(EncodedOverhead(m), expected.size()) << "delta " << c.value;
        DecodeResult r = Decode(expected);
        ASSERT_TRUE(r.ok) << "delta " << c.value << ": " << r.error;
        EXPECT_EQ(r.message, m) << "delta " << c.value;
    }
}

TEST(CoapCodec, OptionLengthExtensions)
{
    for (const auto& c : kExtensionCases)
    {
        Message m;
        m.type = Type::Confirmable;
        m.code = code::Put;
        m.messageId = 0xbeef;
        Bytes value(c.value);
        for (size_t i = 0; i < value.size(); ++i)
        {
            value[i] = static_cast<uint8_t>(i * 7);
        }
        m.AddOption(option::UriPath, value);
        m.payload = {0x01};
        const Bytes expected = Concat({{0x40, 0x03, 0xbe, 0xef},
                                       {static_cast<uint8_t>((11 << 4) | c.nibble)},
                                       c.extension,
                                       value,
                                       {0xff, 0x01}});
        EXPECT_EQ(Encode(m), expected) << "length " << c.value;
        EXPECT_EQ(EncodedOverhead(m), expected.size() - 1) << "length " << c.value;
        DecodeResult r = Decode(expected);
        ASSERT_TRUE(r.ok) << "length " << c.value << ": " << r.error;
        EXPECT_EQ(r.message, m) << "length " << c.value;
    }
}

TEST(CoapCodec, BothExtensionsInOneOption)
{
    // Delta 300 and length 20: nibbles 14 and 13, the delta extension comes first.
    Message m;
    m.type = Type::Confirmable;
    m.code = code::Get;
    m.messageId = 7;
    m.AddOption(300, Bytes(20, 0x55));
    const Bytes expected
        = Concat({{0x40, 0x01, 0x00, 0x07, 0xed, 0x00, 0x1f, 0x07}, Bytes(20, 0x55)});
    EXPECT_EQ(Encode(m), expected);
    DecodeResult r = Decode(expected);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.message, m);
}

TEST(CoapCodec, RepeatedAndSuccessiveOptionsUseDeltas)
{
    // Uri-Path "a", Uri-Path "b" (delta 0), Content-Format 0 (delta 1, empty), Uri-Query
    // "x" (delta 3): 0xb1 'a' 0x01 'b' 0x10 0x31 'x'.
    Message m;
    m.type = Type::Confirmable;
    m.code = code::Post;
    m.messageId = 0;
    m.AddStringOption(option::UriQuery, "x");
    m.SetUriPath("/a/b");
    m.AddUintOption(option::ContentFormat, 0);
    const Bytes expected = {0x40, 0x02, 0x00, 0x00, 0xb1, 'a', 0x01, 'b', 0x10, 0x31, 'x'};
    EXPECT_EQ(Encode(m), expected);
    DecodeResult r = Decode(expected);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.message, m);
    EXPECT_EQ(r.message.GetUriPath(), "a/b");
}

TEST(CoapCodec, EncodeSortsUnorderedOptionsStably)
{
    // Options filled in directly, out of order: Encode sorts them, keeping repeated ones in
    // their given order.
    Message m;
    m.code = code::Get;
    m.options.push_back(Option{option::UriQuery, Str("q")});
    m.options.push_back(Option{option::UriPath, Str("first")});
    m.options.push_back(Option{option::UriPath, Str("second")});
    m.options.push_back(Option{option::UriHost, Str("h")});
    DecodeResult r = Decode(Encode(m));
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.message.options.size(), 4u);
    EXPECT_EQ(r.message.options[0].number, option::UriHost);
    EXPECT_EQ(r.message.options[1].value, Str("first"));
    EXPECT_EQ(r.message.options[2].value, Str("second"));
    EXPECT_EQ(r.message.options[3].number, option::UriQuery);
    EXPECT_EQ(EncodedOverhead(m), Encode(m).size());
}

TEST(CoapCodec, EncodeRejectsLongToken)
{
    Message m;
    m.code = code::Get;
    m.token = Bytes(9, 1);
    EXPECT_THROW(Encode(m), std::invalid_argument);
    EXPECT_THROW(EncodedOverhead(m), std::invalid_argument);
    m.token = Bytes(8, 1);
    EXPECT_EQ(Encode(m).size(), 12u);
}

// ---- every rejection rule of coap-codec.h ----

void
ExpectRejected(const Bytes& bytes, bool headerValid, const std::string& what)
{
    DecodeResult r = Decode(bytes);
    EXPECT_FALSE(r.ok) << what;
    EXPECT_EQ(r.headerValid, headerValid) << what;
    EXPECT_FALSE(r.error.empty()) << what;
}

TEST(CoapCodec, RejectsShortDatagrams)
{
    ExpectRejected({}, false, "empty datagram");
    ExpectRejected({0x40}, false, "1 byte");
    ExpectRejected({0x40, 0x01, 0x00}, false, "3 bytes");
    EXPECT_FALSE(Decode(nullptr, 0).ok);
}

TEST(CoapCodec, RejectsWrongVersion)
{
    for (uint8_t v : {0, 2, 3})
    {
        ExpectRejected({static_cast<uint8_t>(v << 6), 0x01, 0x00, 0x01}, false,
                       "version " + std::to_string(v));
    }
}

TEST(CoapCodec, RejectsTokenLengthAboveEight)
{
    for (uint8_t tkl = 9; tkl <= 15; ++tkl)
    {
        Bytes b = {static_cast<uint8_t>(0x40 | tkl), 0x01, 0x00, 0x01};
        b.resize(4 + tkl, 0xaa);
        ExpectRejected(b, false, "TKL " + std::to_string(tkl));
    }
}

TEST(CoapCodec, RejectsTruncatedToken)
{
    ExpectRejected({0x48, 0x01, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7}, true, "7 of 8 token bytes");
    ExpectRejected({0x41, 0x01, 0x00, 0x01}, true, "0 of 1 token byte");
}

TEST(CoapCodec, RejectsTruncatedOptions)
{
    const Bytes h = {0x40, 0x01, 0x00, 0x01};
    ExpectRejected(Concat({h, {0xd0}}), true, "delta 13 without its extension byte");
    ExpectRejected(Concat({h, {0xe0, 0x00}}), true, "delta 14 with 1 of 2 extension bytes");
    ExpectRejected(Concat({h, {0x0d}}), true, "length 13 without its extension byte");
    ExpectRejected(Concat({h, {0x0e, 0x01}}), true, "length 14 with 1 of 2 extension bytes");
    ExpectRejected(Concat({h, {0xdd, 0x00}}), true, "length extension missing after delta");
    ExpectRejected(Concat({h, {0xb3, 'a', 'b'}}), true, "value 2 of 3 bytes");
    ExpectRejected(Concat({h, {0xbd, 0x00}, Bytes(12, 'x')}), true, "value 12 of 13 bytes");
}

TEST(CoapCodec, RejectsReservedNibble15)
{
    const Bytes h = {0x40, 0x01, 0x00, 0x01};
    for (int low = 0; low < 15; ++low)
    {
        ExpectRejected(Concat({h, {static_cast<uint8_t>(0xf0 | low), 'x', 'y'}}), true,
                       "delta nibble 15, length nibble " + std::to_string(low));
    }
    for (int high = 0; high < 15; ++high)
    {
        ExpectRejected(Concat({h, {static_cast<uint8_t>((high << 4) | 0x0f), 'x', 'y'}}), true,
                       "length nibble 15, delta nibble " + std::to_string(high));
    }
}

TEST(CoapCodec, RejectsPayloadMarkerWithoutPayload)
{
    ExpectRejected({0x40, 0x01, 0x00, 0x01, 0xff}, true, "marker right after header");
    ExpectRejected({0x41, 0x01, 0x00, 0x01, 0x77, 0xb1, 'a', 0xff}, true, "marker last");
    // One payload byte is enough, and 0xFF inside the payload is data.
    DecodeResult r = Decode(Bytes{0x40, 0x01, 0x00, 0x01, 0xff, 0xff});
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.message.payload, Bytes{0xff});
}

TEST(CoapCodec, RejectsNonEmptyEmptyMessage)
{
    ExpectRejected({0x61, 0x00, 0x00, 0x01, 0xaa}, true, "empty ACK with a token");
    ExpectRejected({0x61, 0x00, 0x00, 0x01}, true, "empty ACK with TKL 1 and no token");
    ExpectRejected({0x60, 0x00, 0x00, 0x01, 0xb1, 'a'}, true, "empty ACK with an option");
    ExpectRejected({0x70, 0x00, 0x00, 0x01, 0xff, 'p'}, true, "empty RST with a payload");
    ExpectRejected({0x40, 0x00, 0x00, 0x01, 0xff}, true, "empty CON with a marker");
    EXPECT_TRUE(Decode(Bytes{0x40, 0x00, 0x00, 0x01}).ok); // CoAP ping
}

TEST(CoapCodec, RejectsOptionNumberAbove65535)
{
    const Bytes h = {0x40, 0x01, 0x00, 0x01};
    // Option 65535 is fine; a following delta of 1 makes 65536.
    const Bytes last = Concat({h, {0xe0, 0xfe, 0xf2}});
    DecodeResult ok = Decode(last);
    ASSERT_TRUE(ok.ok) << ok.error;
    EXPECT_EQ(ok.message.options.at(0).number, 65535);
    ExpectRejected(Concat({last, {0x10}}), true, "65535 + 1");
    // A single delta can reach 65804.
    ExpectRejected(Concat({h, {0xe0, 0xff, 0xff}}), true, "delta 65804");
    ExpectRejected(Concat({h, {0xb0, 0xe0, 0xfe, 0xf2}}), true, "11 + 65535");
}

TEST(CoapCodec, HeaderFieldsKnownWhenBodyIsBad)
{
    // A malformed CON must still expose its type and MID so that it can be RST.
    DecodeResult r = Decode(Bytes{0x42, 0x01, 0xab, 0xcd, 0x01});
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(r.headerValid);
    EXPECT_EQ(r.message.type, Type::Confirmable);
    EXPECT_EQ(r.message.messageId, 0xabcd);
}

// ---- round trips and fuzzing ----

TEST(CoapCodec, RandomRoundTrip)
{
    std::mt19937 rng(7252);
    for (int i = 0; i < 20000; ++i)
    {
        const Message m = RandomMessage(rng);
        const Bytes wire = Encode(m);
        ASSERT_EQ(EncodedOverhead(m), wire.size() - m.payload.size());
        DecodeResult r = Decode(wire);
        ASSERT_TRUE(r.ok) << "message " << i << ": " << r.error;
        ASSERT_TRUE(r.headerValid);
        ASSERT_EQ(r.message, m) << "message " << i;
    }
}

/// Decodes data from a buffer of exactly its size (so that a sanitizer or a guard byte
/// would catch any read past the end) and checks the invariants of an accepted message.
void
FuzzOne(const Bytes& input, size_t* accepted)
{
    // A heap copy of exactly input.size() bytes: ASan flags any overread.
    std::unique_ptr<uint8_t[]> exact(new uint8_t[input.size() ? input.size() : 1]);
    std::copy(input.begin(), input.end(), exact.get());
    DecodeResult r = Decode(exact.get(), input.size());
    if (!r.ok)
    {
        ASSERT_FALSE(r.error.empty());
        return;
    }
    ++*accepted;
    ASSERT_TRUE(r.headerValid);
    // The wire format has exactly one encoding per message (each extension range is
    // distinct), so whatever decodes must re-encode to the very same bytes.
    ASSERT_EQ(Encode(r.message), input);
}

TEST(CoapCodec, FuzzMutatedAndRandomInputs)
{
    std::mt19937 rng(8613);
    std::uniform_int_distribution<int> byte(0, 255);
    size_t accepted = 0;
    size_t total = 0;
    for (int i = 0; i < 100000; ++i)
    {
        Bytes b;
        const int kind = i % 4;
        if (kind == 0)
        {
            // Pure noise, with a bias towards short inputs and a valid version.
            b.resize(rng() % 40);
            for (auto& x : b)
            {
                x = static_cast<uint8_t>(byte(rng));
            }
            if (!b.empty() && rng() % 2)
            {
                b[0] = static_cast<uint8_t>(0x40 | (b[0] & 0x3f));
            }
        }
        else
        {
            b = Encode(RandomMessage(rng));
            const int mutations = 1 + static_cast<int>(rng() % 4);
            for (int k = 0; k < mutations && !b.empty(); ++k)
            {
                switch (rng() % 5)
                {
                    case 0: // flip a bit
                        b[rng() % b.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
                        break;
                    case 1: // truncate
                        b.resize(rng() % b.size());
                        break;
                    case 2: // overwrite a byte
                        b[rng() % b.size()] = static_cast<uint8_t>(byte(rng));
                        break;
                    case 3: // insert a byte
                        b.insert(b.begin() + static_cast<long>(rng() % (b.size() + 1)),
                                 static_cast<uint8_t>(byte(rng)));
                        break;
                    default: // append noise
                        for (int n = static_cast<int>(rng() % 8); n > 0; --n)
                        {
                            b.push_back(static_cast<uint8_t>(byte(rng)));
                        }
                        break;
                }
            }
        }
        FuzzOne(b, &accepted);
        if (HasFatalFailure())
        {
            return;
        }
        ++total;
    }
    // Both outcomes were exercised in bulk.
    EXPECT_GT(accepted, total / 10);
    EXPECT_LT(accepted, total - total / 10);
}

TEST(CoapCodec, FuzzAllShortInputs)
{
    // Every 5-byte input with a CoAP version-1 header prefix shape: exhaustive on the byte
    // that follows the header, for each TKL and code class.
    size_t accepted = 0;
    for (int b0 = 0; b0 < 256; ++b0)
    {
        for (int code : {0x00, 0x01, 0x45})
        {
            for (int b4 = 0; b4 < 256; ++b4)
            {
                FuzzOne({static_cast<uint8_t>(b0), static_cast<uint8_t>(code), 0x12, 0x34,
                         static_cast<uint8_t>(b4)},
                        &accepted);
                FuzzOne({static_cast<uint8_t>(b0), static_cast<uint8_t>(code), 0x12, 0x34,
                         static_cast<uint8_t>(b4), 0x00},
                        &accepted);
            }
        }
    }
    EXPECT_GT(accepted, 0u);
}

// ---- message helpers ----

TEST(CoapMessage, UintOptions)
{
    EXPECT_EQ(EncodeUintOption(0), Bytes{});
    EXPECT_EQ(EncodeUintOption(1), Bytes{1});
    EXPECT_EQ(EncodeUintOption(255), Bytes{0xff});
    EXPECT_EQ(EncodeUintOption(256), (Bytes{0x01, 0x00}));
    EXPECT_EQ(EncodeUintOption(0x10000), (Bytes{0x01, 0x00, 0x00}));
    EXPECT_EQ(EncodeUintOption(0xffffffffu), (Bytes{0xff, 0xff, 0xff, 0xff}));
    for (uint32_t v : {0u, 1u, 255u, 256u, 65535u, 65536u, 0x12345678u, 0xffffffffu})
    {
        EXPECT_EQ(DecodeUintOption(EncodeUintOption(v)), v);
    }
    // Leading zeros are tolerated; more than 4 bytes keeps the low-order 4.
    EXPECT_EQ(DecodeUintOption({0x00, 0x00, 0x2a}), 42u);
    EXPECT_EQ(DecodeUintOption({0x01, 0x00, 0x00, 0x00, 0x2a}), 42u);
}

TEST(CoapMessage, OptionOrderingAndLookup)
{
    Message m;
    m.AddUintOption(option::ContentFormat, 60);
    m.AddStringOption(option::UriPath, "a");
    m.AddStringOption(option::UriHost, "h");
    m.AddStringOption(option::UriPath, "b");
    ASSERT_EQ(m.options.size(), 4u);
    EXPECT_EQ(m.options[0].number, option::UriHost);
    EXPECT_EQ(m.options[1].value, Str("a"));
    EXPECT_EQ(m.options[2].value, Str("b"));
    EXPECT_EQ(m.options[3].number, option::ContentFormat);
    ASSERT_NE(m.FindOption(option::UriPath), nullptr);
    EXPECT_EQ(m.FindOption(option::UriPath)->value, Str("a"));
    EXPECT_EQ(m.FindOption(option::Observe), nullptr);
    m.RemoveOption(option::UriPath);
    EXPECT_EQ(m.options.size(), 2u);
    EXPECT_EQ(DecodeUintOption(m.FindOption(option::ContentFormat)->value), 60u);
}

TEST(CoapMessage, UriPath)
{
    Message m;
    m.SetUriPath("/sensors/temp");
    EXPECT_EQ(m.GetUriPath(), "sensors/temp");
    m.SetUriPath("meter"); // replaces
    EXPECT_EQ(m.GetUriPath(), "meter");
    EXPECT_EQ(m.options.size(), 1u);
    m.SetUriPath("/");
    EXPECT_TRUE(m.options.empty());
    m.SetUriPath("a/");
    ASSERT_EQ(m.options.size(), 2u); // trailing slash: an empty last segment
    EXPECT_TRUE(m.options[1].value.empty());
}

TEST(CoapMessage, Names)
{
    EXPECT_STREQ(TypeName(Type::Confirmable), "CON");
    EXPECT_STREQ(TypeName(Type::NonConfirmable), "NON");
    EXPECT_STREQ(TypeName(Type::Acknowledgement), "ACK");
    EXPECT_STREQ(TypeName(Type::Reset), "RST");
    EXPECT_EQ(CodeToString(code::Empty), "0.00");
    EXPECT_EQ(CodeToString(code::Get), "0.01");
    EXPECT_EQ(CodeToString(code::Content), "2.05");
    EXPECT_EQ(CodeToString(code::NotFound), "4.04");
    EXPECT_EQ(CodeToString(MakeCode(7, 31)), "7.31");
    EXPECT_TRUE(IsRequestCode(code::Delete));
    EXPECT_FALSE(IsRequestCode(code::Empty));
    EXPECT_TRUE(IsResponseCode(code::InternalServerError));
    EXPECT_FALSE(IsResponseCode(MakeCode(6, 0)));
}

} // namespace
