/*
 * The OSCORE overhead figures of draft-ietf-iotops-security-protocol-comparison section 4
 * (figures fig-overhead and fig-overhead2, listings in section 4.6), pinned on the real
 * ProtectRequest / ProtectResponse: AES-CCM-16-64-128, no token, OSCORE the only option
 * (delta 9), and the draft's 6 plaintext bytes = payload marker + 5 payload bytes. Overhead is
 * the encoded OSCORE message minus the encoded unprotected one (ProtectResult::Overhead), the
 * figure lpwan-bytes-probe reports to ./lpwan validate.
 */

#include "oscore-test-util.h"
#include "protocols/oscore/oscore-protect.h"

#include <gtest/gtest.h>

namespace
{

using namespace lpwan;
using namespace lpwan::oscore;
using namespace oscore_test;

coap::Message
DraftRequest()
{
    coap::Message m;
    m.type = coap::Type::Confirmable;
    m.code = coap::code::Post;
    m.payload = Hex("0102030405");
    return m;
}

struct RequestCase
{
    const char* senderId;
    uint64_t sequenceNumber;
    int64_t overhead;        ///< the draft's figure
    const char* afterHeader; ///< option, option value and payload marker, as the draft lists them
};

class OscoreDraftRequestOverhead : public ::testing::TestWithParam<RequestCase>
{
};

TEST_P(OscoreDraftRequestOverhead, MatchesTheDraft)
{
    const RequestCase& c = GetParam();
    ContextParameters p = C1Client();
    p.senderId = Hex(c.senderId);
    p.recipientId = p.senderId == Hex("01") ? Bytes{} : Hex("01");
    SecurityContext ctx(p);
    ctx.SetSenderSequenceNumber(c.sequenceNumber);
    const ProtectResult r = ProtectRequest(ctx, DraftRequest());
    ASSERT_TRUE(r.Ok()) << r.diagnostic;
    EXPECT_EQ(r.Overhead(), c.overhead);
    const Bytes wire = coap::Encode(r.message);
    const Bytes prefix = Hex(c.afterHeader);
    ASSERT_GE(wire.size(), 4 + prefix.size());
    EXPECT_EQ(Bytes(wire.begin() + 4, wire.begin() + 4 + prefix.size()), prefix);
    // Then the ciphertext of code, payload marker and 5 bytes, and the 8-byte tag.
    EXPECT_EQ(wire.size(), 4 + prefix.size() + 7 + 8);
}

INSTANTIATE_TEST_SUITE_P(Draft, OscoreDraftRequestOverhead,
                         ::testing::Values(RequestCase{"", 0x05, 13, "92 09 05 ff"},
                                           RequestCase{"", 0x1005, 14, "93 0a 10 05 ff"},
                                           RequestCase{"", 0x100005, 15, "94 0b 10 00 05 ff"},
                                           RequestCase{"42", 0x05, 14, "93 09 05 42 ff"},
                                           RequestCase{"4002", 0x05, 15, "94 09 05 40 02 ff"}));

TEST(OscoreDraftOverhead, OverheadDoesNotDependOnThePayloadLength)
{
    SecurityContext ctx(C1Client());
    ctx.SetSenderSequenceNumber(5);
    coap::Message m = DraftRequest();
    m.payload = Bytes(6, 0xab);
    EXPECT_EQ(ProtectRequest(ctx, m).Overhead(), 13);
}

TEST(OscoreDraftOverhead, ResponseWithoutPartialIv)
{
    SecurityContext client(C1Client());
    SecurityContext server(Mirror(C1Client()));
    client.SetSenderSequenceNumber(5);
    const ProtectResult request = ProtectRequest(client, DraftRequest());
    ASSERT_TRUE(request.Ok());
    UnprotectResult verified = UnprotectRequest(server, OverTheWire(request.message));
    ASSERT_EQ(verified.status, Status::Ok) << verified.diagnostic;

    coap::Message plain;
    plain.type = coap::Type::Acknowledgement;
    plain.code = coap::code::Changed;
    plain.payload = Hex("0102030405");
    const ProtectResult r = ProtectResponse(server, plain, verified.binding);
    ASSERT_TRUE(r.Ok()) << r.diagnostic;
    EXPECT_EQ(r.Overhead(), 11);
    const Bytes wire = coap::Encode(r.message);
    ASSERT_EQ(wire.size(), 4u + 2 + 7 + 8);
    EXPECT_EQ(Bytes(wire.begin() + 4, wire.begin() + 6), Hex("90 ff"));
}

} // namespace
