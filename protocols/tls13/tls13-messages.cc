#include "tls13-messages.h"

#include "tls13-wire.h"

namespace lpwan
{
namespace tls13
{

// RFC 8446 section 4.1.3: SHA-256("HelloRetryRequest").
const Bytes kHelloRetryRequestRandom = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

namespace
{

constexpr size_t kRandomLength = 32;

} // namespace

Bytes
WrapHandshake(HandshakeType type, const Bytes& body)
{
    Writer w;
    w.U8(static_cast<uint8_t>(type));
    w.Vector(3, body);
    return w.Take();
}

// ---------------------------------------------------------------- ClientHello

Bytes
EncodeClientHello(const ClientHello& hello)
{
    Writer w;
    w.U16(hello.legacyVersion);
    w.Raw(hello.random);
    w.Vector(1, hello.legacySessionId);
    if (hello.legacyCookie)
    {
        w.Vector(1, *hello.legacyCookie);
    }
    const size_t suites = w.Open(2);
    for (uint16_t s : hello.cipherSuites)
    {
        w.U16(s);
    }
    w.Close(suites);
    w.Vector(1, hello.legacyCompressionMethods);
    WriteExtensions(w, hello.extensions);
    return WrapHandshake(HandshakeType::ClientHello, w.Take());
}

std::optional<ClientHello>
ParseClientHello(const Bytes& body, bool dtls)
{
    Reader r(body);
    ClientHello h;
    h.legacyVersion = r.U16();
    h.random = r.Raw(kRandomLength);
    h.legacySessionId = r.Vector(1, 0, 32);
    if (dtls)
    {
        h.legacyCookie = r.Vector(1, 0, 255);
    }
    Reader suites = r.Sub(2, 2, 0xfffe);
    if (suites.Remaining() % 2 != 0)
    {
        return std::nullopt;
    }
    while (suites.Ok() && !suites.AtEnd())
    {
        h.cipherSuites.push_back(suites.U16());
    }
    h.legacyCompressionMethods = r.Vector(1, 1, 255);
    // Section 4.1.2: a TLS 1.3 ClientHello has extensions (supported_versions at least).
    ReadExtensions(r, h.extensions, 8);
    if (!suites.Ok() || !r.Done())
    {
        return std::nullopt;
    }
    // Section 4.2.11 wants pre_shared_key last; that is checked by the server, not here,
    // because the RFC's answer is an illegal_parameter alert, not a decode_error.
    return h;
}

// ---------------------------------------------------------------- ServerHello

Bytes
EncodeServerHello(const ServerHello& hello)
{
    Writer w;
    w.U16(hello.legacyVersion);
    w.Raw(hello.random);
    w.Vector(1, hello.legacySessionIdEcho);
    w.U16(hello.cipherSuite);
    w.U8(hello.legacyCompressionMethod);
    WriteExtensions(w, hello.extensions);
    return WrapHandshake(HandshakeType::ServerHello, w.Take());
}

std::optional<ServerHello>
ParseServerHello(const Bytes& body)
{
    Reader r(body);
    ServerHello h;
    h.legacyVersion = r.U16();
    h.random = r.Raw(kRandomLength);
    h.legacySessionIdEcho = r.Vector(1, 0, 32);
    h.cipherSuite = r.U16();
    h.legacyCompressionMethod = r.U8();
    ReadExtensions(r, h.extensions, 6);
    if (!r.Done())
    {
        return std::nullopt;
    }
    return h;
}

// ---------------------------------------------------------------- EncryptedExtensions

Bytes
EncodeEncryptedExtensions(const EncryptedExtensions& ee)
{
    Writer w;
    WriteExtensions(w, ee.extensions);
    return WrapHandshake(HandshakeType::EncryptedExtensions, w.Take());
}

std::optional<EncryptedExtensions>
ParseEncryptedExtensions(const Bytes& body)
{
    Reader r(body);
    EncryptedExtensions ee;
    ReadExtensions(r, ee.extensions);
    if (!r.Done())
    {
        return std::nullopt;
    }
    return ee;
}

// ---------------------------------------------------------------- CertificateRequest

Bytes
EncodeCertificateRequest(const CertificateRequest& request)
{
    Writer w;
    w.Vector(1, request.requestContext);
    WriteExtensions(w, request.extensions);
    return WrapHandshake(HandshakeType::CertificateRequest, w.Take());
}

std::optional<CertificateRequest>
ParseCertificateRequest(const Bytes& body)
{
    Reader r(body);
    CertificateRequest c;
    c.requestContext = r.Vector(1);
    ReadExtensions(r, c.extensions, 2);
    if (!r.Done())
    {
        return std::nullopt;
    }
    return c;
}

// ---------------------------------------------------------------- Certificate

Bytes
EncodeCertificate(const Certificate& certificate)
{
    Writer w;
    w.Vector(1, certificate.requestContext);
    const size_t list = w.Open(3);
    for (const CertificateEntry& e : certificate.entries)
    {
        w.Vector(3, e.certData);
        WriteExtensions(w, e.extensions);
    }
    w.Close(list);
    return WrapHandshake(HandshakeType::Certificate, w.Take());
}

std::optional<Certificate>
ParseCertificate(const Bytes& body)
{
    Reader r(body);
    Certificate c;
    c.requestContext = r.Vector(1);
    Reader list = r.Sub(3);
    while (list.Ok() && !list.AtEnd())
    {
        CertificateEntry e;
        e.certData = list.Vector(3, 1);
        ReadExtensions(list, e.extensions);
        c.entries.push_back(std::move(e));
    }
    if (!list.Ok() || !r.Done())
    {
        return std::nullopt;
    }
    return c;
}

// ---------------------------------------------------------------- CertificateVerify

Bytes
EncodeCertificateVerify(const CertificateVerify& cv)
{
    Writer w;
    w.U16(cv.scheme);
    w.Vector(2, cv.signature);
    return WrapHandshake(HandshakeType::CertificateVerify, w.Take());
}

std::optional<CertificateVerify>
ParseCertificateVerify(const Bytes& body)
{
    Reader r(body);
    CertificateVerify cv;
    cv.scheme = r.U16();
    cv.signature = r.Vector(2);
    if (!r.Done())
    {
        return std::nullopt;
    }
    return cv;
}

// ---------------------------------------------------------------- Finished

Bytes
EncodeFinished(const Bytes& verifyData)
{
    return WrapHandshake(HandshakeType::Finished, verifyData);
}

std::optional<Bytes>
ParseFinished(const Bytes& body)
{
    if (body.size() != kHashLength)
    {
        return std::nullopt;
    }
    return body;
}

// ---------------------------------------------------------------- NewSessionTicket

Bytes
EncodeNewSessionTicket(const NewSessionTicket& ticket)
{
    Writer w;
    w.U32(ticket.lifetime);
    w.U32(ticket.ageAdd);
    w.Vector(1, ticket.nonce);
    w.Vector(2, ticket.ticket);
    WriteExtensions(w, ticket.extensions);
    return WrapHandshake(HandshakeType::NewSessionTicket, w.Take());
}

std::optional<NewSessionTicket>
ParseNewSessionTicket(const Bytes& body)
{
    Reader r(body);
    NewSessionTicket t;
    t.lifetime = r.U32();
    t.ageAdd = r.U32();
    t.nonce = r.Vector(1);
    t.ticket = r.Vector(2, 1);
    ReadExtensions(r, t.extensions);
    // Section 4.6.1: servers MUST NOT use any value greater than 604800 seconds (7 days).
    if (!r.Done() || t.lifetime > 604800)
    {
        return std::nullopt;
    }
    return t;
}

// ---------------------------------------------------------------- reassembly

void
HandshakeReassembler::Add(const Bytes& fragment)
{
    m_buffer.insert(m_buffer.end(), fragment.begin(), fragment.end());
}

std::optional<HandshakeMessage>
HandshakeReassembler::Next()
{
    if (m_failed || m_buffer.size() < 4)
    {
        return std::nullopt;
    }
    const size_t length = (static_cast<size_t>(m_buffer[1]) << 16)
                          | (static_cast<size_t>(m_buffer[2]) << 8) | m_buffer[3];
    if (length > m_maxMessageLength)
    {
        m_failed = true;
        return std::nullopt;
    }
    if (m_buffer.size() < 4 + length)
    {
        return std::nullopt;
    }
    HandshakeMessage m;
    m.type = static_cast<HandshakeType>(m_buffer[0]);
    m.full.assign(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(4 + length));
    m.body.assign(m.full.begin() + 4, m.full.end());
    m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(4 + length));
    return m;
}

} // namespace tls13
} // namespace lpwan
