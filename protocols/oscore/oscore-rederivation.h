/*
 * Appendix B.2 of RFC 8613: deriving a new security context from the same Master Secret, Master
 * Salt and Sender/Recipient IDs by exchanging random nonces in 'kid context' (for instance
 * after a reboot that lost the mutable state):
 *
 *              Client                     Server
 *   1. R1; CTX1 = ID Context R1
 *      request #1 ------------------------->  2. derive CTX1 from kid context, verify;
 *      kid context = bstr(R1)                     R2; CTX2 = ID Context R2 || R1
 *                  <------------------------    response #1: 4.01 protected with CTX2,
 *                                                  kid context = bstr(R2), no Partial IV
 *   3. CTX2 = R2 || R1, verify; R3;
 *      CTX3 = ID Context R2 || R3
 *      request #2 ------------------------->  4. R2 is one we sent: CTX3 = R2 || R3, verify;
 *      kid context = bstr(R2 || R3)               CTX3 replaces the client's old context
 *                  <------------------------    response #2 protected with CTX3
 *   5. verify with CTX3: established
 *
 * As in the RFC (and libcoap), the 'kid context' carries the ID Context wrapped in a CBOR byte
 * string. Once established, the client stops sending 'kid context'; the server finds the new
 * context by 'kid'. The server-initiated variant (no request #1) is not implemented.
 */
#ifndef LPWAN_OSCORE_REDERIVATION_H
#define LPWAN_OSCORE_REDERIVATION_H

#include "../common/sans-io.h"
#include "oscore-protect.h"
#include "oscore-security-context.h"

#include <deque>
#include <memory>

namespace lpwan
{
namespace oscore
{

/// Client side of Appendix B.2.
class RederivationInitiator
{
  public:
    enum class State
    {
        Idle,
        AwaitingResponse1, ///< protect request #1 with GetContext()
        AwaitingResponse2, ///< protect request #2 (any real request) with GetContext()
        Established,
    };

    /// base: the pre-established parameters (its idContext is ignored). random must outlive
    /// this object. nonceLength: bytes of R1 and R3 (at least 8 per the RFC's advice).
    RederivationInitiator(const ContextParameters& base, lpwan::RandomSource& random,
                          size_t nonceLength = 8);

    /// Step 1: draws R1 and derives CTX1. Can be called again to restart.
    void Start();

    State GetState() const
    {
        return m_state;
    }

    /// The context to protect the next request with. Precondition: Start() was called.
    SecurityContext& GetContext()
    {
        return *m_context;
    }

    /// Verifies a response to a request protected with GetContext(): response #1 (step 3,
    /// moves to AwaitingResponse2 and derives CTX3), response #2 (step 5, Established) or, once
    /// established, any response. Failures leave the state unchanged.
    UnprotectResult HandleResponse(const coap::Message& received, RequestBinding& binding);

  private:
    Bytes Draw(size_t n);
    std::unique_ptr<SecurityContext> Derive(const Bytes& idContext) const;

    ContextParameters m_base;
    lpwan::RandomSource& m_random;
    size_t m_nonceLength;
    State m_state = State::Idle;
    Bytes m_r1;
    std::unique_ptr<SecurityContext> m_context;
};

/// Server side of Appendix B.2 for one client (one set of pre-established parameters). Used by
/// ContextStore when a request carries a 'kid context' no stored context has.
class RederivationResponder
{
  public:
    /// base: the server's pre-established parameters for the client (senderId = server's ID,
    /// recipientId = the client's 'kid'; idContext ignored). r2Length: bytes of R2.
    /// maxPending: R2 values kept for parallel runs (oldest dropped first, Appendix B.2.1).
    RederivationResponder(const ContextParameters& base, lpwan::RandomSource& random,
                          size_t r2Length = 8, size_t maxPending = 4);

    const Bytes& GetRecipientId() const
    {
        return m_base.recipientId;
    }

    /// What Handle() decided.
    struct Outcome
    {
        UnprotectResult result;
        /// Step 4 succeeded: the context to install for this client (result.context is null;
        /// the store sets it once installed).
        std::unique_ptr<SecurityContext> established;
    };

    /// Steps 2 and 4 for a parsed request whose 'kid' is GetRecipientId() and whose 'kid
    /// context' matched no stored context.
    Outcome Handle(const coap::Message& received, const ParsedRequest& parsed);

    size_t PendingCount() const
    {
        return m_pending.size();
    }

  private:
    ContextParameters m_base;
    lpwan::RandomSource& m_random;
    size_t m_r2Length;
    size_t m_maxPending;
    std::deque<Bytes> m_pending; ///< R2 values sent in responses #1, oldest first
};

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_REDERIVATION_H
