/*
 * lpwan-coap-client with --edhoc, sans-I/O: first EDHOC as Initiator over CoAP (POST
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
#include "oscore-client-filter.h"
#include "protocols/edhoc/edhoc-initiator.h"

#include <memory>

namespace ns3
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
        return m_initiator;
    }

  private:
    enum class Phase
    {
        Message2, ///< message_1 sent
        Message3, ///< message_3 sent (separately)
        Oscore,   ///< EDHOC done, m_inner runs the request
        Done,     ///< failed
    };

    void SendEdhoc(coap::Message request, lpwan::TimeNs now);
    void OnEdhocResponse(const coap::Message& response, lpwan::TimeNs now);
    void StartOscore(const lpwan::edhoc::Bytes& combinedMessage3, lpwan::TimeNs now);
    void Fail(int status, const std::string& why);

    class CombinedFilter;

    coap::Endpoint& m_endpoint;
    EdhocFlags m_flags;
    ClientRequest m_request;
    std::ostream& m_out;
    std::ostream& m_err;
    lpwan::edhoc::Initiator m_initiator;
    Phase m_phase = Phase::Message2;
    int m_exitStatus = 0;
    coap::ExchangeId m_exchange = 0;
    lpwan::TimeNs m_deadline = 0;
    std::unique_ptr<oscore::SecurityContext> m_context;
    std::unique_ptr<OscoreClientFilter> m_oscore;
    std::unique_ptr<coap::MessageFilter> m_combined;
    std::unique_ptr<ClientSession> m_inner;
};

} // namespace tools
} // namespace ns3

#endif // LPWAN_TOOLS_EDHOC_CLIENT_SESSION_H
