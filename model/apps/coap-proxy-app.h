/*
 * A CoAP proxy on a gateway or platform front-end: it serves CoAP (or coaps) to the devices
 * and proxies behind it, and forwards every request it receives to one configured upstream
 * (the next proxy towards the server, or the server), as IoT gateways do. Two sans-I/O CoAP
 * endpoints do the work: a server-side one downstream and a client-side one upstream, each on
 * its own UDP socket through a CoapUdpBinding, each with its own DTLS transport when the hop
 * is protected. So under hop-by-hop security the proxy decrypts every request from DTLS,
 * holds it in plaintext, and protects it again with its own DTLS session towards upstream.
 *
 * Forwarding: the upstream request is the downstream one with the proxy's own message ID and
 * token (type, code, options and payload unchanged -- an OSCORE request passes unread, as its
 * outer options allow); the upstream response is relayed downstream with the downstream
 * request's token (code, options and payload unchanged). An upstream exchange that times out
 * or is reset, or a handshake that fails, is answered with 5.04 Gateway Timeout or 5.02 Bad
 * Gateway (RFC 7252 section 5.7). Retransmissions of a request still being forwarded are
 * absorbed by the downstream endpoint's deduplication; the answer is piggybacked on the ACK
 * when it comes in time.
 *
 * Accounting: the upstream exchange's token is bound to the report's ledger message, so the
 * server and the traces attribute it like the device's own.
 *
 * An adversary that controls the node (model/adversary) hooks in with SetInterceptor(): it
 * sees each request in the clear (or its OSCORE outer part), may change it, drop it or delay
 * it, and may send requests of its own with SendUpstream().
 */
#ifndef LPWAN_COAP_PROXY_APP_H
#define LPWAN_COAP_PROXY_APP_H

#include "net/coap-udp-binding.h"
#include "ns3-random-source.h"
#include "protocols/coap/coap-endpoint.h"
#include "protocols/tls/dtls-transport.h"
#include "stats/message-ledger.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace ns3
{

class CoapProxyApp : public Application
{
  public:
    static TypeId GetTypeId();
    CoapProxyApp();
    ~CoapProxyApp() override;

    int64_t AssignStreams(int64_t stream);

    /// What an interceptor decides for one request.
    struct Decision
    {
        bool drop = false;   ///< never forward it (the downstream exchange times out)
        Time delay;          ///< forward it this much later
        uint64_t action = 0; ///< tag the upstream datagrams with this adversary action (0: none)
    };

    /// request: as received downstream (after DTLS), modifiable. messageId: its ledger message.
    using Interceptor = std::function<Decision(lpwan::coap::Message& request, uint64_t messageId)>;

    /// Lets an interceptor see every request before it is forwarded.
    void SetInterceptor(Interceptor interceptor)
    {
        m_interceptor = std::move(interceptor);
    }

    /// Sends a request upstream on the proxy's own account (no downstream request waits for
    /// its answer); its datagrams carry an AdversaryTag for action when action is not 0.
    void SendUpstream(lpwan::coap::Message request, uint64_t action);

    /// DTLS towards the devices (server role); sessions idle for idleTimeout are forgotten
    /// (zero: never). Call before the start.
    void SetDownstreamDtls(std::shared_ptr<const lpwan::tls::Config> config, Time idleTimeout);
    /// DTLS towards upstream (client role). Call before the start.
    void SetUpstreamDtls(std::shared_ptr<const lpwan::tls::Config> config);

    const lpwan::tls::DtlsTransport* GetDownstreamDtls() const
    {
        return m_downDtls.get();
    }

    const lpwan::tls::DtlsTransport* GetUpstreamDtls() const
    {
        return m_upDtls.get();
    }

    const lpwan::coap::EndpointCounters* GetDownstreamCounters() const;
    const lpwan::coap::EndpointCounters* GetUpstreamCounters() const;

    struct Counters
    {
        uint64_t requestsReceived = 0;   ///< downstream requests (duplicates excluded)
        uint64_t requestsForwarded = 0;  ///< upstream exchanges started for them
        uint64_t responsesRelayed = 0;   ///< upstream responses answered downstream
        uint64_t gatewayErrors = 0;      ///< 5.02 / 5.04 answered downstream
        uint64_t ownRequests = 0;        ///< SendUpstream()
        uint64_t upstreamReconnects = 0; ///< DTLS sessions restarted after an upstream timeout
    };

    const Counters& GetCounters() const
    {
        return m_counters;
    }

  private:
    /// A request waiting to go upstream (for the DTLS session, or for the interceptor's delay).
    struct Pending
    {
        lpwan::coap::Message request;
        std::optional<lpwan::coap::RequestHandle> downstream; ///< none: the proxy's own request
        uint64_t messageId = MessageTag::kNoMessage;
        uint64_t action = 0;
        std::vector<uint8_t> upstreamToken; ///< once submitted
    };

    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    void HandleDownstream(const lpwan::coap::Event& event);
    void HandleUpstream(const lpwan::coap::Event& event);
    void HandleUpstreamTransport(const lpwan::TransportEvent& event);
    void Forward(Pending p);
    void Submit(Pending p);
    void AnswerDownstream(lpwan::coap::RequestHandle handle, const lpwan::coap::Message& response);
    void TagUpstream(Ptr<Packet> packet, const lpwan::WireDatagram& d);
    lpwan::PeerId UpstreamPeer() const;

    // attributes
    uint16_t m_port;
    Ipv4Address m_address;
    Address m_upstream;
    Time m_ackTimeout;
    double m_ackRandomFactor;
    uint32_t m_maxRetransmit;
    Ptr<MessageLedger> m_ledger;

    Ptr<UniformRandomVariable> m_downStream;
    Ptr<UniformRandomVariable> m_upStream;
    std::unique_ptr<Ns3RandomSource> m_downRandom;
    std::unique_ptr<Ns3RandomSource> m_upRandom;
    std::unique_ptr<lpwan::coap::Endpoint> m_down;
    std::unique_ptr<lpwan::coap::Endpoint> m_up;
    CoapUdpBinding m_downBinding;
    CoapUdpBinding m_upBinding;
    Ipv4Address m_upstreamSource; ///< this node's address as upstream sees it

    std::shared_ptr<const lpwan::tls::Config> m_downDtlsConfig;
    Time m_downIdleTimeout;
    std::unique_ptr<lpwan::tls::DtlsTransport> m_downDtls;
    std::shared_ptr<const lpwan::tls::Config> m_upDtlsConfig;
    std::unique_ptr<lpwan::tls::DtlsTransport> m_upDtls;

    std::map<lpwan::coap::ExchangeId, Pending> m_inFlight; ///< upstream exchange -> what it carries
    std::deque<Pending> m_waiting;                         ///< for the upstream DTLS session
    std::map<std::vector<uint8_t>, uint64_t> m_actionByToken; ///< upstream token -> action
    Interceptor m_interceptor;
    Counters m_counters;
};

} // namespace ns3

#endif // LPWAN_COAP_PROXY_APP_H
