/*
 * The cipher suite a DTLS 1.2 ServerHello names, read from the clear-text handshake record on
 * the wire (RFC 6347 sections 4.1 and 4.2.2, RFC 5246 section 7.4.1.3). The real-socket tools
 * print the negotiated suite with -v; tls::DtlsTransport keeps its sessions to itself, and
 * the ServerHello both sides see is the authoritative answer anyway (it is what Wireshark
 * shows). Written by hand because mbedTLS has no parser for records it does not own.
 */
#ifndef LPWAN_DTLS_SERVER_HELLO_H
#define LPWAN_DTLS_SERVER_HELLO_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace lpwan
{

/// The cipher suite of the first ServerHello in one DTLS datagram (which may carry several
/// records), or nullopt when there is none or it is truncated or fragmented so that the suite
/// is not in the first fragment. Never reads outside [data, data + size).
std::optional<uint16_t> FindServerHelloCipherSuite(const uint8_t* data, size_t size);

/// mbedTLS's name of a suite ("TLS-PSK-WITH-AES-128-CCM-8"), or "0xHHHH" when it has none.
std::string CipherSuiteName(uint16_t suite);

} // namespace lpwan

#endif // LPWAN_DTLS_SERVER_HELLO_H
