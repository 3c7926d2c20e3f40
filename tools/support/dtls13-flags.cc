#include "dtls13-flags.h"

namespace lpwan
{
namespace tools
{

std::optional<tls13::Dtls13TransportConfig>
BuildDtls13Config(const TlsFlags& flags, bool server, std::shared_ptr<RandomSource> random,
                  std::string* error)
{
    if (!flags.caFile.empty() || !flags.certFile.empty() || !flags.keyFile.empty()
        || !flags.cipherSuites.empty() || !flags.serverName.empty())
    {
        *error
            = "--dtls-version 1.3 takes a pre-shared key only (--dtls-psk-identity, "
              "--dtls-psk-key): no certificates or cipher suites";
        return std::nullopt;
    }
    if (!flags.pskIdentity || !flags.pskKey)
    {
        *error = "--dtls-version 1.3 needs --dtls-psk-identity and --dtls-psk-key";
        return std::nullopt;
    }
    tls13::DtlsOptions dtls;
    if (flags.handshakeTimeoutMinMs)
    {
        dtls.initialTimeout = static_cast<TimeNs>(*flags.handshakeTimeoutMinMs) * 1000000;
    }
    if (flags.handshakeTimeoutMaxMs)
    {
        dtls.maxTimeout = static_cast<TimeNs>(*flags.handshakeTimeoutMaxMs) * 1000000;
    }
    if (dtls.maxTimeout < dtls.initialTimeout)
    {
        *error = "--dtls-handshake-timeout-max must not be below --dtls-handshake-timeout-min";
        return std::nullopt;
    }
    const tls13::ExternalPsk psk{*flags.pskIdentity, *flags.pskKey};
    tls13::Dtls13TransportConfig c;
    c.isServer = server;
    c.random = std::move(random);
    if (server)
    {
        c.connectionIdLength = 2;
        c.server.cipherSuites = {tls13::suite::kAes128Ccm8Sha256};
        c.server.externalPsk = psk;
        c.server.pskKeyExchangeModes = {tls13::kPskKe, tls13::kPskDheKe};
        c.server.keyExchangeGroups = {tls13::group::kSecp256r1, tls13::group::kX25519};
        c.server.dtls = dtls;
    }
    else
    {
        c.client.cipherSuites = {tls13::suite::kAes128Ccm8Sha256};
        c.client.externalPsk = psk;
        c.client.supportedGroups = {};
        c.client.keyShareGroups = {};
        c.client.signatureAlgorithms = {};
        c.client.pskKeyExchangeModes = {tls13::kPskKe};
        c.client.dtls = dtls;
        c.client.dtls->connectionId = tls13::Bytes{};
    }
    return c;
}

} // namespace tools
} // namespace lpwan
