/*
 * Builds the mbedTLS configuration from Options; see tls-config.h.
 */

#include "tls-config.h"

#include "protocols/common/hex.h"
#include "tls-drbg.h"
#include "tls-session.h"

#include <mbedtls/debug.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/ssl_cookie.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>

#include <cstdio>
#include <stdexcept>

namespace lpwan
{
namespace tls
{

namespace
{

// Offered in the supported_groups and signature_algorithms extensions: only what the test
// PKI and the suites use, so that Hellos carry no bytes a constrained device would not send.
const mbedtls_ecp_group_id kCurves[] = {MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_NONE};
const int kSigHashes[] = {MBEDTLS_MD_SHA256, MBEDTLS_MD_NONE};

void
Check(int rc, const std::string& what)
{
    if (rc != 0)
    {
        throw std::runtime_error("tls::Config: " + what + " failed (mbedTLS error "
                                 + std::to_string(rc) + ")");
    }
}

unsigned char
MflCode(MaxFragmentLength mfl)
{
    switch (mfl)
    {
        case MaxFragmentLength::Bytes512:
            return MBEDTLS_SSL_MAX_FRAG_LEN_512;
        case MaxFragmentLength::Bytes1024:
            return MBEDTLS_SSL_MAX_FRAG_LEN_1024;
        case MaxFragmentLength::Bytes2048:
            return MBEDTLS_SSL_MAX_FRAG_LEN_2048;
        case MaxFragmentLength::Bytes4096:
            return MBEDTLS_SSL_MAX_FRAG_LEN_4096;
        case MaxFragmentLength::None:
            break;
    }
    return MBEDTLS_SSL_MAX_FRAG_LEN_NONE;
}

void
DebugToStderr(void*, int level, const char* file, int line, const char* message)
{
    std::fprintf(stderr, "mbedtls[%d] %s:%d: %s", level, file, line, message);
}

} // namespace

struct Config::Impl
{
    explicit Impl(lpwan::RandomSource& random)
      : drbg(random, "lpwan-sec tls::Config")
    {
        mbedtls_ssl_config_init(&conf);
        mbedtls_ssl_cookie_init(&cookie);
        mbedtls_ssl_cache_init(&cache);
        mbedtls_ssl_ticket_init(&ticket);
        mbedtls_x509_crt_init(&ca);
        mbedtls_x509_crt_init(&own);
        mbedtls_pk_init(&key);
    }

    ~Impl()
    {
        mbedtls_ssl_config_free(&conf);
        mbedtls_ssl_cookie_free(&cookie);
        mbedtls_ssl_cache_free(&cache);
        mbedtls_ssl_ticket_free(&ticket);
        mbedtls_x509_crt_free(&ca);
        mbedtls_x509_crt_free(&own);
        mbedtls_pk_free(&key);
    }

    /// mbedTLS hands over the master secret after each handshake (MBEDTLS_SSL_EXPORT_KEYS):
    /// written as an NSS key log line.
    static int ExportKeys(void* self, const unsigned char* masterSecret, const unsigned char*,
                          size_t, size_t, size_t, const unsigned char clientRandom[32],
                          const unsigned char[32], mbedtls_tls_prf_types)
    {
        const auto* impl = static_cast<const Impl*>(self);
        impl->keyLog("CLIENT_RANDOM " + lpwan::ToHex(clientRandom, 32) + " "
                     + lpwan::ToHex(masterSecret, 48) + "\n");
        return 0;
    }

    /// Server: mbedTLS asks for the key of the identity a client presents.
    static int LookUpPsk(void* self, mbedtls_ssl_context* ssl, const unsigned char* identity,
                         size_t length)
    {
        const auto* impl = static_cast<const Impl*>(self);
        const std::vector<uint8_t> id(identity, identity + length);
        for (const PskIdentity& entry : impl->pskTable)
        {
            if (entry.identity == id)
            {
                Session::NotePskIdentity(ssl, id);
                return mbedtls_ssl_set_hs_psk(ssl, entry.key.data(), entry.key.size());
            }
        }
        return -1; // mbedTLS answers with unknown_psk_identity
    }

