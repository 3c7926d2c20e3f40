/*
 * What the TLS 1.3 client and server state machines share: a sans-I/O connection over a
 * reliable byte stream. The driver hands it received bytes and the current time; it collects
 * the bytes to send, the application data received and the events. There are no timers: TLS
 * 1.3 relies on the transport (TCP) for retransmission.
 *
 * The record layer below the handshake: plaintext records until the first key change, then
 * protected records, one RecordProtection per direction; handshake messages are reassembled
 * across records and must not straddle a key change (RFC 8446 section 5.1).
 */
#ifndef LPWAN_TLS13_CONNECTION_H
#define LPWAN_TLS13_CONNECTION_H

#include "../common/sans-io.h"
#include "dtls13-channel.h"
#include "tls13-cipher-suite.h"
#include "tls13-key-schedule.h"
#include "tls13-messages.h"
#include "tls13-record.h"
#include "tls13-types.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace lpwan
{
namespace tls13
{

enum class EventType
{
    HandshakeComplete,
    TicketReceived, ///< client: a NewSessionTicket was stored (Tickets())
    PeerClosed,     ///< close_notify received
    Failed,         ///< the connection aborted; alert says why (sent or received)
};

struct Event
{
    EventType type;
    AlertDescription alert = AlertDescription::CloseNotify;
};

class Connection
{
  public:
    virtual ~Connection() = default;

    /// Bytes received from the transport, in order. DTLS 1.3: one whole datagram.
    void Receive(TimeNs now, const Bytes& bytes);
    /// DTLS 1.3 (ClientConfig/ServerConfig::dtls): the datagrams to send since the last call.
    /// (TLS: TakeOutput.)
    std::vector<Bytes> TakeDatagrams();
    /// DTLS 1.3: when OnTimer must be called (a flight waits for its answer); nullopt for TLS.
    std::optional<TimeNs> NextTimer() const;
    /// DTLS 1.3: retransmits the flight, or fails the handshake (handshake_failure, no alert
    /// sent) when the timer reached DtlsOptions::maxTimeout.
    void OnTimer(TimeNs now);
    bool IsDatagram() const
    {
        return m_dtls != nullptr;
    }
    /// The DTLS 1.3 channel (nullptr for TLS): its counters and the negotiated CIDs.
    const DtlsChannel* Dtls() const
    {
        return m_dtls.get();
    }
    /// Queues application data (after the handshake); false when the connection cannot send.
    bool SendApplicationData(const Bytes& data);
    /// Sends close_notify (section 6.1).
    void Close();

    /// The bytes to hand to the transport since the last call.
    Bytes TakeOutput();
    /// The application data received since the last call.
    Bytes TakeApplicationData();
    std::vector<Event> TakeEvents();

    bool IsConnected() const
    {
        return m_connected && !m_failed;
    }

    bool HasFailed() const
    {
        return m_failed;
    }

    /// The alert the connection failed with (sent or received).
    AlertDescription FailureAlert() const
    {
        return m_failureAlert;
    }

    const KeyScheduleSecrets& Secrets() const
    {
        return m_schedule.Secrets();
    }

    /// The negotiated suite (0 before the ServerHello).
    uint16_t CipherSuite() const
    {
        return m_suite ? m_suite->id : 0;
    }

    /// The (EC)DHE group of the handshake: 0 before the ServerHello, and with a PSK alone
    /// (psk_ke, RFC 8446 section 4.2.9).
    uint16_t KeyExchangeGroup() const
    {
        return m_keyExchangeGroup;
    }

    /// The ClientHello's random (empty before the ClientHello is sent or received).
    const Bytes& ClientRandom() const
    {
        return m_clientRandom;
    }

    /// The NSS key log lines of this connection (empty before the handshake completes): its
    /// client and server handshake and application traffic secrets and its exporter secret,
    /// each as "LABEL <client random> <secret>" (hex), which Wireshark and tshark read
    /// (tls.keylog_file) to decrypt TLS 1.3 records.
    std::vector<std::string> KeyLogLines() const;

    /// True once the server has selected the external PSK (pre_shared_key in the ServerHello):
    /// the handshake then authenticates with the PSK instead of a certificate.
    bool PskSelected() const
    {
        return m_pskSelected;
    }

  protected:
    /// Turns the connection into DTLS 1.3 (RFC 9147): datagrams, the "dtls13" label prefix,
    /// flights with retransmission. Called by the constructors of Client and Server.
    void EnableDtls(const DtlsOptions& options, bool server);
    DtlsChannel* DtlsState()
    {
        return m_dtls.get();
    }
    /// HKDF-Expand-Label's prefix: "tls13 ", or "dtls13" for DTLS 1.3.
    const std::string& LabelPrefix() const
    {
        return m_dtls ? kDtls13LabelPrefix : kTls13LabelPrefix;
    }
    /// DTLS 1.3: sends the flight the call queued (the end of Start, Receive, OnTimer).
    void EndCall(TimeNs now);
    /// A complete handshake message arrived (header and body in message).
    virtual void OnHandshakeMessage(TimeNs now, const HandshakeMessage& message) = 0;

    /// Aborts with an alert (protected when write keys exist, section 6).
    void Fail(AlertDescription alert);
    /// The peer's Finished (section 4.4.4): false, after failing with the alert the RFC names,
    /// when it does not parse (decode_error), does not carry `expected` (decrypt_error) or
    /// leaves part of a message buffered before the key change that follows it
    /// (unexpected_message, section 5.1).
    bool AcceptPeerFinished(const HandshakeMessage& m, const Bytes& expected);
    /// Adds a handshake message to the transcript and to the pending flight.
    void QueueHandshake(const Bytes& message);
    /// Writes the pending flight as records under the current write protection (plaintext
    /// when there is none): as few records as the record size allows.
    void FlushHandshake();
    /// Writes a post-handshake message (NewSessionTicket), which the transcript does not
    /// cover (section 4.4.1), in its own record(s).
    void SendPostHandshakeMessage(const Bytes& message);
    void SetWriteSecret(const Bytes& trafficSecret);
    void SetReadSecret(const Bytes& trafficSecret);
    /// Completes the handshake: the HandshakeComplete event, and the key log's lines when
    /// there is a key log.
    void SetConnected();
    void SetClientRandom(const Bytes& random)
    {
        m_clientRandom = random;
    }
    void PushEvent(Event e);

    /// The limit the peer asked for with record_size_limit (RFC 8449): the largest
    /// TLSInnerPlaintext it accepts.
    void SetPeerRecordSizeLimit(uint16_t limit)
    {
        m_peerRecordSizeLimit = limit;
    }

    bool HasReadProtection() const
    {
        return m_read.has_value() || (m_dtls && m_dtls->HasReadKeys());
    }

    /// True when the reassembly buffer holds part of a message: a key change now would
    /// split a message across keys (section 5.1).
    bool HandshakeBuffered() const
    {
        return !m_reassembler.Empty();
    }

    /// legacy_record_version of plaintext records (0x0301 for a first ClientHello, 5.1).
    uint16_t m_plaintextRecordVersion = kTls12;
    Transcript m_transcript;
    KeySchedule m_schedule;
    std::optional<CipherSuiteInfo> m_suite;
    uint16_t m_keyExchangeGroup = 0;
    bool m_pskSelected = false;
    bool m_connected = false;
    bool m_failed = false;
    Bytes m_clientRandom;
    /// Receives KeyLogLines(), newline-terminated, when the handshake completes (the
    /// configuration's keyLog); empty: none.
    std::function<void(const std::string&)> m_keyLog;
    AlertDescription m_failureAlert = AlertDescription::CloseNotify;

  private:
    void HandleRecord(TimeNs now, const Record& record);
    void ReceiveDatagram(TimeNs now, const Bytes& datagram);
    void HandleAlert(const Bytes& content);
    void WriteRecord(ContentType type, const Bytes& content);

    RecordReader m_records;
    HandshakeReassembler m_reassembler;
    std::optional<RecordProtection> m_read;
    std::optional<RecordProtection> m_write;
    Bytes m_pendingFlight;
    Bytes m_output;
    Bytes m_applicationData;
    std::vector<Event> m_events;
    size_t m_peerRecordSizeLimit = kMaxPlaintextLength + 1;
    bool m_closeSent = false;
    bool m_peerClosed = false;
    std::unique_ptr<DtlsChannel> m_dtls;
    bool m_dtlsServer = false;
};

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_CONNECTION_H
