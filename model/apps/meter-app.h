/*
 * A battery-powered meter: every Interval it sends a reading of PayloadSize bytes as a CoAP
 * POST (CON or NON) to the server, through the sans-I/O CoAP endpoint, and records the
 * message in the MessageLedger. The first report is drawn uniformly in [0, Interval) after the
 * application starts, so that a fleet does not report in lock-step; each later report is
 * Interval after the previous nominal time plus a uniform jitter in [0, Jitter].
 *
 * Security: with an OSCORE context every report is protected end to end; with a DTLS
 * configuration CoAP runs over DTLS (coaps). A report made while the device has no DTLS
 * session waits (its CoAP timers not yet running) for the handshake it starts; the ledger
 * attributes the handshake's flights to it. Sessions are lost when the NAT binding on the path
 * expires (NatBindingTimeout: the device's next datagram leaves from a new port, as a NAT
 * would map it) and after a report timed out (the server may have forgotten the session).
 *
 * With an EDHOC configuration (the edhoc-oscore profile) the OSCORE context is not pre-shared:
 * a report that finds no usable context waits, the same way, while EdhocClientDriver runs
 * EDHOC over this device's CoAP endpoint, and is then protected with the derived context (the
 * first one carrying message_3 with RFC 9668's combined request). meter-app-edhoc.cc has that
 * glue; the ledger attributes the EDHOC exchanges to the first waiting report.
 */
#ifndef LPWAN_METER_APP_H
#define LPWAN_METER_APP_H

#include "edhoc-client-driver.h"
#include "net/coap-udp-binding.h"
#include "ns3-random-source.h"
#include "protocols/coap/coap-endpoint.h"
#include "protocols/glue/oscore-coap-client.h"
#include "protocols/oscore/oscore-protect.h"
#include "protocols/oscore/oscore-rederivation.h"
#include "protocols/tls/dtls-transport.h"
#include "report-schedule.h"
#include "stats/message-ledger.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <deque>
#include <map>
#include <memory>

namespace ns3
{

class MeterApp : public Application
{
  public:
    static TypeId GetTypeId();
    MeterApp();
    ~MeterApp() override;

    /// Assigns the random streams this app uses; returns how many it used.
    int64_t AssignStreams(int64_t stream);

    /// Reports sent so far.
    uint32_t GetReportsSent() const
    {
        return m_sequence;
    }

    const lpwan::coap::EndpointCounters* GetCoapCounters() const;

    /// Protects every report with OSCORE (RFC 8613) using this pre-shared context; without
    /// it, reports are plain CoAP. Call before the application starts.
    void SetOscoreContext(const lpwan::oscore::ContextParameters& params);

    /// The OSCORE context's counters, or nullptr without OSCORE.
    const lpwan::oscore::Counters* GetOscoreCounters() const;

    /// Bytes OSCORE added to the requests sent so far (each request counted once).
    uint64_t GetOscoreRequestOverhead() const
    {
        return m_oscoreOverhead;
    }

    /// Runs CoAP over DTLS 1.2 with this client configuration (one per device: it holds the
    /// device's DRBG). Call before the application starts.
    void SetDtlsConfig(std::shared_ptr<const lpwan::tls::Config> config);
    /// Runs CoAP over the secure datagram transport the factory makes when the application
    /// starts (DTLS 1.3: runner/profiles/dtls13-profile.cc). Call before the start.
    void SetSecureTransportFactory(lpwan::tls::DatagramSessionTransportFactory factory);

    /// The DTLS transport (nullptr without DTLS), for its handshake figures.
    const lpwan::tls::DatagramSessionTransport* GetDtlsTransport() const
    {
        return m_dtls.get();
    }

    /// Runs EDHOC for the OSCORE contexts of the reports (edhoc-oscore); stream supplies the
    /// EDHOC ephemeral keys. Call before the application starts.
    void SetEdhocConfig(EdhocClientDriver::Config config, Ptr<UniformRandomVariable> stream);

    /// The EDHOC driver (nullptr without EDHOC), for its figures.
    const EdhocClientDriver* GetEdhocDriver() const
    {
        return m_edhoc.get();
    }

    // ---- faults (runner/faults/) ----

