/*
 * A small ECDSA P-256 PKI built in memory with mbedTLS's X.509 writer: a self-signed CA, a
 * server certificate and client (device) certificates it signs. Keys come from a Drbg seeded
 * by an lpwan::RandomSource, and every field (names, serials, validity) is fixed, so the
 * same seed gives the same DER bytes -- certificate sizes in a simulation are those of real
 * certificates, and runs stay reproducible. The validity period (2025-01-01 to 2036-01-01 by
 * default) covers the default simulated wall clock (kDefaultWallClockBase, 2026-01-01).
 *
 * The certificates carry no subjectAltName (mbedTLS 2.28 cannot write one): mbedTLS and
 * OpenSSL then match the expected host name against the subject CN.
 */
#ifndef LPWAN_TLS_TEST_PKI_H
#define LPWAN_TLS_TEST_PKI_H

#include "protocols/common/sans-io.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lpwan
{
namespace tls
{

/// A certificate and its private key, DER and PEM encoded.
struct CertifiedKey
{
    std::vector<uint8_t> certificateDer;
    std::vector<uint8_t> privateKeyDer; ///< SEC1 ECPrivateKey
    std::string certificatePem;
    std::string privateKeyPem;
};

struct PkiOptions
{
    std::string caSubject = "CN=lpwan-sec test CA,O=lpwan-sec";
    std::string serverSubject = "CN=server.lpwan.test,O=lpwan-sec";
    std::string clientSubject = "CN=device-0001,O=lpwan-sec";
    /// Validity, as mbedTLS wants it: "YYYYMMDDhhmmss" in UTC.
    std::string notBefore = "20250101000000";
    std::string notAfter = "20360101000000";
};

struct TestPki
{
    CertifiedKey ca; ///< the self-signed root (its key signs the others)
    CertifiedKey server;
    CertifiedKey client;
};

/// Builds CA, server and client certificates. Throws std::runtime_error if mbedTLS fails
/// (a malformed subject name in options, for instance).
TestPki GenerateTestPki(lpwan::RandomSource& random, const PkiOptions& options = {});

/// Issues one more end-entity certificate (e.g. one per simulated device) signed by `issuer`,
/// with a fresh key. `serial` must be unique per issuer (1 to 3 are used by GenerateTestPki).
CertifiedKey IssueCertificate(const CertifiedKey& issuer, const std::string& issuerSubject,
                              const std::string& subject, uint32_t serial,
                              lpwan::RandomSource& random, const PkiOptions& options = {});

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_TEST_PKI_H
