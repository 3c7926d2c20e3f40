#include "edhoc-responder.h"

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

Responder::Responder(ResponderConfig config, RandomSource& random)
  : Session(false)
  , m_config(std::move(config))
  , m_random(random)
{
}

bool
Responder::Supports(int64_t suite) const
{
    return IsImplementedSuite(suite)
           && std::find(m_config.suites.begin(), m_config.suites.end(), suite)
                  != m_config.suites.end();
}

Outcome
Responder::HandleMessage1(const Bytes& in)
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    if (m_state != State::WaitMessage1 || m_aborted)
    {
        return InvalidState("message_1 not expected");
    }
    Message1 m1;
    std::string why;
    if (!DecodeMessage1(in, m1, why))
    {
        return SendUnspecifiedError(why);
    }
    if (m1.method < 0 || m1.method > 3
        || std::find(m_config.methods.begin(), m_config.methods.end(),
                     static_cast<Method>(m1.method))
               == m_config.methods.end())
    {
        return SendUnspecifiedError("message_1: unsupported METHOD " + std::to_string(m1.method));
    }
    const Method method = static_cast<Method>(m1.method);
    // The selected suite is the last one; none listed before it may be one we support.
    const int64_t selected = m1.suites.back();
    const bool morePreferredSupported = std::any_of(m1.suites.begin(), m1.suites.end() - 1,
                                                    [this](int64_t s)
                                                    {
                                                        return Supports(s);
                                                    });
    if (!Supports(selected) || morePreferredSupported)
    {
        std::vector<int64_t> suitesR;
        std::copy_if(m_config.suites.begin(), m_config.suites.end(), std::back_inserter(suitesR),
                     IsImplementedSuite);
        return SendError(EncodeWrongSelectedSuite(suitesR), "message_1: selected cipher suite "
                                                                + std::to_string(selected)
                                                                + " refused");
    }
    const CipherSuite suite = *FindCipherSuite(selected);
    if (m1.gX.size() != EphemeralKeyLength(suite.curve))
    {
        return SendUnspecifiedError("message_1: G_X has the wrong length");
    }
    if (const EadItem* bad = FindUnsupportedCritical(m1.ead, m_config.supportedCriticalEad))
    {
        return SendUnspecifiedError("message_1: unsupported critical EAD item "
                                    + std::to_string(bad->label));
    }
    const bool rSigns = ResponderSigns(method);
    const LocalCredential* own = FindLocalCredential(m_config, suite, rSigns);
    if (!own)
    {
        return SendUnspecifiedError("message_1: no credential for this method and suite");
    }

    m_suite = suite;
    m_method = method;
    m_cI = m1.cI;
    m_gX = m1.gX;
    if (m_config.connectionId)
    {
        m_cR = *m_config.connectionId;
    }
    else
    {
        // A random one-byte identifier, different from C_I (RFC 9528 appendix A.1: the two
        // become the OSCORE Sender and Recipient IDs).
        do
        {
            m_cR = RandomBytes(m_random, 1);
        } while (m_cR == m_cI);
    }
    if (m_cR == m_cI)
    {
        return SendUnspecifiedError("message_1: C_I collides with this Responder's C_R");
    }

    m_im.message1 = in;
    m_im.hashMessage1 = Hash(in);
    std::optional<KeyPair> kp = GenerateKeyPair(suite.curve, m_random);
    if (!kp)
    {
        m_aborted = true;
        return InvalidState("ephemeral key generation failed");
    }
    m_y = kp->privateKey;
    std::optional<Bytes> gXY = DhSharedSecret(suite.curve, m_y, m_gX);
    if (!gXY)
    {
        return SendUnspecifiedError("message_1: G_X is not a valid public key");
    }
    m_im.gXY = *gXY;
    m_im.th2 = TranscriptHash2(kp->publicKey, m_im.hashMessage1);
    m_im.prk2e = Extract(m_im.th2, m_im.gXY);
    if (rSigns)
    {
        m_im.prk3e2m = m_im.prk2e;
    }
    else
    {
        std::optional<Bytes> gRX = DhSharedSecret(suite.curve, own->privateKey, m_gX);
        if (!gRX)
        {
            return SendUnspecifiedError("message_1: G_X unusable with the static DH key");
        }
        m_im.gRX = *gRX;
        m_im.salt3e2m = Kdf(m_im.prk2e, label::kSalt3e2m, m_im.th2, kHashLength);
        m_im.prk3e2m = Extract(m_im.salt3e2m, m_im.gRX);
    }

    AuthenticatedFields f2;
    f2.withConnectionId = true;
    f2.connectionId = m_cR;
    f2.idCred = own->credential.idCred;
    f2.th = m_im.th2;
    f2.cred = own->credential.cred;
    f2.eadEncoded = EncodeEad(m_config.ead2);
    m_im.context2 = MacContext(f2);
    m_im.mac2
        = Kdf(m_im.prk3e2m, label::kMac2, m_im.context2, rSigns ? kHashLength : suite.macLength);
    std::optional<Bytes> sm2
        = MakeSignatureOrMac(suite, rSigns, f2, m_im.mac2, own->privateKey, m_random);
    if (!sm2)
    {
        m_aborted = true;
        return InvalidState("signing message_2 failed (bad private key?)");
    }
    m_im.signatureOrMac2 = *sm2;
    Plaintext2 p2;
    p2.cR = m_cR;
    p2.idCredR = own->credential.idCred;
    p2.signatureOrMac = *sm2;
    p2.ead = m_config.ead2;
    m_im.plaintext2 = EncodePlaintext2(p2);
    m_im.keystream2 = Kdf(m_im.prk2e, label::kKeystream2, m_im.th2, m_im.plaintext2.size());
    if (m_im.keystream2.size() != m_im.plaintext2.size())
    {
        m_aborted = true;
        return InvalidState("PLAINTEXT_2 too long");
    }
    m_im.ciphertext2.resize(m_im.plaintext2.size());
    for (size_t i = 0; i < m_im.plaintext2.size(); ++i)
    {
        m_im.ciphertext2[i] = m_im.plaintext2[i] ^ m_im.keystream2[i];
    }
    m_im.th3 = TranscriptHashNext(m_im.th2, m_im.plaintext2, own->credential.cred);
    m_state = State::WaitMessage3;

    Bytes gyCiphertext = kp->publicKey;
    gyCiphertext.insert(gyCiphertext.end(), m_im.ciphertext2.begin(), m_im.ciphertext2.end());
    Outcome o;
    o.status = Status::Continue;
    o.message = EncodeSingleBstr(gyCiphertext);
    o.ead = m1.ead;
    return o;
}

