/*
 * Record-header accounting; see record-scanner.h.
 */

#include "record-scanner.h"

#include <algorithm>

namespace lpwan
{
namespace tls
{

namespace
{

constexpr size_t kDtlsHeader = 13;
constexpr size_t kTlsHeader = 5;

bool
KnownType(uint8_t type)
{
    return type >= kChangeCipherSpec && type <= kApplicationData;
}

void
Add(RecordBytes& bytes, uint8_t type, uint64_t n)
{
    switch (type)
    {
        case kChangeCipherSpec:
            bytes.changeCipherSpec += n;
            break;
        case kAlert:
            bytes.alert += n;
            break;
        case kHandshake:
            bytes.handshake += n;
            break;
        case kApplicationData:
            bytes.applicationData += n;
            break;
        default:
            bytes.other += n;
            break;
    }
}

} // namespace

RecordBytes&
RecordBytes::operator+=(const RecordBytes& o)
{
    changeCipherSpec += o.changeCipherSpec;
    alert += o.alert;
    handshake += o.handshake;
    applicationData += o.applicationData;
    other += o.other;
    records += o.records;
    return *this;
}

RecordBytes
ScanDatagram(const uint8_t* data, size_t size)
{
    RecordBytes bytes;
    size_t offset = 0;
    while (size - offset >= kDtlsHeader)
    {
        const uint8_t type = data[offset];
        const size_t length = (static_cast<size_t>(data[offset + 11]) << 8) | data[offset + 12];
        if (!KnownType(type) || length > size - offset - kDtlsHeader)
        {
            break;
        }
        Add(bytes, type, kDtlsHeader + length);
        ++bytes.records;
        offset += kDtlsHeader + length;
    }
    bytes.other += size - offset;
    return bytes;
}

bool
ContainsClientHello(const uint8_t* data, size_t size)
{
    size_t offset = 0;
    while (size - offset >= kDtlsHeader)
    {
        const uint8_t* r = data + offset;
        const size_t length = (static_cast<size_t>(r[11]) << 8) | r[12];
        if (!KnownType(r[0]) || length > size - offset - kDtlsHeader)
        {
            return false;
        }
        const bool epochZero = r[3] == 0 && r[4] == 0;
        if (r[0] == kHandshake && epochZero && length > 0 && r[kDtlsHeader] == 1)
        {
            return true;
        }
        offset += kDtlsHeader + length;
    }
    return false;
}

RecordBytes
StreamRecordScanner::Feed(const uint8_t* data, size_t size)
{
    RecordBytes bytes;
    size_t offset = 0;
    while (offset < size)
    {
        if (m_bodyLeft > 0)
        {
            const size_t n = std::min(m_bodyLeft, size - offset);
            Add(bytes, m_type, n);
            m_bodyLeft -= n;
            offset += n;
            continue;
        }
        m_header[m_headerFill++] = data[offset++];
        if (m_headerFill < kTlsHeader)
        {
            continue;
        }
        m_headerFill = 0;
        m_type = KnownType(m_header[0]) ? m_header[0] : 0;
        m_bodyLeft = (static_cast<size_t>(m_header[3]) << 8) | m_header[4];
        Add(bytes, m_type, kTlsHeader);
        if (m_type != 0)
        {
            ++bytes.records;
        }
    }
    return bytes;
}

} // namespace tls
} // namespace lpwan
