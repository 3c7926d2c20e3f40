/*
 * The OSCORE fuzz targets' fixed contexts: the RFC 8613 Appendix C input parameters (C.1 to
 * C.3) and the plain requests of the test vectors, and the set of genuine ciphertexts an
 * oracle checks accepted messages against (the fuzzer cannot forge an AEAD tag, so a message
 * accepted with any other ciphertext would be a finding).
 */
#ifndef LPWAN_TEST_FUZZ_OSCORE_FUZZ_CONTEXTS_H
#define LPWAN_TEST_FUZZ_OSCORE_FUZZ_CONTEXTS_H

#include "fuzz-check.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/common/hex.h"
#include "protocols/oscore/oscore-protect.h"
#include "protocols/oscore/oscore-security-context.h"

#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <tuple>

namespace lpwan_fuzz
{

using namespace lpwan;
using namespace lpwan::oscore;

inline Bytes
Hex(const std::string& hex)
{
    std::optional<Bytes> b = lpwan::FromHex(hex, " ");
    if (!b)
    {
        throw std::invalid_argument("odd hex string");
    }
    return *b;
}

/// RFC 8613 C.1.1: client, Sender ID empty.
inline ContextParameters
C1Client()
{
    ContextParameters p;
    p.masterSecret = Hex("0102030405060708090a0b0c0d0e0f10");
    p.masterSalt = Hex("9e7ca92223786340");
    p.recipientId = Hex("01");
    return p;
}

/// C.2.1: client, Sender ID 00, no Master Salt.
inline ContextParameters
C2Client()
{
    ContextParameters p;
    p.masterSecret = Hex("0102030405060708090a0b0c0d0e0f10");
    p.senderId = Hex("00");
    p.recipientId = Hex("01");
    return p;
}

/// C.3.1: C.1 with an ID Context, sent as 'kid context' (C.6).
inline ContextParameters
C3Client()
{
    ContextParameters p = C1Client();
    p.idContext = Hex("37cbf3210017a2d3");
    p.sendKidContext = true;
    return p;
}

/// The other endpoint's parameters.
inline ContextParameters
Mirror(ContextParameters p)
{
    std::swap(p.senderId, p.recipientId);
    return p;
}

inline coap::Message
DecodeOrDie(const Bytes& datagram)
{
    coap::DecodeResult r = coap::Decode(datagram);
    FUZZ_CHECK(r.ok, "a fixed message does not decode");
    return r.message;
}

/// The unprotected request of C.4 (GET coap://localhost/tv1).
inline coap::Message
C4Plain()
{
    return DecodeOrDie(Hex("44015d1f00003974396c6f63616c686f737483747631"));
}

/// The unprotected response of C.7 (2.05 "Hello World!").
inline coap::Message
C7Plain()
{
    return DecodeOrDie(Hex("64455d1f00003974ff48656c6c6f20576f726c6421"));
}

/// Plain requests of several shapes for seeds: C.4, an Observe registration, a POST with a
/// payload and Content-Format, a PUT with an Inner Block1 option.
inline std::vector<coap::Message>
PlainRequests()
{
    std::vector<coap::Message> out{C4Plain()};
    coap::Message observe = C4Plain();
    observe.token = {0x4a, 0x01};
    observe.AddUintOption(coap::option::Observe, 0);
    out.push_back(observe);
    coap::Message post;
    post.code = coap::code::Post;
    post.messageId = 0x1234;
    post.token = {0x01, 0x02, 0x03, 0x04};
    post.SetUriPath("/sensors/temp");
    post.AddUintOption(coap::option::ContentFormat, 60);
    post.payload = {0xa1, 0x01, 0x18, 0x2a};
    out.push_back(post);
    coap::Message put = post;
    put.code = coap::code::Put;
    put.AddOption(coap::option::Block1, {0x0a});
    out.push_back(put);
    return out;
}

/// Ciphertexts of genuine protected messages, which alone may be accepted.
class Genuine
{
  public:
    void Add(const coap::Message& protectedMessage)
    {
        m_payloads.insert(protectedMessage.payload);
    }

    bool Contains(const coap::Message& received) const
    {
        return m_payloads.count(received.payload) > 0;
    }

    size_t Size() const
    {
        return m_payloads.size();
    }

  private:
    std::set<Bytes> m_payloads;
};

/// Every response the server side produces must be sendable.
inline void
CheckErrorResponse(const UnprotectResult& r)
{
    if (r.errorResponse)
    {
        const coap::DecodeResult d = coap::Decode(coap::Encode(*r.errorResponse));
        FUZZ_CHECK(d.ok, "an error response does not encode");
        FUZZ_CHECK(d.message.IsResponse(), "an error response is not a response");
    }
}

} // namespace lpwan_fuzz

#endif // LPWAN_TEST_FUZZ_OSCORE_FUZZ_CONTEXTS_H
