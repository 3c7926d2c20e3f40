/*
 * The thin ns-3 driver of one TLS connection over an ns-3 TCP socket: it feeds the bytes TCP
 * delivers and the simulated time into a sans-I/O lpwan::tls::StreamSession -- TLS 1.2
 * (lpwan::tls::Session on mbedTLS) or TLS 1.3 (lpwan::tls13::StreamSession over the project's
 * core) -- writes what the session produces to the socket, and hands the decrypted stream to its
 * owner (an MQTT client or a broker connection).
 *
 * Byte accounting (DESIGN.md principle 4). TCP segments the stream as it likes, so every byte
 * written is labelled with a StreamBytesTag (message, layer, direction) that ns-3 carries through
 * segmentation and retransmission to the frames on the air:
 *   - Write() takes the plaintext with the ranges its owner knows (MQTT header: protocol layer,
 *     application payload: app layer, and which message each belongs to). Each TLS record's own
 *     bytes are security: what the session puts in front of the plaintext
 *     (RecordPlaintextOffset: TLS 1.2's 5-byte header and 8-byte explicit nonce, TLS 1.3's
 *     5-byte header) and what follows it (the tag; TLS 1.3's inner content type). (Written to
 *     fit one record per call, so the plaintext's position inside the record is known.)
 *   - Handshake flights and alerts are security bytes of the message the ledger names as the
 *     device's handshake owner (the report waiting for this connection), flagged handshake.
 * TCP's own header and its segments without payload (SYN, pure ACKs, FIN) are found by the link
 * accounting in the frames themselves.
 *
 * Closing. Only the server side closes TCP (FIN); a device that gives a connection up (it
 * closed TLS, its NAT binding expired, TLS failed) sends nothing more on TCP and forgets it, as
 * a constrained stack does whose packets would no longer arrive anyway. The server closes when
 * its broker connection ends (close_notify received, keep-alive expiry, session taken over by
 * the device's next connection). Besides, ns-3 3.37's TCP retransmits a FIN forever, every RTO
 * without back-off, when the peer's FIN and ACK are lost while it sits in LAST_ACK (which
 * neither retransmits its FIN nor answers a repeated one): with a single closer that cannot
 * happen, since a socket in CLOSE_WAIT acknowledges each repeated FIN.
 *
 * The owner learns of the connection's progress through callbacks; it must not destroy the
 * connection inside one (see Closed below: schedule it, or keep it until the next event).
 */
#ifndef LPWAN_TLS_TCP_CONNECTION_H
#define LPWAN_TLS_TCP_CONNECTION_H

#include "protocols/tls/handshake-figures.h"
#include "protocols/tls/stream-session.h"
#include "stats/message-ledger.h"
#include "stats/stream-bytes-tag.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/packet.h"
#include "ns3/socket.h"

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class TlsTcpConnection
{
  public:
    /// A piece of the plaintext an owner writes: its length, layer and message.
    struct Range
    {
        size_t length = 0;
        StreamBytesTag::Layer layer = StreamBytesTag::Layer::App;
        uint64_t messageId = 0;
        bool handshake = false; ///< connection set-up (e.g. MQTT CONNECT/CONNACK)
    };

    struct Callbacks
    {
        /// The TLS handshake completed (abbreviated: a resumed session).
        std::function<void(bool abbreviated)> established;
        /// Decrypted bytes of the stream, in order.
        std::function<void(const std::vector<uint8_t>& bytes)> data;
        /// The connection is over: TCP could not connect, was closed or reset by the peer, or
        /// TLS failed or was closed. reason says which. Called once; nothing is sent after it.
        std::function<void(const std::string& reason)> closed;
    };

    /// socket: a TCP socket, either connecting (client: Connect() was called, the session
    /// starts when TCP is up) or accepted (server: the session waits for the ClientHello).
    /// deviceAddress names the device in ledger look-ups; ledger may be null.
    TlsTcpConnection(Ptr<Socket> socket, std::unique_ptr<lpwan::tls::StreamSession> session,
                     Ipv4Address deviceAddress, Ptr<MessageLedger> ledger, Callbacks callbacks);
    ~TlsTcpConnection();
    TlsTcpConnection(const TlsTcpConnection&) = delete;
    TlsTcpConnection& operator=(const TlsTcpConnection&) = delete;

    /// Encrypts and sends plaintext whose layout `ranges` describe (lengths summing to its
    /// size). False when the session is not Established (nothing is sent).
    bool Write(const std::vector<uint8_t>& plaintext, const std::vector<Range>& ranges);

    /// Sends close_notify, then (server) closes TCP once everything written has been sent.
    void Close();
    /// Gives the connection up without a TLS close_notify: it is believed dead (e.g. its NAT
    /// binding expired), so nothing more is said on it (a server still closes TCP).
    void Abandon();

    bool IsEstablished() const
    {
        return !m_over && m_session->GetState() == lpwan::tls::State::Established;
    }

    bool IsOver() const
    {
        return m_over;
    }

    const lpwan::tls::StreamSession& GetSession() const
    {
        return *m_session;
    }

    /// Handshake figures are added to `figures` when the handshake ends (may be null).
    /// countStart: count it as started too (a server; a client counts when it connects).
    void SetFigures(lpwan::tls::HandshakeFigures* figures, bool countStart)
    {
        m_figures = figures;
        m_countStart = countStart;
    }

    /// At the end of a run: adds a handshake still under way to the figures.
    void CountOpenHandshake();

    /// When a byte was last sent or received on this connection.
    Time GetLastActivity() const
    {
        return m_lastActivity;
    }

  private:
    void ConnectionSucceeded(Ptr<Socket> socket);
    void ConnectionFailed(Ptr<Socket> socket);
    void PeerClosed(Ptr<Socket> socket);
    void PeerError(Ptr<Socket> socket);
    void Receive(Ptr<Socket> socket);
    void SendSpace(Ptr<Socket> socket, uint32_t available);
    void OnTimer();
    /// Sends what the session produced outside Write() (handshake, alerts), handles its events
    /// and re-arms its timer.
    void Flush();
    /// What the session wrote, as one packet (empty when nothing).
    Ptr<Packet> TakeSessionOutput();
    /// Sends what the session wrote outside Write(): handshake flights and alerts.
    void SendControlOutput();
    void Transmit(Ptr<Packet> packet);
    void Drain();
    void Finish(const std::string& reason);
    void Detach();
    uint64_t HandshakeOwner() const;
    bool IsUplink() const;
    void CountHandshake(lpwan::tls::HandshakeFigures::Outcome outcome, const std::string& failure);

    Ptr<Socket> m_socket;
    std::unique_ptr<lpwan::tls::StreamSession> m_session;
    Ipv4Address m_device;
    Ptr<MessageLedger> m_ledger;
    Callbacks m_callbacks;
    lpwan::tls::HandshakeFigures* m_figures = nullptr;
    bool m_countStart = false;
    bool m_counted = false;
    bool m_over = false;
    bool m_closeWhenDrained = false;
    std::deque<Ptr<Packet>> m_pending; ///< waiting for room in TCP's send buffer
    EventId m_timer;
    Time m_lastActivity;
};

} // namespace ns3

#endif // LPWAN_TLS_TCP_CONNECTION_H
