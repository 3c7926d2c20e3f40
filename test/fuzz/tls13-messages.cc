/*
 * Fuzz target tls13-messages: the TLS 1.3 handshake message parsers (protocols/tls13,
 * RFC 8446 section 4) and the handshake reassembler.
 *
 * Input: one selector byte, then bytes. Selector % 8 picks ClientHello, ServerHello,
 * EncryptedExtensions, Certificate, CertificateVerify, Finished or NewSessionTicket, whose
 * parser gets the bytes as a message body; 7 feeds the bytes to a HandshakeReassembler in
 * pieces of selector / 8 + 1 bytes.
 *
 * Oracles: nothing crashes, throws or leaks; the codec is lossless, so a body a parser accepts
 * encodes back to exactly the same message (header and body); the reassembler hands out only
 * messages whose header length matches their body, never more bytes than it was given, and the
 * same messages however the bytes were cut.
 *
 * Seeds: RFC 8448 section 3's messages (gen-*, from test/tls/tls13-rfc8448-vectors.h).
 */
#include "protocols/tls13/tls13-messages.h"

#include "fuzz-check.h"
#include "protocols/common/hex.h"
#include "tls/tls13-rfc8448-vectors.h"

using namespace lpwan;
using namespace lpwan::tls13;
using namespace lpwan_fuzz;

namespace
{

/// Parses body as the selected type and encodes what it parsed (nullopt: refused).
std::optional<Bytes>
ParseAndEncode(uint8_t which, const Bytes& body)
{
    switch (which)
    {
        case 0:
            if (auto m = ParseClientHello(body))
            {
                return EncodeClientHello(*m);
            }
            return std::nullopt;
        case 1:
            if (auto m = ParseServerHello(body))
            {
                return EncodeServerHello(*m);
            }
            return std::nullopt;
        case 2:
            if (auto m = ParseEncryptedExtensions(body))
            {
                return EncodeEncryptedExtensions(*m);
            }
            return std::nullopt;
        case 3:
            if (auto m = ParseCertificate(body))
            {
                return EncodeCertificate(*m);
            }
            return std::nullopt;
        case 4:
            if (auto m = ParseCertificateVerify(body))
            {
                return EncodeCertificateVerify(*m);
            }
            return std::nullopt;
        case 5:
            if (auto m = ParseFinished(body))
            {
                return EncodeFinished(*m);
            }
            return std::nullopt;
        default:
            if (auto m = ParseNewSessionTicket(body))
            {
                return EncodeNewSessionTicket(*m);
            }
            return std::nullopt;
    }
}

const HandshakeType kTypes[] = {HandshakeType::ClientHello,         HandshakeType::ServerHello,
                                HandshakeType::EncryptedExtensions, HandshakeType::Certificate,
                                HandshakeType::CertificateVerify,   HandshakeType::Finished,
                                HandshakeType::NewSessionTicket};

/// Every message the reassembler hands out when fed bytes in pieces of `piece`.
std::vector<HandshakeMessage>
Reassemble(const Bytes& bytes, size_t piece)
{
    HandshakeReassembler r;
    std::vector<HandshakeMessage> out;
    size_t handedOut = 0;
    for (size_t at = 0; at < bytes.size(); at += piece)
    {
        r.Add(Bytes(bytes.begin() + at, bytes.begin() + std::min(bytes.size(), at + piece)));
        while (auto m = r.Next())
        {
            handedOut += m->full.size();
            FUZZ_CHECK(m->full.size() == 4 + m->body.size(), "header + body != message");
            FUZZ_CHECK(m->full[0] == static_cast<uint8_t>(m->type), "type byte");
            const size_t length
                = (size_t{m->full[1]} << 16) | (size_t{m->full[2]} << 8) | m->full[3];
            FUZZ_CHECK(length == m->body.size(), "header length != body length");
            FUZZ_CHECK(handedOut <= at + piece, "handed out more bytes than it was given");
            out.push_back(*m);
        }
    }
    return out;
}

void
Seed(const std::string& name, uint8_t selector, const char* messageHex)
{
    const Bytes message = *FromHex(messageHex);
    Bytes seed{selector};
    seed.insert(seed.end(), message.begin() + 4, message.end()); // the body
    WriteSeed(name, seed);
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    Seed("client-hello", 0, rfc8448::kClientHello);
    Seed("server-hello", 1, rfc8448::kServerHello);
    Seed("encrypted-extensions", 2, rfc8448::kEncryptedExtensions);
    Seed("certificate", 3, rfc8448::kCertificate);
    Seed("certificate-verify", 4, rfc8448::kCertificateVerify);
    Seed("finished", 5, rfc8448::kServerFinished);
    Seed("new-session-ticket", 6, rfc8448::kNewSessionTicket);
    // The server's whole flight, for the reassembler, in pieces of 5 bytes.
    Bytes flight{7 + 8 * 4};
    for (const char* hex : {rfc8448::kEncryptedExtensions, rfc8448::kCertificate,
                            rfc8448::kCertificateVerify, rfc8448::kServerFinished})
    {
        const Bytes m = *FromHex(hex);
        flight.insert(flight.end(), m.begin(), m.end());
    }
    WriteSeed("flight", flight);
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    const uint8_t selector = data[0];
    const Bytes bytes(data + 1, data + size);
    const uint8_t which = selector % 8;
    if (which < 7)
    {
        if (const std::optional<Bytes> encoded = ParseAndEncode(which, bytes))
        {
            FUZZ_CHECK(*encoded == WrapHandshake(kTypes[which], bytes),
                       "an accepted body does not encode back to itself");
            if (Verbose())
            {
                std::fprintf(stderr, "type %u: accepted %zu bytes\n", which, bytes.size());
            }
        }
        return 0;
    }
    const std::vector<HandshakeMessage> inPieces = Reassemble(bytes, selector / 8 + 1);
    const std::vector<HandshakeMessage> whole = Reassemble(bytes, bytes.size() + 1);
    FUZZ_CHECK(inPieces.size() == whole.size(), "the cut changed how many messages came out");
    for (size_t i = 0; i < whole.size(); ++i)
    {
        FUZZ_CHECK(inPieces[i].full == whole[i].full, "the cut changed a message");
    }
    return 0;
}
