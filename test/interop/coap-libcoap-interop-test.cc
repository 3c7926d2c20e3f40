/*
 * The CoAP codec against libcoap 4.3.1 (Debian's libcoap3), an independent implementation.
 *
 * 1. Thousands of random messages are encoded by our codec and parsed by libcoap's public
 *    API (coap_pdu_parse); every field libcoap sees must equal ours.
 * 2. Differential decoding of random and mutated byte strings: where libcoap accepts a
 *    datagram, we accept it with identical fields, and vice versa -- except for the classes
 *    of input listed in Classify(), on which the two legitimately disagree.
 */

#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-message.h"

#include <coap3/coap.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace
{

using namespace lpwan::coap;
using Bytes = std::vector<uint8_t>;

/// libcoap's global state is initialised once for the whole test binary.
void
StartLibcoap()
{
    static const bool started = []
    {
        coap_startup();
        coap_set_log_level(LOG_EMERG); // parse failures are expected here; keep them quiet
        return true;
    }();
    (void) started;
}

/// What libcoap's public API reports about a datagram, or nullopt when it rejects it.
std::optional<Message>
ParseWithLibcoap(const Bytes& wire)
{
    StartLibcoap();
    std::unique_ptr<coap_pdu_t, void (*)(coap_pdu_t*)> pdu(
        coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, wire.size()), coap_delete_pdu);
    if (!pdu)
    {
        ADD_FAILURE() << "coap_pdu_init failed for " << wire.size() << " bytes";
        return std::nullopt;
    }
    if (!coap_pdu_parse(COAP_PROTO_UDP, wire.data(), wire.size(), pdu.get()))
    {
        return std::nullopt;
    }
    Message m;
    m.type = static_cast<Type>(coap_pdu_get_type(pdu.get()));
    m.code = static_cast<uint8_t>(coap_pdu_get_code(pdu.get()));
    m.messageId = static_cast<uint16_t>(coap_pdu_get_mid(pdu.get()));
    const coap_bin_const_t token = coap_pdu_get_token(pdu.get());
    m.token.assign(token.s, token.s + token.length);

    coap_opt_iterator_t it;
    if (coap_option_iterator_init(pdu.get(), &it, COAP_OPT_ALL) != nullptr)
    {
        while (coap_opt_t* opt = coap_option_next(&it))
        {
            Option o;
            o.number = it.number;
            const uint8_t* value = coap_opt_value(opt);
            o.value.assign(value, value + coap_opt_length(opt));
            m.options.push_back(std::move(o));
        }
    }

    size_t length = 0;
    const uint8_t* data = nullptr;
    if (coap_get_data(pdu.get(), &length, &data))
    {
        m.payload.assign(data, data + length);
    }
    return m;
}

/// A random message with options in ascending order (token 0-8 bytes, option values up to
/// about 600 bytes, deltas in all three encodings).
Message
RandomMessage(std::mt19937& rng)
{
    std::uniform_int_distribution<int> byte(0, 255);
    Message m;
    m.type = static_cast<Type>(rng() % 4);
    // Mostly realistic codes (requests and responses), sometimes any byte.
    switch (rng() % 3)
    {
        case 0:
            m.code = MakeCode(0, static_cast<uint8_t>(1 + rng() % 31));
            break;
        case 1:
            m.code
                = MakeCode(static_cast<uint8_t>(2 + rng() % 4), static_cast<uint8_t>(rng() % 32));
            break;
        default:
            m.code = static_cast<uint8_t>(1 + rng() % 255);
            break;
    }
    m.messageId = static_cast<uint16_t>(rng());
    m.token.resize(rng() % 9);
    for (auto& b : m.token)
    {
        b = static_cast<uint8_t>(byte(rng));
    }
    const int nOptions = static_cast<int>(rng() % 10);
    uint32_t number = 0;
    for (int i = 0; i < nOptions; ++i)
    {
        static const uint32_t kDeltaMax[] = {0, 12, 268, 3000, 65535};
        number += rng() % (kDeltaMax[rng() % 5] + 1);
        if (number > 65535)
        {
            break;
        }
        static const size_t kLenMax[] = {0, 12, 13, 268, 600};
        Bytes value(rng() % (kLenMax[rng() % 5] + 1));
        for (auto& b : value)
        {
            b = static_cast<uint8_t>(byte(rng));
        }
        m.AddOption(static_cast<uint16_t>(number), std::move(value));
    }
    if (rng() % 4 != 0)
    {
        m.payload.resize(1 + rng() % 400);
        for (auto& b : m.payload)
        {
            b = static_cast<uint8_t>(byte(rng));
        }
    }
    return m;
}

