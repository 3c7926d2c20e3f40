/*
 * Credential files; see credential-files.h.
 */

#include "credential-files.h"

#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/x509_crt.h>

#include <fstream>
#include <iterator>

namespace lpwan
{
namespace tools
{

namespace
{

bool
ReadWholeFile(const std::string& path, std::vector<uint8_t>* out, std::string* error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        *error = "cannot open '" + path + "'";
        return false;
    }
    out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad())
    {
        *error = "cannot read '" + path + "'";
        return false;
    }
    return true;
}

/// mbedTLS recognises PEM only in a NUL-terminated buffer whose length counts the NUL.
void
TerminateIfPem(std::vector<uint8_t>& bytes)
{
    static const std::string kBegin = "-----BEGIN ";
    const std::string text(bytes.begin(), bytes.end());
    if (text.find(kBegin) != std::string::npos)
    {
        bytes.push_back(0);
    }
}

} // namespace

std::optional<std::vector<uint8_t>>
LoadCertificateDer(const std::string& path, std::string* error)
{
    std::vector<uint8_t> bytes;
    if (!ReadWholeFile(path, &bytes, error))
    {
        return std::nullopt;
    }
    TerminateIfPem(bytes);
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    const int rc = mbedtls_x509_crt_parse(&crt, bytes.data(), bytes.size());
    std::optional<std::vector<uint8_t>> der;
    // A positive rc counts certificates that failed in a PEM bundle: the first good one serves.
    if (rc >= 0 && crt.raw.p != nullptr)
    {
        der.emplace(crt.raw.p, crt.raw.p + crt.raw.len);
    }
    else
    {
        *error = "'" + path + "' holds no certificate (PEM or DER)";
    }
    mbedtls_x509_crt_free(&crt);
    return der;
}

std::optional<std::vector<uint8_t>>
LoadPrivateKeyDer(const std::string& path, std::string* error)
{
    std::vector<uint8_t> bytes;
    if (!ReadWholeFile(path, &bytes, error))
    {
        return std::nullopt;
    }
    TerminateIfPem(bytes);
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    std::optional<std::vector<uint8_t>> der;
    if (mbedtls_pk_parse_key(&key, bytes.data(), bytes.size(), nullptr, 0) == 0)
    {
        // mbedtls_pk_write_key_der writes at the end of the buffer and returns the length.
        std::vector<uint8_t> buffer(4096);
        const int n = mbedtls_pk_write_key_der(&key, buffer.data(), buffer.size());
        if (n > 0)
        {
            der.emplace(buffer.end() - n, buffer.end());
        }
        mbedtls_platform_zeroize(buffer.data(), buffer.size());
    }
    mbedtls_platform_zeroize(bytes.data(), bytes.size());
    if (!der)
    {
        *error = "'" + path + "' holds no unencrypted private key (PEM or DER)";
    }
    mbedtls_pk_free(&key);
    return der;
}

} // namespace tools
} // namespace lpwan
