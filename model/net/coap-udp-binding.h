/*
 * The thin ns-3 driver of the sans-I/O CoAP endpoint: it feeds datagrams from an ns-3 UDP
 * socket and simulated time into a lpwan::coap::Endpoint, sends the datagrams the endpoint produces
 * and keeps one simulator event armed for the endpoint's next deadline.
 *
 * It also labels every datagram it sends with a MessageTag, so that the link's accounting can
 * attribute each frame on the air to the application message it belongs to. The CoAP bytes it
 * labels are plaintext here, so it finds the message by token, or by message ID for empty
 * ACKs and RSTs, in the MessageLedger.
 *
 * With a SecureDatagramTransport (DTLS) the endpoint's datagrams pass through it on their way
 * to and from the socket. Application records are attributed by the CoAP message inside, the
 * record's own bytes counted as security overhead; handshake flights and alerts are attributed
 * to the message the ledger names as the device's handshake owner (the report that waits for
 * the session), all of their bytes as security. So are CoAP exchanges the ledger knows as
 * handshake exchanges (EDHOC over CoAP, bound by token).
 */
#ifndef LPWAN_COAP_UDP_BINDING_H
#define LPWAN_COAP_UDP_BINDING_H

#include "datagram-audit.h"
#include "protocols/coap/coap-endpoint.h"
#include "protocols/common/secure-transport.h"
#include "stats/message-ledger.h"

#include "ns3/event-id.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <functional>
#include <optional>

namespace ns3
{

class CoapUdpBinding
{
  public:
    using EventHandler = std::function<void(const lpwan::coap::Event&)>;
    using TransportHandler = std::function<void(const lpwan::TransportEvent&)>;
    /// Called on every packet before it is sent, with the datagram it carries (to add tags).
    using OutboundTagger = std::function<void(Ptr<Packet>, const lpwan::WireDatagram&)>;

    /// Which end of the exchanges this binding drives: it decides which IPv4 address names
    /// the device in ledger look-ups (the local one on a device, the peer's on the server).
    enum class Side
    {
        Device,
        Server,
    };

    CoapUdpBinding() = default;
    CoapUdpBinding(const CoapUdpBinding&) = delete;
    CoapUdpBinding& operator=(const CoapUdpBinding&) = delete;

    /// Starts driving endpoint over socket. ledger may be null (no accounting).
    /// localAddress: this node's IPv4 address (used on the device side).
    void Start(Ptr<Socket> socket, lpwan::coap::Endpoint* endpoint, Side side,
               Ipv4Address localAddress, Ptr<MessageLedger> ledger, EventHandler handler);
    /// Puts a secure transport (not owned) between the endpoint and the socket. Call before
    /// traffic flows; handler receives its events (handshakes completed or failed).
    void SetTransport(lpwan::SecureDatagramTransport* transport, TransportHandler handler);
    /// Reports what becomes of every received datagram to audit (not owned; null: none).
    void SetAudit(DatagramAudit* audit)
    {
        m_audit = audit;
    }

    /// Lets tagger add packet tags to every packet sent (an empty function: none).
    void SetOutboundTagger(OutboundTagger tagger)
    {
        m_tagger = std::move(tagger);
    }

    /// Replaces the socket (e.g. a new source port after a NAT binding was lost).
    void ReplaceSocket(Ptr<Socket> socket);
    /// Cancels the timer and closes the socket.
    void Stop();
    /// Hands pending events to the handler, sends pending datagrams and re-arms the timer.
    /// Call after every call into the endpoint.
    void Flush();

    /// When a datagram was last sent or received (nullopt: never).
    std::optional<Time> GetLastActivity() const
    {
        return m_lastActivity;
    }

    /// Handshake datagrams (DTLS flights, EDHOC exchanges) sent again: retransmissions and
    /// responses repeated for duplicate requests.
    uint64_t GetRepeatedHandshakeDatagrams() const
    {
        return m_repeatedHandshakeDatagrams;
    }

    /// Of those, the CoAP payload bytes of the ones that are CoAP messages (EDHOC exchanges).
    uint64_t GetRepeatedHandshakePayloadBytes() const
    {
        return m_repeatedHandshakePayloadBytes;
    }

    /// Current simulated time in the endpoint's time base.
    static lpwan::TimeNs Now();
    /// PeerId of an IPv4 socket address and back.
    static lpwan::PeerId ToPeer(const InetSocketAddress& address);
    static InetSocketAddress ToAddress(lpwan::PeerId peer);

  private:
    void HandleRead(Ptr<Socket> socket);
    void HandleTimer();
    void SendWire(const lpwan::WireDatagram& d);
    void ReceivePlain(const lpwan::Datagram& d);
    void ArmTimer();
    /// Finds (and binds) the ledger message a CoAP datagram between us and peer belongs to.
    uint64_t Attribute(lpwan::PeerId peer, const std::vector<uint8_t>& bytes, bool outgoing,
                       MessageTag* tag);

    Ptr<Socket> m_socket;
    lpwan::coap::Endpoint* m_endpoint = nullptr;
    Side m_side = Side::Device;
    uint32_t m_localAddress = 0;
    Ptr<MessageLedger> m_ledger;
    EventHandler m_handler;
    lpwan::SecureDatagramTransport* m_transport = nullptr;
    TransportHandler m_transportHandler;
    EventId m_timer;
    bool m_flushing = false;
    std::optional<Time> m_lastActivity;
    DatagramAudit* m_audit = nullptr;
    size_t m_auditPlaintexts = 0; ///< plaintexts the transport gave up while auditing
    OutboundTagger m_tagger;
    uint64_t m_repeatedHandshakeDatagrams = 0;
    uint64_t m_repeatedHandshakePayloadBytes = 0;
};

} // namespace ns3

#endif // LPWAN_COAP_UDP_BINDING_H
