// What an adversary can read in, change in and forge from real request bytes: plaintext CoAP
// shows its payload and a changed reading stays valid; an OSCORE request shows only its outer
// part, and a flipped ciphertext bit or a forged request fails the real OSCORE verification;
// a DTLS record shows only its header, and a forged one keeps the epoch with a later sequence
// number.
#include "adversary/adversary.h"
#include "adversary/datagram-forgery.h"
#include "oscore/oscore-test-util.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/oscore/oscore-option-value.h"
#include "protocols/oscore/oscore-protect.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::adversary;
using oscore_test::C2Client;
using oscore_test::Mirror;
using oscore_test::TestRandom;

namespace
{

lpwan::coap::Message
Report(size_t payload)
{
    lpwan::coap::Message m;
    m.type = lpwan::coap::Type::Confirmable;
    m.code = lpwan::coap::code::Post;
    m.messageId = 0x1234;
    m.token = {1, 2, 3, 4};
    m.SetUriPath("r");
    for (size_t i = 0; i < payload; ++i)
    {
        m.payload.push_back(static_cast<uint8_t>(i));
    }
    return m;
}

/// A DTLS 1.2 application record: epoch 1, the given sequence number, `body` bytes.
std::vector<uint8_t>
Record(uint64_t seq, size_t body)
{
    std::vector<uint8_t> r = {23, 0xfe, 0xfd, 0x00, 0x01};
    for (int i = 5; i >= 0; --i)
    {
        r.push_back(static_cast<uint8_t>(seq >> (8 * i)));
    }
    r.push_back(static_cast<uint8_t>(body >> 8));
    r.push_back(static_cast<uint8_t>(body));
    for (size_t i = 0; i < body; ++i)
    {
        r.push_back(static_cast<uint8_t>(0xa0 + i));
    }
    return r;
}

uint64_t
PivOf(const lpwan::coap::Message& m)
{
    auto v = lpwan::oscore::DecodeOptionValue(m.FindOption(lpwan::coap::option::Oscore)->value);
    uint64_t piv = 0;
    for (uint8_t b : *v->partialIv)
    {
        piv = (piv << 8) | b;
    }
    return piv;
}

} // namespace

TEST(DatagramForgery, PlaintextShowsItsPayloadAndAChangedReadingStaysValid)
{
    lpwan::coap::Message m = Report(50);
    std::vector<uint8_t> bytes = lpwan::coap::Encode(m);
    Inspection in = Inspect(bytes);
    EXPECT_EQ(in.visibility, Visibility::Plaintext);
    EXPECT_TRUE(in.request);
    EXPECT_EQ(in.plaintextBytes, 50u);

    auto changed = TamperDatagram(bytes);
    ASSERT_TRUE(changed);
    ASSERT_EQ(changed->size(), bytes.size());
    lpwan::coap::DecodeResult d = lpwan::coap::Decode(*changed);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.message.token, m.token);
    EXPECT_EQ(d.message.GetUriPath(), "r");
    // The sequence number stays, the reading differs in every byte.
    for (size_t i = 0; i < 50; ++i)
    {
        EXPECT_EQ(d.message.payload[i] == m.payload[i], i < 4) << i;
    }

    TestRandom random(1);
    auto forged = ForgeMessage(m, random);
    ASSERT_TRUE(forged);
    EXPECT_NE(forged->token, m.token);
    EXPECT_EQ(forged->payload.size(), m.payload.size());
    EXPECT_EQ(forged->GetUriPath(), "r");
}

