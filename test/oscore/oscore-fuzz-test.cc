/*
 * Garbage from the network (deterministic mutation fuzzing, std::mt19937 with fixed seeds).
 *
 * Valid OSCORE requests of several kinds (without and with 'kid context', with a payload, an
 * Observe registration, an Inner Block1 upload) and valid responses (with and without Partial
 * IV, a notification, an Inner Block2 response) are mutated -- bit flips, byte changes,
 * insertions, deletions, truncations -- as encoded datagrams (kept when lpwan::coap::Decode accepts
 * them) and as lpwan::coap::Message objects (code, type, token, options, OSCORE option, payload),
 * and fed to the receiving side. Nothing may crash or throw, and:
 *
 *  - after the original has been accepted once, no mutant is accepted: through a ContextStore
 *    and through UnprotectRequest with the single context for requests, through
 *    UnprotectResponse with the exchange's binding for responses; the original itself is then
 *    a replay;
 *  - starting from fresh state (a copy of the context or binding that never saw the original),
 *    a mutant that is accepted differs from the original only in what OSCORE deliberately
 *    leaves unprotected (Class U: type, Message ID, Token, Outer-only options) -- the decrypted
 *    code, Inner options and payload are the original's;
 *  - every error response the server produces can be encoded and sent.
 */

#include "oscore-test-util.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/oscore/oscore-context-store.h"
#include "protocols/oscore/oscore-option-classes.h"
#include "protocols/oscore/oscore-protect.h"

#include <gtest/gtest.h>

#include <exception>
#include <map>
#include <random>

namespace
{

using namespace lpwan;
using namespace lpwan::oscore;
using namespace oscore_test;

constexpr int kDatagramMutantsPerSeed = 20000;
constexpr int kMessageMutantsPerSeed = 6000;

// ---- mutators ----

uint8_t
RandomByte(std::mt19937& rng)
{
    // Half the time a value with a meaning in CoAP or OSCORE: nibble extensions 13/14/15,
    // the payload marker, flag bytes, CBOR headers.
    static const uint8_t kInteresting[]
        = {0x00, 0x01, 0x08, 0x09, 0x0d, 0x0e, 0x0f, 0x10, 0x19, 0x20,
           0x40, 0x5b, 0x7f, 0x80, 0x9a, 0xd0, 0xe0, 0xf0, 0xfe, 0xff};
    if (rng() % 2 == 0)
    {
        return kInteresting[rng() % sizeof(kInteresting)];
    }
    return static_cast<uint8_t>(rng());
}

void
MutateBytesOnce(Bytes& b, std::mt19937& rng)
{
    const size_t n = b.size();
    switch (rng() % 6)
    {
        case 0: // bit flip
            if (n > 0)
            {
                b[rng() % n] ^= static_cast<uint8_t>(1u << (rng() % 8));
            }
            break;
        case 1: // byte change
            if (n > 0)
            {
                b[rng() % n] = RandomByte(rng);
            }
            break;
        case 2:
        { // insertion of 1-4 bytes
            const size_t pos = rng() % (n + 1);
            const size_t count = 1 + rng() % 4;
            for (size_t i = 0; i < count; ++i)
            {
                b.insert(b.begin() + static_cast<std::ptrdiff_t>(pos), RandomByte(rng));
            }
            break;
        }
        case 3: // deletion of 1-4 bytes
            if (n > 0)
            {
                const size_t pos = rng() % n;
                const size_t count = std::min<size_t>(1 + rng() % 4, n - pos);
                b.erase(b.begin() + static_cast<std::ptrdiff_t>(pos),
                        b.begin() + static_cast<std::ptrdiff_t>(pos + count));
            }
            break;
        case 4: // truncation
            b.resize(n == 0 ? 0 : rng() % n);
            break;
        default: // two bytes swapped
            if (n > 1)
            {
                std::swap(b[rng() % n], b[rng() % n]);
            }
            break;
    }
}

/// One to four byte-level mutations.
Bytes
MutateDatagram(const Bytes& original, std::mt19937& rng)
{
    Bytes b = original;
    const int rounds = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < rounds; ++i)
    {
        MutateBytesOnce(b, rng);
    }
    return b;
}

