#include "edhoc-key-schedule.h"

#include "edhoc-cbor.h"

#include <stdexcept>

namespace lpwan
{
namespace edhoc
{

Bytes
Hash(const Bytes& data)
{
    return Sha256(data);
}

Bytes
Extract(const Bytes& salt, const Bytes& ikm)
{
    return HkdfSha256Extract(salt, ikm);
}

Bytes
Expand(const Bytes& prk, const Bytes& info, size_t length)
{
    return HkdfSha256Expand(prk, info, length).value_or(Bytes{});
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

} // namespace edhoc
} // namespace lpwan
