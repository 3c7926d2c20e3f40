/*
 * lpwan-coap-client with --edhoc, sans-I/O: first EDHOC as Initiator over CoAP, run by
 * glue::EdhocCoapClient as the simulated meters run it (POST
 * /.well-known/edhoc: message_1, then message_3 -- or, with --edhoc-combined, message_3 inside
 * the first OSCORE request, RFC 9668), then the ordinary ClientSession with an OSCORE filter
 * keyed by the EDHOC result. A cipher suite refused with ERR_CODE 2 is retried with the
 * server's SUITES_R. EDHOC failures end the session with exit status kSecurity, a server that
 * does not answer with kNoAnswer. One line "edhoc: ..." on `err` reports the outcome.
 */
#ifndef LPWAN_TOOLS_EDHOC_CLIENT_SESSION_H
#define LPWAN_TOOLS_EDHOC_CLIENT_SESSION_H

#include "client-session.h"
#include "edhoc-flags.h"
#include "protocols/glue/edhoc-coap-client.h"
#include "protocols/glue/oscore-coap-client.h"

#include <memory>

namespace lpwan
{
namespace tools
{

class EdhocClientSession : public ToolSession
{
  public:
    /// endpoint, random and the streams must outlive the session.
    EdhocClientSession(coap::Endpoint& endpoint, const EdhocFlags& flags, ClientRequest request,
                       lpwan::RandomSource& random, std::ostream& out, std::ostream& err);
    ~EdhocClientSession() override;

    void Start(lpwan::TimeNs now) override;
    void OnEvent(const coap::Event& event, lpwan::TimeNs now) override;
    std::optional<lpwan::TimeNs> NextTimer() const override;
    void OnTimer(lpwan::TimeNs now) override;
    void Interrupt(lpwan::TimeNs now) override;
    bool Finished() const override;

    int GetExitStatus() const;

    /// The request session, once EDHOC completed (for its payload and counters).
    const ClientSession* GetRequestSession() const
    {
        return m_inner.get();
    }

    const lpwan::edhoc::Initiator& GetInitiator() const
    {
        return m_run.GetInitiator();
    }

  private:
    enum class Phase
    {
        Edhoc,  ///< EDHOC running (m_run)
        Oscore, ///< EDHOC done, m_inner runs the request
        Done,   ///< failed
    };

    /// Acts on what the EDHOC run said: send its request, start OSCORE, or fail.
    void Apply(glue::EdhocCoapClient::Step step, lpwan::TimeNs now);
    /// The line a failed run reports (the messages the tool has always printed).
    std::string FailureText(const glue::EdhocCoapClient::Step& step);
    void StartOscore(const oscore::ContextParameters& params,
                     const lpwan::edhoc::Bytes& combinedMessage3, lpwan::TimeNs now);
    void Fail(int status, const std::string& why);

    class CombinedFilter;

    coap::Endpoint& m_endpoint;
    EdhocFlags m_flags;
    ClientRequest m_request;
    std::ostream& m_out;
    std::ostream& m_err;
    glue::EdhocCoapClient m_run;
    bool m_message3Answered = false; ///< the response being handled answers message_3
    Phase m_phase = Phase::Edhoc;
    int m_exitStatus = 0;
    coap::ExchangeId m_exchange = 0;
    lpwan::TimeNs m_deadline = 0;
    std::unique_ptr<oscore::SecurityContext> m_context;
    std::unique_ptr<glue::OscoreCoapClient> m_oscore;
    std::unique_ptr<coap::MessageFilter> m_combined;
    std::unique_ptr<ClientSession> m_inner;
};

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_EDHOC_CLIENT_SESSION_H
