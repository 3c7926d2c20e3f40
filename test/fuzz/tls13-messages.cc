/*
 * Fuzz target tls13-messages: the TLS 1.3 handshake message parsers (protocols/tls13,
 * RFC 8446 section 4) and the handshake reassembler.
 *
 * Input: one selector byte, then bytes. Selector % 16 picks ClientHello, ServerHello,
 * EncryptedExtensions, Certificate, CertificateVerify, Finished or NewSessionTicket (0-6),
 * CertificateRequest (8) or a DTLS 1.3 ClientHello (9), whose parser gets the bytes as a
 * message body; 7 feeds the bytes to a HandshakeReassembler in pieces of selector / 16 + 1
 * bytes; 10 hands them to the connection_id and certificate type extension decoders; 11-15 cut
 * them as a DTLS 1.3 datagram into records (SplitDtlsDatagram) with a connection ID of 0-4
 * bytes.
 *
 * Oracles: nothing crashes, throws or leaks; the codec is lossless, so a body a parser accepts
 * (and an extension a decoder accepts) encodes back to exactly the same bytes; the datagram
 * splitter returns records that lie inside the datagram, in order; the reassembler hands out only
 * messages whose header length matches their body, never more bytes than it was given, and the
 * same messages however the bytes were cut.
 *
 * Seeds: RFC 8448 section 3's messages (gen-*, from test/tls/tls13-rfc8448-vectors.h).
 */
#include "protocols/tls13/tls13-messages.h"

#include "fuzz-check.h"
#include "protocols/common/hex.h"
#include "protocols/tls13/dtls13-record.h"
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
        case 6:
            if (auto m = ParseNewSessionTicket(body))
            {
                return EncodeNewSessionTicket(*m);
            }
            return std::nullopt;
        case 8:
            if (auto m = ParseCertificateRequest(body))
            {
                return EncodeCertificateRequest(*m);
            }
            return std::nullopt;
        default:
            if (auto m = ParseClientHello(body, true))
            {
                return EncodeClientHello(*m);
            }
            return std::nullopt;
    }
}

/// The extension decoders of DTLS 1.3 and raw public keys: what they accept encodes back.
void
CheckExtensionDecoders(const Bytes& bytes)
{
    if (const std::optional<Bytes> cid = DecodeConnectionId(bytes))
    {
        FUZZ_CHECK(EncodeConnectionId(*cid) == bytes, "connection_id does not encode back");
    }
    if (const auto types = DecodeCertificateTypeList(bytes))
    {
        FUZZ_CHECK(EncodeCertificateTypeList(*types) == bytes,
                   "certificate types do not encode back");
    }
    if (const std::optional<uint8_t> type = DecodeCertificateType(bytes))
    {
        FUZZ_CHECK(bytes == Bytes{*type}, "a certificate type is one byte");
    }
}

/// SplitDtlsDatagram's records lie inside the datagram, one after the other.
void
CheckDatagramSplit(const Bytes& bytes, size_t cidLength)
{
    size_t consumed = 0;
    for (const DtlsWireRecord& r : SplitDtlsDatagram(bytes.data(), bytes.size(), cidLength))
    {
        const size_t length = r.ciphertext ? r.header.size() + r.encrypted.size()
                                           : kDtlsPlaintextHeaderLength + r.fragment.size();
        consumed += length;
        FUZZ_CHECK(consumed <= bytes.size(), "records beyond the datagram");
        if (r.ciphertext)
        {
            FUZZ_CHECK((r.header[0] & 0xe0) == 0x20, "a ciphertext record without the 001 bits");
            FUZZ_CHECK(r.sequenceOffset + r.sequenceLength <= r.header.size(),
                       "sequence number outside the header");
        }
    }
}

const HandshakeType kTypes[]
    = {HandshakeType::ClientHello,         HandshakeType::ServerHello,
       HandshakeType::EncryptedExtensions, HandshakeType::Certificate,
       HandshakeType::CertificateVerify,   HandshakeType::Finished,
       HandshakeType::NewSessionTicket,    HandshakeType::ClientHello,  // 7: not a parser
       HandshakeType::CertificateRequest,  HandshakeType::ClientHello}; // 9: DTLS

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
    Bytes flight{7 + 16 * 4};
    for (const char* hex : {rfc8448::kEncryptedExtensions, rfc8448::kCertificate,
                            rfc8448::kCertificateVerify, rfc8448::kServerFinished})
    {
        const Bytes m = *FromHex(hex);
        flight.insert(flight.end(), m.begin(), m.end());
    }
    WriteSeed("flight", flight);
    // The DTLS 1.3 and raw-public-key additions, built with the encoders.
    CertificateRequest request;
    request.extensions.push_back(
        {ext::kSignatureAlgorithms, EncodeU16List({scheme::kEcdsaSecp256r1Sha256})});
    const Bytes requestMessage = EncodeCertificateRequest(request);
    Bytes seed{8};
    seed.insert(seed.end(), requestMessage.begin() + 4, requestMessage.end());
    WriteSeed("certificate-request", seed);
    ClientHello hello;
    hello.legacyVersion = kDtls12;
    hello.random = Bytes(32, 0x5a);
    hello.legacyCookie = Bytes{};
    hello.cipherSuites = {suite::kAes128Ccm8Sha256};
    hello.extensions = {{ext::kSupportedVersions, EncodeClientSupportedVersions({kDtls13})},
                        {ext::kConnectionId, EncodeConnectionId({0x42})}};
    const Bytes helloMessage = EncodeClientHello(hello);
    seed = {9};
    seed.insert(seed.end(), helloMessage.begin() + 4, helloMessage.end());
    WriteSeed("dtls-client-hello", seed);
    seed = {10};
    const Bytes cid = EncodeConnectionId({0x42, 0x43});
    seed.insert(seed.end(), cid.begin(), cid.end());
    WriteSeed("connection-id", seed);
    // A datagram: a DTLSPlaintext handshake record, then a unified-header record with a 1-byte
    // CID, a 16-bit sequence number and a length (selector 12: CIDs of 1 byte).
    seed = {12};
    const Bytes plain = EncodeDtlsPlaintext(ContentType::Handshake, 0, 0, Bytes(20, 0x01));
    seed.insert(seed.end(), plain.begin(), plain.end());
    const Bytes protectedRecord = {0x3e, 0x42, 0x00, 0x07, 0x00, 0x10, 1,  2,  3,  4,  5,
                                   6,    7,    8,    9,    10,   11,   12, 13, 14, 15, 16};
    seed.insert(seed.end(), protectedRecord.begin(), protectedRecord.end());
    WriteSeed("dtls-datagram", seed);
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
    const uint8_t which = selector % 16;
    if (which == 10)
    {
        CheckExtensionDecoders(bytes);
        return 0;
    }
    if (which >= 11)
    {
        CheckDatagramSplit(bytes, which - 11);
        return 0;
    }
    if (which != 7)
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
    const std::vector<HandshakeMessage> inPieces = Reassemble(bytes, selector / 16 + 1);
    const std::vector<HandshakeMessage> whole = Reassemble(bytes, bytes.size() + 1);
    FUZZ_CHECK(inPieces.size() == whole.size(), "the cut changed how many messages came out");
    for (size_t i = 0; i < whole.size(); ++i)
    {
        FUZZ_CHECK(inPieces[i].full == whole[i].full, "the cut changed a message");
    }
    return 0;
}
