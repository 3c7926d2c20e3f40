/*
 * An OSCORE security context (RFC 8613 section 3): the Common, Sender and Recipient Contexts
 * derived from pre-established input parameters, plus the two mutable parts -- the Sender
 * Sequence Number and the Replay Window -- and the rules for keeping them safe across reboots
 * (Appendix B.1):
 *
 *  - B.1.1: with persistInterval K > 0, every protect that uses a Sender Sequence Number
 *    divisible by K reports it (ProtectResult::persistSequenceNumber); the driver stores it in
 *    non-volatile memory before sending. After a reboot, RestoreSequenceNumber(stored, F)
 *    resumes at stored + K + F, beyond any number used before the reboot.
 *  - B.1.2: ForgetReplayWindow() marks the window unknown; the first request then gets a
 *    protected 4.01 with an Echo option, and the request that returns the Echo sets the lower
 *    limit of the window (see UnprotectRequest in oscore-protect.h).
 */
#ifndef LPWAN_OSCORE_SECURITY_CONTEXT_H
#define LPWAN_OSCORE_SECURITY_CONTEXT_H

#include "../common/sans-io.h"
#include "oscore-replay-window.h"
#include "oscore-types.h"

#include <optional>
#include <string>

namespace lpwan
{
namespace oscore
{

/// The pre-established input parameters (section 3.2) and this implementation's settings.
struct ContextParameters
{
    Bytes masterSecret;             ///< required, non-empty
    Bytes masterSalt;               ///< empty = the default (HKDF's zero salt)
    std::optional<Bytes> idContext; ///< absent = nil in the KDF info
    Bytes senderId;                 ///< at most 7 bytes; may be empty
    Bytes recipientId;              ///< at most 7 bytes; may be empty; differs from senderId
    int64_t aeadAlgorithm = kAesCcm16_64_128; ///< only 10 is implemented
    uint32_t replayWindowSize = 32;           ///< section 3.2.2 default
    /// Send the ID Context as 'kid context' in requests (section 5.1; test vector C.6).
    bool sendKidContext = false;
    /// K of Appendix B.1.1; 0 = never report a sequence number to persist.
    uint64_t persistInterval = 0;
};

/// Empty when params can build a SecurityContext, else the reason.
std::string ValidateParameters(const ContextParameters& params);

class SecurityContext
{
  public:
    /// Derives the keys. Throws std::invalid_argument when ValidateParameters() complains.
    explicit SecurityContext(const ContextParameters& params);

    const ContextParameters& GetParameters() const
    {
        return m_params;
    }

    const Bytes& GetSenderId() const
    {
        return m_params.senderId;
    }

    const Bytes& GetRecipientId() const
    {
        return m_params.recipientId;
    }

    const std::optional<Bytes>& GetIdContext() const
    {
        return m_params.idContext;
    }

    int64_t GetAlgorithm() const
    {
        return m_params.aeadAlgorithm;
    }

    const Bytes& GetSenderKey() const
    {
        return m_senderKey;
    }

    const Bytes& GetRecipientKey() const
    {
        return m_recipientKey;
    }

    const Bytes& GetCommonIv() const
    {
        return m_commonIv;
    }

    // ---- Sender Sequence Number ----

    /// The number the next Partial IV will carry.
    uint64_t GetSenderSequenceNumber() const
    {
        return m_senderSequenceNumber;
    }

    /// For test vectors (C.4 starts at 20) and restoring state.
    void SetSenderSequenceNumber(uint64_t ssn)
    {
        m_senderSequenceNumber = ssn;
    }

    /// Takes the next Sender Sequence Number for a new Partial IV; nullopt once the numbers
    /// are exhausted (section 7.2.1). Sets *persist when Appendix B.1.1 asks for the number to
    /// be stored before it is used.
    std::optional<uint64_t> TakeSequenceNumber(std::optional<uint64_t>* persist);

    /// Appendix B.1.1 after a reboot: SSN2 = SSN1 + K + F. False (nothing changed) when
    /// persistInterval is 0, the margin F is 0 (the RFC requires a positive F) or the result
    /// would exceed kMaxSequenceNumber.
    bool RestoreSequenceNumber(uint64_t storedSequenceNumber, uint64_t margin);

    // ---- Replay Window (server role) ----

    const ReplayWindow& GetReplayWindow() const
    {
        return m_replayWindow;
    }

    ReplayWindow& GetReplayWindow()
    {
        return m_replayWindow;
    }

    /// Appendix B.1.2: after a reboot the window is unknown. echoRandom (which must outlive the
    /// context) supplies the Echo values of the challenges.
    void ForgetReplayWindow(lpwan::RandomSource& echoRandom);

    /// The Echo value sent in the last challenge and not yet returned.
    const std::optional<Bytes>& GetPendingEcho() const
    {
        return m_pendingEcho;
    }

    /// Draws a fresh Echo value and remembers it as pending. Precondition: ForgetReplayWindow
    /// has provided a random source.
    Bytes IssueEcho();

    void ClearPendingEcho()
    {
        m_pendingEcho.reset();
    }

    // ---- 'kid context' ----

    /// What requests put into 'kid context' (nullopt: nothing). Initialised from
    /// sendKidContext; Appendix B.2 sets a CBOR-wrapped value here.
    const std::optional<Bytes>& GetKidContextToSend() const
    {
        return m_kidContextToSend;
    }

    void SetKidContextToSend(std::optional<Bytes> kidContext)
    {
        m_kidContextToSend = std::move(kidContext);
    }

    // ---- statistics ----

    Counters& GetCounters()
    {
        return m_counters;
    }

    const Counters& GetCounters() const
    {
        return m_counters;
    }

  private:
    ContextParameters m_params;
    Bytes m_senderKey;
    Bytes m_recipientKey;
    Bytes m_commonIv;
    uint64_t m_senderSequenceNumber = 0; // section 3.2.2: initialised to 0
    ReplayWindow m_replayWindow;
    lpwan::RandomSource* m_echoRandom = nullptr;
    std::optional<Bytes> m_pendingEcho;
    std::optional<Bytes> m_kidContextToSend;
    Counters m_counters;
};

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_SECURITY_CONTEXT_H
