/*
 * One EDHOC run (RFC 9528) as Initiator over CoAP (appendix A.2), sans-I/O, as the simulated
 * meter (EdhocClientDriver) and lpwan-coap-client --edhoc both run it: message_1 and message_3
 * as POSTs to /.well-known/edhoc, message_2 and message_4 (or an error message) in their
 * responses, a cipher suite refused with SUITES_R retried once with the server's choice, and
 * the OSCORE context EDHOC_Exporter derives at the end (RFC 9528 appendix A.1).
 *
 * With `combined` (RFC 9668) message_3 is not POSTed: the run is Ready after message_2, and
 * the caller puts message_3 in front of its first OSCORE-protected request
 * (edhoc::MakeCombinedRequest); message_4 is then not expected, since the OSCORE response
 * confirms the key instead.
 *
 * The caller owns the CoAP endpoint: it sends each Step::request, hands back the response of
 * the last one (OnResponse), and deals with timeouts and resets itself. A request sent with a
 * Failed step (the error message that tells the server why message_2 was refused) expects no
 * useful answer.
 */
#ifndef LPWAN_GLUE_EDHOC_COAP_CLIENT_H
#define LPWAN_GLUE_EDHOC_COAP_CLIENT_H

#include "../coap/coap-message.h"
#include "../edhoc/edhoc-initiator.h"
#include "../oscore/oscore-security-context.h"

#include <optional>
#include <string>

namespace lpwan
{
namespace glue
{

class EdhocCoapClient
{
  public:
    struct Config
    {
        lpwan::edhoc::InitiatorConfig initiator; ///< credentials, method, suites, C_I
        bool combined = false;                   ///< RFC 9668 combined request
        uint32_t replayWindow = 32;              ///< of the derived OSCORE context
    };

    /// What the caller does next.
    struct Step
    {
        enum class Result
        {
            Pending, ///< send `request` and wait for its response
            Ready,   ///< EDHOC done: `context` is the OSCORE context to protect with
            Failed,  ///< the run failed: `reason`, `diagnostic` (send `request` if set)
        };

        Result result = Result::Pending;
        /// A POST to /.well-known/edhoc to send, and the EDHOC message bytes it carries (the
        /// prefix in front of them, true or C_R, not counted).
        std::optional<coap::Message> request;
        size_t messageBytes = 0;
        /// The server refused the suite: request is a new message_1 with GetSuite().
        bool retried = false;
        /// Ready: the client's view of the context (Sender ID = C_R).
        std::optional<oscore::ContextParameters> context;
        /// Ready in combined mode: message_3, for the first protected request.
        lpwan::edhoc::Bytes combinedMessage3;
        /// Failed: a short reason for counters (local-error, message_2-rejected,
        /// server-error, message_4-rejected, oscore-context) and the details for people.
        std::string reason;
        std::string diagnostic;
    };

    /// random supplies the ephemeral key (and ECDSA blinding); it must outlive the client.
    EdhocCoapClient(Config config, lpwan::RandomSource& random);

    /// message_1.
    Step Start();

    /// The response to the last request sent (message_2, the answer to message_3, or an
    /// error message).
    Step OnResponse(const coap::Message& response);

    const lpwan::edhoc::Initiator& GetInitiator() const
    {
        return m_initiator;
    }

    /// True while the response expected is message_2's (false once message_3 went out).
    bool IsAwaitingMessage2() const
    {
        return m_state == State::Message2;
    }

  private:
    enum class State
    {
        Message2, ///< message_1 sent
        Message3, ///< message_3 sent: 2.04 (empty or message_4) or an error expected
        Done,
    };

    Step OnMessage2(const coap::Message& response);
    Step OnMessage3Answer(const coap::Message& response);
    Step Send(coap::Message request, size_t messageBytes);
    Step Fail(std::string reason, std::string diagnostic);
    Step Ready(lpwan::edhoc::Bytes combinedMessage3);

    Config m_config;
    lpwan::edhoc::Initiator m_initiator;
    State m_state = State::Message2;
};

} // namespace glue
} // namespace lpwan

#endif // LPWAN_GLUE_EDHOC_COAP_CLIENT_H
