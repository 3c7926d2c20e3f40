#include "tls13-server.h"

#include "tls13-random.h"
#include "tls13-signature.h"

#include <algorithm>

namespace lpwan
{
namespace tls13
{

namespace
{

bool
Contains(const std::vector<uint16_t>& v, uint16_t x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

} // namespace

Server::Server(ServerConfig config, RandomSource& random)
  : m_config(std::move(config))
  , m_random(random)
{
}

void
Server::OnHandshakeMessage(TimeNs /* now */, const HandshakeMessage& m)
{
    if (m_state == State::WaitClientHello && m.type == HandshakeType::ClientHello)
    {
        OnClientHello(m);
    }
    else if (m_state == State::WaitFinished && m.type == HandshakeType::Finished)
    {
        OnFinished(m);
    }
    else
    {
        // A client sends nothing else in a 1-RTT handshake without client authentication;
        // KeyUpdate is not implemented yet.
        Fail(AlertDescription::UnexpectedMessage);
    }
}

void
Server::OnClientHello(const HandshakeMessage& m)
{
    std::optional<ClientHello> ch = ParseClientHello(m.body);
    if (!ch)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    const Extension* versions = FindExtension(ch->extensions, ext::kSupportedVersions);
    std::optional<std::vector<uint16_t>> offered
        = versions ? DecodeClientSupportedVersions(versions->data) : std::nullopt;
    if (!offered || !Contains(*offered, kTls13))
    {
        Fail(AlertDescription::ProtocolVersion);
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
    // Section 9.2: a certificate-based handshake needs signature_algorithms, and
    // supported_groups with key_share.
    const Extension* sigAlgs = FindExtension(ch->extensions, ext::kSignatureAlgorithms);
    const Extension* groups = FindExtension(ch->extensions, ext::kSupportedGroups);
    const Extension* keyShare = FindExtension(ch->extensions, ext::kKeyShare);
    if (!sigAlgs || !groups || !keyShare)
    {
        Fail(AlertDescription::MissingExtension);
        return;
    }
    std::optional<std::vector<uint16_t>> schemes = DecodeU16List(sigAlgs->data);
    std::optional<std::vector<uint16_t>> clientGroups = DecodeU16List(groups->data);
    std::optional<std::vector<KeyShareEntry>> shares = DecodeClientKeyShares(keyShare->data);
    if (!schemes || !clientGroups || !shares)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    uint16_t scheme = 0;
    for (uint16_t s : SignatureSchemesForKey(m_config.privateKey))
    {
        if (Contains(*schemes, s))
        {
            scheme = s;
            break;
        }
    }
    if (scheme == 0 || m_config.certificateChain.empty())
    {
        Fail(AlertDescription::HandshakeFailure);
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
    if (!chosen)
    {
        // A HelloRetryRequest would ask for a share of a mutually supported group; it is
        // not implemented yet.
        Fail(AlertDescription::HandshakeFailure);
        return;
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
    std::optional<KeyShareKeyPair> mine = GenerateKeyShare(chosen->group, m_random);
    if (!mine)
    {
        Fail(AlertDescription::InternalError);
        return;
    }
    if (m_config.ticketLifetime > 0 && m_config.sealTicket)
    {
        const Bytes b = RandomBytes(m_random, 4);
        m_nextAgeAdd = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8)
                       | uint32_t{b[3]};
    }
    std::optional<Bytes> shared
        = KeyShareSharedSecret(chosen->group, mine->privateKey, chosen->keyExchange);
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
    sh.extensions.push_back(
        {ext::kKeyShare, EncodeServerKeyShare({chosen->group, mine->publicKey})});
    sh.extensions.push_back({ext::kSupportedVersions, EncodeServerSupportedVersion(kTls13)});
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
    QueueHandshake(EncodeEncryptedExtensions(ee));

    Certificate cert;
    for (const Bytes& der : m_config.certificateChain)
    {
        cert.entries.push_back({der, {}});
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
    QueueHandshake(EncodeFinished(
        FinishedVerifyData(Secrets().serverHandshakeTrafficSecret, m_transcript.Hash())));
    FlushHandshake();

    const Bytes serverFinishedHash = m_transcript.Hash();
    m_schedule.EnterApplication(serverFinishedHash);
    m_expectedClientFinished
        = FinishedVerifyData(Secrets().clientHandshakeTrafficSecret, serverFinishedHash);
    SetWriteSecret(Secrets().serverApplicationTrafficSecret);
    m_state = State::WaitFinished;
}

void
Server::OnFinished(const HandshakeMessage& m)
{
    std::optional<Bytes> verifyData = ParseFinished(m.body);
    if (!verifyData)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    if (!ConstantTimeEqual(m_expectedClientFinished, *verifyData))
    {
        Fail(AlertDescription::DecryptError);
        return;
    }
    if (HandshakeBuffered())
    {
        Fail(AlertDescription::UnexpectedMessage);
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
    nst.ticket = m_config.sealTicket(ResumptionPsk(Secrets().resumptionMasterSecret, nst.nonce));
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
