/*
 * The TLS 1.3 server state machine (RFC 8446 appendix A.2) for a full 1-RTT handshake with
 * (EC)DHE and a certificate: RECVD_CH -> NEGOTIATED (ServerHello, then EncryptedExtensions,
 * Certificate, CertificateVerify and Finished in one protected flight) -> WAIT_FINISHED ->
 * CONNECTED, then an optional NewSessionTicket.
 *
 * With an external PSK (ServerConfig::externalPsk) that the client offers with a valid binder,
 * the server selects it (pre_shared_key in the ServerHello) and its flight is EncryptedExtensions
 * and Finished only: the PSK authenticates it, no certificate is needed (RFC 8446 section 2.2).
 * psk_dhe_ke adds an (EC)DHE exchange as in the full handshake; psk_ke uses the PSK alone.
 *
 * Randomness, in order: the ServerHello random (32 bytes), the private key of the chosen
 * group (32 bytes; none with psk_ke), the first ticket's ticket_age_add (4 bytes, when tickets are
 * issued), then whatever the CertificateVerify signature draws (RSA-PSS salt and blinding, or the
 * ECDSA nonce). The ticket's age_add is drawn with the hello values so that a trace with a
 * randomized signature (RFC 8448's RSA-PSS) can still be replayed byte for byte elsewhere.
 */
#ifndef LPWAN_TLS13_SERVER_H
#define LPWAN_TLS13_SERVER_H

#include "tls13-connection.h"
#include "tls13-extensions.h"
#include "tls13-key-exchange.h"
#include "tls13-psk.h"

#include <functional>

namespace lpwan
{
namespace tls13
{

struct ServerConfig
{
    /// In preference order.
    std::vector<uint16_t> cipherSuites
        = {suite::kAes128GcmSha256, suite::kAes128CcmSha256, suite::kAes128Ccm8Sha256};
    /// Key exchange groups in preference order (ones this core can compute).
    std::vector<uint16_t> keyExchangeGroups = {group::kX25519, group::kSecp256r1};
    /// supported_groups sent in EncryptedExtensions (section 4.2.7 lets a server tell the
    /// client its preferences; RFC 8448's does). Not sent when empty.
    std::vector<uint16_t> advertisedGroups;
    /// certificate_list, end-entity first (DER), and the end-entity's private key (DER). Not
    /// needed when every client authenticates with the external PSK.
    std::vector<Bytes> certificateChain;
    Bytes privateKey;
    /// Raw public keys (RFC 7250): when the client offers server_certificate_type with
    /// RawPublicKey, the server authenticates with the SubjectPublicKeyInfo of privateKey
    /// instead of certificateChain (which may then be empty).
    bool rawPublicKey = false;
    /// Client authentication (section 4.3.2): a CertificateRequest (empty context,
    /// signature_algorithms = clientSignatureAlgorithms) follows EncryptedExtensions in a
    /// certificate-authenticated handshake; a client that sends no certificate fails with
    /// certificate_required. Its certificate must chain to clientTrustAnchors, or, when it
    /// offered client_certificate_type RawPublicKey and trustedClientKeys is not empty, its
    /// key must be one of trustedClientKeys (SubjectPublicKeyInfo, DER).
    bool requestClientCertificate = false;
    std::vector<uint16_t> clientSignatureAlgorithms = {scheme::kEcdsaSecp256r1Sha256};
    std::vector<Bytes> clientTrustAnchors;
    std::vector<Bytes> trustedClientKeys;
    /// Looks a client's raw public key up among many (a server provisioned with one per
    /// device): consulted when trustedClientKeys does not hold it.
    std::function<bool(const Bytes& subjectPublicKeyInfo)> isTrustedClientKey;
    /// When set, signs the CertificateVerify content instead of privateKey (a secure element
    /// or HSM holding the key; a test injecting a published signature). privateKey still
    /// decides the scheme.
    std::function<std::optional<Bytes>(uint16_t scheme, const Bytes& content)> sign;
    /// record_size_limit (RFC 8449), sent only when the client sent one.
    std::optional<uint16_t> recordSizeLimit;
    /// An external PSK the server selects when a client offers its identity (section
    /// 4.2.11), in the first of pskKeyExchangeModes the client also offers (psk_dhe_ke only
    /// with a key share the server can use; no HelloRetryRequest).
    std::optional<ExternalPsk> externalPsk;
    /// Looks an offered identity up among many external PSKs (a server provisioned with one
    /// per device, as the simulated broker is): consulted when externalPsk does not match it.
    std::function<std::optional<ExternalPsk>(const Bytes& identity)> findExternalPsk;
    std::vector<uint8_t> pskKeyExchangeModes = {kPskDheKe, kPskKe};

    /// Tickets: one NewSessionTicket after the client's Finished when ticketLifetime > 0 and
    /// sealTicket is set. sealTicket turns the resumption PSK into the opaque ticket.
    uint32_t ticketLifetime = 0;
    size_t ticketNonceLength = 2; ///< the nonce is a counter of this many bytes
    std::optional<uint32_t> maxEarlyDataSize;
    std::function<Bytes(const Bytes& resumptionPsk)> sealTicket;
    /// Receives the connection's secrets when the handshake completes, one line each in the NSS
    /// key log format (Connection::KeyLogLines), for Wireshark and tshark. Empty: none. For
    /// traces of simulations and tests only: it hands out the session's secrets.
    std::function<void(const std::string&)> keyLog;
    /// DTLS 1.3 (RFC 9147) over datagrams: set, the server reads a DTLS ClientHello, answers
    /// with legacy_version 0xfefd and supported_versions 0xfefc, sends its
    /// options.connectionId when the client offered connection_id, and ACKs the client's final
    /// flight. Tickets are not sent over DTLS (post-handshake messages need an ACK state
    /// machine of their own, not implemented): ticketLifetime must then be 0.
    std::optional<DtlsOptions> dtls;
};

class Server : public Connection
{
  public:
    Server(ServerConfig config, RandomSource& random);

    /// The server_name the client sent (empty when none).
    const std::string& ServerName() const
    {
        return m_serverName;
    }

  protected:
    void OnHandshakeMessage(TimeNs now, const HandshakeMessage& message) override;

  private:
    enum class State
    {
        WaitClientHello,
        WaitClientCertificate,
        WaitClientCertificateVerify,
        WaitFinished,
        Connected,
    };

    void OnClientHello(const HandshakeMessage& m);
    void OnClientCertificate(const HandshakeMessage& m);
    void OnClientCertificateVerify(const HandshakeMessage& m);
    void OnFinished(const HandshakeMessage& m);
    /// Certificate and CertificateVerify (signed with scheme): the certificate-authenticated
    /// part of the server's flight.
    void QueueCertificateAndSignature(uint16_t scheme);
    void SendTicket();

    ServerConfig m_config;
    RandomSource& m_random;
    State m_state = State::WaitClientHello;
    bool m_serverRawPublicKey = false; ///< negotiated server_certificate_type
    bool m_clientRawPublicKey = false; ///< negotiated client_certificate_type
    bool m_clientCertificateRequested = false;
    Bytes m_clientKey;          ///< the client's certificate (DER) or raw public key, once received
    Bytes m_serverFinishedHash; ///< Transcript-Hash(ClientHello ... server Finished)
    std::string m_serverName;
    uint32_t m_nextAgeAdd = 0;
    uint64_t m_ticketCounter = 0;
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_SERVER_H
