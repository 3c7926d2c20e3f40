/*
 * Mutation fuzzing of every EDHOC message at the state machine that receives it: thousands of
 * mutants (bit flips, byte substitutions with CBOR-significant values, truncation, insertion,
 * deletion, duplication, random garbage) of message_1 (Responder), message_2 and message_4
 * (Initiator), message_3 (Responder) and of error messages, for signature and static DH methods
 * on suite 0 and, fewer (P-256 is slower), suite 2.
 *
 * Invariants: no exception escapes and nothing crashes; a mutant of message_2/3/4 is never
 * accepted (they are authenticated); a mutant that does not decode is answered with ERR_CODE 1
 * and a diagnostic string; a received error message is reported only when the mutant is a
 * well-formed error message. message_1 is not authenticated: a well-formed mutant may be
 * accepted, a malformed one never.
 */

#include "edhoc-test-parties.h"
#include "protocols/edhoc/edhoc-error-message.h"
#include "protocols/edhoc/edhoc-messages.h"

#include <gtest/gtest.h>

#include <random>

namespace
{

using namespace edhoc_test;

/// Produces mutants of a message, deterministically.
class Mutator
{
  public:
    explicit Mutator(uint32_t seed)
      : m_gen(seed)
    {
    }

    Bytes Mutate(const Bytes& in)
    {
        Bytes b = in;
        const int rounds = 1 + static_cast<int>(Below(3));
        for (int r = 0; r < rounds; ++r)
        {
            MutateOnce(b);
        }
        return b;
    }

  private:
    uint32_t Below(uint32_t n)
    {
        return n == 0 ? 0 : static_cast<uint32_t>(m_gen() % n);
    }

    void MutateOnce(Bytes& b)
    {
        // Bytes that mean something in CBOR heads: small ints, 1/2/4/8-byte arguments,
        // reserved and indefinite infos, array/map heads, false/true/null, break.
        static const uint8_t kInteresting[]
            = {0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x37, 0x38,
               0x40, 0x41, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5f, 0x60, 0x7f, 0x80, 0x81,
               0x9f, 0xa0, 0xa1, 0xbf, 0xc0, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfb, 0xff};
        const size_t n = b.size();
        switch (Below(n == 0 ? 3 : 9))
        {
            case 0: // insert a byte
                b.insert(b.begin() + Below(static_cast<uint32_t>(n + 1)),
                         kInteresting[Below(sizeof(kInteresting))]);
                break;
            case 1: // append random garbage
                for (uint32_t k = Below(40) + 1; k > 0; --k)
                {
                    b.push_back(static_cast<uint8_t>(m_gen()));
                }
                break;
            case 2: // replace with random garbage of random length
                b.assign(Below(80), 0);
                for (uint8_t& v : b)
                {
                    v = static_cast<uint8_t>(m_gen());
                }
                break;
            case 3: // flip one bit
                b[Below(static_cast<uint32_t>(n))] ^= static_cast<uint8_t>(1u << Below(8));
                break;
            case 4: // set a byte to an interesting value
            case 5:
                b[Below(static_cast<uint32_t>(n))] = kInteresting[Below(sizeof(kInteresting))];
                break;
            case 6: // set a byte to a random value
                b[Below(static_cast<uint32_t>(n))] = static_cast<uint8_t>(m_gen());
                break;
            case 7: // truncate
                b.resize(Below(static_cast<uint32_t>(n)));
                break;
            case 8:
            { // delete or duplicate a chunk
                const size_t at = Below(static_cast<uint32_t>(n));
                const size_t len = 1 + Below(static_cast<uint32_t>(std::min<size_t>(8, n - at)));
                if (Below(2) == 0)
                {
                    b.erase(b.begin() + at, b.begin() + at + len);
                }
                else
                {
                    Bytes chunk(b.begin() + at, b.begin() + at + len);
                    b.insert(b.begin() + at, chunk.begin(), chunk.end());
                }
                break;
            }
        }
    }

