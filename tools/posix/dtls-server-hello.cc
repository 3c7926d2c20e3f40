/*
 * ServerHello cipher suite; see dtls-server-hello.h.
 */

#include "dtls-server-hello.h"

#include <mbedtls/ssl.h>

#include <cstdio>

namespace lpwan
{

namespace
{

constexpr size_t kRecordHeader = 13;    // type, version, epoch, sequence number, length
constexpr size_t kHandshakeHeader = 12; // type, length, message_seq, fragment offset, length
constexpr uint8_t kHandshakeRecord = 22;
constexpr uint8_t kServerHello = 2;

uint32_t
Be24(const uint8_t* p)
{
    return (static_cast<uint32_t>(p[0]) << 16) | (static_cast<uint32_t>(p[1]) << 8) | p[2];
}

} // namespace

std::optional<uint16_t>
FindServerHelloCipherSuite(const uint8_t* data, size_t size)
{
    size_t at = 0;
    while (size - at >= kRecordHeader)
    {
        const uint8_t* record = data + at;
        const size_t length = (static_cast<size_t>(record[11]) << 8) | record[12];
        const size_t epoch = (static_cast<size_t>(record[3]) << 8) | record[4];
        if (length > size - at - kRecordHeader)
        {
            return std::nullopt; // truncated: the rest is not records
        }
        const uint8_t* body = record + kRecordHeader;
        // The ServerHello travels in epoch 0, unencrypted; a record may hold several
        // handshake messages (mbedTLS and OpenSSL pack a flight), each with its own header.
        size_t in = 0;
        while (record[0] == kHandshakeRecord && epoch == 0 && length - in >= kHandshakeHeader)
        {
            const uint8_t* message = body + in;
            const size_t fragmentOffset = Be24(message + 6);
            const size_t fragmentLength = Be24(message + 9);
            if (fragmentLength > length - in - kHandshakeHeader)
            {
                break;
            }
            if (message[0] == kServerHello && fragmentOffset == 0)
            {
                // server_version (2), random (32), session_id (1 + n), cipher_suite (2)
                const uint8_t* hello = message + kHandshakeHeader;
                if (fragmentLength < 35)
                {
                    return std::nullopt;
                }
                const size_t sessionIdLength = hello[34];
                if (fragmentLength < 35 + sessionIdLength + 2)
                {
                    return std::nullopt;
                }
                const uint8_t* suite = hello + 35 + sessionIdLength;
                return static_cast<uint16_t>((suite[0] << 8) | suite[1]);
            }
            in += kHandshakeHeader + fragmentLength;
        }
        at += kRecordHeader + length;
    }
    return std::nullopt;
}

std::string
CipherSuiteName(uint16_t suite)
{
    if (const char* name = mbedtls_ssl_get_ciphersuite_name(suite))
    {
        if (std::string(name) != "unknown")
        {
            return name;
        }
    }
    char hex[8];
    std::snprintf(hex, sizeof(hex), "0x%04x", suite);
    return hex;
}

} // namespace lpwan
