/*
 * EDHOC message sizes of draft-ietf-iotops-security-protocol-comparison section 3.6 (figure
 * fig-summary: P-256 / cipher suite 2, 1-byte connection identifiers, no EAD) for the four
 * combinations of static DH or signature authentication and credentials identified by kid or
 * x5t, pinned on a real handshake between the Initiator and the Responder; and the CoAP bytes
 * the EDHOC-over-CoAP formatting adds around them (the draft's appendix A).
 *
 * kid: RFC 9529 trace 2's CCS credentials and ephemeral keys, but SUITES_I = 2 alone (the trace
 * lists 6 before 2, which makes its message_1 39 bytes instead of the draft's 37).
 * x5t: P-256 certificates of the test PKI (protocols/tls/test-pki.h).
 */

#include "edhoc-rfc9529-vectors.h"
#include "edhoc-test-util.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/edhoc/edhoc-coap.h"
#include "protocols/edhoc/edhoc-credential.h"
#include "protocols/edhoc/edhoc-initiator.h"
#include "protocols/edhoc/edhoc-responder.h"
#include "protocols/oscore/oscore-protect.h"
#include "protocols/tls/test-pki.h"

#include <gtest/gtest.h>

namespace
{

using namespace lpwan::edhoc;
using namespace edhoc_test;

/// Replays the ephemeral key, then draws from a seeded generator (ECDSA signing needs more).
class EphemeralThenSeeded : public lpwan::RandomSource
{
  public:
    EphemeralThenSeeded(const Bytes& ephemeral, uint32_t seed)
      : m_replay(ephemeral)
      , m_seeded(seed)
    {
    }

    double Uniform01() override
    {
        return Uint32() / 4294967296.0;
    }

    uint32_t Uint32() override
    {
        return m_replay.Remaining() >= 4 ? m_replay.Uint32() : m_seeded.Uint32();
    }

