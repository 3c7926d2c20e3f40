/*
 * The code points of TLS 1.3 (RFC 8446 section 4 and appendix B.3) that the sans-I/O core
 * speaks, and the byte-string type it passes around. Values a peer sends that are not listed
 * here stay plain integers: an unknown extension, group or scheme must be skipped, never
 * rejected (RFC 8446 section 4.2).
 */
#ifndef LPWAN_TLS13_TYPES_H
#define LPWAN_TLS13_TYPES_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lpwan
{
namespace tls13
{

/// Whether a list of code points (suites, groups, schemes) holds x.
inline bool
Contains(const std::vector<uint16_t>& v, uint16_t x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

using Bytes = std::vector<uint8_t>;

/// ContentType (RFC 8446 section 5.1).
enum class ContentType : uint8_t
{
    Invalid = 0,
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
    Ack = 26, ///< DTLS 1.3 (RFC 9147 section 7)
};

/// HandshakeType (RFC 8446 section 4).
enum class HandshakeType : uint8_t
{
    ClientHello = 1,
    ServerHello = 2,
    NewSessionTicket = 4,
    EndOfEarlyData = 5,
    EncryptedExtensions = 8,
    Certificate = 11,
    CertificateRequest = 13,
    CertificateVerify = 15,
    Finished = 20,
    KeyUpdate = 24,
    MessageHash = 254,
};

/// ExtensionType (RFC 8446 section 4.2; renegotiation_info RFC 5746, session_ticket RFC 5077,
/// record_size_limit RFC 8449, connection_id RFC 9146, certificate types RFC 7250).
namespace ext
{
constexpr uint16_t kServerName = 0;
constexpr uint16_t kSupportedGroups = 10;
constexpr uint16_t kSignatureAlgorithms = 13;
constexpr uint16_t kClientCertificateType = 19; ///< RFC 7250 section 4.1
constexpr uint16_t kServerCertificateType = 20;
constexpr uint16_t kRecordSizeLimit = 28;
constexpr uint16_t kSessionTicket = 35;
constexpr uint16_t kPreSharedKey = 41;
constexpr uint16_t kEarlyData = 42;
constexpr uint16_t kSupportedVersions = 43;
constexpr uint16_t kCookie = 44;
constexpr uint16_t kPskKeyExchangeModes = 45;
constexpr uint16_t kKeyShare = 51;
constexpr uint16_t kConnectionId = 54; ///< RFC 9146 section 3, used by DTLS 1.3 too
constexpr uint16_t kRenegotiationInfo = 0xff01;
} // namespace ext

/// CipherSuite (RFC 8446 appendix B.4). All five use SHA-256 except 0x1302 (SHA-384), which
/// this core does not implement.
namespace suite
{
constexpr uint16_t kAes128GcmSha256 = 0x1301;
constexpr uint16_t kAes256GcmSha384 = 0x1302;
constexpr uint16_t kChaCha20Poly1305Sha256 = 0x1303;
constexpr uint16_t kAes128CcmSha256 = 0x1304;
constexpr uint16_t kAes128Ccm8Sha256 = 0x1305;
} // namespace suite

/// NamedGroup (RFC 8446 section 4.2.7).
namespace group
{
constexpr uint16_t kSecp256r1 = 0x0017;
constexpr uint16_t kSecp384r1 = 0x0018;
constexpr uint16_t kSecp521r1 = 0x0019;
constexpr uint16_t kX25519 = 0x001d;
constexpr uint16_t kFfdhe2048 = 0x0100;
constexpr uint16_t kFfdhe3072 = 0x0101;
constexpr uint16_t kFfdhe4096 = 0x0102;
constexpr uint16_t kFfdhe6144 = 0x0103;
constexpr uint16_t kFfdhe8192 = 0x0104;
} // namespace group

/// SignatureScheme (RFC 8446 section 4.2.3).
namespace scheme
{
constexpr uint16_t kRsaPkcs1Sha256 = 0x0401;
constexpr uint16_t kEcdsaSecp256r1Sha256 = 0x0403;
constexpr uint16_t kRsaPssRsaeSha256 = 0x0804;
constexpr uint16_t kEd25519 = 0x0807;
constexpr uint16_t kRsaPssPssSha256 = 0x0809;
} // namespace scheme

/// AlertDescription (RFC 8446 section 6).
enum class AlertDescription : uint8_t
{
    CloseNotify = 0,
    UnexpectedMessage = 10,
    BadRecordMac = 20,
    RecordOverflow = 22,
    HandshakeFailure = 40,
    BadCertificate = 42,
    UnsupportedCertificate = 43,
    CertificateUnknown = 46,
    IllegalParameter = 47,
    DecodeError = 50,
    DecryptError = 51,
    ProtocolVersion = 70,
    InternalError = 80,
    MissingExtension = 109,
    CertificateRequired = 116,
    UnsupportedExtension = 110,
};

/// CertificateType (RFC 7250 section 3): X.509 or a raw public key (a SubjectPublicKeyInfo).
namespace certificate_type
{
constexpr uint8_t kX509 = 0;
constexpr uint8_t kRawPublicKey = 2;
} // namespace certificate_type

/// The version numbers on the wire (RFC 8446 sections 4.1.2 and 5.1).
constexpr uint16_t kTls12 = 0x0303;
constexpr uint16_t kTls13 = 0x0304;
constexpr uint16_t kTls10 = 0x0301;
/// DTLS (RFC 9147 section 5.3): legacy_version 0xfefd (DTLS 1.2) and the supported_versions
/// value 0xfefc of DTLS 1.3.
constexpr uint16_t kDtls12 = 0xfefd;
constexpr uint16_t kDtls13 = 0xfefc;

/// SHA-256 output length: every suite this core implements uses SHA-256.
constexpr size_t kHashLength = 32;

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_TYPES_H
