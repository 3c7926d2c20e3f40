/*
 * The EDHOC Initiator (RFC 9528 sections 5.2.1, 5.3.3, 5.4.1, 5.5.3 and 6.3.2), sans-I/O:
 *
 *   Start()            -> message_1
 *   HandleMessage2(m)  -> message_3 (Completed, or Continue when message_4 is expected),
 *                         a new message_1 (Retry) after an ERR_CODE 2 error, or an error
 *   HandleMessage4(m)  -> Completed, or an error
 *
 * Cipher suite negotiation: `suites` lists suite identifiers in order of preference. The
 * Initiator selects the most preferred suite it implements (and holds a credential for) among
 * those the Responder is known to support -- all of them until an error with SUITES_R arrives,
 * then those in SUITES_R -- and sends SUITES_I = the preference list up to the selected suite.
 * Identifiers this implementation does not run may be listed as (never selected) preferences:
 * that is how RFC 9529's second trace advertises suite 6 ahead of suite 2.
 */
#ifndef LPWAN_EDHOC_INITIATOR_H
#define LPWAN_EDHOC_INITIATOR_H

#include "edhoc-session.h"

namespace lpwan
{
namespace edhoc
{

struct InitiatorConfig : PartyConfig
{
    Method method = Method::SignatureSignature;
    std::vector<int64_t> suites{0, 2}; ///< order of preference
    Bytes connectionId{0x2d};          ///< C_I
    Ead ead1;
    Ead ead3;
    bool expectMessage4 = false;
};

class Initiator : public Session
{
  public:
    /// random supplies the ephemeral keys (and ECDSA blinding); it must outlive the Initiator.
    Initiator(InitiatorConfig config, RandomSource& random);

    Outcome Start();
    Outcome HandleMessage2(const Bytes& in);
    Outcome HandleMessage4(const Bytes& in);

    const InitiatorConfig& GetConfig() const
    {
        return m_config;
    }

  private:
    enum class State : uint8_t
    {
        Idle,
        WaitMessage2,
        WaitMessage4,
        Done,
    };

    /// Builds message_1 for the currently selectable suite.
    Outcome SendMessage1(Status status);
    Outcome Negotiate(const Bytes& in);

    InitiatorConfig m_config;
    RandomSource& m_random;
    State m_state = State::Idle;
    std::optional<std::vector<int64_t>> m_responderSuites; ///< SUITES_R once received
    Bytes m_x;                                             ///< ephemeral private key
    Bytes m_gY;
    LocalCredential m_own; ///< the credential selected for the suite (a copy: Initiators copy)
};

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_INITIATOR_H
