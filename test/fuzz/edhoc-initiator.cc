/*
 * Fuzz target edhoc-initiator: EDHOC messages (RFC 9528) and error messages into the
 * Initiator. First input byte: transcript (byte / 2, see edhoc-fuzz-transcripts.h) and
 * message (even: message_2 at the Initiator that sent message_1; odd: message_4 at the
 * Initiator that sent message_3); the rest is the message.
 *
 * Oracles: nothing throws; message_2 and message_4 are accepted only when they are the
 * genuine ones; an error message is reported (or leads to a new message_1 after ERR_CODE 2)
 * only when it is well-formed; anything else is answered with an error message that decodes.
 * Seeds (gen-*): every transcript's message_2 and message_4, the three kinds of error
 * message, and RFC 9529's message_2 and message_4 of trace 1.
 */
#include "edhoc-fuzz-transcripts.h"

using namespace lpwan_fuzz;

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    auto& all = Transcripts();
    for (size_t t = 0; t < all.size(); ++t)
    {
        WriteEdhocSeed("m2-" + std::to_string(t), t, 0, all[t]->m2);
        WriteEdhocSeed("m4-" + std::to_string(t), t, 1, all[t]->m4);
    }
    WriteEdhocSeed("error-unspecified", 0, 0, EncodeUnspecifiedError("bad message_1"));
    WriteEdhocSeed("error-suites", 2, 0, EncodeWrongSelectedSuite({2, 0}));
    WriteEdhocSeed("error-credential", 0, 0, EncodeUnknownCredential());
    WriteEdhocSeed("rfc9529-trace1-m2", 0, 0, Hex(trace1::kMessage2));
    WriteEdhocSeed("rfc9529-trace1-m4", 0, 1, Hex(trace1::kMessage4));
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
        *t.ri = t.riAfter1;
        Initiator i = *t.iAfter1;
        const Outcome o = i.HandleMessage2(message);
        if (o.status == Status::Retry)
        {
            ErrorMessage e;
            std::string why;
            FUZZ_CHECK(DecodeError(message, e, why) && e.code == 2,
                       "a retry without a well-formed ERR_CODE 2");
            return 0;
        }
        CheckAuthenticated(o, message, t.m2);
        FUZZ_CHECK(!i.IsCompleted(), "completed on message_2 while message_4 is expected");
        return 0;
    }
    *t.ri = t.riAfter2;
    Initiator i = *t.iAfter2;
    const Outcome o = i.HandleMessage4(message);
    CheckAuthenticated(o, message, t.m4);
    FUZZ_CHECK(i.IsCompleted() == (o.status == Status::Completed), "completion");
    return 0;
}
