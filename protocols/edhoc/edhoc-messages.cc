#include "edhoc-messages.h"

#include "edhoc-cbor.h"
#include "edhoc-connection-id.h"
#include "edhoc-credential.h"
#include "edhoc-ead.h"

namespace lpwan
{
namespace edhoc
{

namespace
{

constexpr size_t kMaxSignatureOrMacLength = 64; // Ed25519 / ES256 signatures

bool
Done(CborReader& r, std::string& error, const char* what)
{
    if (!r.Error().empty())
    {
        error = std::string(what) + ": " + r.Error();
        return false;
    }
    return true;
}

bool
ReadSuites(CborReader& r, std::vector<int64_t>& suites)
{
    CborHead h;
    if (!r.Peek(h))
    {
        return false;
    }
    suites.clear();
    if (h.type == CborType::Array)
    {
        r.Next(h);
        // A single suite must be sent as an int (deterministic encoding of SUITES_I).
        if (h.value < 2 || h.value > kMaxSuites)
        {
            return r.Fail("SUITES_I: array of " + std::to_string(h.value) + " suites");
        }
        for (uint64_t i = 0; i < h.value; ++i)
        {
            int64_t s = 0;
            if (!r.ReadInt(s))
            {
                return r.Fail("SUITES_I: a suite is not an integer");
            }
            suites.push_back(s);
        }
        return true;
    }
    int64_t s = 0;
    if (!r.ReadInt(s))
    {
        return r.Fail("SUITES_I: neither an integer nor an array");
    }
    suites.push_back(s);
    return true;
}

bool
ReadSignatureOrMac(CborReader& r, Bytes& out)
{
    if (!r.ReadBstr(out))
    {
        return r.Fail("Signature_or_MAC: expected a byte string");
    }
    if (out.empty() || out.size() > kMaxSignatureOrMacLength)
    {
        return r.Fail("Signature_or_MAC: wrong length");
    }
    return true;
}

} // namespace

Bytes
EncodeSuites(const std::vector<int64_t>& suites)
{
    CborWriter w;
    if (suites.size() == 1)
    {
        w.Int(suites[0]);
    }
    else
    {
        w.ArrayHeader(suites.size());
        for (int64_t s : suites)
        {
            w.Int(s);
        }
    }
    return w.Take();
}

Bytes
EncodeMessage1(const Message1& m)
{
    return CborWriter()
        .Int(m.method)
        .Raw(EncodeSuites(m.suites))
        .Bstr(m.gX)
        .Raw(EncodeCompactBstr(m.cI))
        .Raw(EncodeEad(m.ead))
        .Take();
}

bool
DecodeMessage1(const Bytes& in, Message1& m, std::string& error)
{
    CborReader r(in);
    if (in.size() > kMaxMessageLength)
    {
        r.Fail("too long");
    }
    else if (!r.ReadInt(m.method))
    {
        r.Fail("METHOD is not an integer");
    }
    else if (ReadSuites(r, m.suites) && r.ReadBstr(m.gX))
    {
        ReadCompactBstr(r, m.cI, kMaxConnectionIdLength) && ReadEad(r, m.ead);
    }
    return Done(r, error, "message_1");
}

Bytes
EncodePlaintext2(const Plaintext2& p)
{
    return CborWriter()
        .Raw(EncodeCompactBstr(p.cR))
        .Raw(EncodeIdCredForPlaintext(p.idCredR))
        .Bstr(p.signatureOrMac)
        .Raw(EncodeEad(p.ead))
        .Take();
}

bool
DecodePlaintext2(const Bytes& in, Plaintext2& p, std::string& error)
{
    CborReader r(in);
    ReadCompactBstr(r, p.cR, kMaxConnectionIdLength) && ReadIdCredFromPlaintext(r, p.idCredR)
        && ReadSignatureOrMac(r, p.signatureOrMac) && ReadEad(r, p.ead);
    return Done(r, error, "PLAINTEXT_2");
}

Bytes
EncodePlaintext3(const Plaintext3& p)
{
    return CborWriter()
        .Raw(EncodeIdCredForPlaintext(p.idCredI))
        .Bstr(p.signatureOrMac)
        .Raw(EncodeEad(p.ead))
        .Take();
}

bool
DecodePlaintext3(const Bytes& in, Plaintext3& p, std::string& error)
{
    CborReader r(in);
    ReadIdCredFromPlaintext(r, p.idCredI) && ReadSignatureOrMac(r, p.signatureOrMac)
        && ReadEad(r, p.ead);
    return Done(r, error, "PLAINTEXT_3");
}

Bytes
EncodeSingleBstr(const Bytes& content)
{
    return EncodeBstr(content);
}

bool
DecodeSingleBstr(const Bytes& in, Bytes& content, std::string& error)
{
    CborReader r(in);
    if (in.size() > kMaxMessageLength)
    {
        r.Fail("too long");
    }
    else if (r.ReadBstr(content) && !r.AtEnd())
    {
        r.Fail("bytes after the byte string");
    }
    return Done(r, error, "message");
}

bool
DecodeEadOnly(const Bytes& in, Ead& ead, std::string& error)
{
    CborReader r(in);
    ReadEad(r, ead);
    return Done(r, error, "PLAINTEXT_4");
}

bool
LooksLikeErrorMessage(const Bytes& in)
{
    return !in.empty() && (in[0] >> 5) <= 1; // major type 0 or 1
}

} // namespace edhoc
} // namespace lpwan
