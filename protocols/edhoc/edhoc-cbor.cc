/*
 * CborWriter and CborReader on libcbor's encoding functions and streaming decoder.
 */

#include "edhoc-cbor.h"

#include <cbor.h>

#include <new>

namespace lpwan
{
namespace edhoc
{

namespace
{

/// Runs a libcbor cbor_encode_* function into a 9-byte scratch (the longest head) and appends.
template<typename F>
void
AppendHead(Bytes& out, F encode)
{
    unsigned char buffer[9];
    const size_t n = encode(buffer, sizeof(buffer));
    if (n == 0)
    {
        throw std::bad_alloc(); // cannot happen with 9 bytes of room
    }
    out.insert(out.end(), buffer, buffer + n);
}

/// Length of the shortest head that carries the argument v (RFC 8949 section 4.2.1).
size_t
MinimalHeadLength(uint64_t v)
{
    if (v < 24)
    {
        return 1;
    }
    if (v <= 0xFF)
    {
        return 2;
    }
    if (v <= 0xFFFF)
    {
        return 3;
    }
    if (v <= 0xFFFFFFFFull)
    {
        return 5;
    }
    return 9;
}

// ---- libcbor streaming callbacks: each records the head into a CborHead ----

CborHead*
H(void* ctx)
{
    return static_cast<CborHead*>(ctx);
}

void
OnUint8(void* c, uint8_t v)
{
    *H(c) = CborHead{CborType::Uint, v};
}

void
OnUint16(void* c, uint16_t v)
{
    *H(c) = CborHead{CborType::Uint, v};
}

void
OnUint32(void* c, uint32_t v)
{
    *H(c) = CborHead{CborType::Uint, v};
}

void
OnUint64(void* c, uint64_t v)
{
    *H(c) = CborHead{CborType::Uint, v};
}

void
OnNeg8(void* c, uint8_t v)
{
    *H(c) = CborHead{CborType::NegInt, v};
}

void
OnNeg16(void* c, uint16_t v)
{
    *H(c) = CborHead{CborType::NegInt, v};
}

void
OnNeg32(void* c, uint32_t v)
{
    *H(c) = CborHead{CborType::NegInt, v};
}

void
OnNeg64(void* c, uint64_t v)
{
    *H(c) = CborHead{CborType::NegInt, v};
}

void
OnBytes(void* c, cbor_data data, uint64_t length)
{
    *H(c) = CborHead{CborType::Bytes, 0, data, static_cast<size_t>(length)};
}

void
OnText(void* c, cbor_data data, uint64_t length)
{
    *H(c) = CborHead{CborType::Text, 0, data, static_cast<size_t>(length)};
}

void
OnArray(void* c, uint64_t n)
{
    *H(c) = CborHead{CborType::Array, n};
}

void
OnMap(void* c, uint64_t n)
{
    *H(c) = CborHead{CborType::Map, n};
}

void
OnBool(void* c, bool b)
{
    CborHead h{CborType::Bool};
    h.boolean = b;
    *H(c) = h;
}

void
OnNull(void* c)
{
    *H(c) = CborHead{CborType::Null};
}

void
OnOtherSimple(void* c)
{
    *H(c) = CborHead{CborType::Other};
}

void
OnOtherInt(void* c, uint64_t)
{
    *H(c) = CborHead{CborType::Other};
}

void
OnOtherFloat(void* c, float)
{
    *H(c) = CborHead{CborType::Other};
}

void
OnOtherDouble(void* c, double)
{
    *H(c) = CborHead{CborType::Other};
}

cbor_callbacks
MakeCallbacks()
{
    cbor_callbacks cb = cbor_empty_callbacks;
    cb.uint8 = OnUint8;
    cb.uint16 = OnUint16;
    cb.uint32 = OnUint32;
    cb.uint64 = OnUint64;
    cb.negint8 = OnNeg8;
    cb.negint16 = OnNeg16;
    cb.negint32 = OnNeg32;
    cb.negint64 = OnNeg64;
    cb.byte_string = OnBytes;
    cb.string = OnText;
    cb.array_start = OnArray;
    cb.map_start = OnMap;
    cb.boolean = OnBool;
    cb.null = OnNull;
    // Everything EDHOC never uses decodes as Other and is rejected by the caller; the
    // indefinite-length forms are rejected too (deterministic encoding forbids them).
    cb.byte_string_start = OnOtherSimple;
    cb.string_start = OnOtherSimple;
    cb.indef_array_start = OnOtherSimple;
    cb.indef_map_start = OnOtherSimple;
    cb.indef_break = OnOtherSimple;
    cb.undefined = OnOtherSimple;
    cb.tag = OnOtherInt;
    cb.float2 = OnOtherFloat;
    cb.float4 = OnOtherFloat;
    cb.float8 = OnOtherDouble;
    return cb;
}

const cbor_callbacks kCallbacks = MakeCallbacks();

} // namespace

// ---------------------------------------------------------------- CborWriter

CborWriter&
CborWriter::Uint(uint64_t v)
{
    AppendHead(m_out,
               [v](unsigned char* b, size_t n)
               {
                   return cbor_encode_uint(v, b, n);
               });
    return *this;
}

CborWriter&
CborWriter::Int(int64_t v)
{
    if (v >= 0)
    {
        return Uint(static_cast<uint64_t>(v));
    }
    const uint64_t n = static_cast<uint64_t>(-(v + 1));
    AppendHead(m_out,
               [n](unsigned char* b, size_t s)
               {
                   return cbor_encode_negint(n, b, s);
               });
    return *this;
}

CborWriter&
CborWriter::Bstr(const Bytes& bytes)
{
    const size_t len = bytes.size();
    AppendHead(m_out,
               [len](unsigned char* b, size_t s)
               {
                   return cbor_encode_bytestring_start(len, b, s);
               });
    m_out.insert(m_out.end(), bytes.begin(), bytes.end());
    return *this;
}

CborWriter&
CborWriter::Tstr(const std::string& str)
{
    const size_t len = str.size();
    AppendHead(m_out,
               [len](unsigned char* b, size_t s)
               {
                   return cbor_encode_string_start(len, b, s);
               });
    m_out.insert(m_out.end(), str.begin(), str.end());
    return *this;
}

CborWriter&
CborWriter::Bool(bool v)
{
    AppendHead(m_out,
               [v](unsigned char* b, size_t s)
               {
                   return cbor_encode_bool(v, b, s);
               });
    return *this;
}

CborWriter&
CborWriter::ArrayHeader(size_t count)
{
    AppendHead(m_out,
               [count](unsigned char* b, size_t s)
               {
                   return cbor_encode_array_start(count, b, s);
               });
    return *this;
}

CborWriter&
CborWriter::MapHeader(size_t count)
{
    AppendHead(m_out,
               [count](unsigned char* b, size_t s)
               {
                   return cbor_encode_map_start(count, b, s);
               });
    return *this;
}

CborWriter&
CborWriter::Raw(const Bytes& b)
{
    m_out.insert(m_out.end(), b.begin(), b.end());
    return *this;
}

Bytes
EncodeBstr(const Bytes& b)
{
    return CborWriter().Bstr(b).Take();
}

Bytes
EncodeInt(int64_t v)
{
    return CborWriter().Int(v).Take();
}

// ---------------------------------------------------------------- CborReader

CborReader::CborReader(const uint8_t* data, size_t size)
  : m_data(data)
  , m_size(size)
{
}

CborReader::CborReader(const Bytes& b)
  : m_data(b.data())
  , m_size(b.size())
{
}

bool
CborReader::Fail(const std::string& why)
{
    if (m_error.empty())
    {
        m_error = why;
    }
    m_pos = m_size; // unusable from now on
    return false;
}

bool
CborReader::Decode(CborHead& head, size_t& consumed)
{
    if (!m_error.empty())
    {
        return false;
    }
    if (m_pos >= m_size)
    {
        return Fail("CBOR: unexpected end of message");
    }
    const uint8_t initial = m_data[m_pos];
    const uint8_t major = initial >> 5;
    const uint8_t info = initial & 0x1f;
    // Strings announcing an 8-byte length would need more than 4 GB: reject them before the
    // decoder does arithmetic on the announced length.
    if ((major == 2 || major == 3) && info == 27)
    {
        return Fail("CBOR: string length out of range");
    }
    head = CborHead{};
    const cbor_decoder_result r
        = cbor_stream_decode(m_data + m_pos, m_size - m_pos, &kCallbacks, &head);
    if (r.status == CBOR_DECODER_NEDATA)
    {
        return Fail("CBOR: truncated data item");
    }
    if (r.status != CBOR_DECODER_FINISHED || r.read == 0)
    {
        return Fail("CBOR: malformed data item");
    }
    if (head.type == CborType::Other)
    {
        return Fail("CBOR: unsupported data item (tag, float or indefinite length)");
    }
    // Deterministic encoding: the head must be the shortest one for its argument.
    uint64_t argument = head.value;
    size_t headLength = r.read;
    if (head.type == CborType::Bytes || head.type == CborType::Text)
    {
        argument = head.length;
        headLength = r.read - head.length;
    }
    if (head.type != CborType::Bool && head.type != CborType::Null
        && headLength != MinimalHeadLength(argument))
    {
        return Fail("CBOR: non-deterministic encoding (head longer than needed)");
    }
    consumed = r.read;
    return true;
}

bool
CborReader::Peek(CborHead& head)
{
    size_t consumed = 0;
    return Decode(head, consumed);
}

bool
CborReader::Next(CborHead& head)
{
    size_t consumed = 0;
    if (!Decode(head, consumed))
    {
        return false;
    }
    m_pos += consumed;
    return true;
}

bool
HeadToInt(const CborHead& head, int64_t& v)
{
    constexpr uint64_t kMax = static_cast<uint64_t>(INT64_MAX);
    if (head.type == CborType::Uint && head.value <= kMax)
    {
        v = static_cast<int64_t>(head.value);
        return true;
    }
    if (head.type == CborType::NegInt && head.value <= kMax)
    {
        v = -1 - static_cast<int64_t>(head.value);
        return true;
    }
    return false;
}

bool
CborReader::ReadInt(int64_t& v)
{
    CborHead h;
    if (!Next(h))
    {
        return false;
    }
    if (!HeadToInt(h, v))
    {
        return Fail("CBOR: expected an integer");
    }
    return true;
}

bool
CborReader::ReadBstr(Bytes& b)
{
    CborHead h;
    if (!Next(h))
    {
        return false;
    }
    if (h.type != CborType::Bytes)
    {
        return Fail("CBOR: expected a byte string");
    }
    b.assign(h.data, h.data + h.length);
    return true;
}

bool
CborReader::ReadTstr(std::string& s)
{
    CborHead h;
    if (!Next(h))
    {
        return false;
    }
    if (h.type != CborType::Text)
    {
        return Fail("CBOR: expected a text string");
    }
    s.assign(reinterpret_cast<const char*>(h.data), h.length);
    return true;
}

bool
CborReader::SkipItem(unsigned depth)
{
    if (depth > kMaxCborDepth)
    {
        return Fail("CBOR: nesting too deep");
    }
    CborHead h;
    if (!Next(h))
    {
        return false;
    }
    uint64_t members = 0;
    if (h.type == CborType::Array)
    {
        members = h.value;
    }
    else if (h.type == CborType::Map)
    {
        // Each pair needs at least two bytes: a count beyond the input is malformed, and
        // checking it here keeps the loop below bounded by the input's size.
        if (h.value > (m_size - m_pos) / 2)
        {
            return Fail("CBOR: map longer than the message");
        }
        members = h.value * 2;
    }
    if (members > m_size - m_pos)
    {
        return Fail("CBOR: array longer than the message");
    }
    for (uint64_t i = 0; i < members; ++i)
    {
        if (!SkipItem(depth + 1))
        {
            return false;
        }
    }
    return true;
}

bool
CborReader::ReadRawItem(Bytes& raw)
{
    const size_t start = m_pos;
    if (!SkipItem(0))
    {
        return false;
    }
    raw.assign(m_data + start, m_data + m_pos);
    return true;
}

} // namespace edhoc
} // namespace lpwan
