/*
 * The presentation language's encodings (RFC 8446 section 3): big-endian integers of 1, 2, 3
 * and 4 bytes and vectors with a 1-, 2- or 3-byte length prefix.
 *
 * Reader is the only way the parsers touch peer bytes. Every read is bounds-checked; a failed
 * read puts the reader in a sticky failed state and returns zeros/empty, so a parser can read a
 * whole structure and check Ok() once, and no malformed input reaches undefined behaviour
 * (these parsers are fuzzed).
 */
#ifndef LPWAN_TLS13_WIRE_H
#define LPWAN_TLS13_WIRE_H

#include "tls13-types.h"

#include <string>

namespace lpwan
{
namespace tls13
{

class Reader
{
  public:
    Reader(const uint8_t* data, size_t size);
    explicit Reader(const Bytes& bytes);

    uint8_t U8();
    uint16_t U16();
    uint32_t U24();
    uint32_t U32();
    /// n raw bytes.
    Bytes Raw(size_t n);
    /// A vector with a lengthBytes-byte (1, 2 or 3) length prefix; its length must lie in
    /// [minLength, maxLength] (the bounds RFC 8446 gives each vector).
    Bytes Vector(int lengthBytes, size_t minLength = 0, size_t maxLength = 0xffffff);
    /// A sub-reader over the body of such a vector (consumed from this reader).
    Reader Sub(int lengthBytes, size_t minLength = 0, size_t maxLength = 0xffffff);

    size_t Remaining() const
    {
        return m_ok ? m_size - m_pos : 0;
    }

    bool AtEnd() const
    {
        return m_ok && m_pos == m_size;
    }

    bool Ok() const
    {
        return m_ok;
    }

    /// Marks the reader failed (a semantic check of the caller did not hold).
    void Fail()
    {
        m_ok = false;
    }

    /// Ok() and every byte consumed: what a parser of a complete structure demands.
    bool Done() const
    {
        return AtEnd();
    }

  private:
    bool Need(size_t n);
    /// A vector's length prefix of lengthBytes (1..3) bytes, checked against the bounds (a
    /// failure clears Ok()).
    size_t Length(int lengthBytes, size_t minLength, size_t maxLength);

    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    bool m_ok = true;
};

/// Appends encodings to a byte string.
class Writer
{
  public:
    void U8(uint8_t v);
    void U16(uint16_t v);
    void U24(uint32_t v);
    void U32(uint32_t v);
    void Raw(const Bytes& b);
    void Raw(const uint8_t* data, size_t size);
    /// A vector with a lengthBytes-byte length prefix.
    void Vector(int lengthBytes, const Bytes& body);
    /// Opens a vector whose length is filled in by Close (nested structures).
    size_t Open(int lengthBytes);
    void Close(size_t mark);

    const Bytes& Data() const
    {
        return m_out;
    }

    Bytes Take()
    {
        return std::move(m_out);
    }

  private:
    Bytes m_out;
    std::vector<int> m_openWidths;
};

/// Concatenation helper.
Bytes Concat(std::initializer_list<const Bytes*> parts);

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_WIRE_H
