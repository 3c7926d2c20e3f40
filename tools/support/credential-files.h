/*
 * Certificates and private keys from files, as the tools take them on the command line (PEM,
 * as OpenSSL, libcoap and mosquitto use them, or DER), turned into the DER that tls::Options
 * wants. mbedTLS does the parsing; a file that does not parse is an error naming it.
 */
#ifndef LPWAN_TOOLS_CREDENTIAL_FILES_H
#define LPWAN_TOOLS_CREDENTIAL_FILES_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

/// The first certificate in a PEM or DER file, as DER. nullopt with *error when the file
/// cannot be read or holds no certificate.
std::optional<std::vector<uint8_t>> LoadCertificateDer(const std::string& path, std::string* error);

/// An unencrypted private key (SEC1 "EC PRIVATE KEY" or PKCS#8, PEM or DER), as DER.
std::optional<std::vector<uint8_t>> LoadPrivateKeyDer(const std::string& path, std::string* error);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_CREDENTIAL_FILES_H
