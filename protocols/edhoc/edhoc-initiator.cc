#include "edhoc-initiator.h"

#include "../common/crypto-tally.h"
#include "../oscore/oscore-aead.h"
#include "edhoc-authentication.h"
#include "edhoc-ead.h"
#include "edhoc-ecdh.h"
#include "edhoc-key-schedule.h"
#include "edhoc-messages.h"

#include <algorithm>

namespace lpwan
{
namespace edhoc
{

Initiator::Initiator(InitiatorConfig config, RandomSource& random)
  : Session(true)
  , m_config(std::move(config))
  , m_random(random)
{
    m_method = m_config.method;
    m_cI = m_config.connectionId;
}

Outcome
Initiator::Start()
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    if (m_state != State::Idle || m_aborted)
    {
        return InvalidState("Start: the session already started");
    }
    return SendMessage1(Status::Continue);
}

Outcome
Initiator::SendMessage1(Status status)
{
    // The most preferred suite that is implemented, has a credential, and is not ruled out by
    // the Responder's SUITES_R.
    const bool iSigns = InitiatorSigns(m_config.method);
    std::optional<size_t> selected;
    for (size_t i = 0; i < m_config.suites.size() && !selected; ++i)
    {
        const int64_t id = m_config.suites[i];
        const std::optional<CipherSuite> s = FindCipherSuite(id);
        const bool acceptable
            = !m_responderSuites
              || std::find(m_responderSuites->begin(), m_responderSuites->end(), id)
                     != m_responderSuites->end();
        if (s && acceptable && FindLocalCredential(m_config, *s, iSigns))
        {
            selected = i;
        }
    }
    if (!selected)
    {
        m_aborted = true;
        return InvalidState("no cipher suite both sides support (with a credential for it)");
    }
    m_suite = FindCipherSuite(m_config.suites[*selected]);
    m_own = *FindLocalCredential(m_config, *m_suite, iSigns);

    std::optional<KeyPair> kp = GenerateKeyPair(m_suite->curve, m_random);
    if (!kp)
    {
        m_aborted = true;
        return InvalidState("ephemeral key generation failed");
    }
    m_x = kp->privateKey;

    Message1 m1;
    m1.method = static_cast<int64_t>(m_config.method);
    m1.suites.assign(m_config.suites.begin(), m_config.suites.begin() + *selected + 1);
    m1.gX = kp->publicKey;
    m1.cI = m_cI;
    m1.ead = m_config.ead1;
    m_im = Intermediates{};
    m_im.message1 = EncodeMessage1(m1);
    m_im.hashMessage1 = Hash(m_im.message1);
    m_state = State::WaitMessage2;

    Outcome o;
    o.status = status;
    o.message = m_im.message1;
    return o;
}

Outcome
Initiator::Negotiate(const Bytes& in)
{
    ErrorMessage e;
    std::string why;
    if (!DecodeError(in, e, why) || e.code != static_cast<int64_t>(ErrorCode::WrongSelectedSuite))
    {
        return ReceivedError(in);
    }
    // RFC 9528 section 6.3.2: retry with the most preferred suite in SUITES_R. Selecting the
    // suite the Responder just refused again would loop: give up instead.
    const int64_t previous = m_suite->id;
    m_responderSuites = e.suites;
    Outcome retry = SendMessage1(Status::Retry);
    if (retry.status != Status::Retry || m_suite->id == previous)
    {
        m_aborted = true;
        Outcome o;
        o.status = Status::ReceivedError;
        o.diagnostic = "cipher suite negotiation failed: no acceptable suite in SUITES_R";
        o.peerError = std::move(e);
        return o;
    }
    retry.peerError = std::move(e);
    return retry;
}

Outcome
Initiator::HandleMessage2(const Bytes& in)
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    if (m_state != State::WaitMessage2 || m_aborted)
    {
        return InvalidState("message_2 not expected");
    }
    if (LooksLikeErrorMessage(in))
    {
        return Negotiate(in);
    }
    const CipherSuite& suite = *m_suite;
    const Method method = m_config.method;
    std::string why;
    Bytes gyCiphertext;
    if (!DecodeSingleBstr(in, gyCiphertext, why))
    {
        return SendUnspecifiedError("message_2: " + why);
    }
    const size_t keyLength = EphemeralKeyLength(suite.curve);
    if (gyCiphertext.size() <= keyLength)
    {
        return SendUnspecifiedError("message_2: G_Y_CIPHERTEXT_2 too short");
    }
    m_gY.assign(gyCiphertext.begin(), gyCiphertext.begin() + keyLength);
    m_im.ciphertext2.assign(gyCiphertext.begin() + keyLength, gyCiphertext.end());
    if (m_im.ciphertext2.size() > kMaxExpandLength)
    {
        return SendUnspecifiedError("message_2: CIPHERTEXT_2 too long");
    }