    /// Call before the OSCORE context is set. interval K > 0: a pre-shared OSCORE context
    /// stores its Sender Sequence Number whenever it is a multiple of K and resumes beyond it
    /// after a reboot (RFC 8613 Appendix B.1.1); 0: it keeps nothing, and after a reboot
    /// derives a new context with the server (Appendix B.2) before its reports get through.
    void SetSequenceNumberPersistence(uint64_t interval);

    /// The broken device (to show the server's replay window at work): after a reboot a
    /// pre-shared OSCORE context starts again at Sender Sequence Number 0 under the same keys,
    /// neither restored (B.1.1) nor re-derived (B.2).
    void SetNaiveReboot(bool naive)
    {
        m_naiveReboot = naive;
    }

    /// The device reboots now and is down for bootTime: what it held in RAM is gone --
    /// exchanges in flight and reports waiting (lost: completion device-reboot), the CoAP
    /// endpoint's state, its UDP port, the DTLS session, the EDHOC-derived OSCORE context, a
    /// pre-shared context's Sender Sequence Number (restored or re-derived, see above).
    /// Reports due while it boots are lost (completion device-rebooting).
    void Reboot(Time bootTime);

    /// Reports sent again with the server's Echo value (Appendix B.1.2).
    uint64_t GetEchoRetries() const
    {
        return m_echoRetries;
    }

    /// Times the NAT binding had expired when a report was due.
    uint32_t GetNatRebindings() const
    {
        return m_natRebindings;
    }

  private:
    /// A report's OSCORE protection: its exchange in the OSCORE glue (the binding and context
    /// its response is verified with) and what protection added.
    struct OscoreProtection
    {
        lpwan::coap::FilterContextPtr exchange;
        lpwan::glue::OscoreStep step;
        lpwan::coap::Message plain; ///< the request before protection (to send it again)
        bool rederiving = false;    ///< protected with an Appendix B.2 context
    };

    /// A report waiting for its DTLS session (then already protected with OSCORE, if used) or
    /// for EDHOC (then plain: it is protected with the context EDHOC derives).
    struct WaitingReport
    {
        lpwan::coap::Message request;
        uint64_t id;
        Time queued;
        std::optional<OscoreProtection> oscore;
    };

    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    void SendReport();
    void ScheduleNextReport();
    void HandleEvent(const lpwan::coap::Event& event);
    void HandleTransportEvent(const lpwan::TransportEvent& event);
    /// Hands a (possibly protected) report to the CoAP endpoint. extraSecurity: bytes of
    /// security added after protection (EDHOC message_3 of a combined request).
    lpwan::coap::ExchangeId Submit(lpwan::coap::Message request, uint64_t id,
                                   std::optional<OscoreProtection> oscore,
                                   uint32_t extraSecurity = 0, uint32_t resent = 0);
    /// A new socket (new source port) if the NAT binding has expired since the last datagram.
    void CheckNatBinding();
    Ptr<Socket> NewSocket();
    lpwan::PeerId ServerPeer() const;
    /// The stack's name in messages.csv: coap, coaps, coap+oscore.
    std::string Protocol() const;

    // ---- EDHOC (meter-app-edhoc.cc) ----
    /// A report under edhoc-oscore: protected at once, or waits for EDHOC.
    void SendEdhocReport(lpwan::coap::Message plain, uint64_t id);
    void StartEdhocRun();
    /// Handles an event of an EDHOC exchange; false when the exchange is not EDHOC's.
    bool HandleEdhocEvent(const lpwan::coap::Event& event);
    /// Acts on what the driver said: submit the waiting reports, or fail them.
    void OnEdhocStep(EdhocClientDriver::Step step);
    /// Protects a report with the EDHOC-derived context and submits it (with message_3 when
    /// it is the combined request).
    /// waited: the report waited for EDHOC (since `queued`).
    void SubmitEdhocProtected(lpwan::coap::Message plain, uint64_t id, Time queued, bool waited);
    /// A report's exchange ended: the combined request's confirmation, a lost context (4.01).
    /// May rewrite the report's completion.
    void EdhocReportEnded(const lpwan::coap::Event& event, uint64_t id, bool authentic,
                          std::string& completion);
    /// A response to a report protected while re-deriving (Appendix B.2): true when the
    /// report was sent again (the exchange is not over).
    struct PlainCopy;
    bool HandleRederivationResponse(const lpwan::coap::Event& event, uint64_t id,
                                    const PlainCopy& copy, std::string& completion,
                                    std::string& responseCode, bool& authentic);
    /// Sends a report's plain request again, protected afresh (with the server's Echo value,
    /// or in the next step of a re-derivation); resent: how often it was sent again before.
    void Resubmit(const lpwan::coap::Message& plain, std::optional<std::vector<uint8_t>> echo,
                  uint64_t id, uint32_t resent);
    /// Every waiting report fails: its handshake failed.
    void FailWaitingReports();
    lpwan::coap::ExchangeId SendEdhocRequest(lpwan::coap::Message request);

