#include "tls13-record.h"

#include "tls13-wire.h"

#include <stdexcept>

namespace lpwan
{
namespace tls13
{

Bytes
EncodeRecord(ContentType type, uint16_t legacyVersion, const Bytes& fragment)
{
    Writer w;
    w.U8(static_cast<uint8_t>(type));
    w.U16(legacyVersion);
    w.Vector(2, fragment);
    return w.Take();
}

// ---------------------------------------------------------------- RecordReader

void
RecordReader::Add(const uint8_t* data, size_t size)
{
    m_buffer.insert(m_buffer.end(), data, data + size);
}

std::optional<Record>
RecordReader::Next()
{
    if (m_failed || m_buffer.size() < kRecordHeaderLength)
    {
        return std::nullopt;
    }
    const size_t length = (static_cast<size_t>(m_buffer[3]) << 8) | m_buffer[4];
    if (length > kMaxCiphertextLength)
    {
        m_failed = true;
        return std::nullopt;
    }
    if (m_buffer.size() < kRecordHeaderLength + length)
    {
        return std::nullopt;
    }
    Record r;
    r.type = static_cast<ContentType>(m_buffer[0]);
    r.legacyVersion = static_cast<uint16_t>((m_buffer[1] << 8) | m_buffer[2]);
    const auto begin = m_buffer.begin() + static_cast<std::ptrdiff_t>(kRecordHeaderLength);
    const auto end = begin + static_cast<std::ptrdiff_t>(length);
    r.fragment.assign(begin, end);
    m_buffer.erase(m_buffer.begin(), end);
    return r;
}

// ---------------------------------------------------------------- RecordProtection

RecordProtection::RecordProtection(const CipherSuiteInfo& suite, const TrafficKeys& keys)
  : m_aead(suite, keys.key)
  , m_iv(keys.iv)
{
    if (m_iv.size() < 8)
    {
        throw std::invalid_argument("record IV shorter than the sequence number");
    }
}

Bytes
RecordProtection::Nonce() const
{
    // Section 5.3: the 64-bit sequence number in network byte order, left-padded with zeros
    // to iv_length, XORed with the static IV.
    Bytes nonce = m_iv;
    for (size_t i = 0; i < 8; ++i)
    {
        nonce[nonce.size() - 1 - i] ^= static_cast<uint8_t>(m_sequence >> (8 * i));
    }
    return nonce;
}

Bytes
RecordProtection::Protect(ContentType type, const Bytes& content, size_t padding)
{
    if (content.size() + 1 + padding > kMaxPlaintextLength + 1)
    {
        throw std::length_error("TLSInnerPlaintext too long");
    }
    if (m_sequence == UINT64_MAX)
    {
        // Section 5.3: the sequence number must not wrap; the connection must rekey first.
        throw std::runtime_error("record sequence number exhausted");
    }
    Bytes inner = content;
    inner.push_back(static_cast<uint8_t>(type));
    inner.insert(inner.end(), padding, 0);
    const size_t length = inner.size() + m_aead.TagLength();
    // additional_data = opaque_type || legacy_record_version || length (section 5.2).
    const Bytes aad = {static_cast<uint8_t>(ContentType::ApplicationData), 0x03, 0x03,
                       static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)};
    Bytes record = aad;
    const Bytes sealed = m_aead.Seal(Nonce(), aad, inner);
    record.insert(record.end(), sealed.begin(), sealed.end());
    ++m_sequence;
    return record;
}

std::optional<std::pair<ContentType, Bytes>>
RecordProtection::Unprotect(const Record& record)
{
    if (record.type != ContentType::ApplicationData || record.fragment.size() > kMaxCiphertextLength
        || m_sequence == UINT64_MAX)
    {
        return std::nullopt;
    }
    const size_t length = record.fragment.size();
    const Bytes aad
        = {static_cast<uint8_t>(record.type), static_cast<uint8_t>(record.legacyVersion >> 8),
           static_cast<uint8_t>(record.legacyVersion), static_cast<uint8_t>(length >> 8),
           static_cast<uint8_t>(length)};
    std::optional<Bytes> inner = m_aead.Open(Nonce(), aad, record.fragment);
    if (!inner)
    {
        return std::nullopt;
    }
    // The content type is the last non-zero byte; an all-zero plaintext has none.
    size_t end = inner->size();
    while (end > 0 && (*inner)[end - 1] == 0)
    {
        --end;
    }
    if (end == 0 || inner->size() > kMaxPlaintextLength + 1)
    {
        return std::nullopt;
    }
    const ContentType type = static_cast<ContentType>((*inner)[end - 1]);
    inner->resize(end - 1);
    ++m_sequence;
    return std::make_pair(type, std::move(*inner));
}

} // namespace tls13
} // namespace lpwan