void
ExpectSameFields(const Message& ours, const Message& theirs, const std::string& where)
{
    EXPECT_EQ(static_cast<int>(ours.type), static_cast<int>(theirs.type)) << where;
    EXPECT_EQ(ours.code, theirs.code) << where;
    EXPECT_EQ(ours.messageId, theirs.messageId) << where;
    EXPECT_EQ(ours.token, theirs.token) << where;
    ASSERT_EQ(ours.options.size(), theirs.options.size()) << where;
    for (size_t i = 0; i < ours.options.size(); ++i)
    {
        EXPECT_EQ(ours.options[i].number, theirs.options[i].number) << where << " option " << i;
        EXPECT_EQ(ours.options[i].value, theirs.options[i].value) << where << " option " << i;
    }
    EXPECT_EQ(ours.payload, theirs.payload) << where;
}

/*
 * Where libcoap 4.3.1 and our decoder legitimately disagree.
 *
 * libcoap's coap_pdu_parse() checks the length of every option it knows (RFC 7252 table 4,
 * RFC 7641, 7959, 7967, 8613, 8768, 9175) and rejects the whole datagram when one is out of
 * range, e.g. an If-None-Match with a value or a Content-Format of 3 bytes. For the class-7
 * signalling codes 7.01-7.05 (RFC 8323, meant for CoAP over TCP) it checks the signalling
 * options instead. Our codec decodes the wire format only: RFC 7252 section 5.4.3 treats an
 * option with a bad length like an unrecognised option (ignored if elective, 4.02 Bad Option
 * if critical), which is a decision for the layer that interprets options, not a reason to
 * drop the datagram. Every other input, in both directions, must agree.
 *
 * The ranges below were measured from the installed library (every length 0-1100 for
 * every listed option, for codes 0.01, 1.00, 2.05, 6.00, 6.31 and 7.00-7.31).
 */
struct LengthRange
{
    uint32_t min;
    uint32_t max;
};

/// The option lengths libcoap 4.3.1 accepts for this option under this code, if it checks.
std::optional<LengthRange>
LibcoapLengthRange(uint8_t code, uint16_t number)
{
    if (code >= MakeCode(7, 0))
    {
        // Signalling codes: only 7.01 CSM, 7.02 Ping, 7.03 Pong, 7.04 Release, 7.05 Abort.
        switch (code)
        {
            case MakeCode(7, 1):
                if (number == 2)
                {
                    return LengthRange{0, 4}; // Max-Message-Size
                }
                if (number == 4)
                {
                    return LengthRange{0, 0}; // Block-Wise-Transfer
                }
                break;
            case MakeCode(7, 2):
            case MakeCode(7, 3):
                if (number == 2)
                {
                    return LengthRange{0, 0}; // Custody
                }
                break;
            case MakeCode(7, 4):
                if (number == 2)
                {
                    return LengthRange{1, 255}; // Alternative-Address
                }
                if (number == 4)
                {
                    return LengthRange{0, 3}; // Hold-Off
                }
                break;
            case MakeCode(7, 5):
                if (number == 2)
                {
                    return LengthRange{0, 2}; // Bad-CSM-Option
                }
                break;
            default:
                break;
        }
        return std::nullopt;
    }
    switch (number)
    {
        case option::IfMatch:
            return LengthRange{0, 8};
        case option::UriHost:
            return LengthRange{1, 255};
        case option::ETag:
            return LengthRange{1, 8};
        case option::IfNoneMatch:
            return LengthRange{0, 0};
        case option::Observe:
            return LengthRange{0, 3};
        case option::UriPort:
            return LengthRange{0, 2};
        case option::LocationPath:
        case option::Oscore:
        case option::UriPath:
        case option::LocationQuery:
            return LengthRange{0, 255};
        case option::ContentFormat:
        case option::Accept:
            return LengthRange{0, 2};
        case option::MaxAge:
        case option::Size2:
        case option::Size1:
            return LengthRange{0, 4};
        case option::UriQuery:
        case option::ProxyScheme:
            return LengthRange{1, 255};
        case 16: // Hop-Limit (RFC 8768)
            return LengthRange{1, 1};
        case option::Block2:
        case option::Block1:
            return LengthRange{0, 3};
        case option::ProxyUri:
            return LengthRange{1, 1034};
        case option::Echo:
            return LengthRange{0, 40};
        case 258: // No-Response (RFC 7967)
            return LengthRange{0, 1};
        case option::RequestTag:
            return LengthRange{0, 8};
        default:
            return std::nullopt;
    }
}

