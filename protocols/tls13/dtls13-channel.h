/*
 * What DTLS 1.3 (RFC 9147) puts between the TLS 1.3 handshake and a datagram transport: the
 * DTLSHandshake framing (message_seq, fragment offset and length, section 5.2), flights and
 * their retransmission on a timer (section 5.8), ACKs (section 7), epochs (0 plaintext, 2
 * handshake, 3 application: section 6.1) and connection IDs in the records (section 9).
 * Sans-I/O: datagrams and time in, datagrams and a deadline out.
 *
 * The handshake state machines of tls13::Client and tls13::Server are those of TLS 1.3; the
 * transcript holds the TLS-style messages (4-byte header) without the DTLS fields (section 5.2),
 * which is what the channel returns for each reassembled message.
 *
 * Flights: messages queued one after the other form a flight, sent when the call that queued
 * them ends (EndFlight); the next flight starts with the next queued message. A flight is
 * retransmitted (every message not yet acknowledged, in new records) when the timer fires,
 * starting at initialTimeout and doubling up to maxTimeout (section 5.8.2: 1 s and 60 s), and at
 * once when the peer retransmits its previous flight (section 5.8.1). It is acknowledged
 * implicitly by the peer's next handshake message, or by an ACK (the client's final flight).
 *
 * Simplifications, each safe for a lock-step handshake: at most 8 messages ahead of the next
 * expected one are buffered; an ACK is sent for the peer's whole flight (the server's answer to
 * the client's final flight, and again whenever a copy of it arrives) rather than after a partial
 * flight; no early data (epoch 1), no KeyUpdate, no new connection IDs after the handshake.
 */
#ifndef LPWAN_TLS13_DTLS13_CHANNEL_H
#define LPWAN_TLS13_DTLS13_CHANNEL_H

#include "../common/sans-io.h"
#include "dtls13-record.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace lpwan
{
namespace tls13
{

/// DTLS 1.3 options of a ClientConfig or ServerConfig.
struct DtlsOptions
{
    /// Largest datagram (UDP payload) the channel writes; handshake messages are fragmented
    /// to fit.
    size_t mtu = 1200;
    /// Retransmission timer (section 5.8.2): first timeout, doubled after each retransmission;
    /// the handshake fails when the next timeout would exceed maxTimeout.
    TimeNs initialTimeout = 1000000000;
    TimeNs maxTimeout = 60000000000;
    /// The connection ID this endpoint asks its peer to put in the records it sends here
    /// (connection_id extension, RFC 9146 section 3). nullopt: not offered. The client offers
    /// it; the server sends its own only when the client offered one. Empty: "I send CIDs but
    /// need none".
    std::optional<Bytes> connectionId;
};

/// Counters of one channel.
struct DtlsChannelStats
{
    uint64_t datagramsSent = 0;
    uint64_t bytesSent = 0;
    uint64_t handshakeDatagramsSent = 0; ///< datagrams carrying handshake records (every copy)
    uint64_t handshakeBytesSent = 0;
    uint64_t flightsSent = 0;
    uint64_t flightRetransmissions = 0;
    uint64_t acksSent = 0;
    uint64_t recordsDropped = 0; ///< records that did not deprotect or parse
};

class DtlsChannel
{
  public:
    explicit DtlsChannel(const DtlsOptions& options);
    ~DtlsChannel();

    // ---- keys and connection IDs ----

    /// Installs the next sending epoch (2 for the handshake traffic secret, then 3).
    void SetWriteSecret(const CipherSuiteInfo& suite, const Bytes& trafficSecret);
    void SetReadSecret(const CipherSuiteInfo& suite, const Bytes& trafficSecret);
    /// The CID the peer asked for: carried in every protected record sent from now on.
    void SetPeerConnectionId(const Bytes& cid)
    {
        m_peerCid = cid;
    }
    const Bytes& PeerConnectionId() const
    {
        return m_peerCid;
    }
    const DtlsOptions& Options() const
    {
        return m_options;
    }
    uint16_t WriteEpoch() const
    {
        return m_writeEpoch;
    }
    bool HasReadKeys() const
    {
        return !m_read.empty();
    }

    // ---- sending ----

    /// Adds a TLS-style handshake message (4-byte header) to the current flight.
    void QueueHandshake(const Bytes& message);
    /// Sends the flight queued since the last call (if any) and arms the timer.
    void EndFlight(TimeNs now);
    /// One record of the given type in a datagram of its own, under the current epoch.
    void SendRecord(ContentType type, const Bytes& content);
    /// An ACK of the records that carried the peer's latest flight.
    void SendAck();
    /// After the handshake, answer every copy of the peer's final flight with an ACK (the
    /// server, whose ACK may have been lost) instead of retransmitting.
    void SetAckOnDuplicate(bool on)
    {
        m_ackOnDuplicate = on;
    }
    /// Stops retransmitting the current flight (a failure, or a connection that ends).
    void StopRetransmitting()
    {
        m_deadline.reset();
    }
    std::vector<Bytes> TakeDatagrams();

    // ---- receiving ----

    struct Delivered
    {
        ContentType type;
        Bytes content; ///< a handshake message: the TLS-style message, reassembled
    };
    /// Hands deliver everything the datagram carries, in order, each before the next record is
    /// deprotected: a ServerHello installs the keys of the protected record behind it in the
    /// same datagram. Records that fail are dropped and counted.
    void ReceiveDatagram(TimeNs now, const uint8_t* data, size_t size,
                         const std::function<void(Delivered&&)>& deliver);

    // ---- timer ----

    std::optional<TimeNs> NextTimer() const
    {
        return m_deadline;
    }
    enum class TimerResult
    {
        Nothing,
        Retransmitted,
        GaveUp,
    };
    TimerResult OnTimer(TimeNs now);
    /// True while a flight waits to be acknowledged.
    bool FlightOutstanding() const
    {
        return m_deadline.has_value();
    }

    const DtlsChannelStats& Stats() const
    {
        return m_stats;
    }

  private:
    struct OutMessage
    {
        uint16_t seq;
        uint16_t epoch;
        HandshakeType type;
        Bytes body;
        bool acked = false;
    };
    struct Partial
    {
        HandshakeType type;
        Bytes body;
        std::vector<bool> have;
        size_t missing;
    };
    void Transmit();
    void HandleHandshakeContent(const Bytes& content, const DtlsRecordNumber& number,
                                const std::function<void(Delivered&&)>& deliver, bool& duplicate);
    void HandleAck(const Bytes& content);
    size_t RecordOverhead(uint16_t epoch) const;
    void FlightAcknowledged();

    DtlsOptions m_options;
    Bytes m_peerCid;
    uint16_t m_writeEpoch = 0;
    uint16_t m_readEpoch = 0;
    uint64_t m_plaintextSequence = 0;
    std::map<uint16_t, std::unique_ptr<DtlsRecordProtection>> m_write;
    std::map<uint16_t, std::unique_ptr<DtlsRecordProtection>> m_read;

    std::vector<OutMessage> m_flight;
    bool m_flightOpen = false;
    uint16_t m_nextSendSeq = 0;
    std::map<DtlsRecordNumber, std::vector<uint16_t>> m_sentRecords; ///< record -> messages
    std::optional<TimeNs> m_deadline;
    TimeNs m_timeout;

    uint16_t m_nextReceiveSeq = 0;
    std::map<uint16_t, Partial> m_partial;
    std::set<DtlsRecordNumber> m_peerRecords; ///< records of the peer's latest flight
    bool m_ackOnDuplicate = false;

    std::vector<Bytes> m_out;
    DtlsChannelStats m_stats;
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_DTLS13_CHANNEL_H
