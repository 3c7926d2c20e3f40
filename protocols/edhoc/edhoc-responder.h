/*
 * The EDHOC Responder (RFC 9528 sections 5.2.3, 5.3.1, 5.4.3, 5.5.1 and 6.3), sans-I/O:
 *
 *   HandleMessage1(m)  -> message_2 (Continue), an ERR_CODE 2 error with SUITES_R when the
 *                         selected suite is refused, or an ERR_CODE 1 error
 *   HandleMessage3(m)  -> Completed (with message_4 when configured), or an error
 *
 * The Responder refuses SUITES_I when it does not support the selected (last) suite, or when
 * it supports a suite that SUITES_I lists as more preferred (downgrade protection).
 */
#ifndef LPWAN_EDHOC_RESPONDER_H
#define LPWAN_EDHOC_RESPONDER_H

#include "edhoc-session.h"

namespace lpwan
{
namespace edhoc
{

struct ResponderConfig : PartyConfig
{
    /// Supported suites in order of preference (this is SUITES_R); only implemented suites.
    std::vector<int64_t> suites{0, 2};
    std::vector<Method> methods{Method::SignatureSignature, Method::SignatureStaticDh,
                                Method::StaticDhSignature, Method::StaticDhStaticDh};
    /// C_R; when absent a random one-byte identifier different from C_I is drawn.
    std::optional<Bytes> connectionId;
    Ead ead2;
    Ead ead4;
    bool sendMessage4 = false;
};

class Responder : public Session
{
  public:
    /// random supplies the ephemeral keys, C_R when not configured, and ECDSA blinding; it
    /// must outlive the Responder.
    Responder(ResponderConfig config, RandomSource& random);

    Outcome HandleMessage1(const Bytes& in);
    Outcome HandleMessage3(const Bytes& in);

    const ResponderConfig& GetConfig() const
    {
        return m_config;
    }

  private:
    enum class State : uint8_t
    {
        WaitMessage1,
        WaitMessage3,
        Done,
    };

    bool Supports(int64_t suite) const;

    ResponderConfig m_config;
    RandomSource& m_random;
    State m_state = State::WaitMessage1;
    Bytes m_y; ///< ephemeral private key
    Bytes m_gX;
};

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_RESPONDER_H
