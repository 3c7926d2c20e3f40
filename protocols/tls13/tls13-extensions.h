/*
 * Extensions (RFC 8446 section 4.2): the generic list every hello, EncryptedExtensions,
 * CertificateEntry and NewSessionTicket carries, and the bodies of the extensions RFC 8448's
 * traces use. Each Decode* function demands that its input is exactly one well-formed body
 * (lengths consistent, vectors within the RFC's bounds, nothing left over) and returns
 * nullopt otherwise.
 */
#ifndef LPWAN_TLS13_EXTENSIONS_H
#define LPWAN_TLS13_EXTENSIONS_H

#include "tls13-types.h"
#include "tls13-wire.h"

#include <optional>
#include <string>

namespace lpwan
{
namespace tls13
{

struct Extension
{
    uint16_t type = 0;
    Bytes data;

    bool operator==(const Extension& o) const
    {
        return type == o.type && data == o.data;
    }
};

using Extensions = std::vector<Extension>;

/// Reads Extension extensions<minLength..2^16-1>: false on a malformed list or a repeated
/// type (section 4.2: at most one extension of each type).
bool ReadExtensions(Reader& r, Extensions& out, size_t minLength = 0);
void WriteExtensions(Writer& w, const Extensions& extensions);
const Extension* FindExtension(const Extensions& extensions, uint16_t type);

/// server_name (RFC 6066 section 3): a ServerNameList with one host_name.
Bytes EncodeServerName(const std::string& hostName);
std::optional<std::string> DecodeServerName(const Bytes& body);

/// A list of 16-bit code points with a 2-byte length (supported_groups,
/// signature_algorithms): NamedGroup named_group_list<2..2^16-1>,
/// SignatureScheme supported_signature_algorithms<2..2^16-2>.
Bytes EncodeU16List(const std::vector<uint16_t>& values);
std::optional<std::vector<uint16_t>> DecodeU16List(const Bytes& body);

/// KeyShareEntry (section 4.2.8).
struct KeyShareEntry
{
    uint16_t group = 0;
    Bytes keyExchange;
};

/// KeyShareClientHello: KeyShareEntry client_shares<0..2^16-1>; no group twice.
Bytes EncodeClientKeyShares(const std::vector<KeyShareEntry>& shares);
std::optional<std::vector<KeyShareEntry>> DecodeClientKeyShares(const Bytes& body);
/// KeyShareServerHello: one KeyShareEntry.
Bytes EncodeServerKeyShare(const KeyShareEntry& share);
std::optional<KeyShareEntry> DecodeServerKeyShare(const Bytes& body);
/// KeyShareHelloRetryRequest: NamedGroup selected_group.
std::optional<uint16_t> DecodeHelloRetryKeyShare(const Bytes& body);

/// supported_versions (section 4.2.1): ProtocolVersion versions<2..254> in a ClientHello,
/// one selected_version in a ServerHello.
Bytes EncodeClientSupportedVersions(const std::vector<uint16_t>& versions);
std::optional<std::vector<uint16_t>> DecodeClientSupportedVersions(const Bytes& body);
Bytes EncodeServerSupportedVersion(uint16_t version);
std::optional<uint16_t> DecodeServerSupportedVersion(const Bytes& body);

/// psk_key_exchange_modes (section 4.2.9): PskKeyExchangeMode ke_modes<1..255>.
constexpr uint8_t kPskKe = 0;
constexpr uint8_t kPskDheKe = 1;
Bytes EncodePskKeyExchangeModes(const std::vector<uint8_t>& modes);
std::optional<std::vector<uint8_t>> DecodePskKeyExchangeModes(const Bytes& body);

/// pre_shared_key (section 4.2.11).
struct PskIdentity
{
    Bytes identity; ///< <1..2^16-1>
    uint32_t obfuscatedTicketAge = 0;
};

struct OfferedPsks
{
    std::vector<PskIdentity> identities; ///< <7..2^16-1> on the wire
    std::vector<Bytes> binders;          ///< PskBinderEntry <32..255> each, <33..2^16-1>
};

Bytes EncodeOfferedPsks(const OfferedPsks& psks);
/// Also checks that there are as many binders as identities.
std::optional<OfferedPsks> DecodeOfferedPsks(const Bytes& body);
/// The length of the binders list as encoded (2-byte length included): what a ClientHello
/// loses when it is truncated for the binder computation (section 4.2.11.2).
size_t OfferedPsksBindersLength(const OfferedPsks& psks);
Bytes EncodeSelectedIdentity(uint16_t index);
std::optional<uint16_t> DecodeSelectedIdentity(const Bytes& body);

/// record_size_limit (RFC 8449 section 4): uint16 RecordSizeLimit, at least 64.
Bytes EncodeRecordSizeLimit(uint16_t limit);
std::optional<uint16_t> DecodeRecordSizeLimit(const Bytes& body);

/// early_data in a NewSessionTicket (section 4.2.10): uint32 max_early_data_size. In a
/// ClientHello or EncryptedExtensions its body is empty.
Bytes EncodeMaxEarlyDataSize(uint32_t size);
std::optional<uint32_t> DecodeMaxEarlyDataSize(const Bytes& body);

/// cookie (section 4.2.2): opaque cookie<1..2^16-1>.
std::optional<Bytes> DecodeCookie(const Bytes& body);
Bytes EncodeCookie(const Bytes& cookie);

/// client_certificate_type / server_certificate_type (RFC 7250 section 4.2): a list of
/// CertificateType<1..2^8-1> in the ClientHello, one CertificateType in EncryptedExtensions.
Bytes EncodeCertificateTypeList(const std::vector<uint8_t>& types);
std::optional<std::vector<uint8_t>> DecodeCertificateTypeList(const Bytes& body);
std::optional<uint8_t> DecodeCertificateType(const Bytes& body);

/// connection_id (RFC 9146 section 3, DTLS 1.3 RFC 9147 section 9): opaque cid<0..2^8-1>, the
/// CID its sender wants to receive in the records addressed to it (empty: none).
std::optional<Bytes> DecodeConnectionId(const Bytes& body);
Bytes EncodeConnectionId(const Bytes& cid);

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_EXTENSIONS_H
