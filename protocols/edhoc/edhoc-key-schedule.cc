#include "edhoc-key-schedule.h"

#include "edhoc-cbor.h"

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include <stdexcept>

namespace lpwan
{
namespace edhoc
{

namespace
{

const mbedtls_md_info_t*
Sha256Info()
{
    return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
}

} // namespace

Bytes
Hash(const Bytes& data)
{
    Bytes out(kHashLength);
    if (mbedtls_sha256_ret(data.data(), data.size(), out.data(), 0) != 0)
    {
        throw std::runtime_error("mbedtls_sha256_ret failed");
    }
    return out;
}

Bytes
Extract(const Bytes& salt, const Bytes& ikm)
{
    Bytes prk(kHashLength);
    // An empty salt becomes HashLen zero bytes in mbedTLS, as RFC 5869 specifies.
    if (mbedtls_hkdf_extract(Sha256Info(), salt.empty() ? nullptr : salt.data(), salt.size(),
                             ikm.data(), ikm.size(), prk.data())
        != 0)
    {
        throw std::runtime_error("mbedtls_hkdf_extract failed");
    }
    return prk;
}

Bytes
Expand(const Bytes& prk, const Bytes& info, size_t length)
{
    if (length == 0 || length > kMaxExpandLength)
    {
        return {};
    }
    Bytes okm(length);
    if (mbedtls_hkdf_expand(Sha256Info(), prk.data(), prk.size(), info.data(), info.size(),
                            okm.data(), okm.size())
        != 0)
    {
        return {};
    }
    return okm;
}

Bytes
KdfInfo(int64_t label, const Bytes& context, size_t length)
{
    return CborWriter().Int(label).Bstr(context).Uint(length).Take();
}

Bytes
Kdf(const Bytes& prk, int64_t label, const Bytes& context, size_t length)
{
    return Expand(prk, KdfInfo(label, context, length), length);
}

Bytes
TranscriptHash2(const Bytes& gY, const Bytes& hashMessage1)
{
    return Hash(CborWriter().Bstr(gY).Bstr(hashMessage1).Take());
}

Bytes
TranscriptHashNext(const Bytes& previousTh, const Bytes& plaintext, const Bytes& cred)
{
    return Hash(CborWriter().Bstr(previousTh).Raw(plaintext).Raw(cred).Take());
}

bool
ConstantTimeEqual(const Bytes& a, const Bytes& b)
{
    if (a.size() != b.size())
    {
        return false;
    }
    uint8_t diff = 0;
    for (size_t i = 0; i < a.size(); ++i)
    {
        diff |= static_cast<uint8_t>(a[i] ^ b[i]);
    }
    return diff == 0;
}

} // namespace edhoc
} // namespace lpwan
