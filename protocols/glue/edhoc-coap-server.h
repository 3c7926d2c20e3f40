/*
 * The server side of EDHOC over CoAP (RFC 9528 appendix A.2) and of the combined EDHOC + OSCORE
 * request (RFC 9668), sans-I/O, as the simulated CoAP server and lpwan-coap-server both run it:
 * it picks the requests that are EDHOC's, feeds them to a CoapResponderPool, and turns each
 * completed session into the OSCORE context the server installs.
 *
 * Which OSCORE Recipient ID each peer's current context has is kept here too: a peer that runs
 * EDHOC again gets a new context that replaces its old one (Outcome::replaces), found by the
 * credential the peer authenticated with (ID_CRED_I). The application decides what to do with
 * it (the simulation retires the old context; the tool keeps both, as a store of contexts
 * that only grows).
 *
 * It also counts EDHOC as handshakes (what summary.json reports): sessions started, bytes and
 * messages in each direction; the pool counts completions and failures.
 */
#ifndef LPWAN_GLUE_EDHOC_COAP_SERVER_H
#define LPWAN_GLUE_EDHOC_COAP_SERVER_H

#include "../coap/coap-message.h"
#include "../edhoc/edhoc-coap-responder-pool.h"
#include "../oscore/oscore-security-context.h"
#include "../tls/handshake-figures.h"

#include <map>
#include <optional>
#include <string>

namespace lpwan
{
namespace glue
{

class EdhocCoapServer
{
  public:
    struct Config
    {
        lpwan::edhoc::ResponderConfig responder; ///< credentials, trusted peers, suites...
        size_t maxSessions = 64;                 ///< EDHOC sessions open at once
        uint32_t replayWindow = 32;              ///< of the derived OSCORE contexts
    };

    /// What to do with a request the server handled.
    struct Outcome
    {
        /// Answer the request with this (an EDHOC response or error). Unset for a combined
        /// request whose EDHOC part completed: it is now the plain OSCORE request to serve.
        std::optional<coap::Message> response;
        /// Install this context (the server's view: Recipient ID = C_R).
        std::optional<oscore::ContextParameters> install;
        /// ...replacing the context with this Recipient ID (the peer's previous one).
        std::optional<lpwan::edhoc::Bytes> replaces;
        /// A session completed but its identifiers make no valid OSCORE context: nothing to
        /// install (the peer's requests will then fail to verify).
        bool rejectedContext = false;
        std::string log; ///< what happened, one line (the pool's)
    };

    /// random supplies the Responders' ephemeral keys and must outlive the server. idInUse:
    /// the Recipient IDs the application's context store holds (may be empty).
    EdhocCoapServer(Config config, lpwan::RandomSource& random,
                    lpwan::edhoc::CoapResponderPool::IdInUse idInUse = {});

    /// True for the requests this server takes: POSTs to /.well-known/edhoc without OSCORE,
    /// and combined requests (RFC 9668 EDHOC option).
    static bool IsEdhocRequest(const coap::Message& request);

    /// Handles one such request. A combined request is rewritten in place into the plain
    /// OSCORE request (EDHOC option and message_3 removed) when EDHOC completed.
    Outcome Handle(coap::Message& request);

    /// EDHOC runs as the server saw them (started: message_1 received).
    tls::HandshakeFigures GetFigures() const;

    const lpwan::edhoc::CoapResponderPool& GetPool() const
    {
        return m_pool;
    }

    /// Completed sessions whose OSCORE context could not be made (Outcome::rejectedContext).
    uint64_t GetRejectedContexts() const
    {
        return m_rejectedContexts;
    }

  private:
    void Completed(const lpwan::edhoc::CoapResponderPool::Result& r, Outcome& out);
    void CountResponse(const std::optional<coap::Message>& response);

    Config m_config;
    lpwan::edhoc::CoapResponderPool m_pool;
    /// The peer's credential (ID_CRED_I) -> the Recipient ID of its current context.
    std::map<lpwan::edhoc::Bytes, lpwan::edhoc::Bytes> m_contextOf;
    tls::HandshakeFigures m_figures; ///< started, bytes and messages (the pool counts the rest)
    uint64_t m_rejectedContexts = 0;
};

} // namespace glue
} // namespace lpwan

#endif // LPWAN_GLUE_EDHOC_COAP_SERVER_H
