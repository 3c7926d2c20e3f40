/*
 * A meter's side of the edhoc-oscore profile: it runs EDHOC (RFC 9528) as Initiator over the
 * device's CoAP endpoint -- CON POSTs to /.well-known/edhoc, message_1 answered by message_2,
 * then message_3 answered by an empty 2.04 or message_4; each run is a lpwan::glue::EdhocCoapClient
 * (protocols/glue, which lpwan-coap-client runs too) -- and hands the OSCORE context that
 * EDHOC_Exporter derives to the application. With `combined`, message_3 is not POSTed: it
 * travels in front of the first OSCORE-protected report (RFC 9668), and the run completes when
 * that report's authentic response shows the server holds the context.
 *
 * A run is needed when the device has no context, when its context has protected
 * `rekeyMessages` reports, and after the server said it lost the context (ContextLost). Reports
 * made meanwhile wait in the application (MustWait).
 *
 * It counts what summary.json reports as handshakes.*, with EDHOC's meaning: a run is one
 * handshake; bytes are the EDHOC messages the device sent, every copy (CoAP retransmits them:
 * those copies are also its retransmitted flights); round trips are the CoAP exchanges spent on
 * EDHOC alone before the first protected report can go.
 */
#ifndef LPWAN_EDHOC_CLIENT_DRIVER_H
#define LPWAN_EDHOC_CLIENT_DRIVER_H

#include "ns3-random-source.h"
#include "protocols/coap/coap-endpoint.h"
#include "protocols/glue/edhoc-coap-client.h"
#include "protocols/oscore/oscore-security-context.h"
#include "protocols/tls/handshake-figures.h"

