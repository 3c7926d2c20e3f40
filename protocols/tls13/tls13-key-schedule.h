/*
 * The TLS 1.3 key schedule (RFC 8446 section 7.1) over SHA-256: HKDF-Extract and
 * HKDF-Expand-Label, Derive-Secret over a running transcript hash, the early, handshake and
 * master secrets and the traffic secrets they yield, the Finished keys (section 4.4.4), the
 * traffic key and IV (section 7.3) and the resumption PSK of a ticket (section 4.6.1).
 *
 * Every suite this core implements uses SHA-256 (0x1301, 0x1304, 0x1305), so Hash.length is
 * kHashLength throughout.
 */
#ifndef LPWAN_TLS13_KEY_SCHEDULE_H
#define LPWAN_TLS13_KEY_SCHEDULE_H

#include "../common/sha256-hkdf.h"
#include "tls13-types.h"

#include <memory>
#include <string>

namespace lpwan
{
namespace tls13
{

// SHA-256 and HMAC-SHA-256 (protocols/common/sha256-hkdf.h).
using lpwan::HmacSha256;
using lpwan::Sha256;

/// HKDF-Extract(salt, IKM) (RFC 5869); an empty salt is HashLen zero bytes.
Bytes HkdfExtract(const Bytes& salt, const Bytes& ikm);

/// HKDF-Expand(PRK, info, length); throws std::invalid_argument above 255 * HashLen.
Bytes HkdfExpand(const Bytes& prk, const Bytes& info, size_t length);

/// The label prefix of HKDF-Expand-Label: "tls13 " in TLS 1.3 (RFC 8446 section 7.1), "dtls13"
/// (no space) in DTLS 1.3 (RFC 9147 section 5.9), which keeps their keys apart.
extern const std::string kTls13LabelPrefix;
extern const std::string kDtls13LabelPrefix;

/// The HkdfLabel structure of RFC 8446 section 7.1: length, prefix + label, context.
Bytes HkdfLabel(const std::string& label, const Bytes& context, size_t length,
                const std::string& prefix = kTls13LabelPrefix);

/// HKDF-Expand-Label(Secret, Label, Context, Length).
Bytes HkdfExpandLabel(const Bytes& secret, const std::string& label, const Bytes& context,
                      size_t length, const std::string& prefix = kTls13LabelPrefix);

/// Derive-Secret(Secret, Label, Messages) given Transcript-Hash(Messages).
Bytes DeriveSecret(const Bytes& secret, const std::string& label, const Bytes& transcriptHash,
                   const std::string& prefix = kTls13LabelPrefix);

/// Constant-time equality (Finished and binder values).
using lpwan::ConstantTimeEqual;

/// The running Transcript-Hash of RFC 8446 section 4.4.1: handshake messages (with their
/// 4-byte headers) are added as they are sent or received, and the hash of the messages so far
/// can be read at any point.
class Transcript
{
  public:
    Transcript();
    ~Transcript();
    Transcript(const Transcript& other);
    Transcript& operator=(const Transcript& other);

    void Add(const Bytes& message);
    /// Transcript-Hash of everything added so far.
    Bytes Hash() const;
    /// After a HelloRetryRequest (section 4.4.1): ClientHello1 is replaced by the synthetic
    /// message_hash message 254 || 00 00 Hash.length || Hash(ClientHello1).
    void ReplaceWithMessageHash();

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A traffic key and IV (RFC 8446 section 7.3).
struct TrafficKeys
{
    Bytes key;
    Bytes iv;
};

/// key = HKDF-Expand-Label(secret, "key", "", keyLength), iv = ... ("iv", "", 12).
TrafficKeys DeriveTrafficKeys(const Bytes& trafficSecret, size_t keyLength, size_t ivLength = 12,
                              const std::string& prefix = kTls13LabelPrefix);

/// finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (section 4.4.4).
Bytes FinishedKey(const Bytes& baseKey, const std::string& prefix = kTls13LabelPrefix);

/// verify_data = HMAC(finished_key, transcriptHash) (section 4.4.4).
Bytes FinishedVerifyData(const Bytes& baseKey, const Bytes& transcriptHash,
                         const std::string& prefix = kTls13LabelPrefix);

/// The PSK of a ticket: HKDF-Expand-Label(resumption_master_secret, "resumption",
/// ticket_nonce, Hash.length) (section 4.6.1).
Bytes ResumptionPsk(const Bytes& resumptionMasterSecret, const Bytes& ticketNonce,
                    const std::string& prefix = kTls13LabelPrefix);

/// Every secret of one connection's key schedule, filled in as the handshake reaches it.
struct KeyScheduleSecrets
{
    Bytes earlySecret;
    Bytes binderKey;
    Bytes derivedForHandshake; ///< Derive-Secret(early, "derived", "")
    Bytes handshakeSecret;
    Bytes clientHandshakeTrafficSecret;
    Bytes serverHandshakeTrafficSecret;
    Bytes derivedForMaster; ///< Derive-Secret(handshake, "derived", "")
    Bytes masterSecret;
    Bytes clientApplicationTrafficSecret;
    Bytes serverApplicationTrafficSecret;
    Bytes exporterMasterSecret;
    Bytes resumptionMasterSecret;
};

/// The schedule of figure "Key Schedule" in RFC 8446 section 7.1, one stage at a time.
class KeySchedule
{
  public:
    /// Early Secret = HKDF-Extract(0, PSK), with PSK = Hash.length zeros when there is none.
    /// prefix: kDtls13LabelPrefix for DTLS 1.3.
    explicit KeySchedule(const Bytes& psk = {}, const std::string& prefix = kTls13LabelPrefix);

    /// binder_key = Derive-Secret(early, "ext binder" | "res binder", "") (section 4.2.11.2).
    const Bytes& DeriveBinderKey(bool resumption);
    /// Handshake Secret = HKDF-Extract(Derive-Secret(early, "derived", ""), (EC)DHE), and the
    /// client/server handshake traffic secrets over Transcript-Hash(ClientHello...ServerHello).
    void EnterHandshake(const Bytes& ecdheSharedSecret, const Bytes& helloHash);
    /// Master Secret = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0), the
    /// application traffic secrets and the exporter master secret over
    /// Transcript-Hash(ClientHello...server Finished).
    void EnterApplication(const Bytes& serverFinishedHash);
    /// resumption_master_secret over Transcript-Hash(ClientHello...client Finished).
    void DeriveResumptionMaster(const Bytes& clientFinishedHash);

    const KeyScheduleSecrets& Secrets() const
    {
        return m_secrets;
    }

  private:
    KeyScheduleSecrets m_secrets;
    std::string m_prefix;
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_KEY_SCHEDULE_H