    Drbg drbg;
    mbedtls_ssl_config conf;
    mbedtls_ssl_cookie_ctx cookie;
    mbedtls_ssl_cache_context cache;
    mbedtls_ssl_ticket_context ticket;
    mbedtls_x509_crt ca;
    mbedtls_x509_crt own;
    mbedtls_pk_context key;
    std::vector<PskIdentity> pskTable;
    std::function<void(const std::string&)> keyLog; ///< Options::keyLog
    std::vector<int> suites;                        ///< zero-terminated, as mbedTLS wants it
    std::vector<int> suiteList;
};

void
Config::ForgetSessionCache() const
{
    if (m_options.role != Role::Server || m_options.resumption != Resumption::SessionCache)
    {
        return;
    }
    // The configuration keeps pointing at the same cache object: empty it in place.
    mbedtls_ssl_cache_free(&m_impl->cache);
    mbedtls_ssl_cache_init(&m_impl->cache);
    mbedtls_ssl_cache_set_max_entries(&m_impl->cache,
                                      static_cast<int>(m_options.sessionCacheEntries));
    mbedtls_ssl_cache_set_timeout(&m_impl->cache,
                                  static_cast<int>(m_options.sessionLifetimeSeconds));
}

Config::Config(const Options& options, lpwan::RandomSource& random)
  : m_options(options)
  , m_impl(std::make_unique<Impl>(random))
{
    // Cookie and ticket keys record their creation time: let them see the simulated clock.
    std::optional<SimulatedWallClock> clock;
    if (options.wallClockBase)
    {
        clock.emplace(*options.wallClockBase);
    }
    Impl& d = *m_impl;
    const bool server = options.role == Role::Server;
    const bool datagram = options.transport == Transport::Datagram;
    mbedtls_ssl_config& conf = d.conf;

    Check(mbedtls_ssl_config_defaults(&conf, server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                      datagram ? MBEDTLS_SSL_TRANSPORT_DATAGRAM
                                               : MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT),
          "ssl_config_defaults");
    mbedtls_ssl_conf_rng(&conf, &Drbg::Generate, d.drbg.Context());
    // (D)TLS 1.2 only: for DTLS, minor version 3 is DTLS 1.2.
    mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_curves(&conf, kCurves);
    mbedtls_ssl_conf_sig_hashes(&conf, kSigHashes);

    if (options.debugLevel > 0)
    {
        mbedtls_ssl_conf_dbg(&conf, &DebugToStderr, nullptr);
        mbedtls_debug_set_threshold(options.debugLevel);
    }

    // ---- credentials ----
    const bool hasPsk = options.psk.has_value() || (server && !options.pskTable.empty());
    if (options.psk)
    {
        if (options.psk->identity.empty() || options.psk->key.empty())
        {
            throw std::invalid_argument("tls::Config: a PSK needs an identity and a key");
        }
        if (!server)
        {
            Check(mbedtls_ssl_conf_psk(&conf, options.psk->key.data(), options.psk->key.size(),
                                       options.psk->identity.data(), options.psk->identity.size()),
                  "ssl_conf_psk");
        }
        else
        {
            d.pskTable.push_back(*options.psk);
        }
    }
    if (server)
    {
        d.pskTable.insert(d.pskTable.end(), options.pskTable.begin(), options.pskTable.end());
        if (!d.pskTable.empty())
        {
            mbedtls_ssl_conf_psk_cb(&conf, &Impl::LookUpPsk, &d);
        }
    }

    const bool hasCertificate = !options.certificateDer.empty();
    const bool hasCa = !options.trustedCaDer.empty();
    if (hasCa)
    {
        if (mbedtls_x509_crt_parse_der(&d.ca, options.trustedCaDer.data(),
                                       options.trustedCaDer.size())
            != 0)
        {
            throw std::invalid_argument("tls::Config: trustedCaDer is not a certificate");
        }
        mbedtls_ssl_conf_ca_chain(&conf, &d.ca, nullptr);
    }
    if (hasCertificate)
    {
        if (mbedtls_x509_crt_parse_der(&d.own, options.certificateDer.data(),
                                       options.certificateDer.size())
            != 0)
        {
            throw std::invalid_argument("tls::Config: certificateDer is not a certificate");
        }
        if (mbedtls_pk_parse_key(&d.key, options.privateKeyDer.data(), options.privateKeyDer.size(),
                                 nullptr, 0)
            != 0)
        {
            throw std::invalid_argument("tls::Config: privateKeyDer is not a private key");
        }
        Check(mbedtls_ssl_conf_own_cert(&conf, &d.own, &d.key), "ssl_conf_own_cert");
    }
    const bool certificateSuites = server ? hasCertificate : hasCa;
    if (!hasPsk && !certificateSuites)
    {
        throw std::invalid_argument(server ? "tls::Config: a server needs PSK identities or a "
                                             "certificate and key"
                                           : "tls::Config: a client needs a PSK or a trusted CA");
    }
    if (certificateSuites)
    {
        const bool verify = options.verifyPeer && (server ? hasCa : true);
        if (server && options.verifyPeer && !hasCa)
        {
            throw std::invalid_argument("tls::Config: verifyPeer on a server needs trustedCaDer");
        }
        mbedtls_ssl_conf_authmode(&conf,
                                  verify ? MBEDTLS_SSL_VERIFY_REQUIRED : MBEDTLS_SSL_VERIFY_NONE);
    }

    // ---- cipher suites ----
    d.suiteList = options.cipherSuites;
    if (d.suiteList.empty())
    {
        if (hasPsk)
        {
            d.suiteList.push_back(kTlsPskWithAes128Ccm8);
        }
        if (certificateSuites)
        {
            d.suiteList.push_back(kTlsEcdheEcdsaWithAes128Ccm8);
        }
    }
    for (int suite : d.suiteList)
    {
        if (mbedtls_ssl_ciphersuite_from_id(suite) == nullptr)
        {
            throw std::invalid_argument("tls::Config: cipher suite " + std::to_string(suite)
                                        + " is not supported by this mbedTLS");
        }
    }
    d.suites = d.suiteList;
    d.suites.push_back(0);
    mbedtls_ssl_conf_ciphersuites(&conf, d.suites.data());

    // ---- DTLS ----
    if (datagram)
    {
        if (options.handshakeTimeoutMinMs == 0
            || options.handshakeTimeoutMaxMs < options.handshakeTimeoutMinMs)
        {
            throw std::invalid_argument(
                "tls::Config: need 0 < handshakeTimeoutMinMs <= "
                "handshakeTimeoutMaxMs");
        }
        mbedtls_ssl_conf_handshake_timeout(&conf, options.handshakeTimeoutMinMs,
                                           options.handshakeTimeoutMaxMs);
        mbedtls_ssl_conf_dtls_badmac_limit(&conf, options.badMacLimit);
        if (server)
        {
            if (options.helloVerify)
            {
                Check(mbedtls_ssl_cookie_setup(&d.cookie, &Drbg::Generate, d.drbg.Context()),
                      "ssl_cookie_setup");
                mbedtls_ssl_conf_dtls_cookies(&conf, mbedtls_ssl_cookie_write,
                                              mbedtls_ssl_cookie_check, &d.cookie);
            }
            else
            {
                // mbedTLS's default for DTLS servers is a dummy that rejects every cookie.
                mbedtls_ssl_conf_dtls_cookies(&conf, nullptr, nullptr, nullptr);
            }
        }
    }

    if (options.keyLog)
    {
        d.keyLog = options.keyLog;
        mbedtls_ssl_conf_export_keys_ext_cb(&conf, &Impl::ExportKeys, &d);
    }

    // ---- fragment length, resumption ----
    if (!server && options.maxFragmentLength != MaxFragmentLength::None)
    {
        Check(mbedtls_ssl_conf_max_frag_len(&conf, MflCode(options.maxFragmentLength)),
              "ssl_conf_max_frag_len");
    }
    if (server)
    {
        if (options.resumption == Resumption::SessionCache)
        {
            mbedtls_ssl_cache_set_max_entries(&d.cache,
                                              static_cast<int>(options.sessionCacheEntries));
            mbedtls_ssl_cache_set_timeout(&d.cache,
                                          static_cast<int>(options.sessionLifetimeSeconds));
            mbedtls_ssl_conf_session_cache(&conf, &d.cache, mbedtls_ssl_cache_get,
                                           mbedtls_ssl_cache_set);
        }
        else if (options.resumption == Resumption::SessionTickets)
        {
            Check(mbedtls_ssl_ticket_setup(&d.ticket, &Drbg::Generate, d.drbg.Context(),
                                           MBEDTLS_CIPHER_AES_128_GCM,
                                           options.sessionLifetimeSeconds),
                  "ssl_ticket_setup");
            mbedtls_ssl_conf_session_tickets_cb(&conf, mbedtls_ssl_ticket_write,
                                                mbedtls_ssl_ticket_parse, &d.ticket);
        }
    }
    else
    {
        mbedtls_ssl_conf_session_tickets(&conf, options.resumption == Resumption::SessionTickets
                                                    ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                    : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
    }
}

Config::~Config() = default;

const std::vector<int>&
Config::GetCipherSuites() const
{
    return m_impl->suiteList;
}

const mbedtls_ssl_config*
Config::GetSslConfig() const
{
    return &m_impl->conf;
}

std::optional<int64_t>
Config::WallClockAt(lpwan::TimeNs now) const
{
    if (!m_options.wallClockBase)
    {
        return std::nullopt;
    }
    // Whole seconds, rounded down, as time() reports them.
    const lpwan::TimeNs second = 1000000000;
    const lpwan::TimeNs seconds = now >= 0 ? now / second : -((-now + second - 1) / second);
    return *m_options.wallClockBase + seconds;
}

} // namespace tls
} // namespace lpwan