#include "ns3/random-variable-stream.h"

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace ns3
{

class EdhocClientDriver
{
  public:
    struct Config
    {
        lpwan::edhoc::InitiatorConfig initiator; ///< credentials, method, suites, C_I
        bool combined = true;                    ///< RFC 9668 combined request
        uint32_t rekeyMessages = 0;              ///< a new run after this many reports (0: never)
        uint32_t replayWindow = 32;              ///< of the derived OSCORE context
    };

    /// Sends a CoAP request to the server on the driver's behalf; returns its exchange.
    using SendFn = std::function<lpwan::coap::ExchangeId(lpwan::coap::Message)>;

    /// What an event did to the run in progress.
    enum class Step
    {
        Pending, ///< nothing for the application
        Ready,   ///< a context is usable: protect the waiting reports
        Failed,  ///< the run failed (GetLastFailure): the waiting reports fail
    };

    /// stream supplies the ephemeral keys (and ECDSA blinding).
    EdhocClientDriver(Config config, Ptr<UniformRandomVariable> stream);

    /// True when a report cannot be protected now: no context, a re-key due, or a run (or
    /// the confirmation of a combined request) in progress.
    bool MustWait() const;

    /// True while a run, or the confirmation of its combined request, is in progress.
    bool IsBusy() const
    {
        return m_state != State::Idle;
    }

    /// Starts a run (call when !IsBusy()). Returns Failed if message_1 cannot be made.
    Step Start(const SendFn& send, lpwan::TimeNs now);

    /// True for the CoAP exchanges the driver started (EDHOC requests).
    bool Owns(lpwan::coap::ExchangeId exchange) const
    {
        return m_exchanges.count(exchange) > 0;
    }

    /// An event of an exchange the driver owns.
    Step HandleEvent(const lpwan::coap::Event& event, const SendFn& send, lpwan::TimeNs now);

    /// The context reports are protected with (null before the first run completed).
    const std::shared_ptr<lpwan::oscore::SecurityContext>& GetContext() const
    {
        return m_context;
    }

    /// True while message_3 waits for the report that will carry it (combined mode).
    bool HasCombinedMessage3() const
    {
        return !m_combinedMessage3.empty();
    }

    /// Combined mode, once per run: message_3 for the next protected report (empty otherwise).
    lpwan::edhoc::Bytes TakeCombinedMessage3();
    /// The report carrying message_3 was handed to CoAP as this exchange.
    void CombinedRequestSent(lpwan::coap::ExchangeId exchange);

    /// True for the exchange of the report that carries message_3.
    bool IsCombinedExchange(lpwan::coap::ExchangeId exchange) const
    {
        return m_state == State::Confirming && m_combinedExchange == exchange;
    }

    /// The combined request's exchange ended: authentic = its response verified with the new
    /// context (the run completed); otherwise the run failed for `reason`.
    /// retransmissions: CoAP's of that request (each repeated message_3).
    Step CombinedRequestEnded(bool authentic, const std::string& reason, uint32_t retransmissions,
                              lpwan::TimeNs now);

    /// A report was protected with the current context (counts towards rekeyMessages).
    void CountProtectedReport()
    {
        ++m_reportsUnderContext;
    }

    /// The server answered a protected report with an unprotected 4.01: it has no context for
    /// this device any more. The next report runs EDHOC again.
    void ContextLost();

    /// The device rebooted: the run in progress (if any) and the context are gone; the next
    /// report runs EDHOC again.
    void Reboot();

    const std::string& GetLastFailure() const
    {
        return m_lastFailure;
    }

    /// EDHOC runs as handshakes (client side).
    const lpwan::tls::HandshakeFigures& GetFigures() const
    {
        return m_figures;
    }

    /// OSCORE counters of every context this device used.
    lpwan::oscore::Counters GetOscoreCounters() const;

    /// Runs started because a context had protected rekeyMessages reports / had been lost.
    uint64_t GetRekeysAfterMessages() const
    {
        return m_rekeysAfterMessages;
    }

    uint64_t GetRekeysAfterContextLoss() const
    {
        return m_rekeysAfterLoss;
    }

  private:
    enum class State
    {
        Idle,       ///< no run in progress
        Running,    ///< an EDHOC request (message_1 or message_3) waits for its answer
        Confirming, ///< combined: context derived, message_3 rides on a report
    };

    lpwan::coap::ExchangeId Send(const SendFn& send, lpwan::coap::Message request,
                                 size_t messageBytes);
    /// Acts on what the run said: send its request, install its context, or fail.
    Step Apply(lpwan::glue::EdhocCoapClient::Step step, const SendFn& send, lpwan::TimeNs now);
    /// The context of a completed run replaces the device's current one.
    void InstallContext(const lpwan::oscore::ContextParameters& params);
    void Completed(lpwan::TimeNs readyAt);
    Step Fail(const std::string& reason);
    void RetireContext();

    Config m_config;
    Ns3RandomSource m_random;
    std::unique_ptr<lpwan::glue::EdhocCoapClient> m_run; ///< the EDHOC run in progress
    State m_state = State::Idle;
    lpwan::coap::ExchangeId m_current = 0; ///< the EDHOC exchange the run waits for
    /// EDHOC exchanges not yet ended -> bytes of the EDHOC message their request carries.
    std::map<lpwan::coap::ExchangeId, size_t> m_exchanges;
    lpwan::coap::ExchangeId m_combinedExchange = 0;
    lpwan::edhoc::Bytes m_combinedMessage3;
    size_t m_combinedMessage3Size = 0;
    lpwan::TimeNs m_runStart = 0;
    lpwan::TimeNs m_readyAt = 0;
    uint64_t m_runExchanges = 0; ///< EDHOC exchanges answered in this run
    std::shared_ptr<lpwan::oscore::SecurityContext> m_context;
    uint64_t m_reportsUnderContext = 0;
    bool m_contextLost = false;
    lpwan::oscore::Counters m_retiredCounters;
    lpwan::tls::HandshakeFigures m_figures;
    std::string m_lastFailure;
    uint64_t m_rekeysAfterMessages = 0;
    uint64_t m_rekeysAfterLoss = 0;
};

} // namespace ns3

#endif // LPWAN_EDHOC_CLIENT_DRIVER_H
