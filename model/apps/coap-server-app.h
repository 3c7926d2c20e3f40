/*
 * The platform's CoAP server: answers every request through the sans-I/O CoAP endpoint, either
 * piggybacked in the ACK (ProcessingDelay 0) or, when processing takes time, with an empty
 * ACK at once and a separate response after ProcessingDelay. It marks each request's message
 * delivered in the MessageLedger when the first copy arrives.
 *
 * With EDHOC (the edhoc-oscore profile) it also answers POSTs to /.well-known/edhoc and
 * combined EDHOC + OSCORE requests at once, and installs each completed session's OSCORE
 * context (coap-server-app-edhoc.cc, edhoc-server-service.h).
 */
#ifndef LPWAN_COAP_SERVER_APP_H
#define LPWAN_COAP_SERVER_APP_H

#include "edhoc-server-service.h"
#include "net/coap-udp-binding.h"
#include "ns3-random-source.h"
#include "protocols/coap/coap-endpoint.h"
#include "protocols/glue/oscore-coap-server.h"
#include "protocols/oscore/oscore-context-store.h"
#include "protocols/oscore/oscore-kid-context-map.h"
#include "protocols/tls/dtls-transport.h"
#include "stats/acceptance-audit.h"
#include "stats/message-ledger.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <map>
#include <memory>
#include <string>

namespace ns3
{

class CoapServerApp : public Application
{
  public:
    static TypeId GetTypeId();
    CoapServerApp();
    ~CoapServerApp() override;

    int64_t AssignStreams(int64_t stream);

    /// Requests handed to the application (duplicates excluded).
    uint64_t GetRequestsReceived() const
    {
        return m_requests;
    }

    const lpwan::coap::EndpointCounters* GetCoapCounters() const;

    /// Adds a device's pre-shared OSCORE context (the server's view: its Recipient ID is the
    /// device's Sender ID, the 'kid' of its requests). With any context added, the server
    /// accepts only OSCORE requests and protects its responses.
    void AddOscoreContext(const lpwan::oscore::ContextParameters& params);

    /// OSCORE outcomes summed over every context, plus requests rejected before a context was
    /// found (malformed, unknown 'kid', not OSCORE).
    lpwan::oscore::Counters GetOscoreCounters() const;

    /// Bytes OSCORE added to the responses sent so far.
    uint64_t GetOscoreResponseOverhead() const
    {
        return m_oscoreOverhead;
    }

    /// Serves CoAP over DTLS (coaps) with this server configuration; sessions idle longer
    /// than idleTimeout (zero: never) are forgotten. Call before the application starts.
    void SetDtlsConfig(std::shared_ptr<const lpwan::tls::Config> config, Time idleTimeout);
    /// Serves CoAP over the secure datagram transport the factory makes when the application
    /// starts (DTLS 1.3), forgetting sessions idle longer than idleTimeout (zero: never).
    void SetSecureTransportFactory(lpwan::tls::DatagramSessionTransportFactory factory,
                                   Time idleTimeout);

    /// Runs the EDHOC Responder for devices that have no OSCORE context yet (edhoc-oscore);
    /// stream supplies its ephemeral keys. Call before the application starts.
    void SetEdhocConfig(EdhocServerService::Config config, Ptr<UniformRandomVariable> stream);

    /// EDHOC runs as the server saw them (none without EDHOC).
    lpwan::tls::HandshakeFigures GetEdhocFigures() const;

    /// OSCORE contexts installed now (pre-shared or from EDHOC).
    size_t GetOscoreContextCount() const
    {
        return m_oscoreContexts.Size() + m_oscoreStore.Size();
    }

    /// Forgets every OSCORE context (e.g. a restart that loses volatile keys): requests are
    /// then answered with 4.01, and EDHOC devices run EDHOC again.
    void ForgetOscoreContexts();

    // ---- faults (runner/faults/) ----

    /// Keeps the pre-shared OSCORE contexts added from now on in an oscore::ContextStore that
    /// lets each device derive a new context (RFC 8613 Appendix B.2): devices that lost their
    /// sequence number in a reboot. Call before AddOscoreContext.
    void EnableOscoreRederivation();

    /// The server restarts now and answers nothing for downtime: what it held in RAM is gone
    /// -- CoAP exchanges and deduplication, responses being prepared, DTLS sessions and the
    /// session cache (clients handshake in full), OSCORE replay windows (each device's next
    /// request is challenged with Echo, Appendix B.1.2), EDHOC-derived OSCORE contexts
    /// (devices get 4.01 and run EDHOC again). Pre-shared contexts (keys provisioned in
    /// storage) stay.
    void Restart(Time downtime);

    /// Counts what the application accepts (AcceptanceAudit). Call before the start.
    void EnableAcceptanceAudit()
    {
        m_acceptance = std::make_unique<AcceptanceAudit>();
    }