/// One to three structural mutations of a message object (which may break invariants the
/// codec would enforce: unsorted options, long tokens, repeated OSCORE options).
lpwan::coap::Message
MutateMessage(const lpwan::coap::Message& original, std::mt19937& rng)
{
    lpwan::coap::Message m = original;
    static const uint16_t kNumbers[]
        = {lpwan::coap::option::IfMatch,     lpwan::coap::option::UriHost,
           lpwan::coap::option::ETag,        lpwan::coap::option::Observe,
           lpwan::coap::option::UriPort,     lpwan::coap::option::Oscore,
           lpwan::coap::option::UriPath,     lpwan::coap::option::ContentFormat,
           lpwan::coap::option::MaxAge,      lpwan::coap::option::Block2,
           lpwan::coap::option::Block1,      lpwan::coap::option::ProxyUri,
           lpwan::coap::option::ProxyScheme, lpwan::coap::option::Echo,
           extra_option::HopLimit,           65535};
    const int rounds = 1 + static_cast<int>(rng() % 3);
    for (int r = 0; r < rounds; ++r)
    {
        switch (rng() % 10)
        {
            case 0:
                m.code = static_cast<uint8_t>(rng());
                break;
            case 1:
                m.type = static_cast<lpwan::coap::Type>(rng() % 4);
                break;
            case 2:
            {
                m.token.resize(rng() % 13); // up to 12 bytes: beyond what the wire allows
                for (uint8_t& t : m.token)
                {
                    t = static_cast<uint8_t>(rng());
                }
                break;
            }
            case 3:
            { // add an option, sometimes out of order
                lpwan::coap::Option o;
                o.number = kNumbers[rng() % (sizeof(kNumbers) / sizeof(kNumbers[0]))];
                o.value.resize(rng() % 12);
                for (uint8_t& v : o.value)
                {
                    v = RandomByte(rng);
                }
                if (rng() % 2 == 0)
                {
                    m.options.push_back(o);
                }
                else
                {
                    m.AddOption(o.number, o.value);
                }
                break;
            }
            case 4: // remove an option
                if (!m.options.empty())
                {
                    m.options.erase(m.options.begin()
                                    + static_cast<std::ptrdiff_t>(rng() % m.options.size()));
                }
                break;
            case 5: // change an option's value
                if (!m.options.empty())
                {
                    MutateBytesOnce(m.options[rng() % m.options.size()].value, rng);
                }
                break;
            case 6:
            { // rewrite the OSCORE option value
                for (lpwan::coap::Option& o : m.options)
                {
                    if (o.number == lpwan::coap::option::Oscore)
                    {
                        MutateBytesOnce(o.value, rng);
                    }
                }
                break;
            }
            case 7: // change an option's number
                if (!m.options.empty())
                {
                    m.options[rng() % m.options.size()].number = static_cast<uint16_t>(rng());
                }
                break;
            case 8:
                m.messageId = static_cast<uint16_t>(rng());
                break;
            default:
                MutateBytesOnce(m.payload, rng);
                break;
        }
    }
    return m;
}

// ---- what may legitimately differ ----

/// The part of a decrypted message OSCORE protects: Code, every option that is not Outer-only
/// (in order), payload.
struct Protected
{
    uint8_t code;
    std::vector<lpwan::coap::Option> options;
    Bytes payload;

    bool operator==(const Protected& o) const
    {
        return code == o.code && options == o.options && payload == o.payload;
    }
};

Protected
ProtectedPart(const lpwan::coap::Message& m)
{
    Protected p{m.code, {}, m.payload};
    for (const lpwan::coap::Option& o : m.options)
    {
        if (!IsOuterOnly(o.number))
        {
            p.options.push_back(o);
        }
    }
    return p;
}

