/*
 * Fuzz target oscore-request: CoAP datagrams into a server's UnprotectRequest (RFC 8613
 * section 8.2), with the single context of C.1 and through a ContextStore holding the
 * contexts of C.1, C.2 and C.3 (lookup by 'kid' and 'kid context').
 *
 * Oracles: nothing throws; a request is accepted only with the ciphertext of a genuine request
 * (the fuzzer cannot forge a tag; Class U fields may change); the same request accepted once
 * is a replay the second time; every error response encodes.
 * Seeds: the protected requests of C.4, C.5, C.6 and of other shapes (gen-*).
 */
#include "oscore-fuzz-contexts.h"
#include "protocols/oscore/oscore-context-store.h"

using namespace lpwan_fuzz;

namespace
{

Genuine g_genuine;
const SecurityContext* g_server = nullptr;

void
CheckAcceptedOnce(const UnprotectResult& first, const std::function<UnprotectResult()>& again,
                  const coap::Message& received)
{
    CheckErrorResponse(first);
    if (first.status != Status::Ok)
    {
        return;
    }
    FUZZ_CHECK(g_genuine.Contains(received), "a request with a forged ciphertext was accepted");
    FUZZ_CHECK(first.message.IsRequest(), "an accepted request is not a request");
    const UnprotectResult second = again();
    FUZZ_CHECK(second.status == Status::Replay, "a request was accepted twice");
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    static const SecurityContext server(Mirror(C1Client()));
    g_server = &server;
    int n = 0;
    for (const ContextParameters& client : {C1Client(), C2Client(), C3Client()})
    {
        SecurityContext ctx(client);
        ctx.SetSenderSequenceNumber(20); // as in C.4 to C.6
        for (const coap::Message& plain : PlainRequests())
        {
            const ProtectResult r = ProtectRequest(ctx, plain);
            FUZZ_CHECK(r.Ok(), r.diagnostic.c_str());
            g_genuine.Add(r.message);
            WriteSeed("request-" + std::to_string(n++), coap::Encode(r.message));
        }
    }
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const coap::DecodeResult d = coap::Decode(data, size);
    if (!d.ok)
    {
        return 0;
    }
    const coap::Message& received = d.message;

    SecurityContext single = *g_server;
    const UnprotectResult r = UnprotectRequest(single, received);
    CheckAcceptedOnce(
        r,
        [&]
        {
            return UnprotectRequest(single, received);
        },
        received);
    if (r.status == Status::Ok)
    {
        // The server answers: protecting a response with the binding must work.
        RequestBinding binding = r.binding;
        coap::Message response = C7Plain();
        FUZZ_CHECK(ProtectResponse(single, response, binding).Ok(), "response protection");
    }

    ContextStore store;
    store.Add(Mirror(C1Client()));
    store.Add(Mirror(C2Client()));
    store.Add(Mirror(C3Client()));
    const UnprotectResult s = store.UnprotectRequest(received);
    CheckAcceptedOnce(
        s,
        [&]
        {
            return store.UnprotectRequest(received);
        },
        received);
    return 0;
}
