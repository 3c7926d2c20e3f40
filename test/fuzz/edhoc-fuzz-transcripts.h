/*
 * The EDHOC fuzz targets' fixed handshakes: parties with fresh credentials of every key type
 * (test/edhoc/edhoc-test-parties.h) run one handshake per (method, cipher suite); the sessions
 * are kept at the point where each message arrives, and every input works on copies of them.
 * The random sources the sessions draw from are restored with them, so an input replays the
 * same way every time.
 */
#ifndef LPWAN_TEST_FUZZ_EDHOC_FUZZ_TRANSCRIPTS_H
#define LPWAN_TEST_FUZZ_EDHOC_FUZZ_TRANSCRIPTS_H

#include "edhoc/edhoc-rfc9529-vectors.h"
#include "edhoc/edhoc-test-parties.h"
#include "fuzz-check.h"
#include "protocols/edhoc/edhoc-error-message.h"
#include "protocols/edhoc/edhoc-messages.h"

#include <memory>
#include <string>
#include <vector>

namespace lpwan_fuzz
{

using namespace edhoc_test;

struct Transcript
{
    Parties parties;
    Bytes m1, m2, m3, m4;
    // Sessions waiting for message_2 / message_4 (Initiator), message_3 (Responder), and the
    // states of their random sources at that point.
    std::unique_ptr<SeededRandom> ri, rr;
    std::unique_ptr<Initiator> iAfter1, iAfter2;
    std::unique_ptr<Responder> rAfter1;
    SeededRandom riAfter1{0}, riAfter2{0}, rrAfter1{0}, rrFresh{0};
};

inline std::unique_ptr<Transcript>
Record(Method method, int64_t suite, uint32_t seed, bool offerBothSuites)
{
    auto t = std::make_unique<Transcript>();
    t->parties = MakeParties(method, suite, seed);
    t->parties.initiator.expectMessage4 = true;
    t->parties.responder.sendMessage4 = true;
    if (offerBothSuites)
    {
        t->parties.initiator.suites = {suite, suite == 0 ? 2 : 0};
    }
    t->ri = std::make_unique<SeededRandom>(seed + 1);
    t->rr = std::make_unique<SeededRandom>(seed + 2);
    t->rrFresh = *t->rr;
    t->iAfter1 = std::make_unique<Initiator>(t->parties.initiator, *t->ri);
    t->rAfter1 = std::make_unique<Responder>(t->parties.responder, *t->rr);
    t->m1 = t->iAfter1->Start().message;
    t->riAfter1 = *t->ri;
    const Outcome o2 = t->rAfter1->HandleMessage1(t->m1);
    FUZZ_CHECK(o2.status == Status::Continue, o2.diagnostic.c_str());
    t->rrAfter1 = *t->rr;
    t->m2 = o2.message;
    // Copies go on; the snapshots stay where they are.
    Initiator i = *t->iAfter1;
    const Outcome o3 = i.HandleMessage2(t->m2);
    FUZZ_CHECK(o3.status == Status::Continue, o3.diagnostic.c_str());
    t->m3 = o3.message;
    t->iAfter2 = std::make_unique<Initiator>(i);
    t->riAfter2 = *t->ri;
    Responder r = *t->rAfter1;
    const Outcome o4 = r.HandleMessage3(t->m3);
    FUZZ_CHECK(o4.status == Status::Completed, o4.diagnostic.c_str());
    t->m4 = o4.message;
    return t;
}

/// Signature and static DH methods on suite 0, a mixed method, and suite 2 (P-256).
inline std::vector<std::unique_ptr<Transcript>>&
Transcripts()
{
    static std::vector<std::unique_ptr<Transcript>> all = []
    {
        std::vector<std::unique_ptr<Transcript>> v;
        v.push_back(Record(Method::SignatureSignature, 0, 0x1001, false));
        v.push_back(Record(Method::StaticDhStaticDh, 0, 0x2002, true));
        v.push_back(Record(Method::SignatureStaticDh, 0, 0x3003, false));
        v.push_back(Record(Method::StaticDhStaticDh, 2, 0x5005, false));
        return v;
    }();
    return all;
}

/// Seeds: first byte = transcript * 2 + which message (see the targets).
inline void
WriteEdhocSeed(const std::string& name, size_t transcript, int which, const Bytes& message)
{
    Bytes seed{static_cast<uint8_t>(transcript * 2 + which)};
    seed.insert(seed.end(), message.begin(), message.end());
    WriteSeed(name, seed);
}

/// A message an authenticated step received: it was accepted only if it was the genuine one.
/// Otherwise the session sent an error (ERR_CODE 1 with a diagnostic, or 3 when a mutated
/// PLAINTEXT_2 named another credential) or reported the peer's well-formed error message.
inline void
CheckAuthenticated(const Outcome& o, const Bytes& received, const Bytes& genuine)
{
    if (o.status == Status::Continue || o.status == Status::Completed)
    {
        FUZZ_CHECK(received == genuine, "a changed authenticated message was accepted");
        return;
    }
    FUZZ_CHECK(o.status != Status::InvalidState, o.diagnostic.c_str());
    ErrorMessage e;
    std::string why;
    if (o.status == Status::ReceivedError || o.status == Status::Retry)
    {
        FUZZ_CHECK(DecodeError(received, e, why), "a malformed error message was taken for one");
        return;
    }
    FUZZ_CHECK(o.status == Status::SentError, "unexpected status");
    FUZZ_CHECK(DecodeError(o.message, e, why), "the error sent does not decode");
    FUZZ_CHECK(e.code == 1 || e.code == 3, "unexpected ERR_CODE");
    FUZZ_CHECK(e.code != 1 || !e.diagnostic.empty(), "ERR_CODE 1 without a diagnostic");
}

} // namespace lpwan_fuzz

#endif // LPWAN_TEST_FUZZ_EDHOC_FUZZ_TRANSCRIPTS_H
