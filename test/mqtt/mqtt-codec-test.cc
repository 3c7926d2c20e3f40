/*
 * The MQTT 3.1.1 codec against the specification (OASIS mqtt-v3.1.1-os, 29 October 2014):
 *   - the Remaining Length table (Table 2.4) in both directions, the 4-byte limit, and the
 *     acceptance of non-minimal forms that 3.1.1 does not forbid;
 *   - the UTF-8 string example (Figure 1.3) and the ill-formed UTF-8 rules of section 1.5.3;
 *   - every topic example of section 4.7;
 *   - hand-checked bytes of every packet type, built from the figures of chapter 3 (CONNECT
 *     variable header Figure 3.6, PUBLISH Figure 3.11, SUBSCRIBE Figures 3.21/3.23, SUBACK
 *     Figure 3.27, UNSUBSCRIBE Figure 3.30) and the fixed headers of Figures 3.1 to 3.33;
 *   - one malformed input per rule the decoder enforces, with the error it must give.
 */

#include "mqtt-test-util.h"
#include "protocols/mqtt/mqtt-codec.h"
#include "protocols/mqtt/mqtt-remaining-length.h"
#include "protocols/mqtt/mqtt-topic.h"
#include "protocols/mqtt/mqtt-utf8.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace
{

using namespace lpwan::mqtt;
using mqtttest::Hex;
using mqtttest::ToHex;

// ---------------------------------------------------------------- Remaining Length

TEST(MqttRemainingLength, SpecTable24BoundariesEncodeAndDecode)
{
    const std::vector<std::pair<uint32_t, std::string>> table = {
        {0, "00"},
        {127, "7f"},
        {128, "80 01"},
        {16383, "ff 7f"},
        {16384, "80 80 01"},
        {2097151, "ff ff 7f"},
        {2097152, "80 80 80 01"},
        {268435455, "ff ff ff 7f"},
    };
    for (const auto& [value, hex] : table)
    {
        Bytes encoded;
        AppendRemainingLength(encoded, value);
        EXPECT_EQ(ToHex(encoded), hex) << value;
        EXPECT_EQ(RemainingLengthSize(value), encoded.size()) << value;

        const RemainingLengthResult r = ReadRemainingLength(encoded.data(), encoded.size());
        ASSERT_EQ(r.status, RemainingLengthResult::Status::Ok) << value;
        EXPECT_EQ(r.value, value);
        EXPECT_EQ(r.size, encoded.size());

        // Every proper prefix asks for more bytes.
        for (size_t cut = 0; cut < encoded.size(); ++cut)
        {
            EXPECT_EQ(ReadRemainingLength(encoded.data(), cut).status,
                      RemainingLengthResult::Status::NeedMore)
                << value << " cut at " << cut;
        }
    }
}

TEST(MqttRemainingLength, FifthByteIsMalformedAndTooLargeValuesAreNotEncoded)
{
    const Bytes five = Hex("80 80 80 80 01");
    EXPECT_EQ(ReadRemainingLength(five.data(), five.size()).status,
              RemainingLengthResult::Status::Malformed);
    // The fourth byte's continuation bit alone is enough to know.
    EXPECT_EQ(ReadRemainingLength(five.data(), 4).status, RemainingLengthResult::Status::Malformed);

    Bytes out;
    EXPECT_THROW(AppendRemainingLength(out, 268435456), std::invalid_argument);
    EXPECT_THROW(RemainingLengthSize(268435456), std::invalid_argument);
}

TEST(MqttRemainingLength, NonMinimalFormsAreAcceptedAs311DoesNotForbidThem)
{
    const Bytes zeroInTwo = Hex("80 00");
    RemainingLengthResult r = ReadRemainingLength(zeroInTwo.data(), zeroInTwo.size());
    ASSERT_EQ(r.status, RemainingLengthResult::Status::Ok);
    EXPECT_EQ(r.value, 0u);
    EXPECT_EQ(r.size, 2u);

    const Bytes oneInFour = Hex("81 80 80 00");
    r = ReadRemainingLength(oneInFour.data(), oneInFour.size());
    ASSERT_EQ(r.status, RemainingLengthResult::Status::Ok);
    EXPECT_EQ(r.value, 1u);
    EXPECT_EQ(r.size, 4u);

    // And a whole packet using it: PINGREQ with a 2-byte zero length.
    const DecodeResult d = Decode(Hex("c0 80 00"));
    ASSERT_TRUE(d.ok) << d.error.reason;
    EXPECT_EQ(TypeOf(d.packet), PacketType::Pingreq);
    EXPECT_EQ(d.size, 3u);
}

// ---------------------------------------------------------------- UTF-8

TEST(MqttUtf8, Figure13ExampleRoundTripsInATopic)
{
    // "A" followed by U+2A6D4: 0x00 0x05 0x41 0xF0 0xAA 0x9B 0x94 (Figure 1.3).
    const std::string text = "A\xF0\xAA\x9B\x94";
    EXPECT_TRUE(IsValidMqttUtf8(text));
    PublishPacket m;
    m.topic = text;
    const Bytes wire = Encode(m);
    EXPECT_EQ(ToHex(wire), "30 07 00 05 41 f0 aa 9b 94");
    const DecodeResult d = Decode(wire);
    ASSERT_TRUE(d.ok) << d.error.reason;
    EXPECT_EQ(std::get<PublishPacket>(d.packet).topic, text);
}

TEST(MqttUtf8, IllFormedSequencesAndNulAreRejected)
{
    const std::vector<std::pair<std::string, std::string>> bad = {
        {std::string("a\0b", 3), "U+0000"},
        {"\xC0\x80", "lead byte"},          // overlong U+0000
        {"\xC1\xBF", "lead byte"},          // overlong
        {"\xE0\x80\xAF", "ill-formed"},     // overlong '/'
        {"\xED\xA0\x80", "ill-formed"},     // U+D800, a surrogate [MQTT-1.5.3-1]
        {"\xED\xBF\xBF", "ill-formed"},     // U+DFFF
        {"\xF0\x8F\xBF\xBF", "ill-formed"}, // overlong U+FFFF
        {"\xF4\x90\x80\x80", "ill-formed"}, // U+110000
        {"\xF5\x80\x80\x80", "lead byte"},
        {"\x80", "lead byte"}, // lone continuation
        {"\xE2\x82", "truncated"},
        {"\xE2\x28\xA1", "ill-formed"},
        {"\xF0\x9F\x98\x28", "continuation"},
    };
    for (const auto& [text, reason] : bad)
    {
        std::string why;
        EXPECT_FALSE(IsValidMqttUtf8(text, &why)) << ToHex(Bytes(text.begin(), text.end()));
        EXPECT_NE(why.find(reason), std::string::npos) << why;
    }
}

TEST(MqttUtf8, ShouldNotCodePointsAndByteOrderMarkAreAccepted)
{
    EXPECT_TRUE(IsValidMqttUtf8("\x01\x1f\x7f"));     // controls: SHOULD NOT, not MUST NOT
    EXPECT_TRUE(IsValidMqttUtf8("\xC2\x80\xC2\x9F")); // U+0080, U+009F
    EXPECT_TRUE(IsValidMqttUtf8("\xEF\xBF\xBF"));     // U+FFFF non-character
    EXPECT_TRUE(IsValidMqttUtf8("\xF4\x8F\xBF\xBF")); // U+10FFFF
    EXPECT_TRUE(IsValidMqttUtf8("\xEE\x80\x80"));     // U+E000, just past the surrogates
    // A leading BOM is data, not stripped [MQTT-1.5.3-3].
    PublishPacket m;
    m.topic = "\xEF\xBB\xBFtopic";
    const DecodeResult d = Decode(Encode(m));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(std::get<PublishPacket>(d.packet).topic, m.topic);
}

// ---------------------------------------------------------------- topics

TEST(MqttTopic, Section47ValidityExamples)
{
    for (const char* f : {"sport/tennis/player1/#", "sport/#", "#", "sport/tennis/#", "+",
                          "+/tennis/#", "sport/+/player1", "/", "//", "+/+", "/+", "$SYS/#"})
    {
        EXPECT_TRUE(IsValidTopicFilter(f)) << f;
    }
    for (const char* f :
         {"sport/tennis#", "sport/tennis/#/ranking", "sport+", "#/a", "a/#/", "++", "a/b+/c", ""})
    {
        std::string why;
        EXPECT_FALSE(IsValidTopicFilter(f, &why)) << f;
        EXPECT_FALSE(why.empty());
    }
    for (const char* n :
         {"Accounts payable", "/finance", "/", "ACCOUNTS", "$SYS/monitor/Clients", "a//b"})
    {
        EXPECT_TRUE(IsValidTopicName(n)) << n;
    }
    for (const char* n : {"", "a/+", "a/#", "#", "+"})
    {
        EXPECT_FALSE(IsValidTopicName(n)) << n;
    }
    EXPECT_FALSE(IsValidTopicName(std::string(65536, 'a')));
    EXPECT_TRUE(IsValidTopicName(std::string(65535, 'a')));
}

TEST(MqttTopic, Section47MatchingExamples)
{
    struct Case
    {
        const char* filter;
        const char* name;
        bool matches;
    };

    const std::vector<Case> cases = {
        {"sport/tennis/player1/#", "sport/tennis/player1", true},
        {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
        {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
        {"sport/#", "sport", true},
        {"#", "anything/at/all", true},
        {"sport/tennis/+", "sport/tennis/player1", true},
        {"sport/tennis/+", "sport/tennis/player2", true},
        {"sport/tennis/+", "sport/tennis/player1/ranking", false},
        {"sport/+", "sport", false},
        {"sport/+", "sport/", true},
        {"+/+", "/finance", true},
        {"/+", "/finance", true},
        {"+", "/finance", false},
        {"ACCOUNTS", "Accounts", false},
        {"/finance", "finance", false},
        {"#", "$SYS/monitor/Clients", false},
        {"+/monitor/Clients", "$SYS/monitor/Clients", false},
        {"$SYS/#", "$SYS/", true},
        {"$SYS/monitor/+", "$SYS/monitor/Clients", true},
        {"a/b", "a/b", true},
        {"a/b", "a/b/c", false},
        {"a/b/c", "a/b", false},
        {"a/+/c", "a//c", true},
        {"a/#", "a/", true},
        {"+/#", "a", true},
    };
    for (const Case& c : cases)
    {
        EXPECT_EQ(TopicMatches(c.filter, c.name), c.matches) << c.filter << " vs " << c.name;
    }
}

// ---------------------------------------------------------------- packets, spec bytes

void
ExpectBytes(const Packet& packet, const std::string& hex)
{
    const Bytes expected = Hex(hex);
    const Bytes wire = Encode(packet);
    EXPECT_EQ(ToHex(wire), ToHex(expected)) << PacketTypeName(TypeOf(packet));
    EXPECT_EQ(EncodedSize(packet), expected.size());
    const DecodeResult d = Decode(expected);
    ASSERT_TRUE(d.ok) << d.error.reason;
    EXPECT_EQ(d.size, expected.size());
    EXPECT_TRUE(d.packet == packet) << PacketTypeName(TypeOf(packet));
}

TEST(MqttCodec, ConnectWithFigure36VariableHeader)
{
    // Figure 3.6: "MQTT", level 4, flags 1100 1110 (user name, password, Will QoS 1, Will
    // flag, clean session), keep alive 10. Payload fields in the order of [MQTT-3.1.3-1].
    ConnectPacket c;
    c.clientId = "dev1";
    c.cleanSession = true;
    c.keepAliveSeconds = 10;
    c.will = Will{"a/b", {'b', 'y', 'e'}, 1, false};
    c.userName = "u";
    c.password = Bytes{0x70};
    ExpectBytes(c,
                "10 20"                         // type 1, Remaining Length 32
                "00 04 4d 51 54 54 04 ce 00 0a" // Figure 3.6
                "00 04 64 65 76 31"             // client id "dev1"
                "00 03 61 2f 62"                // will topic "a/b"
                "00 03 62 79 65"                // will message "bye"
                "00 01 75"                      // user name "u"
                "00 01 70");                    // password 0x70
}

TEST(MqttCodec, MinimalConnectAndFlagCombinations)
{
    ConnectPacket c; // empty client id, clean session, keep alive off
    ExpectBytes(c, "10 0c 00 04 4d 51 54 54 04 02 00 00 00 00");

    ConnectPacket persistent;
    persistent.clientId = "m";
    persistent.cleanSession = false;
    persistent.keepAliveSeconds = 0xffff;
    persistent.will = Will{"w", {}, 2, true}; // Will QoS 2, Will Retain: 0011 0100
    ExpectBytes(persistent, "10 12 00 04 4d 51 54 54 04 34 ff ff 00 01 6d 00 01 77 00 00");

    ConnectPacket userOnly;
    userOnly.clientId = "m";
    userOnly.userName = "";
    ExpectBytes(userOnly, "10 0f 00 04 4d 51 54 54 04 82 00 00 00 01 6d 00 00");

    // Accepted by the codec (it is well-formed); the server answers 0x02 [MQTT-3.1.3-8].
    ConnectPacket emptyIdPersistent;
    emptyIdPersistent.cleanSession = false;
    ExpectBytes(emptyIdPersistent, "10 0c 00 04 4d 51 54 54 04 00 00 00 00 00");
}

TEST(MqttCodec, ConnackFigures38And39)
{
    ExpectBytes(ConnackPacket{false, ConnectReturnCode::Accepted}, "20 02 00 00");
    ExpectBytes(ConnackPacket{true, ConnectReturnCode::Accepted}, "20 02 01 00");
    ExpectBytes(ConnackPacket{false, ConnectReturnCode::UnacceptableProtocolVersion},
                "20 02 00 01");
    ExpectBytes(ConnackPacket{false, ConnectReturnCode::NotAuthorized}, "20 02 00 05");
}

TEST(MqttCodec, PublishFigure311AndFlags)
{
    // Figure 3.11: topic "a/b", packet identifier 10; payload "hi"; QoS 1 -> flags 0010.
    PublishPacket m;
    m.topic = "a/b";
    m.packetId = 10;
    m.qos = 1;
    m.payload = {'h', 'i'};
    ExpectBytes(m, "32 09 00 03 61 2f 62 00 0a 68 69");
    EXPECT_EQ(PublishHeaderSize(m), 9u);
    const Bytes wire = Encode(m);
    EXPECT_EQ(PublishHeaderSize(wire.data(), wire.size()), std::optional<size_t>(9));

    m.dup = true; // 1010
    ExpectBytes(m, "3a 09 00 03 61 2f 62 00 0a 68 69");
    m.qos = 2; // 1100
    ExpectBytes(m, "3c 09 00 03 61 2f 62 00 0a 68 69");

    PublishPacket retained; // QoS 0, RETAIN, empty payload: no packet identifier
    retained.topic = "a/b";
    retained.retain = true;
    ExpectBytes(retained, "31 05 00 03 61 2f 62");
    EXPECT_EQ(PublishHeaderSize(retained), 7u);
}

TEST(MqttCodec, PublishHeaderSizeGrowsWithTheRemainingLengthField)
{
    PublishPacket m;
    m.topic = "t";
    m.qos = 1;
    m.packetId = 1;
    for (const auto& [payload, lengthBytes] : std::vector<std::pair<size_t, size_t>>{
             {0, 1}, {122, 1}, {123, 2}, {16378, 2}, {16379, 3}, {2097146, 3}, {2097147, 4}})
    {
        m.payload.assign(payload, 0xab);
        const Bytes wire = Encode(m);
        const size_t header = 1 + lengthBytes + 3 + 2;
        EXPECT_EQ(PublishHeaderSize(m), header) << payload;
        EXPECT_EQ(PublishHeaderSize(wire.data(), wire.size()), std::optional<size_t>(header));
        EXPECT_EQ(wire.size() - header, payload);
        // The header alone is enough to measure it.
        EXPECT_EQ(PublishHeaderSize(wire.data(), header), std::optional<size_t>(header));
    }
    const Bytes notPublish = Hex("40 02 00 01");
    EXPECT_FALSE(PublishHeaderSize(notPublish.data(), notPublish.size()).has_value());
}

TEST(MqttCodec, AcknowledgementsFigures312To319And333)
{
    ExpectBytes(PubackPacket{10}, "40 02 00 0a");
    ExpectBytes(PubrecPacket{0x1234}, "50 02 12 34");
    ExpectBytes(PubrelPacket{10}, "62 02 00 0a"); // flags 0010 [MQTT-3.6.1-1]
    ExpectBytes(PubcompPacket{65535}, "70 02 ff ff");
    ExpectBytes(UnsubackPacket{10}, "b0 02 00 0a");
}

TEST(MqttCodec, SubscribeFigures321And323)
{
    SubscribePacket s;
    s.packetId = 10;
    s.subscriptions = {{"a/b", 1}, {"c/d", 2}};
    ExpectBytes(s, "82 0e 00 0a 00 03 61 2f 62 01 00 03 63 2f 64 02");
}

TEST(MqttCodec, SubackFigure327)
{
    ExpectBytes(SubackPacket{10, {0x00, 0x02, 0x80}}, "90 05 00 0a 00 02 80");
}

TEST(MqttCodec, UnsubscribeFigure330)
{
    ExpectBytes(UnsubscribePacket{10, {"a/b", "c/d"}}, "a2 0c 00 0a 00 03 61 2f 62 00 03 63 2f 64");
}

TEST(MqttCodec, PingAndDisconnect)
{
    ExpectBytes(PingreqPacket{}, "c0 00");
    ExpectBytes(PingrespPacket{}, "d0 00");
    ExpectBytes(DisconnectPacket{}, "e0 00");
}

// ---------------------------------------------------------------- malformed input

struct BadCase
{
    const char* hex;
    DecodeErrorCode code;
    const char* reason; ///< a substring the reason must contain
};

TEST(MqttCodec, EveryEnforcedRuleHasItsError)
{
    const auto M = DecodeErrorCode::Malformed;
    const std::vector<BadCase> cases = {
        // fixed header
        {"00 00", M, "reserved packet type 0"},
        {"f0 00", M, "reserved packet type 15"},
        {"36 05 00 03 61 2f 62", M, "QoS 3"},
        {"38 05 00 03 61 2f 62", M, "DUP on a QoS 0"},
        {"60 02 00 01", M, "PUBREL: reserved flag bits"},
        {"80 06 00 01 00 01 61 00", M, "SUBSCRIBE: reserved flag bits"},
        {"a0 05 00 01 00 01 61", M, "UNSUBSCRIBE: reserved flag bits"},
        {"41 02 00 01", M, "PUBACK: reserved flag bits"},
        {"c1 00", M, "PINGREQ: reserved flag bits"},
        {"12 00", M, "CONNECT: reserved flag bits"},
        {"30 ff ff ff ff 01", M, "longer than 4 bytes"},
        {"c0 01 00", M, "PINGREQ: Remaining Length 1"},
        {"e0 02 00 00", M, "DISCONNECT: Remaining Length 2"},
        {"40 03 00 01 00", M, "PUBACK: Remaining Length 3"},
        {"20 01 00", M, "CONNACK: Remaining Length 1"},
        // packet identifiers
        {"40 02 00 00", M, "packet identifier 0"},
        {"32 07 00 03 61 2f 62 00 00", M, "packet identifier 0"},
        {"32 05 00 03 61 2f 62", M, "packet identifier truncated"},
        // CONNECT
        {"10 0e 00 06 4d 51 49 73 64 70 03 02 00 00 00 00", DecodeErrorCode::UnknownProtocolName,
         "MQIsdp"},
        {"10 0d 00 04 4d 51 54 54 05 02 00 00 00 00 00", DecodeErrorCode::UnsupportedProtocolLevel,
         "level 5"},
        {"10 0c 00 04 4d 51 54 54 04 03 00 00 00 00", M, "reserved connect flag"},
        {"10 0c 00 04 4d 51 54 54 04 0a 00 00 00 00", M, "Will QoS without the Will flag"},
        {"10 0c 00 04 4d 51 54 54 04 22 00 00 00 00", M, "Will Retain without"},
        {"10 11 00 04 4d 51 54 54 04 1e 00 00 00 00 00 01 77 00 00", M, "Will QoS 3"},
        {"10 0e 00 04 4d 51 54 54 04 42 00 00 00 00 00 00", M, "password flag without"},
        {"10 0d 00 04 4d 51 54 54 04 02 00 00 00 00 00", M, "1 bytes after the last field"},
        {"10 0c 00 04 4d 51 54 54 04 06 00 00 00 00", M, "will topic truncated"},
        {"10 11 00 04 4d 51 54 54 04 06 00 00 00 00 00 01 23 00 00", M, "will topic: wildcard"},
        {"10 0d 00 04 4d 51 54 54 04 02 00 00 00 02 c0", M, "client identifier truncated"},
        {"10 0e 00 04 4d 51 54 54 04 02 00 00 00 02 c0 80", M, "client identifier: invalid"},
        {"10 09 00 04 4d 51 54 54 04 02 00", M, "keep alive truncated"},
        // CONNACK
        {"20 02 02 00", M, "reserved acknowledge flag"},
        {"20 02 00 06", M, "reserved return code 6"},
        {"20 02 01 05", M, "Session Present with a refusal"},
        // PUBLISH
        {"30 05 00 03 61 2f 23", M, "wildcard in a topic name"},
        {"30 05 00 03 61 2b 62", M, "wildcard in a topic name"},
        {"30 02 00 00", M, "empty topic name"},
        {"30 03 00 05 61", M, "topic name truncated"},
        {"30 01 00", M, "topic name truncated"},
        {"30 04 00 02 c0 80", M, "topic name: invalid UTF-8 lead byte"},
        {"30 05 00 03 ed a0 80", M, "topic name: ill-formed"},
        {"30 03 00 01 00", M, "U+0000"},
        // SUBSCRIBE / SUBACK / UNSUBSCRIBE
        {"82 02 00 01", M, "no topic filter [MQTT-3.8.3-3]"},
        {"82 08 00 01 00 03 61 2f 62 04", M, "requested QoS byte 4"},
        {"82 08 00 01 00 03 61 2f 62 03", M, "requested QoS byte 3"},
        {"82 07 00 01 00 02 61 23 01", M, "'#' not alone"},
        {"82 07 00 01 00 02 61 2b 01", M, "'+' not occupying"},
        {"82 07 00 01 00 03 61 2f 62", M, "requested QoS truncated"},
        {"82 05 00 01 00 00 01", M, "empty topic filter"},
        {"90 03 00 01 03", M, "reserved return code 3"},
        {"90 03 00 01 81", M, "reserved return code 129"},
        {"90 02 00 01", M, "no return code"},
        {"a2 02 00 01", M, "no topic filter [MQTT-3.10.3-2]"},
        {"a2 05 00 01 00 02 23", M, "topic filter truncated"},
        // whole-packet decoding
        {"c0 00 00", M, "1 bytes after the end of the packet"},
        {"30 05 00", DecodeErrorCode::Incomplete, "7 bytes announced"},
        {"30", DecodeErrorCode::Incomplete, "inside the Remaining Length"},
        {"", DecodeErrorCode::Incomplete, "no bytes"},
    };
    for (const BadCase& c : cases)
    {
        const DecodeResult d = Decode(Hex(c.hex));
        EXPECT_FALSE(d.ok) << c.hex;
        EXPECT_EQ(d.error.code, c.code)
            << c.hex << ": " << DecodeErrorCodeName(d.error.code) << ": " << d.error.reason;
        EXPECT_NE(d.error.reason.find(c.reason), std::string::npos)
            << c.hex << ": got '" << d.error.reason << "', want '" << c.reason << "'";
    }
}

TEST(MqttCodec, SizeLimitIsAppliedBeforeTheBody)
{
    const Bytes header = Hex("30 ff 7f");
    const DecodeResult d = Decode(header.data(), header.size(), 1000);
    EXPECT_FALSE(d.ok);
    EXPECT_EQ(d.error.code, DecodeErrorCode::PacketTooLarge);
}

TEST(MqttCodec, EncoderRefusesWhatTheDecoderWouldReject)
{
    PublishPacket wildcard;
    wildcard.topic = "a/#";
    PublishPacket noId;
    noId.topic = "a";
    noId.qos = 1;
    PublishPacket dupQos0;
    dupQos0.topic = "a";
    dupQos0.dup = true;
    PublishPacket qos3;
    qos3.topic = "a";
    qos3.qos = 3;
    qos3.packetId = 1;
    PublishPacket idOnQos0;
    idOnQos0.topic = "a";
    idOnQos0.packetId = 5;
    ConnectPacket passwordOnly;
    passwordOnly.password = Bytes{1};
    ConnectPacket badWill;
    badWill.will = Will{"a/+", {}, 0, false};
    ConnectPacket longId;
    longId.clientId = std::string(65536, 'x');

    const std::vector<Packet> invalid = {
        wildcard,
        noId,
        dupQos0,
        qos3,
        idOnQos0,
        passwordOnly,
        badWill,
        longId,
        ConnackPacket{true, ConnectReturnCode::NotAuthorized},
        ConnackPacket{false, static_cast<ConnectReturnCode>(6)},
        PubackPacket{0},
        PubrelPacket{0},
        SubscribePacket{1, {}},
        SubscribePacket{1, {{"a#", 0}}},
        SubscribePacket{1, {{"a", 3}}},
        SubscribePacket{0, {{"a", 0}}},
        SubackPacket{1, {}},
        SubackPacket{1, {3}},
        UnsubscribePacket{1, {}},
        UnsubscribePacket{1, {"a/#/b"}},
    };
    for (const Packet& p : invalid)
    {
        EXPECT_FALSE(CheckEncodable(p).empty()) << PacketTypeName(TypeOf(p));
        EXPECT_THROW(Encode(p), std::invalid_argument) << PacketTypeName(TypeOf(p));
    }
}

TEST(MqttCodec, LargestPacketsUseFourLengthBytes)
{
    PublishPacket m;
    m.topic = "big";
    m.payload.assign(2097152, 0x5a); // Remaining Length 2097157: four bytes
    const Bytes wire = Encode(m);
    EXPECT_EQ(wire.size(), 1 + 4 + 2 + 3 + 2097152u);
    EXPECT_EQ(ToHex(Bytes(wire.begin(), wire.begin() + 5)), "30 85 80 80 01");
    const DecodeResult d = Decode(wire);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(std::get<PublishPacket>(d.packet).payload.size(), 2097152u);
}

} // namespace
