#include "tls13-iot-profile.h"

namespace lpwan
{
namespace tls13
{

ClientConfig
IotClientConfig(bool psk)
{
    ClientConfig client;
    client.cipherSuites = {suite::kAes128Ccm8Sha256};
    client.supportedGroups = {group::kX25519};
    client.keyShareGroups = {group::kX25519};
    client.signatureAlgorithms = {scheme::kEcdsaSecp256r1Sha256};
    if (psk)
    {
        client.pskKeyExchangeModes = {kPskDheKe};
    }
    else
    {
        client.pskKeyExchangeModes.clear();
    }
    return client;
}

ServerConfig
IotServerConfig(bool psk)
{
    ServerConfig server;
    server.cipherSuites = {suite::kAes128Ccm8Sha256};
    server.keyExchangeGroups = {group::kX25519};
    if (psk)
    {
        server.pskKeyExchangeModes = {kPskDheKe};
    }
    return server;
}

} // namespace tls13
} // namespace lpwan
