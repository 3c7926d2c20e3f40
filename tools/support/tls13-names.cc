/*
 * TLS 1.3 code point names; see tls13-names.h.
 */

#include "tls13-names.h"

#include "protocols/tls13/tls13-extensions.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <utility>

namespace lpwan
{
namespace tools
{

namespace
{

using namespace lpwan::tls13;

const std::pair<const char*, uint16_t> kSuites[] = {
    {"TLS_AES_128_GCM_SHA256", suite::kAes128GcmSha256},
    {"TLS_AES_128_CCM_SHA256", suite::kAes128CcmSha256},
    {"TLS_AES_128_CCM_8_SHA256", suite::kAes128Ccm8Sha256},
};

/// Aliases first, the name printed last for each group.
const std::pair<const char*, uint16_t> kGroups[] = {
    {"X25519", group::kX25519},       {"x25519", group::kX25519},
    {"P-256", group::kSecp256r1},     {"prime256v1", group::kSecp256r1},
    {"secp256r1", group::kSecp256r1},
};

std::string
Hex16(uint16_t v)
{
    char text[8];
    std::snprintf(text, sizeof(text), "0x%04x", v);
    return text;
}

} // namespace

std::optional<uint16_t>
Tls13CipherSuiteByName(const std::string& name)
{
    for (const auto& [n, v] : kSuites)
    {
        if (name == n)
        {
            return v;
        }
    }
    return std::nullopt;
}

std::string
Tls13CipherSuiteName(uint16_t suite)
{
    for (const auto& [n, v] : kSuites)
    {
        if (suite == v)
        {
            return n;
        }
    }
    return Hex16(suite);
}

std::optional<uint16_t>
Tls13GroupByName(const std::string& name)
{
    for (const auto& [n, v] : kGroups)
    {
        if (name == n)
        {
            return v;
        }
    }
    return std::nullopt;
}

std::string
Tls13GroupName(uint16_t group)
{
    std::string name = Hex16(group);
    for (const auto& [n, v] : kGroups)
    {
        if (group == v)
        {
            name = n;
        }
    }
    return name;
}

std::optional<uint8_t>
PskKeyExchangeModeByName(const std::string& name)
{
    if (name == "psk_dhe_ke")
    {
        return kPskDheKe;
    }
    if (name == "psk_ke")
    {
        return kPskKe;
    }
    return std::nullopt;
}

std::string
Tls13AlertName(AlertDescription alert)
{
    static const std::pair<AlertDescription, const char*> kAlerts[] = {
        {AlertDescription::CloseNotify, "close_notify"},
        {AlertDescription::UnexpectedMessage, "unexpected_message"},
        {AlertDescription::BadRecordMac, "bad_record_mac"},
        {AlertDescription::RecordOverflow, "record_overflow"},
        {AlertDescription::HandshakeFailure, "handshake_failure"},
        {AlertDescription::BadCertificate, "bad_certificate"},
        {AlertDescription::UnsupportedCertificate, "unsupported_certificate"},
        {AlertDescription::CertificateUnknown, "certificate_unknown"},
        {AlertDescription::IllegalParameter, "illegal_parameter"},
        {AlertDescription::DecodeError, "decode_error"},
        {AlertDescription::DecryptError, "decrypt_error"},
        {AlertDescription::ProtocolVersion, "protocol_version"},
        {AlertDescription::InternalError, "internal_error"},
        {AlertDescription::MissingExtension, "missing_extension"},
        {AlertDescription::UnsupportedExtension, "unsupported_extension"},
    };
    std::string name = "alert";
    for (const auto& [a, n] : kAlerts)
    {
        if (a == alert)
        {
            name = n;
        }
    }
    return name + "(" + std::to_string(static_cast<int>(alert)) + ")";
}

} // namespace tools
} // namespace lpwan