    std::mt19937 m_gen;
};

/// Counts what the mutants did, for the test's sanity checks.
struct Tally
{
    int total = 0;
    int acceptedMessage1 = 0;
    int sentError1 = 0;
    int sentErrorOther = 0;
    int receivedError = 0;
};

/// Checks one outcome for a mutant of an authenticated message (message_2/3/4).
void
CheckRejected(const Outcome& o, const Bytes& mutant, Tally& t, const char* what)
{
    ++t.total;
    ASSERT_NE(o.status, Status::Continue) << what << " accepted: " << ToHex(mutant);
    ASSERT_NE(o.status, Status::Completed) << what << " accepted: " << ToHex(mutant);
    ASSERT_NE(o.status, Status::InvalidState) << what << ": " << o.diagnostic;
    ErrorMessage parsed;
    std::string why;
    const bool isErrorMessage = DecodeError(mutant, parsed, why);
    if (o.status == Status::ReceivedError || o.status == Status::Retry)
    {
        // Only a well-formed error message may be taken for one.
        ASSERT_TRUE(isErrorMessage) << what << ": " << ToHex(mutant);
        ++t.receivedError;
        return;
    }
    ASSERT_EQ(o.status, Status::SentError);
    ErrorMessage sent;
    ASSERT_TRUE(DecodeError(o.message, sent, why)) << why;
    if (sent.code == 1)
    {
        ASSERT_FALSE(sent.diagnostic.empty());
        ++t.sentError1;
    }
    else
    {
        // ERR_CODE 3: the mutant decrypted to a well-formed plaintext naming another
        // credential (possible for message_2, whose PLAINTEXT_2 is a plain XOR).
        ASSERT_EQ(sent.code, 3) << what << ": " << ToHex(mutant);
        ++t.sentErrorOther;
    }
}

struct Transcript
{
    Parties parties;
    Bytes m1, m2, m3, m4;
};

Transcript
Record(Method method, int64_t suite, uint32_t seed)
{
    Transcript tr;
    tr.parties = MakeParties(method, suite, seed);
    tr.parties.initiator.expectMessage4 = true;
    tr.parties.responder.sendMessage4 = true;
    SeededRandom ri(seed + 1);
    SeededRandom rr(seed + 2);
    Initiator i(tr.parties.initiator, ri);
    Responder r(tr.parties.responder, rr);
    tr.m1 = i.Start().message;
    tr.m2 = r.HandleMessage1(tr.m1).message;
    tr.m3 = i.HandleMessage2(tr.m2).message;
    Outcome o4 = r.HandleMessage3(tr.m3);
    EXPECT_EQ(o4.status, Status::Completed) << o4.diagnostic;
    tr.m4 = o4.message;
    return tr;
}

void
FuzzAllMessages(Method method, int64_t suite, int mutantsPerMessage, uint32_t seed)
{
    const Transcript tr = Record(method, suite, seed);
    // The sessions at the point where each message arrives; copies are fuzzed. The random
    // sources replay the recorded run, so the snapshots match the recorded messages.
    SeededRandom ri(seed + 1);
    SeededRandom rr(seed + 2);
    Initiator iAfter1(tr.parties.initiator, ri);
    iAfter1.Start();
    Responder rFresh(tr.parties.responder, rr);
    Responder rAfter1 = rFresh;
    ASSERT_EQ(rAfter1.HandleMessage1(tr.m1).status, Status::Continue);
    Initiator iAfter2 = iAfter1;
    ASSERT_EQ(iAfter2.HandleMessage2(tr.m2).status, Status::Continue);
    {
        // The snapshots are right: the genuine messages are accepted by copies.
        Responder r = rAfter1;
        ASSERT_EQ(r.HandleMessage3(tr.m3).status, Status::Completed);
        Initiator i = iAfter2;
        ASSERT_EQ(i.HandleMessage4(tr.m4).status, Status::Completed);
    }

    Mutator mut(seed);
    Tally t1;
    Tally t2;
    Tally t3;
    Tally t4;
    for (int k = 0; k < mutantsPerMessage; ++k)
    {
        // message_1 at a fresh Responder
        {
            const Bytes m = mut.Mutate(tr.m1);
            if (m != tr.m1)
            {
                SeededRandom random(k);
                Responder r(tr.parties.responder, random);
                Outcome o;
                ASSERT_NO_THROW(o = r.HandleMessage1(m)) << ToHex(m);
                ++t1.total;
                Message1 decoded;
                std::string why;
                const bool wellFormed = DecodeMessage1(m, decoded, why);
                if (o.status == Status::Continue)
                {
                    ASSERT_TRUE(wellFormed) << "malformed message_1 accepted: " << ToHex(m);
                    ++t1.acceptedMessage1;
                }
                else
                {
                    ASSERT_EQ(o.status, Status::SentError) << o.diagnostic;
                    ErrorMessage e;
                    ASSERT_TRUE(DecodeError(o.message, e, why)) << why;
                    if (!wellFormed)
                    {
                        ASSERT_EQ(e.code, 1) << ToHex(m);
                    }
                    ASSERT_TRUE(e.code == 1 || e.code == 2) << e.code;
                    if (e.code == 1)
                    {
                        ASSERT_FALSE(e.diagnostic.empty());
                        ++t1.sentError1;
                    }
                    else
                    {
                        ++t1.sentErrorOther;
                    }
                }
            }
        }
        // message_2 at the Initiator
        {
            const Bytes m = mut.Mutate(tr.m2);
            if (m != tr.m2)
            {
                Initiator i = iAfter1;
                Outcome o;
                ASSERT_NO_THROW(o = i.HandleMessage2(m)) << ToHex(m);
                CheckRejected(o, m, t2, "message_2");
                ASSERT_FALSE(i.IsCompleted());
            }
        }
        // message_3 at the Responder
        {
            const Bytes m = mut.Mutate(tr.m3);
            if (m != tr.m3)
            {
                Responder r = rAfter1;
                Outcome o;
                ASSERT_NO_THROW(o = r.HandleMessage3(m)) << ToHex(m);
                CheckRejected(o, m, t3, "message_3");
                ASSERT_FALSE(r.IsCompleted());
            }
        }
        // message_4 at the Initiator
        {
            const Bytes m = mut.Mutate(tr.m4);
            if (m != tr.m4)
            {
                Initiator i = iAfter2;
                Outcome o;
                ASSERT_NO_THROW(o = i.HandleMessage4(m)) << ToHex(m);
                CheckRejected(o, m, t4, "message_4");
                ASSERT_FALSE(i.IsCompleted());
            }
        }
    }
    // The fuzzing reached deep: most mutants were rejected with a diagnostic, and some
    // message_1 mutants (new G_X, C_I, EAD) were well-formed and accepted.
    EXPECT_GT(t1.total, mutantsPerMessage * 9 / 10);
    EXPECT_GT(t1.sentError1, t1.total / 4);
    EXPECT_GT(t1.acceptedMessage1, 0);
    for (const Tally* t : {&t2, &t3, &t4})
    {
        EXPECT_GT(t->total, mutantsPerMessage * 9 / 10);
        EXPECT_GT(t->sentError1, t->total / 2);
    }
}

TEST(EdhocFuzz, Suite0SignatureMethod)
{
    FuzzAllMessages(Method::SignatureSignature, 0, 4000, 0x1001);
}

TEST(EdhocFuzz, Suite0StaticDhMethod)
{
    FuzzAllMessages(Method::StaticDhStaticDh, 0, 4000, 0x2002);
}

TEST(EdhocFuzz, Suite0MixedMethods)
{
    FuzzAllMessages(Method::SignatureStaticDh, 0, 1500, 0x3003);
    FuzzAllMessages(Method::StaticDhSignature, 0, 1500, 0x4004);
}

TEST(EdhocFuzz, Suite2StaticDhMethod)
{
    FuzzAllMessages(Method::StaticDhStaticDh, 2, 400, 0x5005);
}

TEST(EdhocFuzz, ErrorMessagesInPlaceOfMessage2)
{
    // Mutants of the three kinds of error message, fed to an Initiator waiting for message_2.
    Parties p = MakeParties(Method::StaticDhStaticDh, 0, 0x6006);
    p.initiator.suites = {0, 2};
    SeededRandom ri(1);
    Initiator waiting(p.initiator, ri);
    waiting.Start();
    const Bytes seeds[] = {EncodeUnspecifiedError("bad message_1"), EncodeWrongSelectedSuite({2}),
                           EncodeWrongSelectedSuite({2, 0}), EncodeUnknownCredential()};
    Mutator mut(0x6006);
    Tally t;
    for (int k = 0; k < 3000; ++k)
    {
        const Bytes m = mut.Mutate(seeds[k % 4]);
        Initiator i = waiting;
        Outcome o;
        ASSERT_NO_THROW(o = i.HandleMessage2(m)) << ToHex(m);
        if (o.status == Status::Retry)
        {
            // Only a genuine ERR_CODE 2 naming another usable suite leads to a retry.
            ErrorMessage e;
            std::string why;
            ASSERT_TRUE(DecodeError(m, e, why));
            ASSERT_EQ(e.code, 2);
            ASSERT_EQ(DecodeError(o.message, e, why), false); // a message_1, not an error
            continue;
        }
        CheckRejected(o, m, t, "error message");
    }
    EXPECT_GT(t.receivedError, 100);
    EXPECT_GT(t.sentError1, 100);
}

} // namespace