TEST(DatagramForgery, OscoreShowsOnlyItsOuterPartAndChangesFailVerification)
{
    lpwan::oscore::SecurityContext device(C2Client());
    lpwan::oscore::SecurityContext server(Mirror(C2Client()));
    lpwan::oscore::ProtectResult p = lpwan::oscore::ProtectRequest(device, Report(50));
    ASSERT_TRUE(p.Ok());
    p.message.messageId = 7;
    p.message.token = {9, 9, 9, 9};
    std::vector<uint8_t> bytes = lpwan::coap::Encode(p.message);
    Inspection in = Inspect(bytes);
    EXPECT_EQ(in.visibility, Visibility::OscoreOuter);
    EXPECT_EQ(in.plaintextBytes, 0u);

    // One flipped bit of ciphertext: the AEAD tag catches it.
    auto changed = TamperDatagram(bytes);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->size(), bytes.size());
    lpwan::coap::DecodeResult tampered = lpwan::coap::Decode(*changed);
    ASSERT_TRUE(tampered.ok);
    EXPECT_EQ(lpwan::oscore::UnprotectRequest(server, tampered.message).status,
              lpwan::oscore::Status::DecryptionFailed);

    // A forgery with the device's kid and a fresh Partial IV: past the replay window, caught by
    // the AEAD check.
    TestRandom random(2);
    auto forged = ForgeMessage(p.message, random);
    ASSERT_TRUE(forged);
    EXPECT_EQ(PivOf(*forged), PivOf(p.message) + 1000);
    EXPECT_EQ(
        lpwan::oscore::DecodeOptionValue(forged->FindOption(lpwan::coap::option::Oscore)->value)
            ->kid,
        lpwan::oscore::DecodeOptionValue(p.message.FindOption(lpwan::coap::option::Oscore)->value)
            ->kid);
    EXPECT_EQ(lpwan::oscore::UnprotectRequest(server, *forged).status,
              lpwan::oscore::Status::DecryptionFailed);

    // The genuine request still verifies (the failures above did not move the window), and a
    // replay of it is then refused by the window.
    EXPECT_TRUE(lpwan::oscore::UnprotectRequest(server, p.message).Ok());
    EXPECT_EQ(lpwan::oscore::UnprotectRequest(server, p.message).status,
              lpwan::oscore::Status::Replay);
}

TEST(DatagramForgery, DtlsShowsOnlyRecordHeaders)
{
    std::vector<uint8_t> record = Record(41, 40);
    Inspection in = Inspect(record);
    EXPECT_EQ(in.visibility, Visibility::DtlsAppData);
    EXPECT_EQ(in.plaintextBytes, 0u);

    auto changed = TamperDatagram(record);
    ASSERT_TRUE(changed);
    ASSERT_EQ(changed->size(), record.size());
    EXPECT_TRUE(std::equal(record.begin(), record.end() - 1, changed->begin()));
    EXPECT_NE(changed->back(), record.back());

    TestRandom random(3);
    auto forged = ForgeDatagram(record, random);
    ASSERT_TRUE(forged);
    ASSERT_EQ(forged->size(), record.size());
    EXPECT_TRUE(std::equal(record.begin(), record.begin() + 5, forged->begin())); // type..epoch
    std::vector<uint8_t> header(forged->begin(), forged->begin() + 13);
    std::vector<uint8_t> expected = Record(1041, 40);
    EXPECT_EQ(header, std::vector<uint8_t>(expected.begin(), expected.begin() + 13));

    std::vector<uint8_t> handshake = record;
    handshake[0] = 22;
    EXPECT_EQ(Inspect(handshake).visibility, Visibility::DtlsOther);
    EXPECT_FALSE(TamperDatagram(handshake));
    EXPECT_FALSE(ForgeDatagram(handshake, random));
    EXPECT_EQ(Inspect({0x00, 0x01, 0x02}).visibility, Visibility::Opaque);
}

TEST(DatagramForgery, CapabilityLists)
{
    std::string error;
    auto all = AdversaryCapabilities::Parse("eavesdrop, modify,inject,replay,drop,delay", &error);
    ASSERT_TRUE(all);
    EXPECT_TRUE(all->eavesdrop && all->modify && all->inject && all->replay && all->drop
                && all->delay);
    auto none = AdversaryCapabilities::Parse("none", &error);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->eavesdrop || none->modify);
    EXPECT_FALSE(AdversaryCapabilities::Parse("eavesdrop,sniff", &error));
    EXPECT_EQ(error, "unknown capability 'sniff' (eavesdrop, modify, inject, replay, drop, delay)");
}