  private:
    ReplayRandom m_replay;
    SeededRandom m_seeded;
};

struct Credentials
{
    LocalCredential initiator;
    LocalCredential responder;
};

Credentials
KidCredentials()
{
    using namespace trace2;
    return {{MakeCcsCredential("42-50-31-FF-EF-37-32-39", Hex("2b"), KeyType::P256,
                               Concat({Hex(kPkIx), Hex(kPkIy)})),
             Hex(kSkI)},
            {MakeCcsCredential("example.edu", Hex("32"), KeyType::P256,
                               Concat({Hex(kPkRx), Hex(kPkRy)})),
             Hex(kSkR)}};
}

/// d of a SEC1 ECPrivateKey as the test PKI writes it: 30 77 02 01 01 04 20 d ...
Bytes
PrivateKeyOf(const std::vector<uint8_t>& der)
{
    EXPECT_GE(der.size(), 39u);
    EXPECT_EQ(Bytes(der.begin() + 2, der.begin() + 7), Hex("0201010420"));
    return Bytes(der.begin() + 7, der.begin() + 39);
}

Credentials
X5tCredentials()
{
    SeededRandom random(2026);
    const lpwan::tls::TestPki pki = lpwan::tls::GenerateTestPki(random);
    std::optional<Credential> ci = MakeX509Credential(pki.client.certificateDer);
    std::optional<Credential> cr = MakeX509Credential(pki.server.certificateDer);
    EXPECT_TRUE(ci && cr);
    return {{*ci, PrivateKeyOf(pki.client.privateKeyDer)},
            {*cr, PrivateKeyOf(pki.server.privateKeyDer)}};
}

struct Sizes
{
    size_t m1 = 0, m2 = 0, m3 = 0;
};

Sizes
RunHandshake(Method method, const Credentials& c)
{
    InitiatorConfig ic;
    ic.method = method;
    ic.suites = {2};
    ic.connectionId = Hex(trace2::kCI);
    ic.credentials = {c.initiator};
    ic.peerCredentials = {c.responder.credential};
    ResponderConfig rc;
    rc.suites = {2};
    rc.connectionId = Hex(trace2::kCR);
    rc.credentials = {c.responder};
    rc.peerCredentials = {c.initiator.credential};
    EphemeralThenSeeded ri(Hex(trace2::kX), 1);
    EphemeralThenSeeded rr(Hex(trace2::kY), 2);
    Initiator initiator(ic, ri);
    Responder responder(rc, rr);
    const Outcome o1 = initiator.Start();
    const Outcome o2 = responder.HandleMessage1(o1.message);
    const Outcome o3 = initiator.HandleMessage2(o2.message);
    const Outcome o4 = responder.HandleMessage3(o3.message);
    EXPECT_EQ(o4.status, Status::Completed)
        << o1.diagnostic << o2.diagnostic << o3.diagnostic << o4.diagnostic;
    EXPECT_EQ(initiator.GetPrkOut(), responder.GetPrkOut());
    return {o1.message.size(), o2.message.size(), o3.message.size()};
}

TEST(EdhocDraftSizes, StaticDhKid)
{
    const Sizes s = RunHandshake(Method::StaticDhStaticDh, KidCredentials());
    EXPECT_EQ(s.m1, 37u);
    EXPECT_EQ(s.m2, 45u);
    EXPECT_EQ(s.m3, 19u);
}

TEST(EdhocDraftSizes, StaticDhX5t)
{
    const Sizes s = RunHandshake(Method::StaticDhStaticDh, X5tCredentials());
    EXPECT_EQ(s.m1, 37u);
    EXPECT_EQ(s.m2, 58u);
    EXPECT_EQ(s.m3, 33u);
}

TEST(EdhocDraftSizes, SignatureKid)
{
    const Sizes s = RunHandshake(Method::SignatureSignature, KidCredentials());
    EXPECT_EQ(s.m1, 37u);
    EXPECT_EQ(s.m2, 102u);
    EXPECT_EQ(s.m3, 77u);
}

TEST(EdhocDraftSizes, SignatureX5t)
{
    const Sizes s = RunHandshake(Method::SignatureSignature, X5tCredentials());
    EXPECT_EQ(s.m1, 37u);
    EXPECT_EQ(s.m2, 115u);
    EXPECT_EQ(s.m3, 90u);
}

// ---- CoAP around EDHOC (the draft's appendix A: 12 / 5 / 12, and 1 with RFC 9668)

/// CoAP bytes around an EDHOC message of `edhoc` bytes, with the 4-byte token the CoAP
/// Endpoint gives every request.
size_t
CoapOverhead(lpwan::coap::Message m, size_t edhoc)
{
    m.token = Hex("01020304");
    return lpwan::coap::Encode(m).size() - edhoc;
}

TEST(EdhocDraftSizes, CoapAroundEdhocMessages)
{
    // The project's messages are the draft's (12 / 5 / 12) plus a 4-byte token, the
    // '.well-known' Uri-Path segment of RFC 9528 appendix A.2 (12 bytes) in requests, and a
    // Content-Format option (2 bytes) in requests and responses.
    const Bytes m1(37, 0x11);
    const Bytes m2(45, 0x22);
    const Bytes m3(19, 0x33);
    EXPECT_EQ(CoapOverhead(MakeMessage1Request(m1), m1.size()), 12u + 4 + 12 + 2);
    lpwan::coap::Message response = MakeEdhocResponse(m2, false);
    response.type = lpwan::coap::Type::Acknowledgement;
    EXPECT_EQ(CoapOverhead(response, m2.size()), 5u + 4 + 2);
    EXPECT_EQ(CoapOverhead(MakeMessage3Request(Hex(trace2::kCR), m3), m3.size()), 12u + 4 + 12 + 2);
}

TEST(EdhocDraftSizes, CombinedRequestAddsOneByte)
{
    lpwan::oscore::ContextParameters p;
    p.masterSecret = Hex(trace2::kMasterSecret);
    p.masterSalt = Hex(trace2::kMasterSalt);
    p.senderId = Hex(trace2::kCR);
    p.recipientId = Hex(trace2::kCI);
    lpwan::oscore::SecurityContext ctx(p);
    lpwan::coap::Message plain;
    plain.code = lpwan::coap::code::Post;
    plain.SetUriPath("r");
    plain.payload = Hex("0102030405");
    lpwan::oscore::ProtectResult r = lpwan::oscore::ProtectRequest(ctx, plain);
    ASSERT_TRUE(r.Ok()) << r.diagnostic;
    r.message.token = Hex("01020304");
    const size_t before = lpwan::coap::Encode(r.message).size();
    const Bytes m3 = Hex(trace2::kMessage3);
    MakeCombinedRequest(r.message, m3);
    EXPECT_EQ(lpwan::coap::Encode(r.message).size() - before - m3.size(), 1u);
}

} // namespace
