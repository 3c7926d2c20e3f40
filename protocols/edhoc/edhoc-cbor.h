/*
 * The CBOR that EDHOC needs (RFC 9528 section 3.1): a writer that appends data items to a CBOR
 * sequence, and a reader that walks a CBOR sequence item by item.
 *
 * Both sit on libcbor's low-level layer: cbor_encode_* writes the shortest head for every
 * integer and length (CBOR's deterministic encoding, which EDHOC requires, RFC 9528 section
 * 3.1), and cbor_stream_decode decodes one head at a time without allocating anything. The
 * reader never calls cbor_load: that builds item trees whose member tables are allocated from
 * the header's announced size before the members are checked (a hostile 5-byte header can
 * ask for gigabytes).
 */
#ifndef LPWAN_EDHOC_CBOR_H
#define LPWAN_EDHOC_CBOR_H

#include "edhoc-types.h"

#include <string>

namespace lpwan
{
namespace edhoc
{

/// Appends CBOR data items to a byte string (a CBOR sequence).
class CborWriter
{
  public:
    CborWriter& Int(int64_t v);
    CborWriter& Uint(uint64_t v);
    CborWriter& Bstr(const Bytes& b);
    CborWriter& Tstr(const std::string& s);
    CborWriter& Bool(bool b);
    /// The head of a definite array of n items; the caller appends the items.
    CborWriter& ArrayHeader(size_t n);
    /// The head of a definite map of n pairs; the caller appends key, value, key, value...
    CborWriter& MapHeader(size_t n);
    /// Appends bytes that already are CBOR data items.
    CborWriter& Raw(const Bytes& b);

    const Bytes& Get() const
    {
        return m_out;
    }

    Bytes Take()
    {
        return std::move(m_out);
    }

  private:
    Bytes m_out;
};

/// Shortcut: the CBOR encoding of one byte string.
Bytes EncodeBstr(const Bytes& b);
/// Shortcut: the CBOR encoding of one integer.
Bytes EncodeInt(int64_t v);

/// The kind of one decoded CBOR head.
enum class CborType : uint8_t
{
    Uint,
    NegInt,
    Bytes,
    Text,
    Array,
    Map,
    Bool,
    Null,
    Other, ///< tags, floats, undefined, simple values: nothing EDHOC uses
};

/// One data item's head (and, for strings, its content).
struct CborHead
{
    CborType type = CborType::Other;
    uint64_t value = 0;            ///< Uint: the value; NegInt: n of -1-n; Array/Map: count
    const uint8_t* data = nullptr; ///< Bytes/Text: the content
    size_t length = 0;             ///< Bytes/Text: the content's length
    bool boolean = false;          ///< Bool
};

/// Walks a CBOR sequence. Every method returns false (and sets Error()) on malformed,
/// non-deterministic or unexpected input; the reader is then unusable.
class CborReader
{
  public:
    CborReader(const uint8_t* data, size_t size);
    explicit CborReader(const Bytes& b);

    bool AtEnd() const
    {
        return m_pos >= m_size;
    }

    size_t Position() const
    {
        return m_pos;
    }

    /// Decodes the next head without consuming it.
    bool Peek(CborHead& head);
    /// Decodes and consumes the next head (for strings, the content too).
    bool Next(CborHead& head);

    bool ReadInt(int64_t& v);
    bool ReadBstr(Bytes& b);
    bool ReadTstr(std::string& s);
    /// Consumes one complete data item (nested up to kMaxCborDepth) and returns its bytes.
    bool ReadRawItem(Bytes& raw);

    /// What went wrong, for the diagnostic of an error message.
    const std::string& Error() const
    {
        return m_error;
    }

    bool Fail(const std::string& why);

  private:
    bool Decode(CborHead& head, size_t& consumed);
    bool SkipItem(unsigned depth);

    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    std::string m_error;
};

/// The data item type of an encoded integer n (value of CborHead), as a signed integer.
/// False when it does not fit an int64_t.
bool HeadToInt(const CborHead& head, int64_t& v);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_CBOR_H