    // TH_2, PRK_2e and the decryption of CIPHERTEXT_2.
    std::optional<Bytes> gXY = DhSharedSecret(suite.curve, m_x, m_gY);
    if (!gXY)
    {
        return SendUnspecifiedError("message_2: G_Y is not a valid public key");
    }
    m_im.gXY = *gXY;
    m_im.th2 = TranscriptHash2(m_gY, m_im.hashMessage1);
    m_im.prk2e = Extract(m_im.th2, m_im.gXY);
    m_im.keystream2 = Kdf(m_im.prk2e, label::kKeystream2, m_im.th2, m_im.ciphertext2.size());
    m_im.plaintext2.resize(m_im.ciphertext2.size());
    for (size_t i = 0; i < m_im.ciphertext2.size(); ++i)
    {
        m_im.plaintext2[i] = m_im.ciphertext2[i] ^ m_im.keystream2[i];
    }
    Plaintext2 p2;
    if (!DecodePlaintext2(m_im.plaintext2, p2, why))
    {
        return SendUnspecifiedError("message_2: " + why);
    }
    const Credential* peer = FindPeerCredential(m_config, p2.idCredR);
    if (!peer)
    {
        return SendError(EncodeUnknownCredential(), "message_2: unknown ID_CRED_R");
    }
    const bool rSigns = ResponderSigns(method);
    if (peer->keyType != RequiredKeyType(suite, rSigns))
    {
        return SendUnspecifiedError("message_2: CRED_R does not fit the method and suite");
    }

    // PRK_3e2m: with static DH authentication of R, G_RX enters the key schedule.
    if (rSigns)
    {
        m_im.prk3e2m = m_im.prk2e;
    }
    else
    {
        std::optional<Bytes> gRX = DhSharedSecret(suite.curve, m_x, peer->publicKey);
        if (!gRX)
        {
            return SendUnspecifiedError("message_2: CRED_R holds no valid DH key");
        }
        m_im.gRX = *gRX;
        m_im.salt3e2m = Kdf(m_im.prk2e, label::kSalt3e2m, m_im.th2, kHashLength);
        m_im.prk3e2m = Extract(m_im.salt3e2m, m_im.gRX);
    }

    AuthenticatedFields f2;
    f2.withConnectionId = true;
    f2.connectionId = p2.cR;
    f2.idCred = p2.idCredR;
    f2.th = m_im.th2;
    f2.cred = peer->cred;
    f2.eadEncoded = EncodeEad(p2.ead);
    m_im.context2 = MacContext(f2);
    const size_t macLength2 = rSigns ? kHashLength : suite.macLength;
    m_im.mac2 = Kdf(m_im.prk3e2m, label::kMac2, m_im.context2, macLength2);
    m_im.signatureOrMac2 = p2.signatureOrMac;
    if (!VerifySignatureOrMac(suite, rSigns, f2, m_im.mac2, *peer, p2.signatureOrMac))
    {
        return SendUnspecifiedError("message_2: Signature_or_MAC_2 does not verify");
    }
    if (const EadItem* bad = FindUnsupportedCritical(p2.ead, m_config.supportedCriticalEad))
    {
        return SendUnspecifiedError("message_2: unsupported critical EAD item "
                                    + std::to_string(bad->label));
    }
    if (p2.cR == m_cI)
    {
        return SendUnspecifiedError("message_2: C_R equals C_I");
    }
    m_cR = p2.cR;
    m_peerCredential = *peer;
    m_im.th3 = TranscriptHashNext(m_im.th2, m_im.plaintext2, peer->cred);

