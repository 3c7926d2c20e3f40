/*
 * What the Initiator and the Responder state machines share: the negotiated suite, the
 * connection identifiers, the peer's credential, the intermediate values, the session's end
 * (completed or aborted) and, once completed, PRK_out with the exporter, key update and OSCORE
 * derivation built on it.
 */
#ifndef LPWAN_EDHOC_SESSION_H
#define LPWAN_EDHOC_SESSION_H

#include "edhoc-cipher-suite.h"
#include "edhoc-credential.h"
#include "edhoc-exporter.h"
#include "edhoc-outcome.h"

#include <map>
#include <memory>

namespace lpwan
{
namespace edhoc
{

/// Configuration shared by both roles.
struct PartyConfig
{
    /// One's own credentials; the one matching the suite and the authentication (signature or
    /// static DH) that the method asks for is used.
    std::vector<LocalCredential> credentials;
    /// The peers' credentials this party trusts, looked up by ID_CRED_x.
    std::vector<Credential> peerCredentials;
    /// More trusted peers' credentials, indexed by ID_CRED_x and shared between configurations:
    /// a server that knows a whole fleet of devices finds one in O(log n) and each session's
    /// copy of the configuration stays small. Consulted after peerCredentials; may be null.
    std::shared_ptr<const std::map<Bytes, Credential>> peerCredentialIndex;
    /// Labels of critical EAD items this party supports; other critical items abort.
    std::vector<int64_t> supportedCriticalEad;
};

class Session
{
  public:
    virtual ~Session() = default;

    bool IsCompleted() const
    {
        return m_completed;
    }

    bool IsAborted() const
    {
        return m_aborted;
    }

    const Intermediates& GetIntermediates() const
    {
        return m_im;
    }

    /// The selected cipher suite; nullopt before one is selected.
    const std::optional<CipherSuite>& GetSuite() const
    {
        return m_suite;
    }

    std::optional<Method> GetMethod() const
    {
        return m_method;
    }

    const Bytes& GetInitiatorConnectionId() const
    {
        return m_cI;
    }

    const Bytes& GetResponderConnectionId() const
    {
        return m_cR;
    }

    /// The peer's credential once it has been authenticated.
    const std::optional<Credential>& GetPeerCredential() const
    {
        return m_peerCredential;
    }

    /// EDHOC_Exporter; empty before the session completed.
    Bytes Exporter(int64_t label, const Bytes& context, size_t length) const;

    /// EDHOC_KeyUpdate; false before the session completed.
    bool KeyUpdate(const Bytes& context);

    /// The current PRK_out / PRK_exporter (after KeyUpdate, the updated ones).
    const Bytes& GetPrkOut() const
    {
        return m_prkOut;
    }

    const Bytes& GetPrkExporter() const
    {
        return m_prkExporter;
    }

    /// The OSCORE input parameters for this side; nullopt before the session completed.
    std::optional<OscoreMaterial> GetOscoreMaterial() const;

  protected:
    explicit Session(bool initiator)
      : m_isInitiator(initiator)
    {
    }

    /// Aborts the session and returns the error message to send.
    Outcome SendError(const Bytes& errorMessage, const std::string& diagnostic);
    Outcome SendUnspecifiedError(const std::string& diagnostic);
    /// Aborts the session because the peer sent an error message (or garbage in its place).
    Outcome ReceivedError(const Bytes& in);
    static Outcome InvalidState(const std::string& why);

    /// The local credential for the suite and authentication kind; nullptr when none.
    const LocalCredential* FindLocalCredential(const PartyConfig& config, const CipherSuite& suite,
                                               bool signature) const;

    /// TH_4 known: derives PRK_out and PRK_exporter and marks the session completed.
    void Complete();

    bool m_isInitiator;
    bool m_completed = false;
    bool m_aborted = false;
    std::optional<CipherSuite> m_suite;
    std::optional<Method> m_method;
    Bytes m_cI;
    Bytes m_cR;
    std::optional<Credential> m_peerCredential;
    Intermediates m_im;
    Bytes m_prkOut;
    Bytes m_prkExporter;
};

/// The trusted peer credential whose ID_CRED_x is idCred (peerCredentials first, then
/// peerCredentialIndex); nullptr when none.
const Credential* FindPeerCredential(const PartyConfig& config, const Bytes& idCred);

/// Enc_structure = [ "Encrypt0", h'', TH ] (the AEAD's associated data of message_3 / 4).
Bytes EncStructure(const Bytes& th);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_SESSION_H
