/*
 * (D)TLS flags; see tls-flags.h.
 */

#include "tls-flags.h"

#include "argument-values.h"
#include "credential-files.h"
#include "hex.h"
#include "posix/os-random-source.h"

#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <exception>

namespace ns3
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

bool
ConsumeTlsFlag(const TlsFlagStyle& style, const std::string& name, ArgumentReader& reader,
               TlsFlags& flags, std::string* error)
{
    if (name.compare(0, style.prefix.size(), style.prefix) != 0)
    {
        return false;
    }
    const std::string flag = name.substr(style.prefix.size());
    const bool known = flag == "psk-identity" || flag == "psk-key" || flag == "psk-key-hex"
                       || flag == "ca" || flag == "cert" || flag == "key" || flag == "cipher-suite"
                       || (IsClient(style) && flag == "server-name")
                       || (IsDatagram(style)
                           && (flag == "handshake-timeout-min" || flag == "handshake-timeout-max"));
    if (!known)
    {
        return false;
    }
    const std::optional<std::string> value = reader.Value(error);
    if (!value)
    {
        return true;
    }
    if (flag == "psk-identity" || flag == "psk-key" || flag == "psk-key-hex")
    {
        std::optional<std::vector<uint8_t>>& into
            = flag == "psk-identity" ? flags.pskIdentity : flags.pskKey;
        if (flag != "psk-identity" && flags.pskKey)
        {
            *error = style.prefix + "psk-key and " + style.prefix + "psk-key-hex: only one key";
            return true;
        }
        std::string why;
        into = flag == "psk-key-hex" ? ParseHex(*value, &why) : Text(*value);
        if (!into)
        {
            *error = name + ": " + why;
        }
        else if (into->empty())
        {
            *error = name + ": must not be empty";
        }
    }
    else if (flag == "ca" || flag == "cert" || flag == "key")
    {
        std::string& into = flag == "ca"     ? flags.caFile
                            : flag == "cert" ? flags.certFile
                                             : flags.keyFile;
        into = *value;
        if (value->empty())
        {
            *error = name + ": empty file name";
        }
    }
    else if (flag == "server-name")
    {
        flags.serverName = *value;
    }
    else if (flag == "cipher-suite")
    {
        const std::optional<int> suite = ParseCipherSuite(*value);
        if (!suite)
        {
            *error = name + ": '" + *value + "' is not a cipher suite this mbedTLS supports";
        }
        else
        {
            flags.cipherSuites.push_back(*suite);
        }
    }
    else
    {
        const std::optional<double> seconds = ParseNumber(name, *value, 0.001, 3600, error);
        if (seconds)
        {
            const auto ms = static_cast<uint32_t>(*seconds * 1000 + 0.5);
            (flag == "handshake-timeout-min" ? flags.handshakeTimeoutMinMs
                                             : flags.handshakeTimeoutMaxMs)
                = ms;
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

std::string
TlsFlagsUsage(const TlsFlagStyle& s)
{
    const std::string& p = s.prefix;
    const bool client = IsClient(s);
    auto line = [](const std::string& flag, const std::string& text)
    {
        std::string l = "  " + flag;
        l += l.size() < 30 ? std::string(30 - l.size(), ' ') : "\n" + std::string(30, ' ');
        return l + text + "\n";
    };
    std::string u = std::string(IsDatagram(s) ? "DTLS 1.2" : "TLS 1.2")
                    + " (mbedTLS; any of these flags turns it on):\n";
    u += line(p + "psk-identity ID", client ? "pre-shared key identity to present"
                                            : "the pre-shared key identity accepted");
    u += line(p + "psk-key KEY", "the pre-shared key, as text (like libcoap's -k)");
    u += line(p + "psk-key-hex HEX", "the pre-shared key in hex");
    u += line(p + "ca FILE", client ? "CA certificate (PEM or DER) that must have signed the\n"
                                      "                              server's certificate"
                                    : "CA certificate (PEM or DER) that must have signed the\n"
                                      "                              client's: clients must "
                                      "present one");
    u += line(p + "cert FILE", client ? "own certificate (PEM or DER), for servers that ask"
                                      : "the server's certificate (PEM or DER)");
    u += line(p + "key FILE", "the certificate's private key (PEM or DER, unencrypted)");
    if (client)
    {
        u += line(p + "server-name NAME",
                  "the name the server's certificate must carry (its CN);\n"
                  "                              default: the host when it is a name (an IPv4\n"
                  "                              address is not checked, only the chain)");
    }
    u += line(p + "cipher-suite NAME",
              "offer/accept this suite (repeatable, in order), e.g.\n"
              "                              TLS_PSK_WITH_AES_128_CCM_8; default: the PSK and/or\n"
              "                              ECDHE-ECDSA suites with AES-128-CCM-8, then "
              "AES-128-GCM");
    if (IsDatagram(s))
    {
        u += line(p + "handshake-timeout-min S",
                  "first handshake retransmission timeout (default 1)");
        u += line(p + "handshake-timeout-max S",
                  "give the handshake up when the doubling timeout\n"
                  "                              passes S seconds (default 60)");
    }
    return u;
}

} // namespace tools
} // namespace ns3
