#include "sha256-hkdf.h"

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>
#include <sodium.h>

#include <stdexcept>

namespace lpwan
{

namespace
{

const mbedtls_md_info_t*
Sha256Info()
{
    return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
}

} // namespace

std::vector<uint8_t>
Sha256(const std::vector<uint8_t>& data)
{
    std::vector<uint8_t> out(kSha256Length);
    if (mbedtls_sha256_ret(data.data(), data.size(), out.data(), 0) != 0)
    {
        throw std::runtime_error("mbedtls_sha256_ret failed");
    }
    return out;
}

std::vector<uint8_t>
HmacSha256(const std::vector<uint8_t>& key, const std::vector<uint8_t>& data)
{
    std::vector<uint8_t> out(kSha256Length);
    if (mbedtls_md_hmac(Sha256Info(), key.data(), key.size(), data.data(), data.size(), out.data())
        != 0)
    {
        throw std::runtime_error("mbedtls_md_hmac failed");
    }
    return out;
}

std::vector<uint8_t>
HkdfSha256Extract(const std::vector<uint8_t>& salt, const std::vector<uint8_t>& ikm)
{
    std::vector<uint8_t> prk(kSha256Length);
    if (mbedtls_hkdf_extract(Sha256Info(), salt.empty() ? nullptr : salt.data(), salt.size(),
                             ikm.data(), ikm.size(), prk.data())
        != 0)
    {
        throw std::runtime_error("mbedtls_hkdf_extract failed");
    }
    return prk;
}

std::optional<std::vector<uint8_t>>
HkdfSha256Expand(const std::vector<uint8_t>& prk, const std::vector<uint8_t>& info, size_t length)
{
    if (length == 0 || length > kHkdfSha256MaxLength)
    {
        return std::nullopt;
    }
    std::vector<uint8_t> okm(length);
    if (mbedtls_hkdf_expand(Sha256Info(), prk.data(), prk.size(), info.data(), info.size(),
                            okm.data(), okm.size())
        != 0)
    {
        return std::nullopt;
    }
    return okm;
}

bool
ConstantTimeEqual(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b)
{
    return a.size() == b.size() && (a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0);
}

} // namespace lpwan
