#include "tls13-server.h"

#include "../common/random-bytes.h"
#include "tls13-psk.h"
#include "tls13-signature.h"

#include <algorithm>
#include <stdexcept>

namespace lpwan
{
namespace tls13
{

Server::Server(ServerConfig config, RandomSource& random)
  : m_config(std::move(config))
  , m_random(random)
{
    m_keyLog = m_config.keyLog;
    if (m_config.dtls)
    {
        if (m_config.ticketLifetime > 0)
        {
            throw std::invalid_argument(
                "tls13::Server: no tickets over DTLS 1.3 (ticketLifetime "
                "must be 0)");
        }
        EnableDtls(*m_config.dtls, true);
    }
}

void
Server::OnHandshakeMessage(TimeNs /* now */, const HandshakeMessage& m)
{
    if (m_state == State::WaitClientHello && m.type == HandshakeType::ClientHello)
    {
        OnClientHello(m);
    }
    else if (m_state == State::WaitClientCertificate && m.type == HandshakeType::Certificate)
    {
        OnClientCertificate(m);
    }
    else if (m_state == State::WaitClientCertificateVerify
             && m.type == HandshakeType::CertificateVerify)
    {
        OnClientCertificateVerify(m);
    }
    else if (m_state == State::WaitFinished && m.type == HandshakeType::Finished)
    {
        OnFinished(m);
    }
    else
    {
        // A client sends nothing else in a 1-RTT handshake; KeyUpdate is not implemented
        // yet.
        Fail(AlertDescription::UnexpectedMessage);
    }
}

void
Server::OnClientHello(const HandshakeMessage& m)
{
    const bool dtls = IsDatagram();
    std::optional<ClientHello> ch = ParseClientHello(m.body, dtls);
    if (!ch)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    SetClientRandom(ch->random);
    const Extension* versions = FindExtension(ch->extensions, ext::kSupportedVersions);
    std::optional<std::vector<uint16_t>> offered
        = versions ? DecodeClientSupportedVersions(versions->data) : std::nullopt;
    if (!offered || !Contains(*offered, dtls ? kDtls13 : kTls13))
    {
        Fail(AlertDescription::ProtocolVersion);
        return;
    }
    // RFC 9147 section 5.3: a DTLS 1.3 client sends an empty legacy_cookie.
    if (dtls && !ch->legacyCookie->empty())
    {
        Fail(AlertDescription::IllegalParameter);
        return;
    }
    // Section 4.1.2: a TLS 1.3 ClientHello offers exactly the null compression method.
    if (ch->legacyCompressionMethods != Bytes{0})
    {
        Fail(AlertDescription::IllegalParameter);
        return;
    }
    // The server's preference decides among the suites both support.
    auto suiteIt = std::find_if(m_config.cipherSuites.begin(), m_config.cipherSuites.end(),
                                [&](uint16_t s)
                                {
                                    return Contains(ch->cipherSuites, s) && LookUpCipherSuite(s);
                                });
    if (suiteIt == m_config.cipherSuites.end())
    {
        Fail(AlertDescription::HandshakeFailure);
        return;
    }
    // Section 9.2: supported_groups and key_share come together; a handshake without a PSK
    // needs signature_algorithms and supported_groups; a PSK offer needs
    // psk_key_exchange_modes. Each missing one is a missing_extension.
    const Extension* sigAlgs = FindExtension(ch->extensions, ext::kSignatureAlgorithms);
    const Extension* groups = FindExtension(ch->extensions, ext::kSupportedGroups);
    const Extension* keyShare = FindExtension(ch->extensions, ext::kKeyShare);
    const Extension* pskOffer = FindExtension(ch->extensions, ext::kPreSharedKey);
    const Extension* pskModes = FindExtension(ch->extensions, ext::kPskKeyExchangeModes);
    if ((groups == nullptr) != (keyShare == nullptr) || (pskOffer && !pskModes)
        || (!pskOffer && (!sigAlgs || !groups)))
    {
        Fail(AlertDescription::MissingExtension);
        return;
    }
    // Section 4.2.11: the binders cover everything before them, so pre_shared_key must be
    // the last extension.
    if (pskOffer && &ch->extensions.back() != pskOffer)
    {
        Fail(AlertDescription::IllegalParameter);
        return;
    }
    std::optional<std::vector<uint16_t>> schemes
        = sigAlgs ? DecodeU16List(sigAlgs->data) : std::vector<uint16_t>{};
    std::optional<std::vector<uint16_t>> clientGroups
        = groups ? DecodeU16List(groups->data) : std::vector<uint16_t>{};
    std::optional<std::vector<KeyShareEntry>> shares
        = keyShare ? DecodeClientKeyShares(keyShare->data) : std::vector<KeyShareEntry>{};
    std::optional<std::vector<uint8_t>> clientPskModes
        = pskModes ? DecodePskKeyExchangeModes(pskModes->data) : std::vector<uint8_t>{};
    std::optional<OfferedPsks> offers
        = pskOffer ? DecodeOfferedPsks(pskOffer->data) : OfferedPsks{};
    if (!schemes || !clientGroups || !shares || !clientPskModes || !offers)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    const KeyShareEntry* chosen = nullptr;
    for (uint16_t g : m_config.keyExchangeGroups)
    {
        for (const KeyShareEntry& e : *shares)
        {
            // Section 4.2.8: each share must be for a group in supported_groups.
            if (e.group == g && Contains(*clientGroups, g) && IsKeyExchangeGroup(g))
            {
                chosen = &e;
                break;
            }
        }
        if (chosen)
        {
            break;
        }
    }

    // The external PSK, when the client offers its identity in a mode both accept (the
    // server's preference first; psk_dhe_ke needs a usable key share). Its binder must then
    // verify (section 4.2.11: decrypt_error otherwise); an identity the server does not know
    // is skipped, and the handshake falls back to the certificate.
    std::optional<uint16_t> pskIndex;
    std::optional<ExternalPsk> psk;
    uint8_t pskMode = 0;
    if (pskOffer && (m_config.externalPsk || m_config.findExternalPsk))
    {
        for (size_t i = 0; i < offers->identities.size() && !pskIndex; ++i)
        {
            const Bytes& identity = offers->identities[i].identity;
            if (m_config.externalPsk && identity == m_config.externalPsk->identity)
            {
                psk = m_config.externalPsk;
            }
            else if (m_config.findExternalPsk)
            {
                psk = m_config.findExternalPsk(identity);
            }
            if (psk)
            {
                pskIndex = static_cast<uint16_t>(i);
            }
        }
        bool modeFound = false;
        for (uint8_t mode : m_config.pskKeyExchangeModes)
        {
            const bool usable = (mode == kPskKe) || (mode == kPskDheKe && chosen != nullptr);
            if (usable
                && std::find(clientPskModes->begin(), clientPskModes->end(), mode)
                       != clientPskModes->end())
            {
                pskMode = mode;
                modeFound = true;
                break;
            }
        }
        if (!modeFound)
        {
            pskIndex.reset();
        }
    }
    uint16_t selectedIdentity = 0; // a plain copy: g++ 12 misreads the optional's later use
    if (pskIndex)
    {
        KeySchedule early(psk->key, LabelPrefix());
        const Bytes truncated = TruncateClientHello(m.full, OfferedPsksBindersLength(*offers));
        if (!ConstantTimeEqual(PskBinder(early.DeriveBinderKey(false), truncated, LabelPrefix()),
                               offers->binders[*pskIndex]))
        {
            Fail(AlertDescription::DecryptError);
            return;
        }
        m_schedule = early;
        m_pskSelected = true;
        selectedIdentity = *pskIndex;
    }
    if (m_pskSelected && pskMode == kPskKe)
    {
        chosen = nullptr; // the PSK alone: no key_share in the ServerHello
    }

    uint16_t scheme = 0;
    if (!m_pskSelected)
    {
        for (uint16_t s : SignatureSchemesForKey(m_config.privateKey))
        {
            if (Contains(*schemes, s))
            {
                scheme = s;
                break;
            }
        }
        // RFC 7250: a raw public key when both want one.
        const Extension* serverTypes = FindExtension(ch->extensions, ext::kServerCertificateType);
        if (serverTypes && m_config.rawPublicKey)
        {
            std::optional<std::vector<uint8_t>> types
                = DecodeCertificateTypeList(serverTypes->data);
            if (!types)
            {
                Fail(AlertDescription::DecodeError);
                return;
            }
            m_serverRawPublicKey
                = std::find(types->begin(), types->end(), certificate_type::kRawPublicKey)
                  != types->end();
        }
        if (scheme == 0 || (!m_serverRawPublicKey && m_config.certificateChain.empty()))
        {
            Fail(AlertDescription::HandshakeFailure);
            return;
        }
        if (!chosen)
        {
            // A HelloRetryRequest would ask for a share of a mutually supported group; it
            // is not implemented yet.
            Fail(AlertDescription::HandshakeFailure);
            return;
        }
    }
    std::optional<uint16_t> clientRecordSizeLimit;
    if (const Extension* sni = FindExtension(ch->extensions, ext::kServerName))
    {
        std::optional<std::string> name = DecodeServerName(sni->data);
        if (!name)
        {
            Fail(AlertDescription::DecodeError);
            return;
        }
        m_serverName = *name;
    }
    if (const Extension* rsl = FindExtension(ch->extensions, ext::kRecordSizeLimit))
    {
        clientRecordSizeLimit = DecodeRecordSizeLimit(rsl->data);
        if (!clientRecordSizeLimit)
        {
            Fail(AlertDescription::IllegalParameter);
            return;
        }
    }

    // The draws, in the documented order.
    ServerHello sh;
    sh.random = RandomBytes(m_random, 32);
    std::optional<KeyShareKeyPair> mine;
    if (chosen)
    {
        mine = GenerateKeyShare(chosen->group, m_random);
        if (!mine)
        {
            Fail(AlertDescription::InternalError);
            return;
        }
    }
    if (m_config.ticketLifetime > 0 && m_config.sealTicket)
    {
        const Bytes b = RandomBytes(m_random, 4);
        m_nextAgeAdd = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8)
                       | uint32_t{b[3]};
    }
    std::optional<Bytes> shared
        = chosen ? KeyShareSharedSecret(chosen->group, mine->privateKey, chosen->keyExchange)
                 : Bytes{}; // psk_ke: no (EC)DHE input (section 7.1)
    if (!shared)
    {
        Fail(AlertDescription::IllegalParameter);
        return;
    }
    if (HandshakeBuffered())
    {
        Fail(AlertDescription::UnexpectedMessage);
        return;
    }
    sh.legacySessionIdEcho = ch->legacySessionId;
    sh.cipherSuite = *suiteIt;
    if (chosen)
    {
        sh.extensions.push_back(
            {ext::kKeyShare, EncodeServerKeyShare({chosen->group, mine->publicKey})});
        m_keyExchangeGroup = chosen->group;
    }
    if (m_pskSelected)
    {
        sh.extensions.push_back({ext::kPreSharedKey, EncodeSelectedIdentity(selectedIdentity)});
    }
    sh.extensions.push_back(
        {ext::kSupportedVersions, EncodeServerSupportedVersion(dtls ? kDtls13 : kTls13)});
    if (dtls)
    {
        sh.legacyVersion = kDtls12;
        if (const Extension* cid = FindExtension(ch->extensions, ext::kConnectionId))
        {
            // RFC 9146 section 3: the client's CID goes into our records, ours (if we want
            // one) into the ServerHello.
            std::optional<Bytes> clientCid = DecodeConnectionId(cid->data);
            if (!clientCid)
            {
                Fail(AlertDescription::DecodeError);
                return;
            }
            if (m_config.dtls->connectionId)
            {
                DtlsState()->SetPeerConnectionId(*clientCid);
                sh.extensions.push_back(
                    {ext::kConnectionId, EncodeConnectionId(*m_config.dtls->connectionId)});
            }
        }
    }
    m_suite = LookUpCipherSuite(*suiteIt);