Outcome
Responder::HandleMessage3(const Bytes& in)
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    if (m_state != State::WaitMessage3 || m_aborted)
    {
        return InvalidState("message_3 not expected");
    }
    if (LooksLikeErrorMessage(in))
    {
        return ReceivedError(in);
    }
    const CipherSuite& suite = *m_suite;
    std::string why;
    if (!DecodeSingleBstr(in, m_im.ciphertext3, why))
    {
        return SendUnspecifiedError("message_3: " + why);
    }
    m_im.k3 = Kdf(m_im.prk3e2m, label::kK3, m_im.th3, suite.keyLength);
    m_im.iv3 = Kdf(m_im.prk3e2m, label::kIv3, m_im.th3, suite.ivLength);
    std::optional<Bytes> p3bytes
        = oscore::AeadDecrypt(m_im.k3, m_im.iv3, EncStructure(m_im.th3), m_im.ciphertext3);
    if (!p3bytes)
    {
        return SendUnspecifiedError("message_3: decryption failed");
    }
    m_im.plaintext3 = *p3bytes;
    Plaintext3 p3;
    if (!DecodePlaintext3(m_im.plaintext3, p3, why))
    {
        return SendUnspecifiedError("message_3: " + why);
    }
    const Credential* peer = FindPeerCredential(m_config, p3.idCredI);
    if (!peer)
    {
        return SendError(EncodeUnknownCredential(), "message_3: unknown ID_CRED_I");
    }
    const bool iSigns = InitiatorSigns(*m_method);
    if (peer->keyType != RequiredKeyType(suite, iSigns))
    {
        return SendUnspecifiedError("message_3: CRED_I does not fit the method and suite");
    }
    if (iSigns)
    {
        m_im.prk4e3m = m_im.prk3e2m;
    }
    else
    {
        std::optional<Bytes> gIY = DhSharedSecret(suite.curve, m_y, peer->publicKey);
        if (!gIY)
        {
            return SendUnspecifiedError("message_3: CRED_I holds no valid DH key");
        }
        m_im.gIY = *gIY;
        m_im.salt4e3m = Kdf(m_im.prk3e2m, label::kSalt4e3m, m_im.th3, kHashLength);
        m_im.prk4e3m = Extract(m_im.salt4e3m, m_im.gIY);
    }
    AuthenticatedFields f3;
    f3.idCred = p3.idCredI;
    f3.th = m_im.th3;
    f3.cred = peer->cred;
    f3.eadEncoded = EncodeEad(p3.ead);
    m_im.context3 = MacContext(f3);
    m_im.mac3
        = Kdf(m_im.prk4e3m, label::kMac3, m_im.context3, iSigns ? kHashLength : suite.macLength);
    m_im.signatureOrMac3 = p3.signatureOrMac;
    if (!VerifySignatureOrMac(suite, iSigns, f3, m_im.mac3, *peer, p3.signatureOrMac))
    {
        return SendUnspecifiedError("message_3: Signature_or_MAC_3 does not verify");
    }
    if (const EadItem* bad = FindUnsupportedCritical(p3.ead, m_config.supportedCriticalEad))
    {
        return SendUnspecifiedError("message_3: unsupported critical EAD item "
                                    + std::to_string(bad->label));
    }
    m_peerCredential = *peer;
    m_im.th4 = TranscriptHashNext(m_im.th3, m_im.plaintext3, peer->cred);
    Complete();
    m_state = State::Done;

    Outcome o;
    o.status = Status::Completed;
    o.ead = p3.ead;
    if (m_config.sendMessage4)
    {
        m_im.plaintext4 = EncodeEad(m_config.ead4);
        m_im.k4 = Kdf(m_im.prk4e3m, label::kK4, m_im.th4, suite.keyLength);
        m_im.iv4 = Kdf(m_im.prk4e3m, label::kIv4, m_im.th4, suite.ivLength);
        m_im.ciphertext4
            = oscore::AeadEncrypt(m_im.k4, m_im.iv4, EncStructure(m_im.th4), m_im.plaintext4);
        o.message = EncodeSingleBstr(m_im.ciphertext4);
    }
    return o;
}

} // namespace edhoc
} // namespace lpwan
