/*
 * The TLS 1.3 client state machine (RFC 8446 appendix A.1) for a full 1-RTT handshake with
 * (EC)DHE and certificate authentication of the server: START -> WAIT_SH -> WAIT_EE ->
 * WAIT_CERT -> WAIT_CV -> WAIT_FINISHED -> CONNECTED. Tickets the server sends afterwards
 * are kept with their resumption PSK (section 4.6.1).
 *
 * With an external PSK (ClientConfig::externalPsk) the ClientHello offers it last, with its
 * binder (section 4.2.11); when the server selects it, WAIT_EE leads to WAIT_FINISHED: no
 * Certificate or CertificateVerify, the PSK authenticates the server. When the server ignores
 * it, the handshake goes on with certificates as without one.
 *
 * Randomness: the ClientHello random (32 bytes), then one private key (32 bytes) per group in
 * keyShareGroups, in order, are the only draws; RFC 8448's client is reproduced by replaying
 * its random and its X25519 private key.
 */
#ifndef LPWAN_TLS13_CLIENT_H
#define LPWAN_TLS13_CLIENT_H

#include "tls13-connection.h"
#include "tls13-extensions.h"
#include "tls13-key-exchange.h"
#include "tls13-psk.h"

#include <functional>
#include <string>

namespace lpwan
{
namespace tls13
{

struct ClientConfig
{
    /// server_name (RFC 6066); not sent when empty.
    std::string serverName;
    /// In preference order; only suites this core implements are useful.
    std::vector<uint16_t> cipherSuites
        = {suite::kAes128GcmSha256, suite::kAes128CcmSha256, suite::kAes128Ccm8Sha256};
    /// supported_groups as advertised (may name groups the core cannot compute, as RFC 8448's
    /// client does; the server can then only pick one of keyShareGroups).
    std::vector<uint16_t> supportedGroups = {group::kX25519, group::kSecp256r1};
    /// Groups a key share is sent for (each must be in supportedGroups).
    std::vector<uint16_t> keyShareGroups = {group::kX25519};
    std::vector<uint16_t> signatureAlgorithms
        = {scheme::kEcdsaSecp256r1Sha256, scheme::kRsaPssRsaeSha256};
    /// psk_key_exchange_modes; not sent when empty (then no PSK can be offered either).
    /// With an external PSK, {kPskDheKe} asks for PSK with (EC)DHE (forward secrecy), adding
    /// kPskKe lets the server use the PSK alone (section 4.2.9).
    std::vector<uint8_t> pskKeyExchangeModes = {kPskDheKe};
    /// An external PSK offered in pre_shared_key (obfuscated_ticket_age 0, an "ext binder"
    /// binder: section 4.2.11). Needs pskKeyExchangeModes.
    std::optional<ExternalPsk> externalPsk;
    /// record_size_limit (RFC 8449); not sent when unset.
    std::optional<uint16_t> recordSizeLimit;
    /// An empty session_ticket extension (RFC 5077) and an empty renegotiation_info (RFC
    /// 5746): meaningless to TLS 1.3, but sent by clients that also speak TLS 1.2 (RFC
    /// 8448's NSS client sends both).
    bool sendSessionTicketExtension = false;
    bool sendRenegotiationInfo = false;
    /// Trust anchors (DER): the server's end-entity certificate must be one of them or chain
    /// to one of them.
    std::vector<Bytes> trustAnchors;
    /// When not empty, the name the server's certificate must carry.
    std::string certificateName;
    /// Raw public keys (RFC 7250): when not empty, the client offers server_certificate_type
    /// {RawPublicKey} and, when the server takes it, accepts only one of these keys
    /// (SubjectPublicKeyInfo, DER) instead of a certificate chain.
    std::vector<Bytes> trustedServerKeys;
    /// Client authentication, used when the server sends a CertificateRequest: the private
    /// key that signs the CertificateVerify, and the certificate chain (end-entity first)
    /// sent with it. With clientRawPublicKey the client offers client_certificate_type
    /// {RawPublicKey} and, when the server takes it, sends the SubjectPublicKeyInfo of
    /// privateKey instead. Without a private key the client answers with an empty Certificate.
    std::vector<Bytes> certificateChain;
    Bytes privateKey;
    bool clientRawPublicKey = false;
    /// When set, signs the client's CertificateVerify content instead of privateKey (a secure
    /// element; a test that records the signature). privateKey still decides the scheme.
    std::function<std::optional<Bytes>(uint16_t scheme, const Bytes& content)> sign;
    /// Receives the connection's secrets when the handshake completes, one line each in the NSS
    /// key log format (Connection::KeyLogLines), for Wireshark and tshark. Empty: none. For
    /// traces of simulations and tests only: it hands out the session's secrets.
    std::function<void(const std::string&)> keyLog;
    /// DTLS 1.3 (RFC 9147) over datagrams instead of TLS 1.3 over a stream: set, the client
    /// writes a DTLS ClientHello (legacy_version 0xfefd, an empty legacy_cookie,
    /// supported_versions 0xfefc, connection_id when options.connectionId is set) and
    /// Receive/TakeDatagrams/NextTimer/OnTimer work on datagrams.
    std::optional<DtlsOptions> dtls;
};

/// A ticket received in a NewSessionTicket with what resuming with it needs.
struct ResumptionTicket
{
    Bytes ticket;
    Bytes psk;
    uint32_t lifetime = 0;
    uint32_t ageAdd = 0;
    Bytes nonce;
    TimeNs receivedAt = 0;
    uint16_t cipherSuite = 0;
    std::optional<uint32_t> maxEarlyDataSize;
};

class Client : public Connection
{
  public:
    Client(ClientConfig config, RandomSource& random);

    /// Sends the ClientHello.
    void Start(TimeNs now);

    const std::vector<ResumptionTicket>& Tickets() const
    {
        return m_tickets;
    }

    /// The server's certificate_list (end-entity first), once received.
    const std::vector<Bytes>& PeerCertificates() const
    {
        return m_peerCertificates;
    }

  protected:
    void OnHandshakeMessage(TimeNs now, const HandshakeMessage& message) override;

  private:
    enum class State
    {
        Start,
        WaitServerHello,
        WaitEncryptedExtensions,
        WaitCertificateOrRequest,
        WaitCertificate,
        WaitCertificateVerify,
        WaitFinished,
        Connected,
    };

    void OnServerHello(const HandshakeMessage& m);
    void OnEncryptedExtensions(const HandshakeMessage& m);
    void OnCertificateRequest(const HandshakeMessage& m);
    void OnCertificate(const HandshakeMessage& m);
    /// The client's Certificate and CertificateVerify answering a CertificateRequest.
    void QueueClientCertificate();
    void OnCertificateVerify(const HandshakeMessage& m);
    void OnFinished(const HandshakeMessage& m);
    void OnNewSessionTicket(TimeNs now, const HandshakeMessage& m);

    ClientConfig m_config;
    RandomSource& m_random;
    State m_state = State::Start;
    std::vector<KeyShareKeyPair> m_keyShares;
    std::vector<Bytes> m_peerCertificates;
    std::vector<ResumptionTicket> m_tickets;
    bool m_pskOffered = false;
    bool m_serverRawPublicKey = false; ///< server_certificate_type RawPublicKey negotiated
    bool m_clientRawPublicKey = false; ///< client_certificate_type RawPublicKey negotiated
    std::optional<CertificateRequest> m_certificateRequest;
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_CLIENT_H
