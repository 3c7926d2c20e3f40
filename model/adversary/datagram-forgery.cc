#include "datagram-forgery.h"

#include "protocols/coap/coap-codec.h"
#include "protocols/oscore/oscore-option-value.h"
#include "protocols/tls/record-scanner.h"

namespace ns3
{
namespace adversary
{

namespace
{

constexpr size_t kDtlsHeader = 13; // type, version (2), epoch (2), sequence number (6), length (2)

bool
IsDtls(const std::vector<uint8_t>& bytes, lpwan::tls::RecordBytes* kinds)
{
    *kinds = lpwan::tls::ScanDatagram(bytes.data(), bytes.size());
    return kinds->records > 0 && kinds->other == 0;
}

std::vector<uint8_t>
RandomBytes(lpwan::RandomSource& random, size_t n)
{
    std::vector<uint8_t> b(n);
    for (auto& x : b)
    {
        x = static_cast<uint8_t>(random.Uint32());
    }
    return b;
}

} // namespace

Inspection
Inspect(const std::vector<uint8_t>& bytes)
{
    Inspection in;
    lpwan::tls::RecordBytes kinds;
    if (IsDtls(bytes, &kinds))
    {
        in.visibility = kinds.applicationData > 0 ? Visibility::DtlsAppData : Visibility::DtlsOther;
        return in;
    }
    lpwan::coap::DecodeResult decoded = lpwan::coap::Decode(bytes);
    if (!decoded.ok)
    {
        return in;
    }
    in.request = decoded.message.IsRequest();
    if (decoded.message.FindOption(lpwan::coap::option::Oscore) != nullptr)
    {
        in.visibility = Visibility::OscoreOuter;
        return in;
    }
    in.visibility = Visibility::Plaintext;
    in.plaintextBytes = static_cast<uint32_t>(decoded.message.payload.size());
    return in;
}

bool
TamperMessage(lpwan::coap::Message& m)
{
    if (m.payload.empty())
    {
        return false;
    }
    if (m.FindOption(lpwan::coap::option::Oscore) != nullptr)
    {
        m.payload[0] ^= 0x01; // one bit of ciphertext: only the AEAD tag can tell
        return true;
    }
    // A different reading: keep the 4-byte sequence number, invert what follows.
    size_t from = m.payload.size() > 4 ? 4 : 0;
    for (size_t i = from; i < m.payload.size(); ++i)
    {
        m.payload[i] ^= 0xff;
    }
    return true;
}

std::optional<std::vector<uint8_t>>
TamperDatagram(const std::vector<uint8_t>& bytes)
{
    lpwan::tls::RecordBytes kinds;
    if (IsDtls(bytes, &kinds))
    {
        if (kinds.applicationData == 0 || bytes.size() <= kDtlsHeader)
        {
            return std::nullopt;
        }
        std::vector<uint8_t> out = bytes;
        out.back() ^= 0x01; // the last byte of the last record: its MAC
        return out;
    }
    lpwan::coap::DecodeResult decoded = lpwan::coap::Decode(bytes);
    if (!decoded.ok || !TamperMessage(decoded.message))
    {
        return std::nullopt;
    }
    return lpwan::coap::Encode(decoded.message);
}

std::optional<lpwan::coap::Message>
ForgeMessage(const lpwan::coap::Message& templ, lpwan::RandomSource& random)
{
    if (!templ.IsRequest())
    {
        return std::nullopt;
    }
    lpwan::coap::Message m = templ;
    m.messageId = static_cast<uint16_t>(random.Uint32());
    m.token = RandomBytes(random, 4);
    m.payload = RandomBytes(random, templ.payload.size());
    for (auto& o : m.options)
    {
        if (o.number != lpwan::coap::option::Oscore)
        {
            continue;
        }
        std::optional<lpwan::oscore::OptionValue> v = lpwan::oscore::DecodeOptionValue(o.value);
        if (!v)
        {
            return std::nullopt;
        }
        // A Partial IV the server has not seen yet, so that it is the AEAD check -- not the
        // replay window -- that has to catch the forgery.
        uint64_t piv = 0;
        for (uint8_t b : v->partialIv.value_or(lpwan::oscore::Bytes{}))
        {
            piv = (piv << 8) | b;
        }
        piv += 1000;
        lpwan::oscore::Bytes encoded;
        for (; piv != 0; piv >>= 8)
        {
            encoded.insert(encoded.begin(), static_cast<uint8_t>(piv & 0xff));
        }
        v->partialIv = encoded;
        o.value = lpwan::oscore::EncodeOptionValue(*v);
    }
    return m;
}

std::optional<std::vector<uint8_t>>
ForgeDatagram(const std::vector<uint8_t>& templ, lpwan::RandomSource& random)
{
    lpwan::tls::RecordBytes kinds;
    if (IsDtls(templ, &kinds))
    {
        if (templ[0] != lpwan::tls::kApplicationData || templ.size() <= kDtlsHeader)
        {
            return std::nullopt;
        }
        // One application record: the template's epoch, a later sequence number (past the
        // replay window's right edge), random ciphertext.
        size_t length = (static_cast<size_t>(templ[11]) << 8) | templ[12];
        length = std::min(length, templ.size() - kDtlsHeader);
        std::vector<uint8_t> out(templ.begin(), templ.begin() + kDtlsHeader);
        uint64_t seq = 0;
        for (size_t i = 5; i < 11; ++i)
        {
            seq = (seq << 8) | out[i];
        }
        seq = (seq + 1000) & 0xffffffffffffULL;
        for (size_t i = 10; i >= 5; --i, seq >>= 8)
        {
            out[i] = static_cast<uint8_t>(seq & 0xff);
        }
        out[11] = static_cast<uint8_t>(length >> 8);
        out[12] = static_cast<uint8_t>(length);
        std::vector<uint8_t> body = RandomBytes(random, length);
        out.insert(out.end(), body.begin(), body.end());
        return out;
    }
    lpwan::coap::DecodeResult decoded = lpwan::coap::Decode(templ);
    if (!decoded.ok)
    {
        return std::nullopt;
    }
    std::optional<lpwan::coap::Message> forged = ForgeMessage(decoded.message, random);
    if (!forged)
    {
        return std::nullopt;
    }
    return lpwan::coap::Encode(*forged);
}

} // namespace adversary
} // namespace ns3
