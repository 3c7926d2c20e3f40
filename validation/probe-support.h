/*
 * What the validation probes (validation/) share: hex literals, a fixed random source,
 * and the EDHOC parties of the draft's cases (RFC 9529 trace 2's P-256 keys by kid, or the test
 * PKI's certificates by x5t), so that the bytes probe and the MCU probe run the same handshakes.
 */
#ifndef LPWAN_VALIDATION_PROBE_SUPPORT_H
#define LPWAN_VALIDATION_PROBE_SUPPORT_H

#include "protocols/common/hex.h"
#include "protocols/common/random-bytes.h"
#include "protocols/edhoc/edhoc-credential.h"
#include "protocols/edhoc/edhoc-initiator.h"
#include "protocols/edhoc/edhoc-responder.h"
#include "protocols/oscore/oscore-security-context.h"
#include "protocols/tls/test-pki.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace probe
{

using namespace lpwan;
using Bytes = std::vector<uint8_t>;

inline Bytes
Hex(const std::string& hex)
{
    std::optional<Bytes> b = FromHex(hex, " ");
    if (!b)
    {
        throw std::invalid_argument("bad hex in the probe: " + hex);
    }
    return *b;
}

inline bool
StartsWith(const Bytes& bytes, size_t offset, const Bytes& prefix)
{
    return bytes.size() >= offset + prefix.size()
           && std::equal(prefix.begin(), prefix.end(), bytes.begin() + offset);
}

/// A fixed random source: first the given bytes (RFC 9529's ephemeral keys, read as
/// edhoc::RandomBytes reads them), then a seeded generator (ECDSA nonces, tokens, DRBG seeds).
/// The figures do not depend on the values drawn; fixing them keeps the output reproducible.
class ProbeRandom : public RandomSource
{
  public:
    explicit ProbeRandom(uint32_t seed, const Bytes& prefix = {})
      : m_prefix(prefix.begin(), prefix.end())
      , m_rng(seed)
    {
    }

    double Uniform01() override
    {
        return Uint32() / 4294967296.0;
    }

    uint32_t Uint32() override
    {
        if (m_prefix.size() >= 4)
        {
            uint32_t w = 0;
            for (int i = 0; i < 4; ++i)
            {
                w = (w << 8) | m_prefix.front();
                m_prefix.pop_front();
            }
            return w;
        }
        return static_cast<uint32_t>(m_rng());
    }

  private:
    std::deque<uint8_t> m_prefix;
    std::mt19937 m_rng;
};

// RFC 9529 trace 2 (section 3): P-256 static keys of I and R, their CCS credentials identified
// by kid, and the ephemeral keys X and Y.
inline constexpr const char* kTrace2SkI
    = "fb13adeb6518cee5f88417660841142e830a81fe334380a953406a1305e8706b";
inline constexpr const char* kTrace2PkI
    = "ac75e9ece3e50bfc8ed60399889522405c47bf16df96660a41298cb4307f7eb6"
      "6e5de611388a4b8a8211334ac7d37ecb52a387d257e6db3c2a93df21ff3affc8";
inline constexpr const char* kTrace2SkR
    = "72cc4761dbd4c78f758931aa589d348d1ef874a7e303ede2f140dcf3e6aa4aac";
inline constexpr const char* kTrace2PkR
    = "bbc34960526ea4d32e940cad2a234148ddc21791a12afbcbac93622046dd44f0"
      "4519e257236b2a0ce2023f0931f1f386ca7afda64fcde0108c224c51eabf6072";
inline constexpr const char* kTrace2X
    = "368ec1f69aeb659ba37d5a8d45b21bdc0299dceaa8ef235f3ca42ce3530f9525";
inline constexpr const char* kTrace2Y
    = "e2f4126777205e853b437d6eaca1e1f753cdcc3e2c69fa884b0a1a640977e418";

/// The P-256 private key d of a SEC1 ECPrivateKey (what tls::GenerateTestPki writes):
/// SEQUENCE { INTEGER 1, OCTET STRING d, ... }. Empty when it is not laid out that way.
inline Bytes
Sec1PrivateKey(const Bytes& der)
{
    size_t i = 0;
    if (der.size() < 2 || der[i++] != 0x30)
    {
        return {};
    }
    i += (der[i] & 0x80) ? 1 + (der[i] & 0x7f) : 1; // the SEQUENCE's length
    const Bytes version = {0x02, 0x01, 0x01, 0x04, 0x20};
    if (!StartsWith(der, i, version) || der.size() < i + version.size() + 32)
    {
        return {};
    }
    return Bytes(der.begin() + i + version.size(), der.begin() + i + version.size() + 32);
}

struct EdhocParties
{
    edhoc::LocalCredential initiator;
    edhoc::LocalCredential responder;
};

inline EdhocParties
KidParties()
{
    using namespace edhoc;
    EdhocParties p;
    p.initiator
        = {MakeCcsCredential("42-50-31-FF-EF-37-32-39", Hex("2b"), KeyType::P256, Hex(kTrace2PkI)),
           Hex(kTrace2SkI)};
    p.responder = {MakeCcsCredential("example.edu", Hex("32"), KeyType::P256, Hex(kTrace2PkR)),
                   Hex(kTrace2SkR)};
    return p;
}

/// X.509 certificates (P-256, ECDSA-signed by a test CA, mbedTLS's writer) identified by x5t;
/// nullopt when they cannot be made.
inline std::optional<EdhocParties>
X5tParties(std::string* why)
{
    ProbeRandom random(2026);
    const tls::TestPki pki = tls::GenerateTestPki(random);
    std::optional<edhoc::Credential> ci = edhoc::MakeX509Credential(pki.client.certificateDer);
    std::optional<edhoc::Credential> cr = edhoc::MakeX509Credential(pki.server.certificateDer);
    const Bytes ski = Sec1PrivateKey(pki.client.privateKeyDer);
    const Bytes skr = Sec1PrivateKey(pki.server.privateKeyDer);
    if (!ci || !cr || ski.empty() || skr.empty())
    {
        *why = "the test PKI's P-256 certificates or keys do not parse as EDHOC credentials";
        return std::nullopt;
    }
    return EdhocParties{{*ci, ski}, {*cr, skr}};
}

/// Suite 2 only, C_I = 0x37 (-24) and C_R = 0x27 (-8), one byte each, as in the draft.
inline edhoc::InitiatorConfig
InitiatorOf(const EdhocParties& p, edhoc::Method method)
{
    edhoc::InitiatorConfig c;
    c.method = method;
    c.suites = {2};
    c.connectionId = Bytes{0x37};
    c.credentials = {p.initiator};
    c.peerCredentials = {p.responder.credential};
    return c;
}

inline edhoc::ResponderConfig
ResponderOf(const EdhocParties& p)
{
    edhoc::ResponderConfig c;
    c.suites = {2};
    c.connectionId = Bytes{0x27};
    c.credentials = {p.responder};
    c.peerCredentials = {p.initiator.credential};
    return c;
}

/// RFC 8613 appendix C.1's Master Secret and Salt: the keys change the ciphertext, never its
/// length, so any context does.
inline oscore::ContextParameters
OscoreParameters(const Bytes& senderId, const Bytes& recipientId)
{
    oscore::ContextParameters p;
    p.masterSecret = Hex("0102030405060708090a0b0c0d0e0f10");
    p.masterSalt = Hex("9e7ca92223786340");
    p.senderId = senderId;
    p.recipientId = recipientId;
    return p;
}

} // namespace probe

#endif // LPWAN_VALIDATION_PROBE_SUPPORT_H
