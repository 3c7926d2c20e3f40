/*
 * The server side of EDHOC over CoAP, sans-I/O: one Responder session per Initiator, found
 * again by C_R (RFC 9528 appendix A.2), fed by POSTs to /.well-known/edhoc or by combined
 * EDHOC + OSCORE requests (RFC 9668). The pool allocates a distinct C_R per session
 * (different from the session's C_I, so both can be OSCORE IDs), and forgets a session once
 * it completed, failed, or when more than maxSessions are open (the oldest goes first: a
 * bound on the state unauthenticated clients can make the server keep).
 *
 * C_R becomes the server's OSCORE Recipient ID, so it must also differ from the Recipient IDs
 * of the contexts earlier sessions left in the server's context store: the application says
 * which identifiers are taken (idInUse). One-byte identifiers are used while one is free, then
 * two-byte ones, and so on up to OSCORE's limit of 7 bytes.
 *
 * A completed session is handed back as OSCORE input material for the server's context
 * store; the server's Sender ID is C_I and its Recipient ID (the 'kid' its clients send) C_R.
 */
#ifndef LPWAN_EDHOC_COAP_RESPONDER_POOL_H
#define LPWAN_EDHOC_COAP_RESPONDER_POOL_H

#include "edhoc-coap.h"
#include "edhoc-responder.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>

namespace lpwan
{
namespace edhoc
{

class CoapResponderPool
{
  public:
    struct Result
    {
        /// For a /.well-known/edhoc request always set; for a combined request only when
        /// EDHOC failed (the error message to answer with instead of the OSCORE response).
        std::optional<coap::Message> response;
        /// A session completed: install this OSCORE context.
        std::optional<OscoreMaterial> completed;
        /// With completed: ID_CRED_I of the authenticated Initiator (who the context is for).
        Bytes peerIdCred;
        std::string log; ///< what happened, one line
    };

    /// True when an identifier may not be allocated as C_R (already an OSCORE Recipient ID).
    using IdInUse = std::function<bool(const Bytes&)>;

    /// base is the configuration of every session (its connectionId is replaced). random must
    /// outlive the pool. idInUse may be empty (only open sessions' C_R are then avoided).
    CoapResponderPool(ResponderConfig base, RandomSource& random, size_t maxSessions = 64,
                      IdInUse idInUse = {});

    /// A request to /.well-known/edhoc.
    Result HandleRequest(const coap::Message& request);

    /// RFC 9668: a request with the EDHOC option. On success request is left as the plain
    /// OSCORE request (EDHOC option and message_3 removed) and Result::completed is set.
    Result HandleCombinedRequest(coap::Message& request);

    size_t GetOpenSessions() const
    {
        return m_sessions.size();
    }

    uint64_t GetCompletedSessions() const
    {
        return m_completed;
    }

    uint64_t GetFailedSessions() const
    {
        return m_failed;
    }

  private:
    Result Message3(const Bytes& cR, const Bytes& message, bool combined);
    Bytes AllocateConnectionId(const Bytes& cI);

    ResponderConfig m_base;
    RandomSource& m_random;
    size_t m_maxSessions;
    std::map<Bytes, std::unique_ptr<Responder>> m_sessions; ///< by C_R
    std::deque<Bytes> m_order;                              ///< C_R, oldest first
    IdInUse m_idInUse;
    uint64_t m_nextId[8] = {}; ///< by identifier length: the next candidate to try
    uint64_t m_completed = 0;
    uint64_t m_failed = 0;
};

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_COAP_RESPONDER_POOL_H