/// Every error response must be sendable: an unprotected one with Max-Age 0.
void
CheckErrorResponse(const UnprotectResult& r)
{
    if (!r.errorResponse)
    {
        return;
    }
    try
    {
        const Bytes encoded = lpwan::coap::Encode(*r.errorResponse);
        ASSERT_TRUE(lpwan::coap::Decode(encoded).ok);
    }
    catch (const std::exception& e)
    {
        FAIL() << "error response does not encode: " << e.what();
    }
    if (r.status != Status::EchoRequired && r.status != Status::ContextRederivation)
    {
        ASSERT_EQ(r.errorResponse->FindOption(lpwan::coap::option::Oscore), nullptr);
        ASSERT_NE(r.errorResponse->FindOption(lpwan::coap::option::MaxAge), nullptr);
    }
}

/// Outcome tally, to show that the mutants reach every stage of the verification.
struct Tally
{
    std::map<Status, uint64_t> byStatus;
    uint64_t mutants = 0;
    uint64_t undecodable = 0;
    uint64_t acceptedClassU = 0; ///< fresh state: accepted, only Class U fields changed
};

// ---- requests ----

struct RequestSeed
{
    const char* name;
    ContextParameters client;
    lpwan::coap::Message plain;
};

std::vector<RequestSeed>
RequestSeeds()
{
    std::vector<RequestSeed> seeds;

    lpwan::coap::Message c4 = DecodeOk(Hex("44015d1f00003974396c6f63616c686f737483747631"));
    seeds.push_back({"C.4 GET, no kid context", C1Client(), c4});

    ContextParameters c6 = C3Client();
    c6.sendKidContext = true;
    seeds.push_back({"C.6 GET, kid context", c6,
                     DecodeOk(Hex("44012f8eef9bbf7a396c6f63616c686f737483747631"))});

    lpwan::coap::Message post;
    post.type = lpwan::coap::Type::NonConfirmable;
    post.code = lpwan::coap::code::Post;
    post.messageId = 0x4242;
    post.token = Hex("0102030405060708");
    post.SetUriPath("meter/readings");
    post.AddUintOption(lpwan::coap::option::ContentFormat, 60);
    post.AddStringOption(lpwan::coap::option::UriQuery, "batch=1");
    for (int i = 0; i < 96; ++i)
    {
        post.payload.push_back(static_cast<uint8_t>(i * 7));
    }
    seeds.push_back({"POST with payload", C2Client(), post});

    lpwan::coap::Message observe;
    observe.code = lpwan::coap::code::Get;
    observe.messageId = 9;
    observe.token = Hex("83");
    observe.AddStringOption(lpwan::coap::option::UriHost, "proxy.example");
    observe.AddUintOption(lpwan::coap::option::Observe, 0);
    observe.SetUriPath("glucose");
    seeds.push_back({"Observe registration", C2Client(), observe});

    lpwan::coap::Message block;
    block.code = lpwan::coap::code::Put;
    block.messageId = 77;
    block.token = Hex("b10c");
    block.SetUriPath("fw");
    block.AddUintOption(lpwan::coap::option::Block1, (3u << 4) | 0x08u | 2u); // num 3, more, 64 B
    block.AddUintOption(lpwan::coap::option::Size1, 4096);
    block.AddOption(lpwan::coap::option::RequestTag, Hex("aa"));
    block.payload = Bytes(64, 0xee);
    seeds.push_back({"Inner Block1 upload", C1Client(), block});
    return seeds;
}

/// The server side: one ContextStore with every client (and a re-derivation responder, so
/// 'kid context' values go through the CBOR unwrapping), plus one single context per seed.
struct RequestServer
{
    RequestServer()
    {
        store.Add(Mirror(C1Client()));
        store.Add(Mirror(C2Client()));
        ContextParameters c3 = Mirror(C3Client());
        store.Add(c3);
        store.EnableRederivation(Mirror(C1Client()), random, 8, 2);
        store.EnableRederivation(Mirror(C2Client()), random, 8, 2);
    }

