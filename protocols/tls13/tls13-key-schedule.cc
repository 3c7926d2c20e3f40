#include "tls13-key-schedule.h"

#include "tls13-wire.h"

#include <mbedtls/sha256.h>

#include <stdexcept>

namespace lpwan
{
namespace tls13
{

Bytes
HkdfExtract(const Bytes& salt, const Bytes& ikm)
{
    return HkdfSha256Extract(salt, ikm);
}

Bytes
HkdfExpand(const Bytes& prk, const Bytes& info, size_t length)
{
    std::optional<Bytes> okm = HkdfSha256Expand(prk, info, length);
    if (!okm)
    {
        throw std::invalid_argument("HKDF-Expand length out of range");
    }
    return *okm;
}

const std::string kTls13LabelPrefix = "tls13 ";
const std::string kDtls13LabelPrefix = "dtls13";

Bytes
HkdfLabel(const std::string& label, const Bytes& context, size_t length, const std::string& prefix)
{
    // struct { uint16 length; opaque label<7..255> = "tls13 " + Label;
    //          opaque context<0..255>; } HkdfLabel;   (RFC 8446 section 7.1)
    const std::string full = prefix + label;
    if (full.size() > 255 || context.size() > 255 || length > 0xffff)
    {
        throw std::invalid_argument("HkdfLabel out of range");
    }
    Writer w;
    w.U16(static_cast<uint16_t>(length));
    w.Vector(1, Bytes(full.begin(), full.end()));
    w.Vector(1, context);
    return w.Take();
}

Bytes
HkdfExpandLabel(const Bytes& secret, const std::string& label, const Bytes& context, size_t length,
                const std::string& prefix)
{
    return HkdfExpand(secret, HkdfLabel(label, context, length, prefix), length);
}

Bytes
DeriveSecret(const Bytes& secret, const std::string& label, const Bytes& transcriptHash,
             const std::string& prefix)
{
    return HkdfExpandLabel(secret, label, transcriptHash, kHashLength, prefix);
}

// ---------------------------------------------------------------- Transcript

struct Transcript::Impl
{
    mbedtls_sha256_context ctx;

    Impl()
    {
        mbedtls_sha256_init(&ctx);
        mbedtls_sha256_starts_ret(&ctx, 0);
    }

    Impl(const Impl& other)
    {
        mbedtls_sha256_init(&ctx);
        mbedtls_sha256_clone(&ctx, &other.ctx);
    }

