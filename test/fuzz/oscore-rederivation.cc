/*
 * Fuzz target oscore-rederivation: RFC 8613 Appendix B.2 (a new context from nonces in 'kid
 * context'), both sides. First input byte even: a sequence of request datagrams (SplitFrames)
 * into a ContextStore that knows the client under an old ID Context and has re-derivation
 * enabled. Odd: response datagrams into a RederivationInitiator that has sent request #1 (and
 * request #2 once response #1 moved it on).
 *
 * Oracles: nothing throws; a request is accepted, or starts a re-derivation, only with a
 * genuine ciphertext, and is accepted once; the client accepts (and so moves through its
 * states) only genuine responses; every error response encodes.
 * Seeds (gen-*): the whole exchange as a real client and server run it; both sides' random
 * sources are reset per input, so the recorded nonces are the ones the target draws.
 */
#include "protocols/oscore/oscore-rederivation.h"

#include "oscore-fuzz-contexts.h"
#include "protocols/oscore/oscore-context-store.h"

using namespace lpwan_fuzz;

namespace
{

Genuine g_genuine;
constexpr uint32_t kClientSeed = 1;
constexpr uint32_t kServerSeed = 2;

/// The server's store, as every input finds it.
std::unique_ptr<ContextStore>
MakeStore(FixedRandom& random)
{
    auto store = std::make_unique<ContextStore>();
    ContextParameters old = Mirror(C1Client());
    old.idContext = Hex("0101");
    store->Add(old);
    store->EnableRederivation(Mirror(C1Client()), random, 8);
    return store;
}

coap::Message
Get(const std::string& path)
{
    coap::Message m = C4Plain();
    m.options.clear();
    m.SetUriPath(path);
    return m;
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    FixedRandom clientRandom(kClientSeed);
    FixedRandom serverRandom(kServerSeed);
    RederivationInitiator client(C1Client(), clientRandom, 8);
    std::unique_ptr<ContextStore> store = MakeStore(serverRandom);
    client.Start();

    ProtectResult req1 = ProtectRequest(client.GetContext(), Get("ping"));
    g_genuine.Add(req1.message);
    const UnprotectResult at1 = store->UnprotectRequest(req1.message);
    FUZZ_CHECK(at1.status == Status::ContextRederivation, at1.diagnostic.c_str());
    g_genuine.Add(*at1.errorResponse);
    FUZZ_CHECK(client.HandleResponse(*at1.errorResponse, req1.binding).Ok(), "response #1");

    ProtectResult req2 = ProtectRequest(client.GetContext(), Get("temp"));
    g_genuine.Add(req2.message);
    UnprotectResult at2 = store->UnprotectRequest(req2.message);
    FUZZ_CHECK(at2.Ok(), at2.diagnostic.c_str());
    const ProtectResult resp2 = ProtectResponse(*at2.context, C7Plain(), at2.binding);
    g_genuine.Add(resp2.message);
    FUZZ_CHECK(client.HandleResponse(resp2.message, req2.binding).Ok(), "response #2");
    FUZZ_CHECK(client.GetState() == RederivationInitiator::State::Established, "not established");

    ProtectResult req3 = ProtectRequest(client.GetContext(), Get("later"));
    g_genuine.Add(req3.message);

    Bytes server{0x00};
    const Bytes s = JoinFrames(
        {coap::Encode(req1.message), coap::Encode(req2.message), coap::Encode(req3.message)});
    server.insert(server.end(), s.begin(), s.end());
    WriteSeed("server", server);
    Bytes clientSeed{0x01};
    const Bytes c = JoinFrames({coap::Encode(*at1.errorResponse), coap::Encode(resp2.message)});
    clientSeed.insert(clientSeed.end(), c.begin(), c.end());
    WriteSeed("client", clientSeed);
    return 0;
}

namespace
{

void
Server(const std::vector<Bytes>& frames)
{
    FixedRandom random(kServerSeed);
    std::unique_ptr<ContextStore> store = MakeStore(random);
    std::set<std::tuple<std::optional<Bytes>, Bytes, uint64_t>> accepted;
    for (const Bytes& frame : frames)
    {
        const coap::DecodeResult d = coap::Decode(frame);
        if (!d.ok)
        {
            continue;
        }
        const UnprotectResult r = store->UnprotectRequest(d.message);
        CheckErrorResponse(r);
        if (Verbose())
        {
            std::fprintf(stderr, "server: %s\n", StatusName(r.status));
        }
        if (r.status == Status::ContextRederivation)
        {
            FUZZ_CHECK(g_genuine.Contains(d.message), "a forged request #1 was verified");
            FUZZ_CHECK(r.errorResponse.has_value(), "no response #1");
        }
        if (r.status == Status::Ok)
        {
            FUZZ_CHECK(g_genuine.Contains(d.message), "a forged request was accepted");
            FUZZ_CHECK(r.context != nullptr && r.partialIv.has_value(), "no context or Partial IV");
            FUZZ_CHECK(
                accepted.insert({r.context->GetIdContext(), r.binding.requestKid, *r.partialIv})
                    .second,
                "a request was accepted twice");
        }
    }
}

void
Client(const std::vector<Bytes>& frames)
{
    FixedRandom random(kClientSeed);
    RederivationInitiator client(C1Client(), random, 8);
    client.Start();
    ProtectResult request = ProtectRequest(client.GetContext(), Get("ping"));
    RequestBinding binding = request.binding;
    for (const Bytes& frame : frames)
    {
        const coap::DecodeResult d = coap::Decode(frame);
        if (!d.ok)
        {
            continue;
        }
        const RederivationInitiator::State before = client.GetState();
        const UnprotectResult r = client.HandleResponse(d.message, binding);
        if (Verbose())
        {
            std::fprintf(stderr, "client: %s, state %d\n", StatusName(r.status),
                         static_cast<int>(client.GetState()));
        }
        if (r.status != Status::Ok)
        {
            FUZZ_CHECK(client.GetState() == before, "a failure changed the state");
            continue;
        }
        FUZZ_CHECK(g_genuine.Contains(d.message), "a forged response was accepted");
        if (client.GetState() != before)
        {
            // Moved on: the next request is protected with the new context, as a client does.
            request = ProtectRequest(client.GetContext(), Get("temp"));
            binding = request.binding;
        }
    }
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    const std::vector<Bytes> frames = SplitFrames(data + 1, size - 1);
    if (data[0] % 2 == 0)
    {
        Server(frames);
    }
    else
    {
        Client(frames);
    }
    return 0;
}
