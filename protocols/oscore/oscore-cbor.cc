/*
 * OSCORE's CBOR structures, built as libcbor item trees and serialized.
 *
 * libcbor keeps the width an integer item was built with (a uint16 item holding 10 serializes
 * as 0x19000a), so integers are built with the narrowest width that holds them: CBOR's
 * deterministic encoding is what both endpoints must agree on byte for byte.
 */

#include "oscore-cbor.h"

#include <cbor.h>

#include <cstdlib>
#include <memory>
#include <new>

namespace lpwan
{
namespace oscore
{

namespace
{

/// Drops our reference to a libcbor item (arrays hold their own references to members).
struct ItemDeleter
{
    void operator()(cbor_item_t* item) const
    {
        cbor_decref(&item);
    }
};

using Item = std::unique_ptr<cbor_item_t, ItemDeleter>;

Item
Checked(cbor_item_t* item)
{
    if (item == nullptr)
    {
        throw std::bad_alloc(); // libcbor only fails on allocation
    }
    return Item(item);
}

Item
Uint(uint64_t v)
{
    if (v <= 0xFF)
    {
        return Checked(cbor_build_uint8(static_cast<uint8_t>(v)));
    }
    if (v <= 0xFFFF)
    {
        return Checked(cbor_build_uint16(static_cast<uint16_t>(v)));
    }
    if (v <= 0xFFFFFFFF)
    {
        return Checked(cbor_build_uint32(static_cast<uint32_t>(v)));
    }
    return Checked(cbor_build_uint64(v));
}

/// A CBOR int: major type 0 for v >= 0, major type 1 carrying -1 - v otherwise.
Item
Int(int64_t v)
{
    if (v >= 0)
    {
        return Uint(static_cast<uint64_t>(v));
    }
    const uint64_t n = static_cast<uint64_t>(-(v + 1));
    if (n <= 0xFF)
    {
        return Checked(cbor_build_negint8(static_cast<uint8_t>(n)));
    }
    if (n <= 0xFFFF)
    {
        return Checked(cbor_build_negint16(static_cast<uint16_t>(n)));
    }
    if (n <= 0xFFFFFFFF)
    {
        return Checked(cbor_build_negint32(static_cast<uint32_t>(n)));
    }
    return Checked(cbor_build_negint64(n));
}

Item
Bstr(const Bytes& b)
{
    // libcbor memcpy()s from the handle even for length 0; hand it a valid pointer.
    static const uint8_t kNothing = 0;
    return Checked(cbor_build_bytestring(b.empty() ? &kNothing : b.data(), b.size()));
}

Item
Tstr(const std::string& s)
{
    return Checked(cbor_build_string(s.c_str()));
}

Item
Array(std::initializer_list<const Item*> members)
{
    Item array = Checked(cbor_new_definite_array(members.size()));
    for (const Item* m : members)
    {
        if (!cbor_array_push(array.get(), m->get()))
        {
            throw std::bad_alloc();
        }
    }
    return array;
}

Bytes
Serialize(const Item& item)
{
    unsigned char* buffer = nullptr;
    size_t capacity = 0;
    const size_t n = cbor_serialize_alloc(item.get(), &buffer, &capacity);
    if (n == 0 || buffer == nullptr)
    {
        std::free(buffer);
        throw std::bad_alloc();
    }
    Bytes out(buffer, buffer + n);
    std::free(buffer);
    return out;
}

} // namespace

Bytes
EncodeKdfInfo(const Bytes& id, const std::optional<Bytes>& idContext, int64_t algorithm,
              const std::string& type, uint64_t length)
{
    const Item idItem = Bstr(id);
    const Item contextItem = idContext ? Bstr(*idContext) : Checked(cbor_new_null());
    const Item algItem = Int(algorithm);
    const Item typeItem = Tstr(type);
    const Item lengthItem = Uint(length);
    return Serialize(Array({&idItem, &contextItem, &algItem, &typeItem, &lengthItem}));
}

Bytes
EncodeAadArray(int64_t algorithm, const Bytes& requestKid, const Bytes& requestPiv,
               const Bytes& classIOptions)
{
    const Item version = Uint(kOscoreVersion);
    const Item alg = Int(algorithm);
    const Item algorithms = Array({&alg});
    const Item kid = Bstr(requestKid);
    const Item piv = Bstr(requestPiv);
    const Item options = Bstr(classIOptions);
    return Serialize(Array({&version, &algorithms, &kid, &piv, &options}));
}

Bytes
EncodeAad(int64_t algorithm, const Bytes& requestKid, const Bytes& requestPiv,
          const Bytes& classIOptions)
{
    const Item context = Tstr("Encrypt0");
    const Item protectedHeader = Bstr(Bytes{});
    const Item externalAad = Bstr(EncodeAadArray(algorithm, requestKid, requestPiv, classIOptions));
    return Serialize(Array({&context, &protectedHeader, &externalAad}));
}

Bytes
WrapBstr(const Bytes& value)
{
    return Serialize(Bstr(value));
}

std::optional<Bytes>
UnwrapBstr(const Bytes& encoded)
{
    // Only hand libcbor what can be a definite byte string: major type 2 with additional
    // information 0-27. cbor_load builds whatever item the first byte announces and allocates
    // the member table of an announced array or map up front, so the 5 attacker-chosen bytes
    // 9a 10 00 00 00 (the 'kid context' of a request) would make it allocate 2 GB before it
    // notices that the members are missing.
    constexpr uint8_t kMajorByteString = 2;
    constexpr uint8_t kLargestDefiniteInfo = 27; // 0x5b: 8-byte length follows
    if (encoded.empty() || (encoded[0] >> 5) != kMajorByteString
        || (encoded[0] & 0x1f) > kLargestDefiniteInfo)
    {
        return std::nullopt;
    }
    cbor_load_result result{};
    Item item(cbor_load(encoded.data(), encoded.size(), &result));
    if (!item || result.error.code != CBOR_ERR_NONE || result.read != encoded.size()
        || !cbor_isa_bytestring(item.get()) || !cbor_bytestring_is_definite(item.get()))
    {
        return std::nullopt;
    }
    const uint8_t* data = cbor_bytestring_handle(item.get());
    const size_t length = cbor_bytestring_length(item.get());
    if (length == 0)
    {
        return Bytes{};
    }
    return Bytes(data, data + length);
}

} // namespace oscore
} // namespace lpwan
