/*
 * The TLS 1.3 record layer (RFC 8446 section 5): TLSPlaintext framing, record protection
 * (TLSCiphertext with TLSInnerPlaintext = content || type || zeros, section 5.2), the
 * per-record nonce (IV XOR the 64-bit sequence number, section 5.3) and a reader that cuts a
 * byte stream into records.
 */
#ifndef LPWAN_TLS13_RECORD_H
#define LPWAN_TLS13_RECORD_H

#include "tls13-cipher-suite.h"
#include "tls13-key-schedule.h"
#include "tls13-types.h"

#include <optional>

namespace lpwan
{
namespace tls13
{

constexpr size_t kRecordHeaderLength = 5;
/// 2^14: the largest plaintext (section 5.1).
constexpr size_t kMaxPlaintextLength = 16384;
/// 2^14 + 256: the largest TLSCiphertext.encrypted_record (section 5.2).
constexpr size_t kMaxCiphertextLength = 16384 + 256;

struct Record
{
    ContentType type = ContentType::Invalid;
    uint16_t legacyVersion = kTls12;
    Bytes fragment;
};

/// type || legacy_record_version || uint16 length || fragment.
Bytes EncodeRecord(ContentType type, uint16_t legacyVersion, const Bytes& fragment);

/// Cuts a stream into records. Errors are sticky: a header with a length above
/// 2^14 + 256 is a record_overflow (section 5.2) and nothing after it is read.
class RecordReader
{
  public:
    void Add(const uint8_t* data, size_t size);
    /// The next complete record, or nullopt (more bytes needed, or Failed()).
    std::optional<Record> Next();

    bool Failed() const
    {
        return m_failed;
    }

    bool Empty() const
    {
        return m_buffer.empty();
    }

  private:
    Bytes m_buffer;
    bool m_failed = false;
};

/// One direction's record protection under one traffic secret.
class RecordProtection
{
  public:
    RecordProtection(const CipherSuiteInfo& suite, const TrafficKeys& keys);

    /// A complete TLSCiphertext record carrying content of the given inner type, with
    /// padding zero bytes (section 5.4). Advances the sequence number.
    Bytes Protect(ContentType type, const Bytes& content, size_t padding = 0);

    /// Decrypts a TLSCiphertext record (opaque_type application_data). The inner content type
    /// and content; nullopt when the tag fails (bad_record_mac), the inner plaintext is all
    /// zeros or exceeds 2^14 bytes (unexpected_message / record_overflow alike: the caller
    /// aborts either way). Advances the sequence number on success.
    std::optional<std::pair<ContentType, Bytes>> Unprotect(const Record& record);

    uint64_t SequenceNumber() const
    {
        return m_sequence;
    }

    size_t TagLength() const
    {
        return m_aead.TagLength();
    }

  private:
    Bytes Nonce() const;

    Aead m_aead;
    Bytes m_iv;
    uint64_t m_sequence = 0;
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_RECORD_H
