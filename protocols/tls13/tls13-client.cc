#include "tls13-client.h"

#include "../common/crypto-tally.h"
#include "../common/random-bytes.h"
#include "tls13-signature.h"

#include <algorithm>

namespace lpwan
{
namespace tls13
{

Client::Client(ClientConfig config, RandomSource& random)
  : m_config(std::move(config))
  , m_random(random)
{
    m_keyLog = m_config.keyLog;
    if (m_config.dtls)
    {
        EnableDtls(*m_config.dtls, false);
    }
}

void
Client::Start(TimeNs now)
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    if (m_state != State::Start)
    {
        return;
    }
    const bool dtls = IsDatagram();
    ClientHello hello;
    if (dtls)
    {
        // RFC 9147 section 5.3: {254, 253} and a zero-length legacy_cookie.
        hello.legacyVersion = kDtls12;
        hello.legacyCookie = Bytes{};
    }
    hello.random = RandomBytes(m_random, 32);
    SetClientRandom(hello.random);
    hello.cipherSuites = m_config.cipherSuites;
    std::vector<KeyShareEntry> shares;
    for (uint16_t g : m_config.keyShareGroups)
    {
        std::optional<KeyShareKeyPair> kp = GenerateKeyShare(g, m_random);
        if (!kp)
        {
            Fail(AlertDescription::InternalError);
            return;
        }
        shares.push_back({g, kp->publicKey});
        m_keyShares.push_back(std::move(*kp));
    }
    // The order is the one of RFC 8448's client, so that its ClientHello is reproduced.
    Extensions& e = hello.extensions;
    if (!m_config.serverName.empty())
    {
        e.push_back({ext::kServerName, EncodeServerName(m_config.serverName)});
    }
    if (m_config.sendRenegotiationInfo)
    {
        e.push_back({ext::kRenegotiationInfo, {0x00}}); // an empty renegotiated_connection
    }
    // supported_groups, key_share and signature_algorithms are left out when their lists are
    // empty: a PSK-only (psk_ke) client needs none of them (RFC 8446 section 9.2).
    if (!m_config.supportedGroups.empty())
    {
        e.push_back({ext::kSupportedGroups, EncodeU16List(m_config.supportedGroups)});
    }
    if (m_config.sendSessionTicketExtension)
    {
        e.push_back({ext::kSessionTicket, {}});
    }
    if (!m_config.supportedGroups.empty() || !shares.empty())
    {
        e.push_back({ext::kKeyShare, EncodeClientKeyShares(shares)});
    }
    e.push_back(
        {ext::kSupportedVersions, EncodeClientSupportedVersions({dtls ? kDtls13 : kTls13})});
    if (!m_config.signatureAlgorithms.empty())
    {
        e.push_back({ext::kSignatureAlgorithms, EncodeU16List(m_config.signatureAlgorithms)});
    }
    if (!m_config.pskKeyExchangeModes.empty())
    {
        e.push_back(
            {ext::kPskKeyExchangeModes, EncodePskKeyExchangeModes(m_config.pskKeyExchangeModes)});
    }
    if (m_config.recordSizeLimit)
    {
        e.push_back({ext::kRecordSizeLimit, EncodeRecordSizeLimit(*m_config.recordSizeLimit)});
    }
    if (m_config.clientRawPublicKey)
    {
        e.push_back({ext::kClientCertificateType,
                     EncodeCertificateTypeList({certificate_type::kRawPublicKey})});
    }
    if (!m_config.trustedServerKeys.empty())
    {
        e.push_back({ext::kServerCertificateType,
                     EncodeCertificateTypeList({certificate_type::kRawPublicKey})});
    }
    if (dtls && m_config.dtls->connectionId)
    {
        e.push_back({ext::kConnectionId, EncodeConnectionId(*m_config.dtls->connectionId)});
    }
    Bytes encoded = EncodeClientHello(hello);
    if (m_config.externalPsk)
    {
        // Section 4.2.11: a PSK offer needs psk_key_exchange_modes, and pre_shared_key must be
        // the last extension, because the binder covers everything before the binders list.
        if (m_config.pskKeyExchangeModes.empty() || m_config.externalPsk->identity.empty()
            || m_config.externalPsk->key.empty())
        {
            Fail(AlertDescription::InternalError);
            return;
        }
        OfferedPsks offer;
        offer.identities.push_back({m_config.externalPsk->identity, 0});
        offer.binders.push_back(Bytes(kHashLength, 0)); // a placeholder of the right length
        e.push_back({ext::kPreSharedKey, EncodeOfferedPsks(offer)});
        KeySchedule early(m_config.externalPsk->key, LabelPrefix());
        const Bytes truncated
            = TruncateClientHello(EncodeClientHello(hello), OfferedPsksBindersLength(offer));
        offer.binders[0] = PskBinder(early.DeriveBinderKey(false), truncated, LabelPrefix());
        e.back().data = EncodeOfferedPsks(offer);
        encoded = EncodeClientHello(hello);
        m_pskOffered = true;
    }
    // Section 5.1: the first ClientHello may carry legacy_record_version 0x0301 for
    // compatibility, as RFC 8448's does.
    m_plaintextRecordVersion = kTls10;
    QueueHandshake(encoded);
    FlushHandshake();
    m_plaintextRecordVersion = kTls12;
    m_state = State::WaitServerHello;
    EndCall(now);
}

void
Client::OnHandshakeMessage(TimeNs now, const HandshakeMessage& m)
{
    const std::pair<State, HandshakeType> expected[] = {
        {State::WaitServerHello, HandshakeType::ServerHello},
        {State::WaitEncryptedExtensions, HandshakeType::EncryptedExtensions},
        {State::WaitCertificateOrRequest, HandshakeType::CertificateRequest},
        {State::WaitCertificateOrRequest, HandshakeType::Certificate},
        {State::WaitCertificate, HandshakeType::Certificate},
        {State::WaitCertificateVerify, HandshakeType::CertificateVerify},
        {State::WaitFinished, HandshakeType::Finished},
        {State::Connected, HandshakeType::NewSessionTicket},
    };
    const bool ok = std::any_of(std::begin(expected), std::end(expected),
                                [&](const auto& p)
                                {
                                    return p.first == m_state && p.second == m.type;
                                });
    if (!ok)
    {
        // KeyUpdate is not implemented yet: it ends the connection like any unexpected
        // message.
        Fail(AlertDescription::UnexpectedMessage);
        return;
    }
    switch (m.type)
    {
        case HandshakeType::ServerHello:
            OnServerHello(m);
            break;
        case HandshakeType::EncryptedExtensions:
            OnEncryptedExtensions(m);
            break;
        case HandshakeType::CertificateRequest:
            OnCertificateRequest(m);
            break;
        case HandshakeType::Certificate:
            OnCertificate(m);
            break;
        case HandshakeType::CertificateVerify:
            OnCertificateVerify(m);
            break;
        case HandshakeType::Finished:
            OnFinished(m);
            break;
        case HandshakeType::NewSessionTicket:
            OnNewSessionTicket(now, m);
            break;
        default:
            Fail(AlertDescription::UnexpectedMessage);
    }
}

void
Client::OnServerHello(const HandshakeMessage& m)
{
    std::optional<ServerHello> sh = ParseServerHello(m.body);
    if (!sh)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    const Extension* versions = FindExtension(sh->extensions, ext::kSupportedVersions);
    std::optional<uint16_t> version
        = versions ? DecodeServerSupportedVersion(versions->data) : std::nullopt;
    const bool dtls = IsDatagram();
    if (!version || *version != (dtls ? kDtls13 : kTls13))
    {
        // Section 4.2.1: without supported_versions the server negotiated TLS 1.2 or older,
        // which this client does not speak.
        Fail(version ? AlertDescription::IllegalParameter : AlertDescription::ProtocolVersion);
        return;
    }
    if (sh->IsHelloRetryRequest())
    {
        // Recognized (section 4.1.4), but a second ClientHello is not implemented yet.
        Fail(AlertDescription::HandshakeFailure);
        return;
    }
    // Section 4.1.3: the echo must match, the suite must be one offered, compression 0.
    if (sh->legacyVersion != (dtls ? kDtls12 : kTls12) || !sh->legacySessionIdEcho.empty()
        || sh->legacyCompressionMethod != 0 || !Contains(m_config.cipherSuites, sh->cipherSuite)
        || !LookUpCipherSuite(sh->cipherSuite))
    {
        Fail(AlertDescription::IllegalParameter);
        return;
    }
    for (const Extension& e : sh->extensions)
    {
        // Section 4.2: a ServerHello carries only these, pre_shared_key only when offered.
        const bool cidOffered = dtls && m_config.dtls->connectionId;
        if (e.type != ext::kKeyShare && e.type != ext::kSupportedVersions
            && (e.type != ext::kPreSharedKey || !m_pskOffered)
            && (e.type != ext::kConnectionId || !cidOffered))
        {
            Fail(AlertDescription::UnsupportedExtension);
            return;
        }
    }
    if (const Extension* psk = FindExtension(sh->extensions, ext::kPreSharedKey))
    {
        // Section 4.2.11: the index must name an offered PSK (one is offered).
        std::optional<uint16_t> selected = DecodeSelectedIdentity(psk->data);
        if (!selected)
        {
            Fail(AlertDescription::DecodeError);
            return;
        }
        if (*selected != 0)
        {
            Fail(AlertDescription::IllegalParameter);
            return;
        }
        m_pskSelected = true;
    }
    const Extension* keyShare = FindExtension(sh->extensions, ext::kKeyShare);
    Bytes shared; // empty: psk_ke, no (EC)DHE input (section 7.1)
    if (keyShare)
    {
        std::optional<KeyShareEntry> share = DecodeServerKeyShare(keyShare->data);
        if (!share)
        {
            Fail(AlertDescription::DecodeError);
            return;
        }
        auto mine = std::find_if(m_keyShares.begin(), m_keyShares.end(),
                                 [&](const KeyShareKeyPair& kp)
                                 {
                                     return kp.group == share->group;
                                 });
        if (mine == m_keyShares.end())
        {
            Fail(AlertDescription::IllegalParameter);
            return;
        }
        std::optional<Bytes> secret
            = KeyShareSharedSecret(share->group, mine->privateKey, share->keyExchange);
        if (!secret)
        {
            Fail(AlertDescription::IllegalParameter);
            return;
        }
        shared = std::move(*secret);
        m_keyExchangeGroup = share->group;
    }
    else if (!m_pskSelected
             || std::find(m_config.pskKeyExchangeModes.begin(), m_config.pskKeyExchangeModes.end(),
                          kPskKe)
                    == m_config.pskKeyExchangeModes.end())
    {
        // Without (EC)DHE the handshake rests on the PSK alone, which only psk_ke allows.
        Fail(AlertDescription::MissingExtension);
        return;
    }
    if (HandshakeBuffered())
    {
        Fail(AlertDescription::UnexpectedMessage); // a message straddles the key change
        return;
    }
    m_suite = LookUpCipherSuite(sh->cipherSuite);
    if (m_pskSelected)
    {
        // The early secret is the PSK's; the binder key is derived again only so that
        // Secrets() shows the whole schedule.
        m_schedule = KeySchedule(m_config.externalPsk->key, LabelPrefix());
        m_schedule.DeriveBinderKey(false);
    }
    if (const Extension* cid = FindExtension(sh->extensions, ext::kConnectionId))
    {
        // RFC 9146 section 3: the CID the server wants in the records sent to it.
        std::optional<Bytes> peerCid = DecodeConnectionId(cid->data);
        if (!peerCid)
        {
            Fail(AlertDescription::DecodeError);
            return;
        }
        DtlsState()->SetPeerConnectionId(*peerCid);
    }
    m_transcript.Add(m.full);
    m_schedule.EnterHandshake(shared, m_transcript.Hash());
    m_keyShares.clear(); // the ephemeral private keys are no longer needed
    SetReadSecret(Secrets().serverHandshakeTrafficSecret);
    SetWriteSecret(Secrets().clientHandshakeTrafficSecret);
    m_state = State::WaitEncryptedExtensions;
}

void
Client::OnEncryptedExtensions(const HandshakeMessage& m)
{
    std::optional<EncryptedExtensions> ee = ParseEncryptedExtensions(m.body);
    if (!ee)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    for (const Extension& e : ee->extensions)
    {
        switch (e.type)
        {
            case ext::kServerName:
                // RFC 6066 section 3: the server's acknowledgement is empty, and only
                // meaningful when a name was sent.
                if (!e.data.empty() || m_config.serverName.empty())
                {
                    Fail(AlertDescription::IllegalParameter);
                    return;
                }
                break;
            case ext::kSupportedGroups:
                if (!DecodeU16List(e.data))
                {
                    Fail(AlertDescription::DecodeError);
                    return;
                }
                break;
            case ext::kRecordSizeLimit:
            {
                std::optional<uint16_t> limit = DecodeRecordSizeLimit(e.data);
                if (!limit || !m_config.recordSizeLimit)
                {
                    Fail(AlertDescription::IllegalParameter);
                    return;
                }
                SetPeerRecordSizeLimit(*limit);
                break;
            }
            case ext::kServerCertificateType:
            case ext::kClientCertificateType:
            {
                // RFC 7250 section 4.2: only a type the client offered (RawPublicKey here).
                std::optional<uint8_t> type = DecodeCertificateType(e.data);
                const bool offered = e.type == ext::kServerCertificateType
                                         ? !m_config.trustedServerKeys.empty()
                                         : m_config.clientRawPublicKey;
                if (!type || !offered || *type != certificate_type::kRawPublicKey)
                {
                    Fail(type ? AlertDescription::IllegalParameter : AlertDescription::DecodeError);
                    return;
                }
                (e.type == ext::kServerCertificateType ? m_serverRawPublicKey
                                                       : m_clientRawPublicKey)
                    = true;
                break;
            }
            case ext::kKeyShare:
            case ext::kSupportedVersions:
            case ext::kPreSharedKey:
            case ext::kSignatureAlgorithms:
            case ext::kPskKeyExchangeModes:
            case ext::kCookie:
                // Section 4.2: not allowed in EncryptedExtensions.
                Fail(AlertDescription::IllegalParameter);
                return;
            default:
                // Section 4.2: an extension the client did not offer.
                Fail(AlertDescription::UnsupportedExtension);
                return;
        }
    }
    m_transcript.Add(m.full);
    // Section 2.2: with a PSK the server sends no Certificate or CertificateVerify.
    m_state = m_pskSelected ? State::WaitFinished : State::WaitCertificateOrRequest;
}

void
Client::OnCertificateRequest(const HandshakeMessage& m)
{
    std::optional<CertificateRequest> request = ParseCertificateRequest(m.body);
    if (!request)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    // Section 4.3.2: signature_algorithms must be present; the context is empty during the
    // handshake.
    const Extension* schemes = FindExtension(request->extensions, ext::kSignatureAlgorithms);
    if (!schemes || !DecodeU16List(schemes->data) || !request->requestContext.empty())
    {
        Fail(schemes ? AlertDescription::IllegalParameter : AlertDescription::MissingExtension);
        return;
    }
    m_certificateRequest = std::move(*request);
    m_transcript.Add(m.full);
    m_state = State::WaitCertificate;
}

void
Client::QueueClientCertificate()
{
    Certificate cert;
    cert.requestContext = m_certificateRequest->requestContext;
    if (!m_config.privateKey.empty())
    {
        if (m_clientRawPublicKey)
        {
            cert.entries.push_back({SubjectPublicKeyInfoOf(m_config.privateKey), {}});
        }
        else
        {
            for (const Bytes& der : m_config.certificateChain)
            {
                cert.entries.push_back({der, {}});
            }
        }
    }
    QueueHandshake(EncodeCertificate(cert));
    if (cert.entries.empty())
    {
        return; // section 4.4.2: no certificate, no CertificateVerify
    }
    const std::vector<uint16_t> requested = *DecodeU16List(
        FindExtension(m_certificateRequest->extensions, ext::kSignatureAlgorithms)->data);
    uint16_t scheme = 0;
    for (uint16_t s : SignatureSchemesForKey(m_config.privateKey))
    {
        if (Contains(requested, s))
        {
            scheme = s;
            break;
        }
    }
    const Bytes content = CertificateVerifyInput(false, m_transcript.Hash());
    std::optional<Bytes> signature;
    if (scheme)
    {
        signature = m_config.sign ? m_config.sign(scheme, content)
                                  : Sign(m_config.privateKey, scheme, content, m_random);
    }
    if (!signature)
    {
        Fail(AlertDescription::HandshakeFailure);
        return;
    }
    QueueHandshake(EncodeCertificateVerify({scheme, *signature}));
}

void
Client::OnCertificate(const HandshakeMessage& m)
{
    std::optional<Certificate> cert = ParseCertificate(m.body);
    if (!cert)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    // Section 4.4.2: the server's certificate_request_context is empty; the list is not.
    if (!cert->requestContext.empty() || cert->entries.empty())
    {
        Fail(cert->entries.empty() ? AlertDescription::DecodeError
                                   : AlertDescription::IllegalParameter);
        return;
    }
    m_peerCertificates.clear();
    for (const CertificateEntry& e : cert->entries)
    {
        m_peerCertificates.push_back(e.certData);
    }
    const bool trusted
        = m_serverRawPublicKey
              ? m_peerCertificates.size() == 1
                    && std::find(m_config.trustedServerKeys.begin(),
                                 m_config.trustedServerKeys.end(), m_peerCertificates.front())
                           != m_config.trustedServerKeys.end()
              : VerifyCertificateChain(m_peerCertificates, m_config.trustAnchors,
                                       m_config.certificateName);
    if (!trusted)
    {
        Fail(AlertDescription::BadCertificate);
        return;
    }
    m_transcript.Add(m.full);
    m_state = State::WaitCertificateVerify;
}

void
Client::OnCertificateVerify(const HandshakeMessage& m)
{
    std::optional<CertificateVerify> cv = ParseCertificateVerify(m.body);
    if (!cv)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    if (!Contains(m_config.signatureAlgorithms, cv->scheme))
    {
        Fail(AlertDescription::IllegalParameter);
        return;
    }
    // Section 4.4.3: the signature covers Transcript-Hash(ClientHello ... Certificate).
    const Bytes content = CertificateVerifyInput(true, m_transcript.Hash());
    const bool verified
        = m_serverRawPublicKey
              ? VerifyWithPublicKey(m_peerCertificates.front(), cv->scheme, content, cv->signature)
              : Verify(m_peerCertificates.front(), cv->scheme, content, cv->signature);
    if (!verified)
    {
        Fail(AlertDescription::DecryptError);
        return;
    }
    m_transcript.Add(m.full);
    m_state = State::WaitFinished;
}

void
Client::OnFinished(const HandshakeMessage& m)
{
    const Bytes expected = FinishedVerifyData(Secrets().serverHandshakeTrafficSecret,
                                              m_transcript.Hash(), LabelPrefix());
    if (!AcceptPeerFinished(m, expected))
    {
        return;
    }
    m_transcript.Add(m.full);
    const Bytes serverFinishedHash = m_transcript.Hash();
    m_schedule.EnterApplication(serverFinishedHash);
    SetReadSecret(Secrets().serverApplicationTrafficSecret);
    if (m_certificateRequest)
    {
        QueueClientCertificate();
        if (m_failed)
        {
            return;
        }
    }
    // The client's Finished covers the transcript up to its CertificateVerify, if any, else
    // the same as the server's (section 4.4.4).
    // (The hash is taken again only when it changed: a hash costs a device energy.)
    const Bytes finishedHash = m_certificateRequest ? m_transcript.Hash() : serverFinishedHash;
    QueueHandshake(EncodeFinished(
        FinishedVerifyData(Secrets().clientHandshakeTrafficSecret, finishedHash, LabelPrefix())));
    FlushHandshake();
    m_schedule.DeriveResumptionMaster(m_transcript.Hash());
    SetWriteSecret(Secrets().clientApplicationTrafficSecret);
    m_state = State::Connected;
    SetConnected();
}

void
Client::OnNewSessionTicket(TimeNs now, const HandshakeMessage& m)
{
    std::optional<NewSessionTicket> nst = ParseNewSessionTicket(m.body);
    if (!nst)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    ResumptionTicket t;
    for (const Extension& e : nst->extensions)
    {
        if (e.type == ext::kEarlyData)
        {
            t.maxEarlyDataSize = DecodeMaxEarlyDataSize(e.data);
            if (!t.maxEarlyDataSize)
            {
                Fail(AlertDescription::DecodeError);
                return;
            }
        }
        // Section 4.6.1: unknown extensions in a NewSessionTicket are ignored.
    }
    t.ticket = nst->ticket;
    t.psk = ResumptionPsk(Secrets().resumptionMasterSecret, nst->nonce, LabelPrefix());
    t.lifetime = nst->lifetime;
    t.ageAdd = nst->ageAdd;
    t.nonce = nst->nonce;
    t.receivedAt = now;
    t.cipherSuite = CipherSuite();
    // A lifetime of zero means the ticket must not be used (section 4.6.1).
    if (t.lifetime > 0)
    {
        m_tickets.push_back(std::move(t));
    }
    PushEvent({EventType::TicketReceived});
}

} // namespace tls13
} // namespace lpwan
