#include "tls13-wire.h"

#include <stdexcept>

namespace lpwan
{
namespace tls13
{

Reader::Reader(const uint8_t* data, size_t size)
  : m_data(data)
  , m_size(size)
{
}

Reader::Reader(const Bytes& bytes)
  : Reader(bytes.data(), bytes.size())
{
}

bool
Reader::Need(size_t n)
{
    if (!m_ok || m_size - m_pos < n)
    {
        m_ok = false;
        return false;
    }
    return true;
}

uint8_t
Reader::U8()
{
    if (!Need(1))
    {
        return 0;
    }
    return m_data[m_pos++];
}

uint16_t
Reader::U16()
{
    if (!Need(2))
    {
        return 0;
    }
    const uint16_t v = static_cast<uint16_t>((m_data[m_pos] << 8) | m_data[m_pos + 1]);
    m_pos += 2;
    return v;
}

uint32_t
Reader::U24()
{
    if (!Need(3))
    {
        return 0;
    }
    const uint32_t v = (static_cast<uint32_t>(m_data[m_pos]) << 16)
                       | (static_cast<uint32_t>(m_data[m_pos + 1]) << 8) | m_data[m_pos + 2];
    m_pos += 3;
    return v;
}

uint32_t
Reader::U32()
{
    const uint32_t hi = U16();
    const uint32_t lo = U16();
    return (hi << 16) | lo;
}

Bytes
Reader::Raw(size_t n)
{
    if (!Need(n))
    {
        return {};
    }
    Bytes out(m_data + m_pos, m_data + m_pos + n);
    m_pos += n;
    return out;
}

size_t
Reader::Length(int lengthBytes, size_t minLength, size_t maxLength)
{
    size_t n = 0;
    switch (lengthBytes)
    {
        case 1:
            n = U8();
            break;
        case 2:
            n = U16();
            break;
        case 3:
            n = U24();
            break;
        default:
            m_ok = false;
    }
    if (m_ok && (n < minLength || n > maxLength))
    {
        m_ok = false;
    }
    return n;
}

Bytes
Reader::Vector(int lengthBytes, size_t minLength, size_t maxLength)
{
    const size_t n = Length(lengthBytes, minLength, maxLength);
    return Raw(n);
}

Reader
Reader::Sub(int lengthBytes, size_t minLength, size_t maxLength)
{
    const size_t n = Length(lengthBytes, minLength, maxLength);
    if (!Need(n))
    {
        Reader failed(nullptr, 0);
        failed.m_ok = false;
        return failed;
    }
    Reader sub(m_data + m_pos, n);
    m_pos += n;
    return sub;
}

void
Writer::U8(uint8_t v)
{
    m_out.push_back(v);
}

void
Writer::U16(uint16_t v)
{
    m_out.push_back(static_cast<uint8_t>(v >> 8));
    m_out.push_back(static_cast<uint8_t>(v));
}

void
Writer::U24(uint32_t v)
{
    m_out.push_back(static_cast<uint8_t>(v >> 16));
    m_out.push_back(static_cast<uint8_t>(v >> 8));
    m_out.push_back(static_cast<uint8_t>(v));
}

void
Writer::U32(uint32_t v)
{
    U16(static_cast<uint16_t>(v >> 16));
    U16(static_cast<uint16_t>(v));
}

void
Writer::Raw(const Bytes& b)
{
    m_out.insert(m_out.end(), b.begin(), b.end());
}

void
Writer::Raw(const uint8_t* data, size_t size)
{
    m_out.insert(m_out.end(), data, data + size);
}

void
Writer::Vector(int lengthBytes, const Bytes& body)
{
    const size_t mark = Open(lengthBytes);
    Raw(body);
    Close(mark);
}

size_t
Writer::Open(int lengthBytes)
{
    if (lengthBytes < 1 || lengthBytes > 3)
    {
        throw std::invalid_argument("Writer::Open: length prefix of 1 to 3 bytes");
    }
    const size_t mark = m_out.size();
    m_out.insert(m_out.end(), static_cast<size_t>(lengthBytes), 0);
    m_openWidths.push_back(lengthBytes);
    return mark;
}

void
Writer::Close(size_t mark)
{
    const int width = m_openWidths.back();
    m_openWidths.pop_back();
    const size_t n = m_out.size() - mark - static_cast<size_t>(width);
    if (n >= (size_t{1} << (8 * width)))
    {
        // A bug of the caller (the encoders bound their inputs), not a peer's doing.
        throw std::length_error("Writer::Close: vector too long for its length prefix");
    }
    for (int i = 0; i < width; ++i)
    {
        m_out[mark + static_cast<size_t>(i)] = static_cast<uint8_t>(n >> (8 * (width - 1 - i)));
    }
}

Bytes
Concat(std::initializer_list<const Bytes*> parts)
{
    Bytes out;
    for (const Bytes* p : parts)
    {
        out.insert(out.end(), p->begin(), p->end());
    }
    return out;
}

} // namespace tls13
} // namespace lpwan
