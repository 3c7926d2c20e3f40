/*
 * Fuzz target mqtt-codec: bytes into mqtt::Decode (MQTT 3.1.1 control packets).
 *
 * Oracles: a packet that decodes is encodable (CheckEncodable), its encoding has EncodedSize
 * bytes and decodes to the same packet, and encoding is a fixed point (decode -> encode ->
 * decode equal); a rejected input names why; PublishHeaderSize of an encoded PUBLISH is the
 * size of its header.
 * Seeds: one packet of each of the fourteen types (gen-*), from the codec's own encoder.
 */
#include "protocols/mqtt/mqtt-codec.h"

#include "fuzz-check.h"

using namespace lpwan;
using namespace lpwan_fuzz;

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    mqtt::ConnectPacket connect;
    connect.clientId = "meter-0001";
    connect.keepAliveSeconds = 60;
    connect.cleanSession = true;
    mqtt::PublishPacket publish;
    publish.topic = "meters/0001/reading";
    publish.qos = 1;
    publish.packetId = 7;
    publish.payload = {0x7b, 0x22, 0x76, 0x22, 0x3a, 0x31, 0x7d};
    mqtt::SubscribePacket subscribe;
    subscribe.packetId = 9;
    subscribe.subscriptions.push_back({"meters/+/cmd", 1});
    mqtt::SubackPacket suback;
    suback.packetId = 9;
    suback.returnCodes = {0x01, 0x80};
    mqtt::UnsubscribePacket unsubscribe;
    unsubscribe.packetId = 10;
    unsubscribe.filters = {"meters/#"};
    const std::vector<mqtt::Packet> packets{connect,
                                            mqtt::ConnackPacket{},
                                            publish,
                                            mqtt::PubackPacket{7},
                                            mqtt::PubrecPacket{8},
                                            mqtt::PubrelPacket{8},
                                            mqtt::PubcompPacket{8},
                                            subscribe,
                                            suback,
                                            unsubscribe,
                                            mqtt::UnsubackPacket{10},
                                            mqtt::PingreqPacket{},
                                            mqtt::PingrespPacket{},
                                            mqtt::DisconnectPacket{}};
    for (size_t k = 0; k < packets.size(); ++k)
    {
        FUZZ_CHECK(mqtt::CheckEncodable(packets[k]).empty(), "a seed packet is not encodable");
        WriteSeed("packet-" + std::to_string(k), mqtt::Encode(packets[k]));
    }
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const mqtt::DecodeResult first = mqtt::Decode(data, size);
    if (!first.ok)
    {
        FUZZ_CHECK(!first.error.reason.empty(), "a rejected packet names why");
        return 0;
    }
    FUZZ_CHECK(first.size >= 2 && first.size <= size, "decoded size out of range");
    const std::string why = mqtt::CheckEncodable(first.packet);
    FUZZ_CHECK(why.empty(), why.c_str());
    const Bytes encoded = mqtt::Encode(first.packet);
    FUZZ_CHECK(encoded.size() == mqtt::EncodedSize(first.packet), "EncodedSize");
    const mqtt::DecodeResult second = mqtt::Decode(encoded);
    FUZZ_CHECK(second.ok, second.error.reason.c_str());
    FUZZ_CHECK(second.size == encoded.size(), "the encoding is not one whole packet");
    FUZZ_CHECK(second.packet == first.packet, "decode -> encode -> decode changed the packet");
    FUZZ_CHECK(mqtt::Encode(second.packet) == encoded, "encoding is not a fixed point");
    if (const auto* publish = std::get_if<mqtt::PublishPacket>(&first.packet))
    {
        const std::optional<size_t> header
            = mqtt::PublishHeaderSize(encoded.data(), encoded.size());
        FUZZ_CHECK(header && *header == mqtt::PublishHeaderSize(*publish), "PublishHeaderSize");
        FUZZ_CHECK(*header + publish->payload.size() == encoded.size(), "PUBLISH header + payload");
    }
    return 0;
}
