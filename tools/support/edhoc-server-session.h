/*
 * lpwan-coap-server with --edhoc, sans-I/O: in front of the ordinary ServerSession (whose
 * OSCORE filter serves the demonstration resources), glue::EdhocCoapServer (the same the
 * simulated server runs) answers POSTs to /.well-known/edhoc and completes EDHOC from combined
 * requests (RFC 9668). Each completed session adds its OSCORE context to the store, where the
 * server's OSCORE filter finds it by the client's 'kid' (C_R). Everything else passes to the
 * ServerSession unchanged.
 */
#ifndef LPWAN_TOOLS_EDHOC_SERVER_SESSION_H
#define LPWAN_TOOLS_EDHOC_SERVER_SESSION_H

#include "edhoc-flags.h"
#include "protocols/glue/edhoc-coap-server.h"
#include "protocols/oscore/oscore-context-store.h"
#include "server-session.h"

namespace lpwan
{
namespace tools
{

class EdhocServerSession : public ToolSession
{
  public:
    /// inner serves everything but EDHOC; store is the one inner's OSCORE filter reads.
    /// All references must outlive the session.
    EdhocServerSession(coap::Endpoint& endpoint, ServerSession& inner, oscore::ContextStore& store,
                       const EdhocFlags& flags, lpwan::RandomSource& random, std::ostream& log,
                       int verbose);

    void Start(lpwan::TimeNs now) override;
    void OnEvent(const coap::Event& event, lpwan::TimeNs now) override;
    std::optional<lpwan::TimeNs> NextTimer() const override;
    void OnTimer(lpwan::TimeNs now) override;
    void Interrupt(lpwan::TimeNs now) override;
    bool Finished() const override;

    const lpwan::edhoc::CoapResponderPool& GetPool() const
    {
        return m_server.GetPool();
    }

    /// OSCORE contexts that could not be installed (IDs the OSCORE core refuses).
    uint64_t GetRejectedContexts() const
    {
        return m_server.GetRejectedContexts();
    }

  private:
    coap::Endpoint& m_endpoint;
    ServerSession& m_inner;
    oscore::ContextStore& m_store;
    glue::EdhocCoapServer m_server;
    std::ostream& m_log;
    int m_verbose;
};

/// "edhoc: completed=N failed=N open=N" for the server's exit report.
std::string EdhocServerCountersLine(const EdhocServerSession& session);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_EDHOC_SERVER_SESSION_H
