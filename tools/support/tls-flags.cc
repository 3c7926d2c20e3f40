/*
 * (D)TLS flags; see tls-flags.h.
 */

#include "tls-flags.h"

#include "credential-files.h"
#include "hex.h"
#include "posix/os-random-source.h"

#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <exception>

namespace lpwan
{
namespace tools
{

namespace
{

bool
IsDatagram(const TlsFlagStyle& style)
{
    return style.transport == tls::Transport::Datagram;
}

bool
IsClient(const TlsFlagStyle& style)
{
    return style.role == tls::Role::Client;
}

std::optional<std::vector<uint8_t>>
Text(const std::string& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

/// False with *error when the key is not the private half of the certificate's public key.
bool
KeyMatchesCertificate(const std::vector<uint8_t>& certificateDer,
                      const std::vector<uint8_t>& keyDer, std::string* error)
{
    mbedtls_x509_crt crt;
    mbedtls_pk_context key;
    mbedtls_x509_crt_init(&crt);
    mbedtls_pk_init(&key);
    const bool ok
        = mbedtls_x509_crt_parse_der(&crt, certificateDer.data(), certificateDer.size()) == 0
          && mbedtls_pk_parse_key(&key, keyDer.data(), keyDer.size(), nullptr, 0) == 0
          && mbedtls_pk_check_pair(&crt.pk, &key) == 0;
    mbedtls_x509_crt_free(&crt);
    mbedtls_pk_free(&key);
    if (!ok)
    {
        *error = "the private key does not belong to the certificate";
    }
    return ok;
}

} // namespace

bool
TlsFlags::Any() const
{
    return pskIdentity || pskKey || !caFile.empty() || !certFile.empty() || !keyFile.empty()
           || !serverName.empty() || !cipherSuites.empty() || handshakeTimeoutMinMs
           || handshakeTimeoutMaxMs;
}

std::optional<int>
ParseCipherSuite(const std::string& name)
{
    std::string dashed = name;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    std::transform(dashed.begin(), dashed.end(), dashed.begin(),
                   [](unsigned char c)
                   {
                       return static_cast<char>(std::toupper(c));
                   });
    const int id = mbedtls_ssl_get_ciphersuite_id(dashed.c_str());
    if (id == 0)
    {
        return std::nullopt;
    }
    return id;
}

po::options_description
TlsOptions(const TlsFlagStyle& s)
{
    // Option keys are the flag names without the leading "--".
    const std::string k = s.prefix.substr(2);
    const bool client = IsClient(s);
    po::options_description o(std::string(IsDatagram(s) ? "DTLS 1.2" : "TLS 1.2")
                              + " (mbedTLS; any of these flags turns it on)");
    const auto value = [](const char* name)
    {
        return po::value<std::string>()->value_name(name);
    };
    o.add_options()((k + "psk-identity").c_str(), value("ID"),
                    client ? "pre-shared key identity to present"
                           : "the pre-shared key identity accepted");
    o.add_options()((k + "psk-key").c_str(), value("KEY"),
                    "the pre-shared key, as text (like libcoap's -k)");
    o.add_options()((k + "psk-key-hex").c_str(), value("HEX"), "the pre-shared key in hex");
    o.add_options()((k + "ca").c_str(), value("FILE"),
                    client ? "CA certificate (PEM or DER) that must have signed the server's "
                             "certificate"
                           : "CA certificate (PEM or DER) that must have signed the client's: "
                             "clients must present one");
    o.add_options()((k + "cert").c_str(), value("FILE"),
                    client ? "own certificate (PEM or DER), for servers that ask"
                           : "the server's certificate (PEM or DER)");
    o.add_options()((k + "key").c_str(), value("FILE"),
                    "the certificate's private key (PEM or DER, unencrypted)");
    if (client)
    {
        o.add_options()((k + "server-name").c_str(), value("NAME"),
                        "the name the server's certificate must carry (its CN); default: the "
                        "host when it is a name (an IPv4 address is not checked, only the "
                        "chain)");
    }
    o.add_options()((k + "cipher-suite").c_str(),
                    po::value<std::vector<std::string>>()->value_name("NAME"),
                    "offer/accept this suite (repeatable, in order), e.g. "
                    "TLS_PSK_WITH_AES_128_CCM_8; default: the PSK and/or ECDHE-ECDSA suites "
                    "with AES-128-CCM-8, then AES-128-GCM");
    if (IsDatagram(s))
    {
        o.add_options()((k + "handshake-timeout-min").c_str(), value("S"),
                        "first handshake retransmission timeout (default 1)");
        o.add_options()((k + "handshake-timeout-max").c_str(), value("S"),
                        "give the handshake up when the doubling timeout passes S seconds "
                        "(default 60)");
        o.add_options()((k + "version").c_str(), value("1.2|1.3"),
                        "DTLS 1.2 (mbedTLS, the default) or DTLS 1.3 (this project's, RFC 9147: "
                        "a pre-shared key only, TLS_AES_128_CCM_8_SHA256, connection IDs)");
    }
    return o;
}

bool
ReadTlsFlags(const TlsFlagStyle& style, const po::variables_map& values, TlsFlags* flags,
             std::string* error)
{
    const std::string& p = style.prefix;
    const std::string k = p.substr(2);
    const std::string* identity = GivenValue(values, k + "psk-identity");
    const std::string* key = GivenValue(values, k + "psk-key");
    const std::string* keyHex = GivenValue(values, k + "psk-key-hex");
    if (key != nullptr && keyHex != nullptr)
    {
        *error = p + "psk-key and " + p + "psk-key-hex: only one key";
        return false;
    }
    if (identity != nullptr)
    {
        if (identity->empty())
        {
            *error = p + "psk-identity: must not be empty";
            return false;
        }
        flags->pskIdentity = Text(*identity);
    }
    if (key != nullptr)
    {
        if (key->empty())
        {
            *error = p + "psk-key: must not be empty";
            return false;
        }
        flags->pskKey = Text(*key);
    }
    if (keyHex != nullptr)
    {
        std::string why;
        flags->pskKey = ParseHex(*keyHex, &why);
        if (!flags->pskKey)
        {
            *error = p + "psk-key-hex: " + why;
            return false;
        }
        if (flags->pskKey->empty())
        {
            *error = p + "psk-key-hex: must not be empty";
            return false;
        }
    }
    for (const auto& [flag, into] : {std::pair<const char*, std::string*>{"ca", &flags->caFile},
                                     {"cert", &flags->certFile},
                                     {"key", &flags->keyFile}})
    {
        if (const std::string* file = GivenValue(values, k + flag))
        {
            if (file->empty())
            {
                *error = p + flag + ": empty file name";
                return false;
            }
            *into = *file;
        }
    }
    if (IsClient(style))
    {
        if (const std::string* name = GivenValue(values, k + "server-name"))
        {
            flags->serverName = *name;
        }
    }
    for (const std::string& name : GivenValues(values, k + "cipher-suite"))
    {
        const std::optional<int> suite = ParseCipherSuite(name);
        if (!suite)
        {
            *error = p + "cipher-suite: '" + name + "' is not a cipher suite this mbedTLS supports";
            return false;
        }
        flags->cipherSuites.push_back(*suite);
    }
    if (IsDatagram(style))
    {
        for (const auto& [flag, into] :
             {std::pair<const char*, std::optional<uint32_t>*>{"handshake-timeout-min",
                                                               &flags->handshakeTimeoutMinMs},
              {"handshake-timeout-max", &flags->handshakeTimeoutMaxMs}})
        {
            if (const std::string* text = GivenValue(values, k + flag))
            {
                const std::optional<double> seconds
                    = ParseNumber(p + flag, *text, 0.001, 3600, error);
                if (!seconds)
                {
                    return false;
                }
                *into = static_cast<uint32_t>(*seconds * 1000 + 0.5);
            }
        }
        if (const std::string* version = GivenValue(values, k + "version"))
        {
            if (*version != "1.2" && *version != "1.3")
            {
                *error = p + "version: '" + *version + "' is not 1.2 or 1.3";
                return false;
            }
            flags->dtls13 = *version == "1.3";
        }
    }
    return true;
}

std::optional<tls::Options>
BuildTlsOptions(const TlsFlagStyle& style, const TlsFlags& flags, std::string* error)
{
    if (!flags.Any())
    {
        return std::nullopt;
    }
    const std::string& p = style.prefix;
    tls::Options o;
    o.role = style.role;
    o.transport = style.transport;
    o.wallClockBase = std::nullopt; // the real clock: real certificates, real peers

    if (flags.pskIdentity.has_value() != flags.pskKey.has_value())
    {
        *error = "a pre-shared key needs " + p + "psk-identity and " + p + "psk-key (or " + p
                 + "psk-key-hex)";
        return std::nullopt;
    }
    if (flags.pskIdentity)
    {
        o.psk = tls::PskIdentity{*flags.pskIdentity, *flags.pskKey};
    }

    if (!flags.caFile.empty())
    {
        const auto ca = LoadCertificateDer(flags.caFile, error);
        if (!ca)
        {
            *error = p + "ca: " + *error;
            return std::nullopt;
        }
        o.trustedCaDer = *ca;
    }
    if (flags.certFile.empty() != flags.keyFile.empty())
    {
        *error = p + "cert and " + p + "key go together";
        return std::nullopt;
    }
    if (!flags.certFile.empty())
    {
        const auto certificate = LoadCertificateDer(flags.certFile, error);
        if (!certificate)
        {
            *error = p + "cert: " + *error;
            return std::nullopt;
        }
        const auto key = LoadPrivateKeyDer(flags.keyFile, error);
        if (!key)
        {
            *error = p + "key: " + *error;
            return std::nullopt;
        }
        if (!KeyMatchesCertificate(*certificate, *key, error))
        {
            *error = p + "key: " + *error;
            return std::nullopt;
        }
        o.certificateDer = *certificate;
        o.privateKeyDer = *key;
    }
    if (IsClient(style) && !o.certificateDer.empty() && o.trustedCaDer.empty())
    {
        *error = p + "cert needs " + p + "ca (the CA of the server's certificate)";
        return std::nullopt;
    }
    const bool certificates = IsClient(style) ? !o.trustedCaDer.empty() : !o.certificateDer.empty();
    if (!o.psk && !certificates)
    {
        *error = IsClient(style) ? "(D)TLS needs " + p + "psk-identity and " + p + "psk-key, or "
                                       + p + "ca (certificates)"
                                 : "(D)TLS needs " + p + "psk-identity and " + p + "psk-key, or "
                                       + p + "cert and " + p + "key";
        return std::nullopt;
    }
    // A server verifies client certificates when it was given a CA to verify them with.
    o.verifyPeer = IsClient(style) || !o.trustedCaDer.empty();
    o.serverName = flags.serverName;

    o.cipherSuites = flags.cipherSuites;
    if (o.cipherSuites.empty())
    {
        if (o.psk)
        {
            o.cipherSuites.push_back(tls::kTlsPskWithAes128Ccm8);
            o.cipherSuites.push_back(tls::kTlsPskWithAes128GcmSha256);
        }
        if (certificates)
        {
            o.cipherSuites.push_back(tls::kTlsEcdheEcdsaWithAes128Ccm8);
            o.cipherSuites.push_back(tls::kTlsEcdheEcdsaWithAes128GcmSha256);
        }
    }
    if (flags.handshakeTimeoutMinMs)
    {
        o.handshakeTimeoutMinMs = *flags.handshakeTimeoutMinMs;
    }
    if (flags.handshakeTimeoutMaxMs)
    {
        o.handshakeTimeoutMaxMs = *flags.handshakeTimeoutMaxMs;
    }
    if (o.handshakeTimeoutMaxMs < o.handshakeTimeoutMinMs)
    {
        *error = p + "handshake-timeout-max must not be below " + p + "handshake-timeout-min ("
                 + std::to_string(o.handshakeTimeoutMinMs) + " ms)";
        return std::nullopt;
    }
    // Whatever else mbedTLS objects to shows now, as a usage error, not mid-run.
    try
    {
        OsRandomSource random;
        tls::Config check(o, random);
    }
    catch (const std::exception& e)
    {
        *error = e.what();
        return std::nullopt;
    }
    return o;
}

} // namespace tools
} // namespace lpwan