    TestRandom random{17};
    ContextStore store;
};

/// Fresh-state verification through ParseRequest / VerifyRequest on a copy of a pristine
/// context: returns the result, or nullopt when no pristine context matches.
UnprotectResult
VerifyFresh(const std::vector<SecurityContext>& pristine, const lpwan::coap::Message& m)
{
    UnprotectResult failure;
    const auto parsed = ParseRequest(m, &failure);
    if (!parsed)
    {
        return failure;
    }
    for (const SecurityContext& ctx : pristine)
    {
        if (ctx.GetRecipientId() == *parsed->header.kid
            && (!parsed->header.kidContext || parsed->header.kidContext == ctx.GetIdContext()))
        {
            SecurityContext copy = ctx;
            return VerifyRequest(copy, m, *parsed);
        }
    }
    return RequestError(m, Status::ContextNotFound, "Security context not found");
}

void
FeedRequest(const lpwan::coap::Message& mutant, const Protected& originalPlain,
            RequestServer& server, SecurityContext& single,
            const std::vector<SecurityContext>& pristine, Tally& tally)
{
    ++tally.mutants;
    try
    {
        // After acceptance of the original: nothing passes.
        const UnprotectResult viaStore = server.store.UnprotectRequest(mutant);
        ++tally.byStatus[viaStore.status];
        ASSERT_NE(viaStore.status, Status::Ok) << "store accepted a mutant";
        CheckErrorResponse(viaStore);
        const UnprotectResult viaSingle = UnprotectRequest(single, mutant);
        ASSERT_NE(viaSingle.status, Status::Ok) << "context accepted a mutant";
        CheckErrorResponse(viaSingle);

        // From fresh state: accepted only if the protected content is the original's.
        const UnprotectResult fresh = VerifyFresh(pristine, mutant);
        CheckErrorResponse(fresh);
        if (fresh.Ok())
        {
            ASSERT_TRUE(ProtectedPart(fresh.message) == originalPlain)
                << "accepted with changed protected content";
            ++tally.acceptedClassU;
        }
    }
    catch (const std::exception& e)
    {
        FAIL() << "exception escaped: " << e.what();
    }
}

