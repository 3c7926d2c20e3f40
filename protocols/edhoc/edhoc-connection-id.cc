#include "edhoc-connection-id.h"

namespace lpwan
{
namespace edhoc
{

bool
IsOneByteInt(const Bytes& id)
{
    return id.size() == 1 && (id[0] <= 0x17 || (id[0] >= 0x20 && id[0] <= 0x37));
}

Bytes
EncodeCompactBstr(const Bytes& id)
{
    if (IsOneByteInt(id))
    {
        return id; // the byte already is the CBOR integer
    }
    return EncodeBstr(id);
}

bool
ReadCompactBstr(CborReader& reader, Bytes& id, size_t maxLength)
{
    CborHead h;
    if (!reader.Next(h))
    {
        return false;
    }
    if (h.type == CborType::Uint && h.value <= 23)
    {
        id = Bytes{static_cast<uint8_t>(h.value)};
        return true;
    }
    if (h.type == CborType::NegInt && h.value <= 23)
    {
        id = Bytes{static_cast<uint8_t>(0x20 + h.value)};
        return true;
    }
    if (h.type != CborType::Bytes)
    {
        return reader.Fail("identifier is neither a one-byte integer nor a byte string");
    }
    if (h.length > maxLength)
    {
        return reader.Fail("identifier too long");
    }
    id.assign(h.data, h.data + h.length);
    if (IsOneByteInt(id))
    {
        return reader.Fail("identifier must be encoded as an integer");
    }
    return true;
}

} // namespace edhoc
} // namespace lpwan