    // attributes
    Address m_server;
    Time m_interval;
    Time m_jitter;
    uint32_t m_payloadSize;
    bool m_confirmable;
    std::string m_uriPath;
    uint32_t m_deviceIndex;
    Time m_ackTimeout;
    double m_ackRandomFactor;
    uint32_t m_maxRetransmit;
    uint32_t m_nstart;
    Ptr<MessageLedger> m_ledger;

    Ptr<UniformRandomVariable> m_timingStream;  ///< report times
    Ptr<UniformRandomVariable> m_coapStream;    ///< back-off, tokens, message IDs
    Ptr<UniformRandomVariable> m_payloadStream; ///< reading bytes
    std::unique_ptr<Ns3RandomSource> m_coapRandom;
    std::unique_ptr<lpwan::coap::Endpoint> m_endpoint;
    CoapUdpBinding m_binding;
    Ipv4Address m_localAddress;
    EventId m_reportEvent;
    ReportSchedule m_schedule;
    uint32_t m_sequence = 0;
    std::map<lpwan::coap::ExchangeId, uint64_t> m_messages; ///< exchange -> ledger message
    /// Protects with the current context (edhoc-oscore: EDHOC's latest); each exchange keeps
    /// the context of its request (EDHOC may have replaced it before the response).
    OscoreProtection ProtectReport(lpwan::coap::Message& request);

    std::shared_ptr<lpwan::oscore::SecurityContext> m_oscore;
    std::unique_ptr<lpwan::glue::OscoreCoapClient> m_oscoreFilter;
    /// The OSCORE glue's exchange of each protected report, to verify its response.
    std::map<lpwan::coap::ExchangeId, lpwan::coap::FilterContextPtr> m_oscoreExchanges;
    uint64_t m_oscoreOverhead = 0;
    Time m_natBindingTimeout;
    lpwan::tls::DatagramSessionTransportFactory m_dtlsFactory;
    std::unique_ptr<lpwan::tls::DatagramSessionTransport> m_dtls;
    std::deque<WaitingReport> m_waiting;
    uint32_t m_natRebindings = 0;
    std::unique_ptr<EdhocClientDriver> m_edhoc;
    Time m_combinedWaited; ///< how long the report carrying message_3 waited for EDHOC

    // ---- faults ----
    std::optional<uint64_t> m_persistInterval; ///< set: faults configured (see above)
    /// Appendix B.2 after a reboot without a stored sequence number; null once established.
    std::unique_ptr<lpwan::oscore::RederivationInitiator> m_rederive;
    /// The plain request of each protected exchange, to send it again (Echo, B.2), and how
    /// often it was already sent again.
    struct PlainCopy
    {
        lpwan::coap::Message plain;
        uint32_t resent = 0;
        bool rederiving = false; ///< protected with the re-derivation's context
    };

    /// A request is sent again at most this often (Echo, re-derivation steps).
    static constexpr uint32_t kMaxResends = 3;

    std::map<lpwan::coap::ExchangeId, PlainCopy> m_plainCopies;
    Time m_bootedAt; ///< reports due before this are lost (rebooting)
    uint32_t m_reboots = 0;
    bool m_naiveReboot = false;
    uint64_t m_echoRetries = 0;
    lpwan::coap::EndpointCounters m_retiredCoap; ///< counters of endpoints lost in reboots
    mutable lpwan::coap::EndpointCounters m_coapSum;
};

} // namespace ns3

#endif // LPWAN_METER_APP_H
