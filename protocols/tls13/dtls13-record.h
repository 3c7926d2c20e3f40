/*
 * The DTLS 1.3 record layer (RFC 9147 section 4): DTLSPlaintext records (epoch 0: the
 * ClientHello and ServerHello), DTLSCiphertext records with the unified header, record number
 * encryption (section 4.2.3), sequence number reconstruction and the anti-replay window
 * (sections 4.2.2 and 4.5.1), and the cutting of a datagram into records.
 *
 * The header this implementation writes is the draft comparison's minimal one (RFC 9147
 * figure 4): fixed bits 001, the C bit and the connection ID when the peer asked for one, an
 * 8-bit sequence number (S = 0), and the 16-bit length only when another record follows in the
 * same datagram (L = 0 for the last record). With an 8-bit sequence number the receiver
 * reconstructs the full number as the one closest to the next expected (section 4.2.2): more
 * than 127 consecutive lost records of one epoch would be misread and dropped as forgeries,
 * which one record per report on a low-power link does not approach. Records shorter than 16
 * bytes of ciphertext are padded (section 4.2.3: the mask needs 16 bytes).
 */
#ifndef LPWAN_TLS13_DTLS13_RECORD_H
#define LPWAN_TLS13_DTLS13_RECORD_H

#include "tls13-cipher-suite.h"
#include "tls13-key-schedule.h"
#include "tls13-types.h"

#include <optional>
#include <string>

namespace lpwan
{
namespace tls13
{

/// type || legacy_record_version || epoch || 48-bit sequence_number || length.
constexpr size_t kDtlsPlaintextHeaderLength = 13;

/// RecordNumber (section 4): the epoch and the full 64-bit sequence number.
struct DtlsRecordNumber
{
    uint64_t epoch = 0;
    uint64_t sequence = 0;
    bool operator<(const DtlsRecordNumber& o) const
    {
        return epoch != o.epoch ? epoch < o.epoch : sequence < o.sequence;
    }
    bool operator==(const DtlsRecordNumber& o) const
    {
        return epoch == o.epoch && sequence == o.sequence;
    }
};

/// One record cut from a datagram, before deprotection.
struct DtlsWireRecord
{
    /// True: DTLSCiphertext (unified header); false: DTLSPlaintext.
    bool ciphertext = false;
    // DTLSPlaintext
    ContentType type = ContentType::Invalid;
    uint16_t legacyVersion = 0;
    uint16_t epoch = 0;
    uint64_t sequence = 0;
    Bytes fragment;
    // DTLSCiphertext
    uint8_t epochBits = 0; ///< the two low bits of the epoch
    Bytes connectionId;
    Bytes header; ///< the unified header as received (sequence number encrypted)
    size_t sequenceOffset = 0;
    size_t sequenceLength = 0; ///< 1 or 2
    Bytes encrypted;           ///< encrypted_record: ciphertext and tag
};

/// Cuts a datagram into records (section 4.1): a first byte of alert(21), handshake(22) or
/// ack(26) is a DTLSPlaintext record, 001xxxxx a DTLSCiphertext whose C bit announces a
/// connection ID of cidLength bytes (the length this endpoint asked its peer to use); anything
/// else, and a record that overruns the datagram, ends the datagram (section 4.5.2: invalid
/// records are discarded; what follows cannot be framed).
std::vector<DtlsWireRecord> SplitDtlsDatagram(const uint8_t* data, size_t size, size_t cidLength);

/// A DTLSPlaintext record.
Bytes EncodeDtlsPlaintext(ContentType type, uint16_t epoch, uint64_t sequence,
                          const Bytes& fragment);

/// One direction's protection in one epoch: the traffic secret's key and IV, and its sn_key
/// (HKDF-Expand-Label(secret, "sn", "", key_length), section 4.2.3).
class DtlsRecordProtection
{
  public:
    DtlsRecordProtection(const CipherSuiteInfo& suite, const Bytes& trafficSecret, uint16_t epoch);

    /// A DTLSCiphertext record of the given inner type; connectionId empty: no C bit.
    /// withLength: the record is followed by another in its datagram. number receives the
    /// record's number. Advances the sequence number.
    Bytes Protect(ContentType type, const Bytes& content, const Bytes& connectionId,
                  bool withLength, DtlsRecordNumber* number = nullptr);

    struct Opened
    {
        ContentType type;
        Bytes content;
        DtlsRecordNumber number;
    };
    /// Decrypts the sequence number, reconstructs it, rejects replays (a 64-record window),
    /// opens the record and strips its padding. nullopt for anything that fails (the record is
    /// dropped, section 4.5.2).
    std::optional<Opened> Unprotect(const DtlsWireRecord& record);

    uint16_t Epoch() const
    {
        return m_epoch;
    }
    size_t TagLength() const
    {
        return m_aead.TagLength();
    }

  private:
    /// The traffic key and IV derived once (the public constructor's "key" and "iv").
    DtlsRecordProtection(const CipherSuiteInfo& suite, const TrafficKeys& keys, const Bytes& snKey,
                         uint16_t epoch);
    Bytes Nonce(uint64_t sequence) const;
    /// The first bytes of AES-ECB(sn_key, first 16 bytes of the encrypted record).
    Bytes Mask(const Bytes& encrypted) const;

    Aead m_aead;
    Bytes m_iv;
    Bytes m_snKey;
    uint16_t m_epoch;
    uint64_t m_nextSend = 0;
    bool m_receivedAny = false;
    uint64_t m_highestReceived = 0;
    uint64_t m_window = 0; ///< bit i: m_highestReceived - i was received
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_DTLS13_RECORD_H
