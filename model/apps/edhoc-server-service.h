/*
 * The server's side of the edhoc-oscore profile in the simulation: the sans-I/O
 * lpwan::glue::EdhocCoapServer (protocols/glue/edhoc-coap-server.h, which lpwan-coap-server runs
 * too) fed by the ns-3 random stream of the server, with its log lines on NS_LOG.
 *
 * C_R is the server's Recipient ID for the session's context, so the pool never allocates an
 * identifier the server's context store already holds (idInUse); with more devices than
 * one-byte identifiers, contexts get two-byte (and longer) IDs.
 */
#ifndef LPWAN_EDHOC_SERVER_SERVICE_H
#define LPWAN_EDHOC_SERVER_SERVICE_H

#include "ns3-random-source.h"
#include "protocols/glue/edhoc-coap-server.h"

#include "ns3/random-variable-stream.h"

namespace ns3
{

class EdhocServerService
{
  public:
    using Config = lpwan::glue::EdhocCoapServer::Config;
    using Outcome = lpwan::glue::EdhocCoapServer::Outcome;

    /// stream supplies the Responders' ephemeral keys. idInUse: the Recipient IDs the server's
    /// context store holds.
    EdhocServerService(Config config, Ptr<UniformRandomVariable> stream,
                       lpwan::edhoc::CoapResponderPool::IdInUse idInUse);

    /// See lpwan::glue::EdhocCoapServer::IsEdhocRequest.
    static bool IsEdhocRequest(const lpwan::coap::Message& request)
    {
        return lpwan::glue::EdhocCoapServer::IsEdhocRequest(request);
    }

    /// See lpwan::glue::EdhocCoapServer::Handle.
    Outcome Handle(lpwan::coap::Message& request);

    /// EDHOC runs as the server saw them (started: message_1 received).
    lpwan::tls::HandshakeFigures GetFigures() const
    {
        return m_server.GetFigures();
    }

    size_t GetOpenSessions() const
    {
        return m_server.GetPool().GetOpenSessions();
    }

  private:
    Ns3RandomSource m_random;
    lpwan::glue::EdhocCoapServer m_server;
};

} // namespace ns3

#endif // LPWAN_EDHOC_SERVER_SERVICE_H
