#include "edhoc-session.h"

#include "../common/crypto-tally.h"
#include "edhoc-cbor.h"
#include "edhoc-key-schedule.h"
#include "edhoc-messages.h"

namespace lpwan
{
namespace edhoc
{

const Credential*
FindPeerCredential(const PartyConfig& config, const Bytes& idCred)
{
    if (const Credential* c = FindCredential(config.peerCredentials, idCred))
    {
        return c;
    }
    if (config.peerCredentialIndex)
    {
        auto it = config.peerCredentialIndex->find(idCred);
        if (it != config.peerCredentialIndex->end())
        {
            return &it->second;
        }
    }
    return nullptr;
}

Bytes
Session::Exporter(int64_t label, const Bytes& context, size_t length) const
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    if (!m_completed)
    {
        return {};
    }
    return edhoc::Exporter(m_prkExporter, label, context, length);
}

bool
Session::KeyUpdate(const Bytes& context)
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    if (!m_completed)
    {
        return false;
    }
    edhoc::KeyUpdate(m_prkOut, m_prkExporter, context);
    return true;
}

std::optional<OscoreMaterial>
Session::GetOscoreMaterial() const
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    if (!m_completed)
    {
        return std::nullopt;
    }
    return m_isInitiator ? DeriveOscoreMaterial(m_prkExporter, m_cR, m_cI)
                         : DeriveOscoreMaterial(m_prkExporter, m_cI, m_cR);
}

Outcome
Session::SendError(const Bytes& errorMessage, const std::string& diagnostic)
{
    m_aborted = true;
    Outcome o;
    o.status = Status::SentError;
    o.message = errorMessage;
    o.diagnostic = diagnostic;
    return o;
}

Outcome
Session::SendUnspecifiedError(const std::string& diagnostic)
{
    return SendError(EncodeUnspecifiedError(diagnostic), diagnostic);
}

Outcome
Session::ReceivedError(const Bytes& in)
{
    ErrorMessage e;
    std::string why;
    if (!DecodeError(in, e, why))
    {
        return SendUnspecifiedError(why);
    }
    m_aborted = true;
    Outcome o;
    o.status = Status::ReceivedError;
    o.diagnostic = "peer sent ERR_CODE " + std::to_string(e.code)
                   + (e.diagnostic.empty() ? "" : ": " + e.diagnostic);
    o.peerError = std::move(e);
    return o;
}

Outcome
Session::InvalidState(const std::string& why)
{
    Outcome o;
    o.status = Status::InvalidState;
    o.diagnostic = why;
    return o;
}

const LocalCredential*
Session::FindLocalCredential(const PartyConfig& config, const CipherSuite& suite,
                             bool signature) const
{
    const KeyType needed = RequiredKeyType(suite, signature);
    for (const LocalCredential& c : config.credentials)
    {
        if (c.credential.keyType == needed)
        {
            return &c;
        }
    }
    return nullptr;
}

void
Session::Complete()
{
    m_prkOut = Kdf(m_im.prk4e3m, label::kPrkOut, m_im.th4, kHashLength);
    m_prkExporter = DerivePrkExporter(m_prkOut);
    m_im.prkOut = m_prkOut;
    m_im.prkExporter = m_prkExporter;
    m_completed = true;
}

Bytes
EncStructure(const Bytes& th)
{
    return CborWriter().ArrayHeader(3).Tstr("Encrypt0").Bstr(Bytes{}).Bstr(th).Take();
}

} // namespace edhoc
} // namespace lpwan