    /// nullptr unless EnableAcceptanceAudit was called.
    const AcceptanceCounts* GetAcceptanceCounts() const
    {
        return m_acceptance ? &m_acceptance->GetCounts() : nullptr;
    }

    /// The DTLS transport (nullptr without DTLS), for its handshake figures.
    const lpwan::tls::DatagramSessionTransport* GetDtlsTransport() const
    {
        return m_dtls.get();
    }

    /// Reports what becomes of every received datagram, and the verdict on each request
    /// (delivered, or why OSCORE rejected it), to audit (not owned). Call before the start.
    void SetDatagramAudit(DatagramAudit* audit)
    {
        m_audit = audit;
    }

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    void HandleEvent(const lpwan::coap::Event& event);
    /// A request for the application (after EDHOC's, if any, were taken out).
    void HandleRequest(const lpwan::coap::Event& event);
    /// A request for EDHOC (coap-server-app-edhoc.cc).
    void HandleEdhocRequest(const lpwan::coap::Event& event);
    void SendResponse(lpwan::coap::RequestHandle handle);
    /// SendResponse unless the server restarted since the request (generation).
    void SendResponseOf(uint32_t generation, lpwan::coap::RequestHandle handle);
    /// The OSCORE glue over the contexts in use: the re-derivation store once pre-shared
    /// contexts went there (EnableOscoreRederivation), else one context per 'kid' (pre-shared
    /// or from EDHOC, which never uses the store).
    lpwan::glue::OscoreCoapServer& OscoreFilter()
    {
        return m_oscoreStore.Size() > 0 ? *m_storeFilter : m_oscoreFilter;
    }

    const lpwan::glue::OscoreCoapServer& OscoreFilter() const
    {
        return m_oscoreStore.Size() > 0 ? *m_storeFilter : m_oscoreFilter;
    }

    /// Opens the socket and starts the CoAP endpoint (at the start and after a restart).
    void OpenEndpoint();
    void RecordAcceptance(const lpwan::coap::Event& event, uint64_t report);
    /// Verifies an OSCORE request; false (after answering with the error response) if rejected.
    bool UnprotectRequest(const lpwan::coap::Event& event, lpwan::coap::Message* plain);

    uint16_t m_port;
    Ipv4Address m_address;
    uint32_t m_responsePayloadSize;
    Time m_processingDelay;
    Time m_ackTimeout;
    double m_ackRandomFactor;
    uint32_t m_maxRetransmit;
    Ptr<MessageLedger> m_ledger;

    Ptr<UniformRandomVariable> m_coapStream;
    std::unique_ptr<Ns3RandomSource> m_coapRandom;
    std::unique_ptr<lpwan::coap::Endpoint> m_endpoint;
    CoapUdpBinding m_binding;
    uint64_t m_requests = 0;

    /// A verified OSCORE request waiting for its response.
    struct PendingOscore
    {
        lpwan::coap::FilterContextPtr exchange; ///< the OSCORE glue's: binding and context
        uint64_t messageId = 0;
        std::vector<uint8_t> token;
    };

    /// One context per device, by 'kid'; the OSCORE glue verifies requests against it.
    lpwan::oscore::KidContextMap m_oscoreContexts;
    lpwan::glue::OscoreCoapServer m_oscoreFilter{m_oscoreContexts};
    std::map<lpwan::coap::RequestHandle, PendingOscore> m_pendingOscore;
    uint64_t m_oscoreOverhead = 0;
    bool m_oscoreResponsePiv = false;
    std::shared_ptr<const lpwan::tls::Config> m_dtlsConfig;
    Time m_dtlsIdleTimeout;
    lpwan::tls::DatagramSessionTransportFactory m_dtlsFactory;
    std::unique_ptr<lpwan::tls::DatagramSessionTransport> m_dtls;
    DatagramAudit* m_audit = nullptr;
    std::optional<EdhocServerService::Config> m_edhocConfig;
    Ptr<UniformRandomVariable> m_edhocStream;
    std::unique_ptr<EdhocServerService> m_edhoc;

    // ---- faults ----
    bool m_rederivation = false;
    lpwan::oscore::ContextStore m_oscoreStore;
    std::unique_ptr<lpwan::glue::OscoreCoapServer> m_storeFilter;
    std::unique_ptr<Ns3RandomSource> m_faultRandom; ///< R2 nonces and Echo values
    std::unique_ptr<AcceptanceAudit> m_acceptance;
    uint32_t m_generation = 0; ///< restarts so far
    lpwan::coap::EndpointCounters m_retiredCoap;
    mutable lpwan::coap::EndpointCounters m_coapSum;
    EventId m_reopenEvent;
};

} // namespace ns3

#endif // LPWAN_COAP_SERVER_APP_H
