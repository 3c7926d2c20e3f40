/*
 * Attributes (D)TLS bytes to record content types by reading only the clear-text record
 * headers (RFC 5246 section 6.2.1: type, version, length; RFC 6347 section 4.1 adds epoch and
 * sequence number). This is accounting, not protocol: mbedTLS parses and protects every
 * record; the sessions use the scanner to tell handshake bytes from application data in
 * their statistics. Written by hand because mbedTLS exposes no record-level trace hook.
 */
#ifndef LPWAN_TLS_RECORD_SCANNER_H
#define LPWAN_TLS_RECORD_SCANNER_H

#include <array>
#include <cstddef>
#include <cstdint>

namespace lpwan
{
namespace tls
{

/// Record content types (RFC 5246 section 6.2.1).
enum ContentType : uint8_t
{
    kChangeCipherSpec = 20,
    kAlert = 21,
    kHandshake = 22,
    kApplicationData = 23,
};

/// Bytes per content type, record headers included.
struct RecordBytes
{
    uint64_t changeCipherSpec = 0;
    uint64_t alert = 0;
    uint64_t handshake = 0;
    uint64_t applicationData = 0;
    /// Bytes that are not a well-formed record of a known type (garbage, a truncated tail).
    uint64_t other = 0;
    uint32_t records = 0; ///< complete or started records of known type

    /// Handshake and ChangeCipherSpec bytes: what a handshake flight is made of.
    uint64_t HandshakeFlight() const
    {
        return handshake + changeCipherSpec;
    }

    RecordBytes& operator+=(const RecordBytes& other);
};

/// Scans one DTLS datagram (13-byte record headers; records never span datagrams).
RecordBytes ScanDatagram(const uint8_t* data, size_t size);

/// True when one of the datagram's whole records is an epoch-0 handshake record starting a
/// ClientHello: the start of a new DTLS handshake (RFC 6347 section 4.2.8).
bool ContainsClientHello(const uint8_t* data, size_t size);

/// Scans a TLS byte stream fed in arbitrary pieces (5-byte record headers); remembers a
/// partial header or body between calls.
class StreamRecordScanner
{
  public:
    RecordBytes Feed(const uint8_t* data, size_t size);

  private:
    std::array<uint8_t, 5> m_header{};
    size_t m_headerFill = 0;
    size_t m_bodyLeft = 0;
    uint8_t m_type = 0;
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_RECORD_SCANNER_H