bool
LibcoapAcceptsOptionLengths(const Message& m)
{
    for (const auto& o : m.options)
    {
        const std::optional<LengthRange> range = LibcoapLengthRange(m.code, o.number);
        if (range && (o.value.size() < range->min || o.value.size() > range->max))
        {
            return false;
        }
    }
    return true;
}

/// Resizes option values so that libcoap's length checks pass (keeps the message random).
void
ConformToLibcoapLengths(Message& m)
{
    for (auto& o : m.options)
    {
        const std::optional<LengthRange> range = LibcoapLengthRange(m.code, o.number);
        if (range && o.value.size() > range->max)
        {
            o.value.resize(range->max);
        }
        if (range && o.value.size() < range->min)
        {
            o.value.resize(range->min, 0x5a);
        }
    }
}

/// Inputs on which libcoap 4.3.1 and our decoder legitimately disagree.
enum class Disagreement
{
    None,
    /// We accept; libcoap rejects a known option whose length is outside its RFC range.
    OptionLengthOutsideRfcRange,
};

/// Names the class of an input on which a disagreement is expected, if any.
Disagreement
Classify(const DecodeResult& ours)
{
    if (ours.ok && !LibcoapAcceptsOptionLengths(ours.message))
    {
        return Disagreement::OptionLengthOutsideRfcRange;
    }
    return Disagreement::None;
}

TEST(CoapLibcoapInterop, LibcoapVersion)
{
    // The reference this suite was written against; a different libcoap may parse
    // differently (4.3.2 added RFC 8974 extended tokens, for instance).
    EXPECT_STREQ(LIBCOAP_PACKAGE_VERSION, "4.3.1");
}

TEST(CoapLibcoapInterop, RfcExampleParsedByLibcoap)
{
    Message m;
    m.type = Type::Confirmable;
    m.code = code::Get;
    m.messageId = 0x7d34;
    m.token = {0x20};
    m.SetUriPath("/temperature");
    std::optional<Message> theirs = ParseWithLibcoap(Encode(m));
    ASSERT_TRUE(theirs.has_value());
    ExpectSameFields(m, *theirs, "GET /temperature");
}

TEST(CoapLibcoapInterop, OurEncodingParsedIdenticallyByLibcoap)
{
    std::mt19937 rng(20230101);
    size_t withPayload = 0;
    size_t withLargeDelta = 0;
    size_t withLongValue = 0;
    for (int i = 0; i < 5000; ++i)
    {
        Message m = RandomMessage(rng);
        ConformToLibcoapLengths(m);
        const Bytes wire = Encode(m);
        std::optional<Message> theirs = ParseWithLibcoap(wire);
        ASSERT_TRUE(theirs.has_value()) << "libcoap rejected our message " << i;
        ExpectSameFields(m, *theirs, "message " + std::to_string(i));
        if (HasFailure())
        {
            return;
        }
        withPayload += m.payload.empty() ? 0 : 1;
        uint16_t prev = 0;
        for (const auto& o : m.options)
        {
            withLargeDelta += (o.number - prev >= 269) ? 1 : 0;
            withLongValue += (o.value.size() >= 269) ? 1 : 0;
            prev = o.number;
        }
    }
    // The random mix really covered the interesting encodings.
    EXPECT_GT(withPayload, 1000u);
    EXPECT_GT(withLargeDelta, 1000u);
    EXPECT_GT(withLongValue, 500u);
}

TEST(CoapLibcoapInterop, EmptyMessagesParsedIdenticallyByLibcoap)
{
    for (int t = 0; t < 4; ++t)
    {
        Message m;
        m.type = static_cast<Type>(t);
        m.code = code::Empty;
        m.messageId = static_cast<uint16_t>(0x1000 * t + 7);
        std::optional<Message> theirs = ParseWithLibcoap(Encode(m));
        ASSERT_TRUE(theirs.has_value());
        ExpectSameFields(m, *theirs, TypeName(m.type));
    }
}

