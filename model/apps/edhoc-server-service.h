/*
 * The server's side of the edhoc-oscore profile: a CoapResponderPool answers POSTs to
 * /.well-known/edhoc and completes EDHOC from RFC 9668 combined requests, and this class keeps
 * what the CoAP server needs around it -- which OSCORE Recipient ID each device's current
 * context has (a device that runs EDHOC again gets a new context that replaces its old one:
 * it is found by the credential the device authenticated with), and the EDHOC figures.
 *
 * C_R is the server's Recipient ID for the session's context, so the pool never allocates an
 * identifier the server's context store already holds (idInUse); with more devices than
 * one-byte identifiers, contexts get two-byte (and longer) IDs.
 */
#ifndef LPWAN_EDHOC_SERVER_SERVICE_H
#define LPWAN_EDHOC_SERVER_SERVICE_H

#include "ns3-random-source.h"
#include "protocols/edhoc/edhoc-coap-responder-pool.h"
#include "protocols/oscore/oscore-security-context.h"
#include "protocols/tls/handshake-figures.h"

#include "ns3/random-variable-stream.h"

#include <map>
#include <optional>

namespace ns3
{

class EdhocServerService
{
  public:
    struct Config
    {
        lpwan::edhoc::ResponderConfig responder; ///< credentials, trusted devices, suites...
        size_t maxSessions = 64;                 ///< EDHOC sessions open at once
        uint32_t replayWindow = 32;              ///< of the derived OSCORE contexts
    };

    /// What to do with a request the service handled.
    struct Outcome
    {
        /// Answer the request with this (an EDHOC response or error). Unset for a combined
        /// request whose EDHOC part completed: it is now the plain OSCORE request to serve.
        std::optional<coap::Message> response;
        /// Install this context (the server's view: Recipient ID = C_R).
        std::optional<oscore::ContextParameters> install;
        /// ...replacing the context with this Recipient ID (the device's previous one).
        std::optional<lpwan::edhoc::Bytes> replaces;
    };

    /// stream supplies the Responders' ephemeral keys. idInUse: the Recipient IDs the server's
    /// context store holds.
    EdhocServerService(Config config, Ptr<UniformRandomVariable> stream,
                       lpwan::edhoc::CoapResponderPool::IdInUse idInUse);

    /// True for the requests this service takes: POSTs to /.well-known/edhoc without OSCORE,
    /// and combined requests (RFC 9668 EDHOC option).
    static bool IsEdhocRequest(const coap::Message& request);

    /// Handles one such request. A combined request is rewritten in place into the plain
    /// OSCORE request (EDHOC option and message_3 removed) when EDHOC completed.
    Outcome Handle(coap::Message& request);

    /// EDHOC runs as the server saw them (started: message_1 received).
    tls::HandshakeFigures GetFigures() const;

    size_t GetOpenSessions() const
    {
        return m_pool.GetOpenSessions();
    }

  private:
    Outcome Completed(const lpwan::edhoc::CoapResponderPool::Result& r);
    void CountResponse(const std::optional<coap::Message>& response);

    Config m_config;
    Ns3RandomSource m_random;
    lpwan::edhoc::CoapResponderPool m_pool;
    /// The device's credential (ID_CRED_I) -> the Recipient ID of its current context.
    std::map<lpwan::edhoc::Bytes, lpwan::edhoc::Bytes> m_contextOf;
    tls::HandshakeFigures m_figures; ///< started, bytes and messages (the pool counts the rest)
};

} // namespace ns3

#endif // LPWAN_EDHOC_SERVER_SERVICE_H