    m_transcript.Add(m.full);
    QueueHandshake(EncodeServerHello(sh));
    FlushHandshake();
    m_schedule.EnterHandshake(*shared, m_transcript.Hash());
    SetWriteSecret(Secrets().serverHandshakeTrafficSecret);
    SetReadSecret(Secrets().clientHandshakeTrafficSecret);

    EncryptedExtensions ee;
    if (!m_config.advertisedGroups.empty())
    {
        ee.extensions.push_back({ext::kSupportedGroups, EncodeU16List(m_config.advertisedGroups)});
    }
    if (clientRecordSizeLimit && m_config.recordSizeLimit)
    {
        SetPeerRecordSizeLimit(*clientRecordSizeLimit);
        ee.extensions.push_back(
            {ext::kRecordSizeLimit, EncodeRecordSizeLimit(*m_config.recordSizeLimit)});
    }
    if (!m_serverName.empty())
    {
        ee.extensions.push_back({ext::kServerName, {}}); // RFC 6066: an empty acknowledgement
    }
    if (!m_pskSelected && m_config.requestClientCertificate)
    {
        m_clientCertificateRequested = true;
        const Extension* clientTypes = FindExtension(ch->extensions, ext::kClientCertificateType);
        std::optional<std::vector<uint8_t>> types
            = clientTypes ? DecodeCertificateTypeList(clientTypes->data) : std::nullopt;
        m_clientRawPublicKey
            = types && (!m_config.trustedClientKeys.empty() || m_config.isTrustedClientKey)
              && std::find(types->begin(), types->end(), certificate_type::kRawPublicKey)
                     != types->end();
        if (m_clientRawPublicKey)
        {
            ee.extensions.push_back({ext::kClientCertificateType,
                                     Bytes{static_cast<uint8_t>(certificate_type::kRawPublicKey)}});
        }
    }
    if (m_serverRawPublicKey)
    {
        ee.extensions.push_back({ext::kServerCertificateType,
                                 Bytes{static_cast<uint8_t>(certificate_type::kRawPublicKey)}});
    }
    QueueHandshake(EncodeEncryptedExtensions(ee));
    if (m_clientCertificateRequested)
    {
        CertificateRequest request;
        request.extensions.push_back(
            {ext::kSignatureAlgorithms, EncodeU16List(m_config.clientSignatureAlgorithms)});
        QueueHandshake(EncodeCertificateRequest(request));
    }
    if (!m_pskSelected)
    {
        QueueCertificateAndSignature(scheme);
        if (m_failed)
        {
            return;
        }
    }
    QueueHandshake(EncodeFinished(FinishedVerifyData(Secrets().serverHandshakeTrafficSecret,
                                                     m_transcript.Hash(), LabelPrefix())));
    FlushHandshake();

