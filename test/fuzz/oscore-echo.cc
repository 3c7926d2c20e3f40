/*
 * Fuzz target oscore-echo: a sequence of CoAP datagrams (SplitFrames) into a server whose
 * replay window is unknown after a reboot (ForgetReplayWindow, RFC 8613 Appendix B.1.2): a
 * verified request gets a protected 4.01 with an Echo option, and only a request returning
 * that Echo value re-establishes the window.
 *
 * Oracles: nothing throws; no request is accepted before the server has sent an Echo
 * challenge; a request is accepted only with a genuine ciphertext and only once (by
 * 'kid' and Partial IV); an EchoRequired result carries a protected 4.01 whose Echo value
 * is the pending one; every error response encodes.
 * Seeds (gen-*): a request, the request returning the Echo value of the challenge (which is
 * the same for every input: the server's random source is reset per input), then further
 * requests.
 */
#include "oscore-fuzz-contexts.h"

using namespace lpwan_fuzz;

namespace
{

Genuine g_genuine;
const SecurityContext* g_server = nullptr;
constexpr uint32_t kEchoSeed = 7;

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    static const SecurityContext server(Mirror(C1Client()));
    g_server = &server;

    // The recovery as a real client does it, recorded as the seed.
    SecurityContext client(C1Client());
    client.SetSenderSequenceNumber(20);
    SecurityContext rebooted = server;
    FixedRandom echoRandom(kEchoSeed);
    rebooted.ForgetReplayWindow(echoRandom);
    std::vector<Bytes> frames;

    ProtectResult first = ProtectRequest(client, C4Plain());
    g_genuine.Add(first.message);
    frames.push_back(coap::Encode(first.message));
    const UnprotectResult challenged = UnprotectRequest(rebooted, first.message);
    FUZZ_CHECK(challenged.status == Status::EchoRequired, "no challenge");
    UnprotectResult challenge = UnprotectResponse(client, *challenged.errorResponse, first.binding);
    FUZZ_CHECK(challenge.Ok(), challenge.diagnostic.c_str());
    const std::optional<Bytes> echo = GetEchoChallenge(challenge.message);
    FUZZ_CHECK(echo.has_value(), "no Echo value");

    for (const coap::Message& plain : PlainRequests())
    {
        coap::Message withEcho = plain;
        withEcho.AddOption(coap::option::Echo, *echo);
        const ProtectResult r = ProtectRequest(client, withEcho);
        g_genuine.Add(r.message);
        std::vector<Bytes> seed = frames;
        seed.push_back(coap::Encode(r.message));
        // And a later request without Echo, accepted once the window is known.
        const ProtectResult later = ProtectRequest(client, C4Plain());
        g_genuine.Add(later.message);
        seed.push_back(coap::Encode(later.message));
        WriteSeed("echo-" + std::to_string(g_genuine.Size()), JoinFrames(seed));
    }
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    SecurityContext server = *g_server;
    FixedRandom echoRandom(kEchoSeed);
    server.ForgetReplayWindow(echoRandom);
    bool challenged = false;
    std::set<std::pair<Bytes, uint64_t>> accepted;
    for (const Bytes& frame : SplitFrames(data, size))
    {
        const coap::DecodeResult d = coap::Decode(frame);
        if (!d.ok)
        {
            continue;
        }
        const std::optional<Bytes> pending = server.GetPendingEcho();
        const UnprotectResult r = UnprotectRequest(server, d.message);
        CheckErrorResponse(r);
        if (Verbose())
        {
            std::fprintf(stderr, "request: %s\n", StatusName(r.status));
        }
        if (r.status == Status::EchoRequired)
        {
            FUZZ_CHECK(r.errorResponse.has_value(), "EchoRequired without a response");
            FUZZ_CHECK(r.errorResponse->FindOption(coap::option::Oscore) != nullptr,
                       "the Echo challenge is not protected");
            FUZZ_CHECK(server.GetPendingEcho().has_value(), "no pending Echo after a challenge");
            challenged = true;
        }
        if (r.status == Status::Ok)
        {
            FUZZ_CHECK(challenged || pending.has_value(),
                       "a request was accepted with an unknown replay window, unchallenged");
            FUZZ_CHECK(g_genuine.Contains(d.message), "a forged request was accepted");
            FUZZ_CHECK(r.partialIv.has_value(), "an accepted request without Partial IV");
            FUZZ_CHECK(accepted.insert({r.binding.requestKid, *r.partialIv}).second,
                       "a request was accepted twice");
        }
    }
    return 0;
}