TEST(OscoreFuzz, MutatedRequestsAreNeverAccepted)
{
    std::mt19937 rng(0x05C03E);
    RequestServer server;
    std::vector<SecurityContext> pristine{SecurityContext(Mirror(C1Client())),
                                          SecurityContext(Mirror(C2Client())),
                                          SecurityContext(Mirror(C3Client()))};
    Tally datagrams;
    Tally messages;

    const std::vector<RequestSeed> seeds = RequestSeeds();
    for (size_t index = 0; index < seeds.size(); ++index)
    {
        const RequestSeed& seed = seeds[index];
        SCOPED_TRACE(seed.name);
        SecurityContext client(seed.client);
        // Distinct Partial IVs: seeds sharing a context must not replay each other.
        client.SetSenderSequenceNumber(20 + 1000 * index);
        const ProtectResult p = ProtectRequest(client, seed.plain);
        ASSERT_TRUE(p.Ok()) << p.diagnostic;
        const Bytes originalBytes = lpwan::coap::Encode(p.message);
        const lpwan::coap::Message original = DecodeOk(originalBytes);
        const Protected originalPlain = ProtectedPart(seed.plain);

        // The original is accepted once, by the store and by its single context ...
        SecurityContext single(Mirror(seed.client));
        const UnprotectResult first = server.store.UnprotectRequest(original);
        ASSERT_TRUE(first.Ok()) << StatusName(first.status) << " " << first.diagnostic;
        EXPECT_TRUE(ProtectedPart(first.message) == originalPlain);
        ASSERT_TRUE(UnprotectRequest(single, original).Ok());
        // ... and from fresh state through ParseRequest / VerifyRequest.
        ASSERT_TRUE(VerifyFresh(pristine, original).Ok());

        for (int i = 0; i < kDatagramMutantsPerSeed; ++i)
        {
            const Bytes mutated = MutateDatagram(originalBytes, rng);
            if (mutated == originalBytes)
            {
                continue;
            }
            const lpwan::coap::DecodeResult d = lpwan::coap::Decode(mutated);
            if (!d.ok)
            {
                ++datagrams.undecodable;
                continue;
            }
            FeedRequest(d.message, originalPlain, server, single, pristine, datagrams);
            if (HasFatalFailure())
            {
                return;
            }
        }
        for (int i = 0; i < kMessageMutantsPerSeed; ++i)
        {
            const lpwan::coap::Message mutated = MutateMessage(original, rng);
            if (mutated == original)
            {
                continue;
            }
            FeedRequest(mutated, originalPlain, server, single, pristine, messages);
            if (HasFatalFailure())
            {
                return;
            }
        }

        // The original is now a replay everywhere.
        EXPECT_EQ(server.store.UnprotectRequest(original).status, Status::Replay);
        EXPECT_EQ(UnprotectRequest(single, original).status, Status::Replay);
    }

    const uint64_t total = datagrams.mutants + datagrams.undecodable + messages.mutants;
    // At least 50,000 mutated datagrams that decode, besides those lpwan::coap::Decode refused.
    EXPECT_GE(datagrams.mutants, 50000u);
    EXPECT_GE(total, 100000u);
    // The mutants reached every stage of section 8.2.
    for (Status s : {Status::NotOscore, Status::Malformed, Status::ContextNotFound, Status::Replay,
                     Status::DecryptionFailed})
    {
        EXPECT_GT(datagrams.byStatus[s] + messages.byStatus[s], 0u) << StatusName(s);
    }
    EXPECT_GT(datagrams.acceptedClassU + messages.acceptedClassU, 0u);
    RecordProperty("datagram_mutants", std::to_string(datagrams.mutants));
    RecordProperty("undecodable", std::to_string(datagrams.undecodable));
    RecordProperty("message_mutants", std::to_string(messages.mutants));
}

// ---- responses ----

struct ResponseSeed
{
    const char* name;
    lpwan::coap::Message request;
    lpwan::coap::Message response;
    bool partialIv;
};

std::vector<ResponseSeed>
ResponseSeeds()
{
    std::vector<ResponseSeed> seeds;
    const lpwan::coap::Message c4 = DecodeOk(Hex("44015d1f00003974396c6f63616c686f737483747631"));
    const lpwan::coap::Message c7 = DecodeOk(Hex("64455d1f00003974ff48656c6c6f20576f726c6421"));
    seeds.push_back({"C.7 without Partial IV", c4, c7, false});
    seeds.push_back({"C.8 with Partial IV", c4, c7, true});

    lpwan::coap::Message reg = c4;
    reg.AddUintOption(lpwan::coap::option::Observe, 0);
    lpwan::coap::Message notification = c7;
    notification.type = lpwan::coap::Type::NonConfirmable;
    notification.AddUintOption(lpwan::coap::option::Observe, 17);
    notification.AddUintOption(lpwan::coap::option::ContentFormat, 0);
    notification.AddUintOption(lpwan::coap::option::MaxAge, 30);
    seeds.push_back({"Observe notification", reg, notification, true});

    lpwan::coap::Message block = c7;
    block.AddOption(lpwan::coap::option::ETag, Hex("0badcafe"));
    block.AddUintOption(lpwan::coap::option::Block2, (1u << 4) | 0x08u | 1u); // num 1, more, 32 B
    block.AddUintOption(lpwan::coap::option::Size2, 100);
    block.payload = Bytes(32, 0x21);
    seeds.push_back({"Inner Block2 response", c4, block, false});
    return seeds;
}

