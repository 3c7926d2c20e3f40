/*
 * Handshake messages (RFC 8446 section 4): the 4-byte Handshake header, and the bodies of
 * ClientHello, ServerHello (a HelloRetryRequest is a ServerHello with the special random of
 * section 4.1.3), EncryptedExtensions, Certificate, CertificateVerify, Finished and
 * NewSessionTicket. Encode* returns the whole message, header included (what the transcript
 * hashes); Parse* takes the body and accepts exactly one well-formed structure.
 */
#ifndef LPWAN_TLS13_MESSAGES_H
#define LPWAN_TLS13_MESSAGES_H

#include "tls13-extensions.h"
#include "tls13-types.h"

#include <optional>

namespace lpwan
{
namespace tls13
{

/// The SHA-256 of "HelloRetryRequest" that a HelloRetryRequest carries as its random.
extern const Bytes kHelloRetryRequestRandom;

/// msg_type || uint24 length || body.
Bytes WrapHandshake(HandshakeType type, const Bytes& body);

struct ClientHello
{
    uint16_t legacyVersion = kTls12;
    Bytes random;          ///< 32 bytes
    Bytes legacySessionId; ///< <0..32>
    /// DTLS only (RFC 9147 section 5.3): legacy_cookie<0..2^8-1> after the session id, empty
    /// from a DTLS 1.3 client. nullopt: a TLS ClientHello, which has no such field.
    std::optional<Bytes> legacyCookie;
    std::vector<uint16_t> cipherSuites;
    Bytes legacyCompressionMethods = {0};
    Extensions extensions;
};

Bytes EncodeClientHello(const ClientHello& hello);
/// dtls: the DTLS ClientHello, with legacy_cookie (then legacyCookie is set).
std::optional<ClientHello> ParseClientHello(const Bytes& body, bool dtls = false);

struct ServerHello
{
    uint16_t legacyVersion = kTls12;
    Bytes random; ///< 32 bytes
    Bytes legacySessionIdEcho;
    uint16_t cipherSuite = 0;
    uint8_t legacyCompressionMethod = 0;
    Extensions extensions;

    bool IsHelloRetryRequest() const
    {
        return random == kHelloRetryRequestRandom;
    }
};

Bytes EncodeServerHello(const ServerHello& hello);
std::optional<ServerHello> ParseServerHello(const Bytes& body);

struct EncryptedExtensions
{
    Extensions extensions;
};

Bytes EncodeEncryptedExtensions(const EncryptedExtensions& ee);
std::optional<EncryptedExtensions> ParseEncryptedExtensions(const Bytes& body);

/// CertificateRequest (section 4.3.2): signature_algorithms is required among the extensions.
struct CertificateRequest
{
    Bytes requestContext; ///< <0..255>
    Extensions extensions;
};
Bytes EncodeCertificateRequest(const CertificateRequest& request);
std::optional<CertificateRequest> ParseCertificateRequest(const Bytes& body);

struct CertificateEntry
{
    Bytes certData; ///< X.509 DER <1..2^24-1>
    Extensions extensions;
};

struct Certificate
{
    Bytes requestContext; ///< <0..255>
    std::vector<CertificateEntry> entries;
};

Bytes EncodeCertificate(const Certificate& certificate);
std::optional<Certificate> ParseCertificate(const Bytes& body);

struct CertificateVerify
{
    uint16_t scheme = 0;
    Bytes signature; ///< <0..2^16-1>
};

Bytes EncodeCertificateVerify(const CertificateVerify& cv);
std::optional<CertificateVerify> ParseCertificateVerify(const Bytes& body);

/// Finished carries verify_data of Hash.length bytes and nothing else.
Bytes EncodeFinished(const Bytes& verifyData);
std::optional<Bytes> ParseFinished(const Bytes& body);

struct NewSessionTicket
{
    uint32_t lifetime = 0; ///< seconds, at most 604800 (section 4.6.1)
    uint32_t ageAdd = 0;
    Bytes nonce;  ///< <0..255>
    Bytes ticket; ///< <1..2^16-1>
    Extensions extensions;
};

Bytes EncodeNewSessionTicket(const NewSessionTicket& ticket);
std::optional<NewSessionTicket> ParseNewSessionTicket(const Bytes& body);

/// A complete handshake message taken from a reassembly buffer.
struct HandshakeMessage
{
    HandshakeType type;
    Bytes body;
    Bytes full; ///< header and body, as hashed into the transcript
};

/// Reassembles handshake messages from the plaintext of handshake records: a message may span
/// records and a record may hold several (section 5.1).
class HandshakeReassembler
{
  public:
    explicit HandshakeReassembler(size_t maxMessageLength = 65536)
      : m_maxMessageLength(maxMessageLength)
    {
    }

    void Add(const Bytes& fragment);
    /// The next complete message; nullopt when more bytes are needed or on an error (Failed()).
    std::optional<HandshakeMessage> Next();

    bool Empty() const
    {
        return m_buffer.empty();
    }

    bool Failed() const
    {
        return m_failed;
    }

  private:
    Bytes m_buffer;
    size_t m_maxMessageLength;
    bool m_failed = false;
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_MESSAGES_H
