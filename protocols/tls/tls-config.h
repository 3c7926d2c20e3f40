/*
 * What a DTLS 1.2 / TLS 1.2 endpoint is configured with, and the mbedTLS objects built from
 * it: one mbedtls_ssl_config with its DRBG, credentials, HelloVerifyRequest cookie key,
 * session cache and ticket key. A Config is immutable once built and is shared (through a
 * shared_ptr) by every Session that uses it: a server's thousand client sessions share one
 * Config, so per-client memory is only the mbedTLS session context.
 *
 * Only TLS 1.2 / DTLS 1.2 is offered (mbedTLS 2.28 has no (D)TLS 1.3). Only curve P-256 and
 * SHA-256 signatures are offered, to keep ClientHellos small and match the test PKI.
 */
#ifndef LPWAN_TLS_CONFIG_H
#define LPWAN_TLS_CONFIG_H

#include "protocols/common/sans-io.h"
#include "simulated-wall-clock.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct mbedtls_ssl_config;

namespace lpwan
{
namespace tls
{

enum class Role
{
    Client,
    Server,
};

enum class Transport
{
    Datagram, ///< DTLS 1.2 over UDP-like datagrams
    Stream,   ///< TLS 1.2 over a TCP-like byte stream (e.g. MQTT over TLS)
};

/// How a server lets clients resume a session with an abbreviated handshake.
enum class Resumption
{
    None,
    SessionCache,   ///< server keeps sessions by session ID (mbedtls_ssl_cache)
    SessionTickets, ///< server hands out encrypted tickets (RFC 5077, mbedtls_ssl_ticket)
};

/// The max_fragment_length extension (RFC 6066) a client requests.
enum class MaxFragmentLength
{
    None,
    Bytes512,
    Bytes1024,
    Bytes2048,
    Bytes4096,
};

/// Cipher suite numbers (IANA registry values, which are also mbedTLS's identifiers).
constexpr int kTlsPskWithAes128Ccm8 = 0xC0A8;
constexpr int kTlsPskWithAes128GcmSha256 = 0x00A8;
constexpr int kTlsEcdheEcdsaWithAes128Ccm8 = 0xC0AE;
constexpr int kTlsEcdheEcdsaWithAes128GcmSha256 = 0xC02B;

struct PskIdentity
{
    std::vector<uint8_t> identity;
    std::vector<uint8_t> key;
};

struct Options
{
    Role role = Role::Client;
    Transport transport = Transport::Datagram;

    // ---- pre-shared keys ----
    /// Client: the identity and key it presents. Server: one accepted identity (may be used
    /// together with pskTable).
    std::optional<PskIdentity> psk;
    /// Server: further accepted identities (one per device); an unknown identity fails the
    /// handshake with an unknown_psk_identity alert.
    std::vector<PskIdentity> pskTable;

    // ---- certificates (ECDHE-ECDSA) ----
    /// The CA that signs the peer's certificate (DER). Empty: no certificate suites.
    std::vector<uint8_t> trustedCaDer;
    /// Our own certificate and private key (DER). A client without one can still verify a
    /// server, but a server with verifyPeer demands one.
    std::vector<uint8_t> certificateDer;
    std::vector<uint8_t> privateKeyDer;
    /// Client: the name the server's certificate must carry (checked against the CN, and sent
    /// as SNI). Empty: the chain is verified but not the name.
    std::string serverName;
    /// Verify the peer's certificate against trustedCaDer (server: require a client
    /// certificate, i.e. mutual authentication). Ignored for PSK suites.
    bool verifyPeer = true;

    /// Suites offered (client) or accepted (server), most preferred first. Empty: TLS_PSK_WITH_
    /// AES_128_CCM_8 when a PSK is configured, then TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 when
    /// certificates are. The server picks by its own order.
    std::vector<int> cipherSuites;

    // ---- DTLS ----
    /// Server: answer a ClientHello without a valid cookie with a HelloVerifyRequest
    /// (RFC 6347 section 4.2.1), stateless (mbedtls_ssl_cookie).
    bool helloVerify = true;
    /// Retransmission timer: first timeout and the limit after which the handshake fails
    /// (doubling in between; mbedtls_ssl_conf_handshake_timeout).
    uint32_t handshakeTimeoutMinMs = 1000;
    uint32_t handshakeTimeoutMaxMs = 60000;
    /// Default for SessionOptions::mtu (0: mbedTLS's default, no datagram limit).
    uint16_t mtu = 0;
    /// Records with a bad MAC tolerated before the session fails (0: unlimited, RFC 6347).
    uint32_t badMacLimit = 0;

    // ---- both ----
    MaxFragmentLength maxFragmentLength = MaxFragmentLength::None;
    /// Server: how it offers resumption. Client: SessionTickets makes it ask for a ticket.
    Resumption resumption = Resumption::SessionCache;
    uint32_t sessionLifetimeSeconds = 86400;
    uint32_t sessionCacheEntries = 1000;

    /// The wall clock mbedTLS sees at simulated time zero (seconds since 1970, UTC); a
    /// session's wall clock is this plus its simulated time (see simulated-wall-clock.h).
    /// nullopt: the real clock, for drivers on real sockets.
    std::optional<int64_t> wallClockBase = kDefaultWallClockBase;

    /// Receives one line per completed handshake in the NSS key log format
    /// ("CLIENT_RANDOM <client random> <master secret>", hex, newline-terminated), which
    /// Wireshark and tshark read (tls.keylog_file) to decrypt (D)TLS 1.2 records. Empty: none.
    /// For traces of simulations and tests only: it hands out every session's secret.
    std::function<void(const std::string&)> keyLog;

    /// mbedTLS debug output to stderr at this level (0: none, 4: everything). Global in
    /// mbedTLS: the last Config built wins. For debugging interop, never in simulations.
    int debugLevel = 0;
};

class Config
{
  public:
    /// Builds the mbedTLS configuration. `random` seeds the DRBG every session of this config
    /// draws from, and must outlive the Config. Throws std::invalid_argument for inconsistent
    /// options (no credentials, a certificate that does not parse, unknown cipher suite) and
    /// std::runtime_error when mbedTLS fails.
    Config(const Options& options, lpwan::RandomSource& random);
    ~Config();
    Config(const Config&) = delete;
    Config& operator=(const Config&) = delete;

    const Options& GetOptions() const
    {
        return m_options;
    }

    /// The suites actually configured (after defaults).
    const std::vector<int>& GetCipherSuites() const;

    /// The mbedTLS configuration the sessions are set up with.
    const mbedtls_ssl_config* GetSslConfig() const;

    /// Server: a restart lost the sessions kept for resumption (the session cache is in RAM):
    /// the next handshake of every client is a full one. Session tickets stay valid (their
    /// key is the configuration's, as with a ticket key kept in storage).
    void ForgetSessionCache() const;

    /// The simulated wall clock at `now`, or nullopt when the real clock is used.
    std::optional<int64_t> WallClockAt(lpwan::TimeNs now) const;

    /// Convenience: the shared_ptr every Session takes.
    static std::shared_ptr<const Config> Create(const Options& options, lpwan::RandomSource& random)
    {
        return std::make_shared<const Config>(options, random);
    }

  private:
    struct Impl;
    Options m_options;
    std::unique_ptr<Impl> m_impl;
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_CONFIG_H
