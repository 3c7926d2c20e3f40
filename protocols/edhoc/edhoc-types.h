/*
 * Vocabulary shared by the EDHOC (RFC 9528) core: byte strings, the four authentication
 * methods, the EDHOC_KDF labels, the error codes and the limits this implementation enforces
 * on input from the network.
 */
#ifndef LPWAN_EDHOC_TYPES_H
#define LPWAN_EDHOC_TYPES_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace edhoc
{

using Bytes = std::vector<uint8_t>;

/// RFC 9528 section 3.2: how the Initiator (first word) and the Responder authenticate.
enum class Method : uint8_t
{
    SignatureSignature = 0, ///< I signs, R signs
    SignatureStaticDh = 1,  ///< I signs, R uses a static DH key
    StaticDhSignature = 2,  ///< I uses a static DH key, R signs
    StaticDhStaticDh = 3,   ///< both use static DH keys
};

/// True when the Initiator authenticates with a signature under this method.
inline bool
InitiatorSigns(Method m)
{
    return m == Method::SignatureSignature || m == Method::SignatureStaticDh;
}

/// True when the Responder authenticates with a signature under this method.
inline bool
ResponderSigns(Method m)
{
    return m == Method::SignatureSignature || m == Method::StaticDhSignature;
}

/// The info_label values of EDHOC_KDF (RFC 9528 section 4.1.2 and 4.2).
namespace label
{
constexpr int64_t kKeystream2 = 0;
constexpr int64_t kSalt3e2m = 1;
constexpr int64_t kMac2 = 2;
constexpr int64_t kK3 = 3;
constexpr int64_t kIv3 = 4;
constexpr int64_t kSalt4e3m = 5;
constexpr int64_t kMac3 = 6;
constexpr int64_t kPrkOut = 7;
constexpr int64_t kK4 = 8;
constexpr int64_t kIv4 = 9;
constexpr int64_t kPrkExporter = 10;
constexpr int64_t kKeyUpdate = 11;
} // namespace label

/// EDHOC_Exporter labels for OSCORE (RFC 9528 appendix A.1).
constexpr int64_t kExporterOscoreMasterSecret = 0;
constexpr int64_t kExporterOscoreMasterSalt = 1;
constexpr size_t kOscoreMasterSecretLength = 16;
constexpr size_t kOscoreMasterSaltLength = 8;

/// ERR_CODE values of the error message (RFC 9528 section 6).
enum class ErrorCode : int64_t
{
    Success = 0,
    UnspecifiedError = 1,   ///< ERR_INFO: tstr diagnostic
    WrongSelectedSuite = 2, ///< ERR_INFO: SUITES_R
    UnknownCredential = 3,  ///< ERR_INFO: true
};

/// Limits on network input: EDHOC messages are small (RFC 9529's are 37 to 294 bytes).
constexpr size_t kMaxMessageLength = 4096;
/// Longest connection identifier accepted (bytes); OSCORE can use at most 7 of them.
constexpr size_t kMaxConnectionIdLength = 16;
/// Deepest CBOR nesting accepted inside ID_CRED_x maps and EAD values.
constexpr unsigned kMaxCborDepth = 8;
/// Most cipher suites accepted in SUITES_I / SUITES_R.
constexpr size_t kMaxSuites = 16;
/// Most EAD items accepted in one message.
constexpr size_t kMaxEadItems = 8;

/// One External Authorization Data item (RFC 9528 section 3.8): ead_label, ? ead_value.
struct EadItem
{
    int64_t label = 0;
    std::optional<Bytes> value;

    /// A negative label marks the item critical: a receiver that does not support it must abort.
    bool IsCritical() const
    {
        return label < 0;
    }

    bool operator==(const EadItem& o) const
    {
        return label == o.label && value == o.value;
    }
};

using Ead = std::vector<EadItem>;

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_TYPES_H
