/*
 * Fuzz target oscore-response: CoAP datagrams into a client's UnprotectResponse (RFC 8613
 * section 8.4) for the request of C.4 (first input byte even) or an Observe registration
 * (odd), each bound as ProtectRequest left it.
 *
 * Oracles: nothing throws; a response is accepted only with the ciphertext of a genuine
 * response; the same response accepted once is rejected the second time (a replayed final
 * response, or a notification not above the Notification Number); an accepted message is a
 * response, and GetEchoChallenge reads it without failing.
 * Seeds: C.7 and C.8 (the RFC's responses to C.4) and notifications (gen-*).
 */
#include "oscore-fuzz-contexts.h"

using namespace lpwan_fuzz;

namespace
{

struct Exchange
{
    SecurityContext client{C1Client()};
    RequestBinding binding;
};

Genuine g_genuine;
Exchange* g_exchanges[2];

/// The client's request (C.4, or an Observe registration) and the server's responses to it.
Exchange*
Record(bool observe, int seedIndex)
{
    auto* e = new Exchange;
    e->client.SetSenderSequenceNumber(20);
    coap::Message plain = C4Plain();
    if (observe)
    {
        plain.AddUintOption(coap::option::Observe, 0);
    }
    const ProtectResult request = ProtectRequest(e->client, plain);
    FUZZ_CHECK(request.Ok(), request.diagnostic.c_str());
    e->binding = request.binding;

    SecurityContext server(Mirror(C1Client()));
    UnprotectResult verified = UnprotectRequest(server, request.message);
    FUZZ_CHECK(verified.Ok(), verified.diagnostic.c_str());
    const uint8_t selector = observe ? 1 : 0;
    for (int k = 0; k < 3; ++k)
    {
        coap::Message response = C7Plain();
        if (observe)
        {
            response.AddUintOption(coap::option::Observe, static_cast<uint32_t>(k + 2));
        }
        // Without Partial IV first (C.7), then with (C.8 and later notifications).
        const ProtectResult r = ProtectResponse(server, response, verified.binding, k > 0);
        FUZZ_CHECK(r.Ok(), r.diagnostic.c_str());
        g_genuine.Add(r.message);
        Bytes seed{selector};
        const Bytes wire = coap::Encode(r.message);
        seed.insert(seed.end(), wire.begin(), wire.end());
        WriteSeed("response-" + std::to_string(seedIndex * 3 + k), seed);
    }
    return e;
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    g_exchanges[0] = Record(false, 0);
    g_exchanges[1] = Record(true, 1);
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    const Exchange& e = *g_exchanges[data[0] & 1];
    const coap::DecodeResult d = coap::Decode(data + 1, size - 1);
    if (!d.ok)
    {
        return 0;
    }
    SecurityContext client = e.client;
    RequestBinding binding = e.binding;
    const UnprotectResult r = UnprotectResponse(client, d.message, binding);
    if (r.status != Status::Ok)
    {
        return 0;
    }
    FUZZ_CHECK(g_genuine.Contains(d.message), "a response with a forged ciphertext was accepted");
    FUZZ_CHECK(r.message.IsResponse(), "an accepted response is not a response");
    (void) GetEchoChallenge(r.message);
    const UnprotectResult again = UnprotectResponse(client, d.message, binding);
    FUZZ_CHECK(again.status != Status::Ok, "a response was accepted twice");
    return 0;
}