    ~Impl()
    {
        mbedtls_sha256_free(&ctx);
    }
};

Transcript::Transcript()
  : m_impl(std::make_unique<Impl>())
{
}

Transcript::~Transcript() = default;

Transcript::Transcript(const Transcript& other)
  : m_impl(std::make_unique<Impl>(*other.m_impl))
{
}

Transcript&
Transcript::operator=(const Transcript& other)
{
    if (this != &other)
    {
        m_impl = std::make_unique<Impl>(*other.m_impl);
    }
    return *this;
}

void
Transcript::Add(const Bytes& message)
{
    mbedtls_sha256_update_ret(&m_impl->ctx, message.data(), message.size());
}

Bytes
Transcript::Hash() const
{
    // Finishing consumes the context, so a copy is finished and the running one continues.
    Impl copy(*m_impl);
    Bytes out(kHashLength);
    mbedtls_sha256_finish_ret(&copy.ctx, out.data());
    return out;
}

void
Transcript::ReplaceWithMessageHash()
{
    const Bytes h = Hash();
    // Reserved up front: g++ 12 misreads an insert into a vector built from an initializer
    // list as out of bounds (-Warray-bounds).
    Bytes synthetic;
    synthetic.reserve(4 + h.size());
    synthetic.push_back(static_cast<uint8_t>(HandshakeType::MessageHash));
    synthetic.push_back(0);
    synthetic.push_back(0);
    synthetic.push_back(static_cast<uint8_t>(kHashLength));
    synthetic.insert(synthetic.end(), h.begin(), h.end());
    m_impl = std::make_unique<Impl>();
    Add(synthetic);
}

// ---------------------------------------------------------------- keys

TrafficKeys
DeriveTrafficKeys(const Bytes& trafficSecret, size_t keyLength, size_t ivLength,
                  const std::string& prefix)
{
    TrafficKeys k;
    k.key = HkdfExpandLabel(trafficSecret, "key", {}, keyLength, prefix);
    k.iv = HkdfExpandLabel(trafficSecret, "iv", {}, ivLength, prefix);
    return k;
}

Bytes
FinishedKey(const Bytes& baseKey, const std::string& prefix)
{
    return HkdfExpandLabel(baseKey, "finished", {}, kHashLength, prefix);
}

Bytes
FinishedVerifyData(const Bytes& baseKey, const Bytes& transcriptHash, const std::string& prefix)
{
    return HmacSha256(FinishedKey(baseKey, prefix), transcriptHash);
}

Bytes
ResumptionPsk(const Bytes& resumptionMasterSecret, const Bytes& ticketNonce,
              const std::string& prefix)
{
    return HkdfExpandLabel(resumptionMasterSecret, "resumption", ticketNonce, kHashLength, prefix);
}

// ---------------------------------------------------------------- KeySchedule

KeySchedule::KeySchedule(const Bytes& psk, const std::string& prefix)
  : m_prefix(prefix)
{
    const Bytes zeros(kHashLength, 0);
    m_secrets.earlySecret = HkdfExtract(zeros, psk.empty() ? zeros : psk);
}

const Bytes&
KeySchedule::DeriveBinderKey(bool resumption)
{
    m_secrets.binderKey = DeriveSecret(
        m_secrets.earlySecret, resumption ? "res binder" : "ext binder", Sha256({}), m_prefix);
    return m_secrets.binderKey;
}

void
KeySchedule::EnterHandshake(const Bytes& ecdheSharedSecret, const Bytes& helloHash)
{
    m_secrets.derivedForHandshake
        = DeriveSecret(m_secrets.earlySecret, "derived", Sha256({}), m_prefix);
    // Without (EC)DHE (psk_ke) the input is Hash.length zeros.
    const Bytes ikm = ecdheSharedSecret.empty() ? Bytes(kHashLength, 0) : ecdheSharedSecret;
    m_secrets.handshakeSecret = HkdfExtract(m_secrets.derivedForHandshake, ikm);
    m_secrets.clientHandshakeTrafficSecret
        = DeriveSecret(m_secrets.handshakeSecret, "c hs traffic", helloHash, m_prefix);
    m_secrets.serverHandshakeTrafficSecret
        = DeriveSecret(m_secrets.handshakeSecret, "s hs traffic", helloHash, m_prefix);
}

void
KeySchedule::EnterApplication(const Bytes& serverFinishedHash)
{
    m_secrets.derivedForMaster
        = DeriveSecret(m_secrets.handshakeSecret, "derived", Sha256({}), m_prefix);
    m_secrets.masterSecret = HkdfExtract(m_secrets.derivedForMaster, Bytes(kHashLength, 0));
    m_secrets.clientApplicationTrafficSecret
        = DeriveSecret(m_secrets.masterSecret, "c ap traffic", serverFinishedHash, m_prefix);
    m_secrets.serverApplicationTrafficSecret
        = DeriveSecret(m_secrets.masterSecret, "s ap traffic", serverFinishedHash, m_prefix);
    m_secrets.exporterMasterSecret
        = DeriveSecret(m_secrets.masterSecret, "exp master", serverFinishedHash, m_prefix);
}

void
KeySchedule::DeriveResumptionMaster(const Bytes& clientFinishedHash)
{
    m_secrets.resumptionMasterSecret
        = DeriveSecret(m_secrets.masterSecret, "res master", clientFinishedHash, m_prefix);
}

} // namespace tls13
} // namespace lpwan