    // PRK_4e3m: with static DH authentication of I, G_IY enters the key schedule.
    const bool iSigns = InitiatorSigns(method);
    if (iSigns)
    {
        m_im.prk4e3m = m_im.prk3e2m;
    }
    else
    {
        std::optional<Bytes> gIY = DhSharedSecret(suite.curve, m_own.privateKey, m_gY);
        if (!gIY)
        {
            return SendUnspecifiedError("message_2: G_Y unusable with the static DH key");
        }
        m_im.gIY = *gIY;
        m_im.salt4e3m = Kdf(m_im.prk3e2m, label::kSalt4e3m, m_im.th3, kHashLength);
        m_im.prk4e3m = Extract(m_im.salt4e3m, m_im.gIY);
    }

    // message_3
    AuthenticatedFields f3;
    f3.idCred = m_own.credential.idCred;
    f3.th = m_im.th3;
    f3.cred = m_own.credential.cred;
    f3.eadEncoded = EncodeEad(m_config.ead3);
    m_im.context3 = MacContext(f3);
    const size_t macLength3 = iSigns ? kHashLength : suite.macLength;
    m_im.mac3 = Kdf(m_im.prk4e3m, label::kMac3, m_im.context3, macLength3);
    std::optional<Bytes> sm3
        = MakeSignatureOrMac(suite, iSigns, f3, m_im.mac3, m_own.privateKey, m_random);
    if (!sm3)
    {
        m_aborted = true;
        return InvalidState("signing message_3 failed (bad private key?)");
    }
    m_im.signatureOrMac3 = *sm3;
    Plaintext3 p3;
    p3.idCredI = m_own.credential.idCred;
    p3.signatureOrMac = *sm3;
    p3.ead = m_config.ead3;
    m_im.plaintext3 = EncodePlaintext3(p3);
    m_im.k3 = Kdf(m_im.prk3e2m, label::kK3, m_im.th3, suite.keyLength);
    m_im.iv3 = Kdf(m_im.prk3e2m, label::kIv3, m_im.th3, suite.ivLength);
    m_im.ciphertext3
        = oscore::AeadEncrypt(m_im.k3, m_im.iv3, EncStructure(m_im.th3), m_im.plaintext3);
    if (m_im.ciphertext3.empty())
    {
        m_aborted = true;
        return InvalidState("message_3 encryption failed");
    }
    m_im.th4 = TranscriptHashNext(m_im.th3, m_im.plaintext3, m_own.credential.cred);
    Complete();

    Outcome o;
    o.message = EncodeSingleBstr(m_im.ciphertext3);
    o.ead = p2.ead;
    if (m_config.expectMessage4)
    {
        // Keys exist, but the session completes only with the Responder's confirmation.
        m_completed = false;
        m_state = State::WaitMessage4;
        o.status = Status::Continue;
    }
    else
    {
        m_state = State::Done;
        o.status = Status::Completed;
    }
    return o;
}

Outcome
Initiator::HandleMessage4(const Bytes& in)
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    if (m_state != State::WaitMessage4 || m_aborted)
    {
        return InvalidState("message_4 not expected");
    }
    if (LooksLikeErrorMessage(in))
    {
        return ReceivedError(in);
    }
    std::string why;
    if (!DecodeSingleBstr(in, m_im.ciphertext4, why))
    {
        return SendUnspecifiedError("message_4: " + why);
    }
    m_im.k4 = Kdf(m_im.prk4e3m, label::kK4, m_im.th4, m_suite->keyLength);
    m_im.iv4 = Kdf(m_im.prk4e3m, label::kIv4, m_im.th4, m_suite->ivLength);
    std::optional<Bytes> p4
        = oscore::AeadDecrypt(m_im.k4, m_im.iv4, EncStructure(m_im.th4), m_im.ciphertext4);
    if (!p4)
    {
        return SendUnspecifiedError("message_4: decryption failed");
    }
    m_im.plaintext4 = *p4;
    Ead ead4;
    if (!DecodeEadOnly(m_im.plaintext4, ead4, why))
    {
        return SendUnspecifiedError("message_4: " + why);
    }
    if (const EadItem* bad = FindUnsupportedCritical(ead4, m_config.supportedCriticalEad))
    {
        return SendUnspecifiedError("message_4: unsupported critical EAD item "
                                    + std::to_string(bad->label));
    }
    m_completed = true;
    m_state = State::Done;
    Outcome o;
    o.status = Status::Completed;
    o.ead = std::move(ead4);
    return o;
}

} // namespace edhoc
} // namespace lpwan