TEST(CoapLibcoapInterop, LibcoapRejectsOptionLengthsOutsideRfcRange)
{
    // The documented disagreement, pinned down: If-None-Match must be empty, Content-Format
    // is at most 2 bytes. We decode both (the option layer judges them); libcoap does not.
    for (const auto& [number, length] :
         std::vector<std::pair<uint16_t, size_t>>{{option::IfNoneMatch, 1},
                                                  {option::ContentFormat, 3},
                                                  {option::UriHost, 0},
                                                  {option::UriPath, 256}})
    {
        Message m;
        m.code = code::Get;
        m.AddOption(number, Bytes(length, 0x01));
        const Bytes wire = Encode(m);
        EXPECT_TRUE(Decode(wire).ok) << "option " << number;
        EXPECT_FALSE(ParseWithLibcoap(wire).has_value()) << "option " << number;
        EXPECT_EQ(Classify(Decode(wire)), Disagreement::OptionLengthOutsideRfcRange);
    }
}

Bytes
Mutate(Bytes b, std::mt19937& rng)
{
    std::uniform_int_distribution<int> byte(0, 255);
    const int mutations = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < mutations && !b.empty(); ++k)
    {
        switch (rng() % 5)
        {
            case 0:
                b[rng() % b.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
                break;
            case 1:
                b.resize(rng() % b.size());
                break;
            case 2:
                b[rng() % b.size()] = static_cast<uint8_t>(byte(rng));
                break;
            case 3:
                b.insert(b.begin() + static_cast<long>(rng() % (b.size() + 1)),
                         static_cast<uint8_t>(byte(rng)));
                break;
            default:
                for (int n = static_cast<int>(rng() % 6); n > 0; --n)
                {
                    b.push_back(static_cast<uint8_t>(byte(rng)));
                }
                break;
        }
    }
    return b;
}

TEST(CoapLibcoapInterop, DifferentialDecodingOfRandomAndMutatedBytes)
{
    std::mt19937 rng(7641);
    std::uniform_int_distribution<int> byte(0, 255);
    size_t bothAccept = 0;
    size_t bothReject = 0;
    size_t onlyOurs = 0;
    size_t onlyTheirs = 0;
    for (int i = 0; i < 100000; ++i)
    {
        Bytes wire;
        if (i % 3 == 0)
        {
            wire.resize(rng() % 48);
            for (auto& b : wire)
            {
                b = static_cast<uint8_t>(byte(rng));
            }
            if (!wire.empty() && rng() % 2)
            {
                wire[0] = static_cast<uint8_t>(0x40 | (wire[0] & 0x3f));
            }
        }
        else
        {
            Message m = RandomMessage(rng);
            if (rng() % 8 == 0)
            {
                m.code = code::Empty;
            }
            wire = Mutate(Encode(m), rng);
        }

        const DecodeResult ours = Decode(wire);
        const std::optional<Message> theirs = ParseWithLibcoap(wire);
        const Disagreement expected = Classify(ours);
        if (expected != Disagreement::None)
        {
            // The classifier is exact: it names inputs libcoap does reject.
            EXPECT_FALSE(theirs.has_value()) << "input " << i << " was expected to differ";
        }
        if (ours.ok && theirs)
        {
            ++bothAccept;
            ExpectSameFields(ours.message, *theirs, "input " + std::to_string(i));
        }
        else if (!ours.ok && !theirs)
        {
            ++bothReject;
        }
        else if (ours.ok)
        {
            ++onlyOurs;
            EXPECT_NE(expected, Disagreement::None) << "only we accept input " << i;
        }
        else
        {
            ++onlyTheirs;
            EXPECT_NE(expected, Disagreement::None)
                << "only libcoap accepts input " << i << " (we say: " << ours.error << ")";
        }
        if (HasFailure())
        {
            return;
        }
    }
    RecordProperty("bothAccept", static_cast<int>(bothAccept));
    RecordProperty("bothReject", static_cast<int>(bothReject));
    RecordProperty("onlyOurs", static_cast<int>(onlyOurs));
    RecordProperty("onlyTheirs", static_cast<int>(onlyTheirs));
    EXPECT_GT(bothAccept, 5000u);
    EXPECT_GT(bothReject, 5000u);
}

} // namespace