    const Bytes serverFinishedHash = m_transcript.Hash();
    m_schedule.EnterApplication(serverFinishedHash);
    m_serverFinishedHash = serverFinishedHash;
    SetWriteSecret(Secrets().serverApplicationTrafficSecret);
    m_state = m_clientCertificateRequested ? State::WaitClientCertificate : State::WaitFinished;
}

void
Server::QueueCertificateAndSignature(uint16_t scheme)
{
    Certificate cert;
    if (m_serverRawPublicKey)
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
    QueueHandshake(EncodeCertificate(cert));

    const Bytes content = CertificateVerifyInput(true, m_transcript.Hash());
    std::optional<Bytes> signature = m_config.sign
                                         ? m_config.sign(scheme, content)
                                         : Sign(m_config.privateKey, scheme, content, m_random);
    if (!signature)
    {
        Fail(AlertDescription::InternalError);
        return;
    }
    QueueHandshake(EncodeCertificateVerify({scheme, *signature}));
}

void
Server::OnFinished(const HandshakeMessage& m)
{
    // Section 4.4.4: over the transcript up to the client's CertificateVerify, if any.
    const Bytes expected = FinishedVerifyData(
        Secrets().clientHandshakeTrafficSecret,
        m_clientCertificateRequested ? m_transcript.Hash() : m_serverFinishedHash, LabelPrefix());
    if (!AcceptPeerFinished(m, expected))
    {
        return;
    }
    m_transcript.Add(m.full);
    m_schedule.DeriveResumptionMaster(m_transcript.Hash());
    SetReadSecret(Secrets().clientApplicationTrafficSecret);
    m_state = State::Connected;
    SetConnected();
    SendTicket();
}

void
Server::OnClientCertificate(const HandshakeMessage& m)
{
    std::optional<Certificate> cert = ParseCertificate(m.body);
    if (!cert)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    // Section 4.4.2: the context of our (empty) request; an empty list is a client without a
    // certificate, which this server does not accept (section 4.4.2.4).
    if (!cert->requestContext.empty())
    {
        Fail(AlertDescription::IllegalParameter);
        return;
    }
    if (cert->entries.empty())
    {
        Fail(AlertDescription::CertificateRequired);
        return;
    }
    std::vector<Bytes> chain;
    for (const CertificateEntry& e : cert->entries)
    {
        chain.push_back(e.certData);
    }
    const bool trusted = m_clientRawPublicKey
                             ? chain.size() == 1
                                   && (std::find(m_config.trustedClientKeys.begin(),
                                                 m_config.trustedClientKeys.end(), chain.front())
                                           != m_config.trustedClientKeys.end()
                                       || (m_config.isTrustedClientKey
                                           && m_config.isTrustedClientKey(chain.front())))
                             : VerifyCertificateChain(chain, m_config.clientTrustAnchors, "");
    if (!trusted)
    {
        Fail(AlertDescription::BadCertificate);
        return;
    }
    m_clientKey = chain.front();
    m_transcript.Add(m.full);
    m_state = State::WaitClientCertificateVerify;
}

void
Server::OnClientCertificateVerify(const HandshakeMessage& m)
{
    std::optional<CertificateVerify> cv = ParseCertificateVerify(m.body);
    if (!cv)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    if (!Contains(m_config.clientSignatureAlgorithms, cv->scheme))
    {
        Fail(AlertDescription::IllegalParameter);
        return;
    }
    // Section 4.4.3: the client's signature covers Transcript-Hash(ClientHello ... Certificate).
    const Bytes content = CertificateVerifyInput(false, m_transcript.Hash());
    const bool ok = m_clientRawPublicKey
                        ? VerifyWithPublicKey(m_clientKey, cv->scheme, content, cv->signature)
                        : Verify(m_clientKey, cv->scheme, content, cv->signature);
    if (!ok)
    {
        Fail(AlertDescription::DecryptError);
        return;
    }
    m_transcript.Add(m.full);
    m_state = State::WaitFinished;
}

void
Server::SendTicket()
{
    if (m_config.ticketLifetime == 0 || !m_config.sealTicket)
    {
        return;
    }
    NewSessionTicket nst;
    nst.lifetime = std::min<uint32_t>(m_config.ticketLifetime, 604800);
    nst.ageAdd = m_nextAgeAdd;
    nst.nonce.resize(std::min<size_t>(m_config.ticketNonceLength, 8));
    for (size_t i = 0; i < nst.nonce.size(); ++i)
    {
        nst.nonce[nst.nonce.size() - 1 - i] = static_cast<uint8_t>(m_ticketCounter >> (8 * i));
    }
    ++m_ticketCounter;
    nst.ticket = m_config.sealTicket(
        ResumptionPsk(Secrets().resumptionMasterSecret, nst.nonce, LabelPrefix()));
    if (nst.ticket.empty())
    {
        return;
    }
    if (m_config.maxEarlyDataSize)
    {
        nst.extensions.push_back(
            {ext::kEarlyData, EncodeMaxEarlyDataSize(*m_config.maxEarlyDataSize)});
    }
    // A NewSessionTicket is not part of the transcript (section 4.4.1): it is written
    // directly, under the server's application traffic keys.
    SendPostHandshakeMessage(EncodeNewSessionTicket(nst));
}

} // namespace tls13
} // namespace lpwan
