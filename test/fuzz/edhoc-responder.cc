/*
 * Fuzz target edhoc-responder: EDHOC messages (RFC 9528) into the Responder. First input byte:
 * transcript (byte / 2, see edhoc-fuzz-transcripts.h) and message (even: message_1 at a fresh
 * Responder; odd: message_3 at the Responder that sent message_2); the rest is the message.
 *
 * Oracles: nothing throws; message_1 (not authenticated) is accepted only when it decodes,
 * else it is answered with ERR_CODE 1 and a diagnostic (ERR_CODE 2 for a suite it refuses);
 * message_3 is accepted only when it is the genuine one, never a changed one.
 * Seeds (gen-*): every transcript's message_1 and message_3, and RFC 9529's message_1 of both
 * traces.
 */
#include "edhoc-fuzz-transcripts.h"

using namespace lpwan_fuzz;

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    auto& all = Transcripts();
    for (size_t t = 0; t < all.size(); ++t)
    {
        WriteEdhocSeed("m1-" + std::to_string(t), t, 0, all[t]->m1);
        WriteEdhocSeed("m3-" + std::to_string(t), t, 1, all[t]->m3);
    }
    WriteEdhocSeed("rfc9529-trace1-m1", 0, 0, Hex(trace1::kMessage1));
    WriteEdhocSeed("rfc9529-trace2-m1", 0, 0, Hex(trace2::kMessage1));
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    auto& all = Transcripts();
    Transcript& t = *all[(data[0] / 2) % all.size()];
    const Bytes message(data + 1, data + size);
    if (data[0] % 2 == 0)
    {
        *t.rr = t.rrFresh;
        Responder r(t.parties.responder, *t.rr);
        const Outcome o = r.HandleMessage1(message);
        Message1 decoded;
        std::string why;
        const bool wellFormed = DecodeMessage1(message, decoded, why);
        if (o.status == Status::Continue)
        {
            FUZZ_CHECK(wellFormed, "a malformed message_1 was accepted");
            return 0;
        }
        FUZZ_CHECK(o.status == Status::SentError, o.diagnostic.c_str());
        ErrorMessage e;
        FUZZ_CHECK(DecodeError(o.message, e, why), "the error sent does not decode");
        FUZZ_CHECK(e.code == 1 || e.code == 2, "unexpected ERR_CODE");
        FUZZ_CHECK(wellFormed || e.code == 1, "a malformed message_1 got ERR_CODE 2");
        FUZZ_CHECK(e.code != 1 || !e.diagnostic.empty(), "ERR_CODE 1 without a diagnostic");
        return 0;
    }
    *t.rr = t.rrAfter1;
    Responder r = *t.rAfter1;
    const Outcome o = r.HandleMessage3(message);
    CheckAuthenticated(o, message, t.m3);
    FUZZ_CHECK(r.IsCompleted() == (o.status == Status::Completed), "completion");
    return 0;
}
