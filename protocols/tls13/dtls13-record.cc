#include "dtls13-record.h"

#include "tls13-key-schedule.h"
#include "tls13-wire.h"

#include <mbedtls/aes.h>

#include <stdexcept>

namespace lpwan
{
namespace tls13
{

namespace
{

constexpr uint8_t kFixedBits = 0x20; // 001xxxxx
constexpr uint8_t kFixedMask = 0xe0;
constexpr uint8_t kConnectionIdBit = 0x10;
constexpr uint8_t kSixteenBitSequence = 0x08;
constexpr uint8_t kLengthBit = 0x04;
constexpr size_t kMinimumEncryptedLength = 16; // the mask's sample (section 4.2.3)

} // namespace

std::vector<DtlsWireRecord>
SplitDtlsDatagram(const uint8_t* data, size_t size, size_t cidLength)
{
    std::vector<DtlsWireRecord> records;
    size_t pos = 0;
    while (pos < size)
    {
        const uint8_t first = data[pos];
        DtlsWireRecord rec;
        if (first == static_cast<uint8_t>(ContentType::Alert)
            || first == static_cast<uint8_t>(ContentType::Handshake)
            || first == static_cast<uint8_t>(ContentType::Ack))
        {
            if (size - pos < kDtlsPlaintextHeaderLength)
            {
                break;
            }
            Reader r(data + pos, size - pos);
            rec.type = static_cast<ContentType>(r.U8());
            rec.legacyVersion = r.U16();
            rec.epoch = r.U16();
            rec.sequence = (static_cast<uint64_t>(r.U16()) << 32) | r.U32();
            rec.fragment = r.Vector(2);
            if (!r.Ok())
            {
                break;
            }
            pos = size - r.Remaining();
            records.push_back(std::move(rec));
            continue;
        }
        if ((first & kFixedMask) != kFixedBits)
        {
            break;
        }
        rec.ciphertext = true;
        rec.epochBits = first & 0x03;
        size_t at = pos + 1;
        if (first & kConnectionIdBit)
        {
            if (size - at < cidLength)
            {
                break;
            }
            rec.connectionId.assign(data + at, data + at + cidLength);
            at += cidLength;
        }
        rec.sequenceOffset = at - pos;
        rec.sequenceLength = (first & kSixteenBitSequence) ? 2 : 1;
        if (size - at < rec.sequenceLength)
        {
            break;
        }
        at += rec.sequenceLength;
        size_t length = size - at;
        if (first & kLengthBit)
        {
            if (size - at < 2)
            {
                break;
            }
            length = (static_cast<size_t>(data[at]) << 8) | data[at + 1];
            at += 2;
            if (size - at < length)
            {
                break;
            }
        }
        rec.header.assign(data + pos, data + at);
        rec.encrypted.assign(data + at, data + at + length);
        pos = at + length;
        records.push_back(std::move(rec));
    }
    return records;
}

Bytes
EncodeDtlsPlaintext(ContentType type, uint16_t epoch, uint64_t sequence, const Bytes& fragment)
{
    Writer w;
    w.U8(static_cast<uint8_t>(type));
    w.U16(kDtls12); // legacy_record_version {254, 253} (section 4)
    w.U16(epoch);
    w.U16(static_cast<uint16_t>(sequence >> 32));
    w.U32(static_cast<uint32_t>(sequence));
    w.Vector(2, fragment);
    return w.Take();
}

DtlsRecordProtection::DtlsRecordProtection(const CipherSuiteInfo& suite, const Bytes& trafficSecret,
                                           uint16_t epoch)
  : DtlsRecordProtection(
      suite, DeriveTrafficKeys(trafficSecret, suite.keyLength, 12, kDtls13LabelPrefix),
      HkdfExpandLabel(trafficSecret, "sn", {}, suite.keyLength, kDtls13LabelPrefix), epoch)
{
}

DtlsRecordProtection::DtlsRecordProtection(const CipherSuiteInfo& suite, const TrafficKeys& keys,
                                           const Bytes& snKey, uint16_t epoch)
  : m_aead(suite, keys.key)
  , m_iv(keys.iv)
  , m_snKey(snKey)
  , m_epoch(epoch)
{
}

Bytes
DtlsRecordProtection::Nonce(uint64_t sequence) const
{
    // Section 4: the 64-bit sequence number alone (not the epoch) forms the per-record nonce
    // as in TLS 1.3 (RFC 8446 section 5.3).
    Bytes nonce = m_iv;
    for (size_t i = 0; i < 8; ++i)
    {
        nonce[nonce.size() - 1 - i] ^= static_cast<uint8_t>(sequence >> (8 * i));
    }
    return nonce;
}

Bytes
DtlsRecordProtection::Mask(const Bytes& encrypted) const
{
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    unsigned char block[16];
    const bool ok
        = mbedtls_aes_setkey_enc(&aes, m_snKey.data(), static_cast<unsigned>(m_snKey.size() * 8))
              == 0
          && mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, encrypted.data(), block) == 0;
    mbedtls_aes_free(&aes);
    if (!ok)
    {
        throw std::runtime_error("DTLS 1.3 record number encryption failed");
    }
    return Bytes(block, block + 16);
}

Bytes
DtlsRecordProtection::Protect(ContentType type, const Bytes& content, const Bytes& connectionId,
                              bool withLength, DtlsRecordNumber* number)
{
    if (m_nextSend >= (uint64_t{1} << 48))
    {
        // Section 4.2.1: the sequence number must not wrap; rekey or abandon first.
        throw std::runtime_error("DTLS 1.3 record sequence number exhausted");
    }
    const uint64_t sequence = m_nextSend++;
    Bytes inner = content;
    inner.push_back(static_cast<uint8_t>(type));
    const size_t tag = m_aead.TagLength();
    if (inner.size() + tag < kMinimumEncryptedLength)
    {
        inner.resize(kMinimumEncryptedLength - tag, 0); // zero padding (RFC 8446 section 5.4)
    }
    Bytes header;
    header.push_back(static_cast<uint8_t>(kFixedBits | (connectionId.empty() ? 0 : kConnectionIdBit)
                                          | (withLength ? kLengthBit : 0) | (m_epoch & 0x03)));
    header.insert(header.end(), connectionId.begin(), connectionId.end());
    const size_t sequenceOffset = header.size();
    header.push_back(static_cast<uint8_t>(sequence));
    if (withLength)
    {
        const size_t length = inner.size() + tag;
        header.push_back(static_cast<uint8_t>(length >> 8));
        header.push_back(static_cast<uint8_t>(length));
    }
    // The additional data is the header with the sequence number in the clear (section 4).
    const Bytes sealed = m_aead.Seal(Nonce(sequence), header, inner);
    const Bytes mask = Mask(sealed);
    header[sequenceOffset] ^= mask[0];
    Bytes record = header;
    record.insert(record.end(), sealed.begin(), sealed.end());
    if (number)
    {
        *number = {m_epoch, sequence};
    }
    return record;
}

std::optional<DtlsRecordProtection::Opened>
DtlsRecordProtection::Unprotect(const DtlsWireRecord& record)
{
    if (!record.ciphertext || record.epochBits != (m_epoch & 0x03)
        || record.encrypted.size() < kMinimumEncryptedLength
        || record.encrypted.size() > 16384 + 256)
    {
        return std::nullopt;
    }
    Bytes header = record.header;
    const Bytes mask = Mask(record.encrypted);
    uint64_t bits = 0;
    for (size_t i = 0; i < record.sequenceLength; ++i)
    {
        header[record.sequenceOffset + i] ^= mask[i];
        bits = (bits << 8) | header[record.sequenceOffset + i];
    }
    // Section 4.2.2: the full number closest to one more than the highest deprotected one.
    const uint64_t span = uint64_t{1} << (8 * record.sequenceLength);
    const uint64_t expected = m_receivedAny ? m_highestReceived + 1 : 0;
    uint64_t best = (expected & ~(span - 1)) | bits;
    auto distance = [&](uint64_t x)
    {
        return x > expected ? x - expected : expected - x;
    };
    if (best >= span && distance(best - span) < distance(best))
    {
        best -= span;
    }
    else if (distance(best + span) < distance(best))
    {
        best += span;
    }
    if (m_receivedAny && best <= m_highestReceived)
    {
        const uint64_t age = m_highestReceived - best;
        if (age >= 64 || (m_window >> age) & 1)
        {
            return std::nullopt; // a replay, or too old to tell (section 4.5.1)
        }
    }
    std::optional<Bytes> inner = m_aead.Open(Nonce(best), header, record.encrypted);
    if (!inner)
    {
        return std::nullopt;
    }
    size_t end = inner->size();
    while (end > 0 && (*inner)[end - 1] == 0)
    {
        --end;
    }
    if (end == 0 || end - 1 > 16384)
    {
        return std::nullopt;
    }
    // Only an authentic record moves the window.
    if (!m_receivedAny || best > m_highestReceived)
    {
        const uint64_t shift = m_receivedAny ? best - m_highestReceived : 64;
        m_window = shift >= 64 ? 0 : m_window << shift;
        m_window |= 1;
        m_highestReceived = best;
        m_receivedAny = true;
    }
    else
    {
        m_window |= uint64_t{1} << (m_highestReceived - best);
    }
    Opened opened;
    opened.type = static_cast<ContentType>((*inner)[end - 1]);
    inner->resize(end - 1);
    opened.content = std::move(*inner);
    opened.number = {m_epoch, best};
    return opened;
}

} // namespace tls13
} // namespace lpwan
