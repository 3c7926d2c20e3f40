#include "tls13-extensions.h"

#include <set>

namespace lpwan
{
namespace tls13
{

bool
ReadExtensions(Reader& r, Extensions& out, size_t minLength)
{
    Reader list = r.Sub(2, minLength, 0xffff);
    std::set<uint16_t> seen;
    out.clear();
    while (list.Ok() && !list.AtEnd())
    {
        Extension e;
        e.type = list.U16();
        e.data = list.Vector(2);
        if (!list.Ok() || !seen.insert(e.type).second)
        {
            r.Fail();
            return false;
        }
        out.push_back(std::move(e));
    }
    if (!list.Ok())
    {
        r.Fail();
    }
    return r.Ok();
}

void
WriteExtensions(Writer& w, const Extensions& extensions)
{
    const size_t mark = w.Open(2);
    for (const Extension& e : extensions)
    {
        w.U16(e.type);
        w.Vector(2, e.data);
    }
    w.Close(mark);
}

const Extension*
FindExtension(const Extensions& extensions, uint16_t type)
{
    for (const Extension& e : extensions)
    {
        if (e.type == type)
        {
            return &e;
        }
    }
    return nullptr;
}

// ---------------------------------------------------------------- server_name

Bytes
EncodeServerName(const std::string& hostName)
{
    Writer w;
    const size_t list = w.Open(2);
    w.U8(0); // NameType host_name
    w.Vector(2, Bytes(hostName.begin(), hostName.end()));
    w.Close(list);
    return w.Take();
}

std::optional<std::string>
DecodeServerName(const Bytes& body)
{
    Reader r(body);
    Reader list = r.Sub(2, 1);
    std::optional<std::string> host;
    while (list.Ok() && !list.AtEnd())
    {
        const uint8_t type = list.U8();
        const Bytes name = list.Vector(2, 1);
        // RFC 6066: at most one name of each type; only host_name (0) is defined.
        if (type == 0)
        {
            if (host)
            {
                return std::nullopt;
            }
            host = std::string(name.begin(), name.end());
        }
    }
    if (!list.Ok() || !r.Done() || !host)
    {
        return std::nullopt;
    }
    return host;
}

// ---------------------------------------------------------------- 16-bit lists

Bytes
EncodeU16List(const std::vector<uint16_t>& values)
{
    Writer w;
    const size_t mark = w.Open(2);
    for (uint16_t v : values)
    {
        w.U16(v);
    }
    w.Close(mark);
    return w.Take();
}

std::optional<std::vector<uint16_t>>
DecodeU16List(const Bytes& body)
{
    Reader r(body);
    Reader list = r.Sub(2, 2, 0xfffe);
    std::vector<uint16_t> out;
    if (list.Remaining() % 2 != 0)
    {
        return std::nullopt;
    }
    while (list.Ok() && !list.AtEnd())
    {
        out.push_back(list.U16());
    }
    if (!list.Ok() || !r.Done())
    {
        return std::nullopt;
    }
    return out;
}

// ---------------------------------------------------------------- key_share

namespace
{

void
WriteKeyShareEntry(Writer& w, const KeyShareEntry& e)
{
    w.U16(e.group);
    w.Vector(2, e.keyExchange);
}

bool
ReadKeyShareEntry(Reader& r, KeyShareEntry& e)
{
    e.group = r.U16();
    e.keyExchange = r.Vector(2, 1);
    return r.Ok();
}

} // namespace

Bytes
EncodeClientKeyShares(const std::vector<KeyShareEntry>& shares)
{
    Writer w;
    const size_t mark = w.Open(2);
    for (const KeyShareEntry& e : shares)
    {
        WriteKeyShareEntry(w, e);
    }
    w.Close(mark);
    return w.Take();
}

std::optional<std::vector<KeyShareEntry>>
DecodeClientKeyShares(const Bytes& body)
{
    Reader r(body);
    Reader list = r.Sub(2);
    std::vector<KeyShareEntry> out;
    std::set<uint16_t> groups;
    while (list.Ok() && !list.AtEnd())
    {
        KeyShareEntry e;
        // Section 4.2.8: clients MUST NOT offer multiple KeyShareEntry values for one group.
        if (!ReadKeyShareEntry(list, e) || !groups.insert(e.group).second)
        {
            return std::nullopt;
        }
        out.push_back(std::move(e));
    }
    if (!list.Ok() || !r.Done())
    {
        return std::nullopt;
    }
    return out;
}

Bytes
EncodeServerKeyShare(const KeyShareEntry& share)
{
    Writer w;
    WriteKeyShareEntry(w, share);
    return w.Take();
}

std::optional<KeyShareEntry>
DecodeServerKeyShare(const Bytes& body)
{
    Reader r(body);
    KeyShareEntry e;
    if (!ReadKeyShareEntry(r, e) || !r.Done())
    {
        return std::nullopt;
    }
    return e;
}

std::optional<uint16_t>
DecodeHelloRetryKeyShare(const Bytes& body)
{
    Reader r(body);
    const uint16_t g = r.U16();
    if (!r.Done())
    {
        return std::nullopt;
    }
    return g;
}

// ---------------------------------------------------------------- supported_versions

Bytes
EncodeClientSupportedVersions(const std::vector<uint16_t>& versions)
{
    Writer w;
    const size_t mark = w.Open(1);
    for (uint16_t v : versions)
    {
        w.U16(v);
    }
    w.Close(mark);
    return w.Take();
}

std::optional<std::vector<uint16_t>>
DecodeClientSupportedVersions(const Bytes& body)
{
    Reader r(body);
    Reader list = r.Sub(1, 2, 254);
    if (list.Remaining() % 2 != 0)
    {
        return std::nullopt;
    }
    std::vector<uint16_t> out;
    while (list.Ok() && !list.AtEnd())
    {
        out.push_back(list.U16());
    }
    if (!list.Ok() || !r.Done())
    {
        return std::nullopt;
    }
    return out;
}

Bytes
EncodeServerSupportedVersion(uint16_t version)
{
    Writer w;
    w.U16(version);
    return w.Take();
}

std::optional<uint16_t>
DecodeServerSupportedVersion(const Bytes& body)
{
    Reader r(body);
    const uint16_t v = r.U16();
    if (!r.Done())
    {
        return std::nullopt;
    }
    return v;
}

// ---------------------------------------------------------------- psk_key_exchange_modes

Bytes
EncodePskKeyExchangeModes(const std::vector<uint8_t>& modes)
{
    Writer w;
    w.Vector(1, modes);
    return w.Take();
}

std::optional<std::vector<uint8_t>>
DecodePskKeyExchangeModes(const Bytes& body)
{
    Reader r(body);
    Bytes modes = r.Vector(1, 1, 255);
    if (!r.Done())
    {
        return std::nullopt;
    }
    return modes;
}

// ---------------------------------------------------------------- pre_shared_key

Bytes
EncodeOfferedPsks(const OfferedPsks& psks)
{
    Writer w;
    const size_t ids = w.Open(2);
    for (const PskIdentity& id : psks.identities)
    {
        w.Vector(2, id.identity);
        w.U32(id.obfuscatedTicketAge);
    }
    w.Close(ids);
    const size_t binders = w.Open(2);
    for (const Bytes& b : psks.binders)
    {
        w.Vector(1, b);
    }
    w.Close(binders);
    return w.Take();
}

std::optional<OfferedPsks>
DecodeOfferedPsks(const Bytes& body)
{
    Reader r(body);
    OfferedPsks out;
    Reader ids = r.Sub(2, 7);
    while (ids.Ok() && !ids.AtEnd())
    {
        PskIdentity id;
        id.identity = ids.Vector(2, 1);
        id.obfuscatedTicketAge = ids.U32();
        out.identities.push_back(std::move(id));
    }
    Reader binders = r.Sub(2, 33);
    while (binders.Ok() && !binders.AtEnd())
    {
        out.binders.push_back(binders.Vector(1, 32, 255));
    }
    if (!ids.Ok() || !binders.Ok() || !r.Done() || out.identities.empty()
        || out.identities.size() != out.binders.size())
    {
        return std::nullopt;
    }
    return out;
}

size_t
OfferedPsksBindersLength(const OfferedPsks& psks)
{
    size_t n = 2;
    for (const Bytes& b : psks.binders)
    {
        n += 1 + b.size();
    }
    return n;
}

Bytes
EncodeSelectedIdentity(uint16_t index)
{
    Writer w;
    w.U16(index);
    return w.Take();
}

std::optional<uint16_t>
DecodeSelectedIdentity(const Bytes& body)
{
    Reader r(body);
    const uint16_t v = r.U16();
    if (!r.Done())
    {
        return std::nullopt;
    }
    return v;
}

// ---------------------------------------------------------------- small ones

Bytes
EncodeRecordSizeLimit(uint16_t limit)
{
    Writer w;
    w.U16(limit);
    return w.Take();
}

std::optional<uint16_t>
DecodeRecordSizeLimit(const Bytes& body)
{
    Reader r(body);
    const uint16_t v = r.U16();
    // RFC 8449 section 4: a value below 64 is an illegal_parameter.
    if (!r.Done() || v < 64)
    {
        return std::nullopt;
    }
    return v;
}

Bytes
EncodeMaxEarlyDataSize(uint32_t size)
{
    Writer w;
    w.U32(size);
    return w.Take();
}

std::optional<uint32_t>
DecodeMaxEarlyDataSize(const Bytes& body)
{
    Reader r(body);
    const uint32_t v = r.U32();
    if (!r.Done())
    {
        return std::nullopt;
    }
    return v;
}

std::optional<Bytes>
DecodeCookie(const Bytes& body)
{
    Reader r(body);
    Bytes c = r.Vector(2, 1);
    if (!r.Done())
    {
        return std::nullopt;
    }
    return c;
}

Bytes
EncodeCookie(const Bytes& cookie)
{
    Writer w;
    w.Vector(2, cookie);
    return w.Take();
}

Bytes
EncodeCertificateTypeList(const std::vector<uint8_t>& types)
{
    Writer w;
    w.Vector(1, Bytes(types.begin(), types.end()));
    return w.Take();
}

std::optional<std::vector<uint8_t>>
DecodeCertificateTypeList(const Bytes& body)
{
    Reader r(body);
    Bytes types = r.Vector(1, 1);
    if (!r.Done())
    {
        return std::nullopt;
    }
    return std::vector<uint8_t>(types.begin(), types.end());
}

std::optional<uint8_t>
DecodeCertificateType(const Bytes& body)
{
    if (body.size() != 1)
    {
        return std::nullopt;
    }
    return body[0];
}

std::optional<Bytes>
DecodeConnectionId(const Bytes& body)
{
    Reader r(body);
    Bytes cid = r.Vector(1, 0);
    if (!r.Done())
    {
        return std::nullopt;
    }
    return cid;
}

Bytes
EncodeConnectionId(const Bytes& cid)
{
    Writer w;
    w.Vector(1, cid);
    return w.Take();
}

} // namespace tls13
} // namespace lpwan