TEST(OscoreFuzz, MutatedResponsesAreNeverAccepted)
{
    std::mt19937 rng(0xC0A9);
    Tally datagrams;
    Tally messages;

    for (const ResponseSeed& seed : ResponseSeeds())
    {
        SCOPED_TRACE(seed.name);
        SecurityContext client(C1Client());
        SecurityContext server(Mirror(C1Client()));
        server.SetSenderSequenceNumber(3);
        const ProtectResult req = ProtectRequest(client, seed.request);
        ASSERT_TRUE(req.Ok());
        UnprotectResult atServer = UnprotectRequest(server, OverTheWire(req.message));
        ASSERT_TRUE(atServer.Ok());
        const ProtectResult resp
            = ProtectResponse(server, seed.response, atServer.binding, seed.partialIv);
        ASSERT_TRUE(resp.Ok()) << resp.diagnostic;
        const Bytes originalBytes = lpwan::coap::Encode(resp.message);
        const lpwan::coap::Message original = DecodeOk(originalBytes);

        // Fresh state for the integrity check: the binding before any response.
        const RequestBinding pristine = req.binding;
        RequestBinding probe = pristine;
        const UnprotectResult reference = UnprotectResponse(client, original, probe);
        ASSERT_TRUE(reference.Ok()) << reference.diagnostic;
        const Protected originalPlain = ProtectedPart(reference.message);

        // The exchange's binding accepts the original once.
        RequestBinding binding = pristine;
        ASSERT_TRUE(UnprotectResponse(client, original, binding).Ok());

        auto feed = [&](const lpwan::coap::Message& mutant, Tally& tally)
        {
            ++tally.mutants;
            try
            {
                const UnprotectResult after = UnprotectResponse(client, mutant, binding);
                ++tally.byStatus[after.status];
                ASSERT_NE(after.status, Status::Ok) << "accepted a mutant after the original";
                RequestBinding fresh = pristine;
                const UnprotectResult r = UnprotectResponse(client, mutant, fresh);
                ++tally.byStatus[r.status];
                if (r.Ok())
                {
                    ASSERT_TRUE(ProtectedPart(r.message) == originalPlain)
                        << "accepted with changed protected content";
                    ++tally.acceptedClassU;
                }
            }
            catch (const std::exception& e)
            {
                FAIL() << "exception escaped: " << e.what();
            }
        };

        for (int i = 0; i < kDatagramMutantsPerSeed + 4000; ++i)
        {
            const Bytes mutated = MutateDatagram(originalBytes, rng);
            if (mutated == originalBytes)
            {
                continue;
            }
            const lpwan::coap::DecodeResult d = lpwan::coap::Decode(mutated);
            if (!d.ok)
            {
                ++datagrams.undecodable;
                continue;
            }
            feed(d.message, datagrams);
            if (HasFatalFailure())
            {
                return;
            }
        }
        for (int i = 0; i < kMessageMutantsPerSeed; ++i)
        {
            const lpwan::coap::Message mutated = MutateMessage(original, rng);
            if (mutated == original)
            {
                continue;
            }
            feed(mutated, messages);
            if (HasFatalFailure())
            {
                return;
            }
        }
        // The original itself is a replay now.
        EXPECT_EQ(UnprotectResponse(client, original, binding).status, Status::Replay);
    }

    EXPECT_GE(datagrams.mutants, 50000u);
    for (Status s :
         {Status::NotOscore, Status::Malformed, Status::Replay, Status::DecryptionFailed})
    {
        EXPECT_GT(datagrams.byStatus[s] + messages.byStatus[s], 0u) << StatusName(s);
    }
    EXPECT_GT(datagrams.acceptedClassU + messages.acceptedClassU, 0u);
    RecordProperty("datagram_mutants", std::to_string(datagrams.mutants));
    RecordProperty("undecodable", std::to_string(datagrams.undecodable));
    RecordProperty("message_mutants", std::to_string(messages.mutants));
}

} // namespace
