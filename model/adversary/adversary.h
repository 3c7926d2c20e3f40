/*
 * An adversary in control of one node of the network (a gateway, cell, router or proxy) from a
 * given time on. It acts on the real bytes that pass through the node, with the capabilities
 * a scenario gives it:
 *
 *   eavesdrop  read what the bytes show: a plaintext request's payload; of an OSCORE request
 *              only the outer header and options; of DTLS only record headers
 *   modify     change requests (datagram-forgery.h: a different reading in plaintext, a
 *              flipped ciphertext bit otherwise)
 *   replay     send a copy of a request again, ReplayDelay later
 *   inject     forge a request every InjectInterval, modelled on the last one it saw
 *   drop       discard requests
 *   delay      hold requests back for Delay
 *
 * Each active capability acts on a datagram with its probability, drawn independently per
 * datagram (the adversary cannot tell a retransmission from a new report inside DTLS, so it
 * does not try anywhere). Only requests towards a CoAP server (UDP port 5683 or 5684) are
 * touched -- responses and DTLS handshakes pass unharmed, and only application records are
 * changed.
 *
 * Where it acts: on a node that forwards IP packets, through an AdversaryTap in front of the
 * node's routing (TapForwarding); on a node that runs a CoAP proxy, inside the proxy, where
 * the requests are in the clear after the downstream DTLS (ControlProxy). A node can be both.
 *
 * Everything it sees and does is reported to the ExposureLedger; the datagrams it changes,
 * replays or forges carry an AdversaryTag so that the server's audit can tell what became of
 * them.
 */
#ifndef LPWAN_ADVERSARY_H
#define LPWAN_ADVERSARY_H

#include "adversary-tap.h"
#include "apps/coap-proxy-app.h"
#include "apps/ns3-random-source.h"
#include "exposure-ledger.h"

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/random-variable-stream.h"

#include <memory>
#include <optional>
#include <string>

namespace ns3
{

struct AdversaryCapabilities
{
    bool eavesdrop = false;
    bool modify = false;
    bool inject = false;
    bool replay = false;
    bool drop = false;
    bool delay = false;

    /// Parses a comma-separated list of eavesdrop, modify, inject, replay, drop, delay (or
    /// "none"). nullopt, with *error naming the unknown word, if it does not parse.
    static std::optional<AdversaryCapabilities> Parse(const std::string& list, std::string* error);
};

struct AdversaryConfig
{
    AdversaryCapabilities can;
    Time start; ///< the node is compromised from this time on
    double modifyProbability = 1;
    double replayProbability = 1;
    double dropProbability = 1;
    double delayProbability = 1;
    Time delay = Seconds(5);            ///< how long delayed requests are held
    Time replayDelay = Seconds(300);    ///< how long after the original a replay is sent
    Time injectInterval = Seconds(600); ///< time between forged requests
};

class Adversary : public Object
{
  public:
    static TypeId GetTypeId();

    /// node: the compromised node's name (in the ledger's per-node figures).
    Adversary(std::string node, const AdversaryConfig& config, Ptr<ExposureLedger> ledger);
    Adversary();

    /// Its random decisions and forgeries draw from this stream; returns 1.
    int64_t AssignStreams(int64_t stream);

    /// Acts on every packet the node forwards (see AdversaryTap::Install).
    void TapForwarding(Ptr<Node> node);
    /// Acts on every request the node's CoAP proxy forwards.
    void ControlProxy(Ptr<CoapProxyApp> proxy);
    /// Schedules the injections (with the inject capability) until `stop`.
    void Start(Time stop);

  private:
    /// A forwarded datagram, kept to model forgeries on.
    struct Template
    {
        Ptr<Ipv4Route> route;
        Ipv4Header header;
        Ptr<Packet> udp; ///< the UDP header and payload
        Ipv4RoutingProtocol::UnicastForwardCallback forward;
    };

    void DoDispose() override;
    void OnForward(Ptr<Ipv4Route> route, Ptr<const Packet> packet, const Ipv4Header& header,
                   const Ipv4RoutingProtocol::UnicastForwardCallback& forward);
    CoapProxyApp::Decision OnProxyRequest(lpwan::coap::Message& request, uint64_t message);
    void Inject();
    bool Draw(double probability);
    bool Active() const;

    std::string m_node;
    AdversaryConfig m_config;
    Ptr<ExposureLedger> m_ledger;
    Ptr<UniformRandomVariable> m_stream;
    std::unique_ptr<Ns3RandomSource> m_random;
    Ptr<AdversaryTap> m_tap;
    Ptr<CoapProxyApp> m_proxy;
    std::optional<Template> m_forwarded;           ///< last request forwarded at IP level
    std::optional<lpwan::coap::Message> m_proxied; ///< last request the proxy forwarded
    EventId m_injectEvent;
    Time m_stop;
};

} // namespace ns3

#endif // LPWAN_ADVERSARY_H
