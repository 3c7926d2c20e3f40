/*
 * One DTLS 1.2 or TLS 1.2 connection, client or server side, driven sans-I/O: mbedTLS does
 * the whole protocol; this class only feeds it bytes and time and collects what it writes.
 *
 *   bytes in   Receive(now, bytes)   one datagram (DTLS) or any piece of the stream (TLS)
 *   time in    OnTimer(now)             call when NextTimer() is reached
 *   bytes out  TakeOutput()          datagrams to send, in order (see below)
 *   app data   Write(now, bytes) / Read()
 *   lifecycle  Start(now) (client), Close(now), GetState(), TakeEvents()
 *
 * How mbedTLS is attached. mbedtls_ssl_set_bio() gets in-memory callbacks: the send callback
 * appends what mbedTLS writes to the output queue, one lpwan::Datagram per call -- for DTLS
 * that is exactly one UDP datagram as mbedTLS built it (it packs the records of a flight into
 * datagrams no larger than the MTU); for TLS it is one piece of the byte stream (usually one
 * record), to be written to the TCP connection in order. The receive callback hands mbedTLS
 * the queued input (one datagram per call for DTLS) and says MBEDTLS_ERR_SSL_WANT_READ when
 * it is empty. mbedtls_ssl_set_timer_cb() gets a timer on the session's simulated clock: the
 * deadline mbedTLS arms is NextTimer(); OnTimer() at or after it re-enters the handshake, and
 * mbedTLS then retransmits its last flight with a doubled timeout, or fails the handshake
 * with MBEDTLS_ERR_SSL_TIMEOUT once the timeout passed handshakeTimeoutMaxMs.
 *
 * Every call into mbedTLS runs under a SimulatedWallClock at Config::WallClockAt(now), so the
 * Hello randoms, certificate checks, cookies and tickets see simulated time. Randomness comes
 * from the Config's DRBG, seeded from an lpwan::RandomSource.
 *
 * Output datagrams carry `peer` (the PeerId given at construction) and the retransmission
 * flag of their flight. A server Session identifies its client by that PeerId too (it is the
 * transport id HelloVerifyRequest cookies are bound to); for many clients on one socket use
 * DtlsServer, which creates and routes Sessions.
 *
 * Garbage input never throws: DTLS drops records that fail to parse or authenticate (as RFC
 * 6347 section 4.1.2.7 says), TLS fails the session with an alert, and the session reports
 * Failed with a reason. Two inputs that Debian's mbedTLS 2.28 mishandles are filtered before
 * it sees them (DTLS): a datagram's trailing partial record, and a ClientHello arriving on an
 * established server association (see Receive() in the .cc and SessionStats).
 * Methods do not throw, except the constructor (std::invalid_argument for a Config/role
 * mismatch or an unloadable saved session, std::runtime_error from mbedTLS) and Reset() of a
 * hibernated session when mbedTLS cannot allocate a context.
 *
 * A Session must not be moved (mbedTLS holds pointers to it); keep it in a unique_ptr.
 */
#ifndef LPWAN_TLS_SESSION_H
#define LPWAN_TLS_SESSION_H

#include "protocols/common/sans-io.h"
#include "record-scanner.h"
#include "session-stats.h"
#include "stream-session.h"
#include "tls-config.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct mbedtls_ssl_context;

namespace lpwan
{
namespace tls
{

struct SessionOptions
{
    /// Largest datagram mbedTLS may produce (mbedtls_ssl_set_mtu: UDP payload, i.e. the DTLS
    /// records); 0 takes Options::mtu. Handshake messages are fragmented to fit.
    uint16_t mtu = 0;
    /// Client: a session saved with SaveSession() from an earlier connection to the same
    /// server; the client offers to resume it (abbreviated handshake if the server agrees).
    std::vector<uint8_t> resume;
};

/// Also the TLS 1.2 StreamSession (stream-session.h): its virtual methods are those.
class Session : public StreamSession
{
  public:
    /// The role and transport are the Config's. Throws std::invalid_argument when `resume`
    /// cannot be loaded, std::runtime_error when mbedTLS cannot set the session up.
    Session(std::shared_ptr<const Config> config, lpwan::PeerId peer,
            const SessionOptions& options = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // ---- inputs ----

    /// Client: sends the ClientHello. Server: nothing to send; marks the session ready (a
    /// server also starts implicitly on its first Receive()). Call once.
    void Start(lpwan::TimeNs now) override;
    /// Bytes from the peer: one whole datagram (DTLS) or the next piece of the stream (TLS).
    void Receive(lpwan::TimeNs now, const uint8_t* data, size_t size) override;
    void Receive(lpwan::TimeNs now, const std::vector<uint8_t>& bytes)
    {
        Receive(now, bytes.data(), bytes.size());
    }

    /// Call when NextTimer() has been reached (earlier calls do nothing).
    void OnTimer(lpwan::TimeNs now) override;
    /// When OnTimer() must next be called: the retransmission deadline mbedTLS armed (its "final
    /// delay"; the intermediate delay needs no wake-up). nullopt: no timer.
    std::optional<lpwan::TimeNs> NextTimer() const override;

    /// Sends application data; only when Established. DTLS: one record per call, so at most
    /// MaxWriteSize() bytes (the datagram boundary is the message boundary). TLS: any size,
    /// split into records. False (nothing sent) when not Established, too large, or mbedTLS
    /// fails (then the session is Failed).
    bool Write(lpwan::TimeNs now, const uint8_t* data, size_t size) override;
    bool Write(lpwan::TimeNs now, const std::vector<uint8_t>& bytes)
    {
        return Write(now, bytes.data(), bytes.size());
    }

    /// Sends close_notify and enters Closed (no effect unless Handshaking or Established).
    void Close(lpwan::TimeNs now) override;

    // ---- outputs ----

    /// Datagrams (DTLS) or stream pieces (TLS) to send, in order; the queue is emptied.
    std::vector<lpwan::Datagram> TakeOutput() override;
    bool HasOutput() const
    {
        return !m_output.empty();
    }

    /// Application data received, in order; emptied. DTLS: one element per record, i.e. per
    /// message the peer wrote; TLS: pieces of the stream (message boundaries are not kept).
    std::vector<std::vector<uint8_t>> Read() override;
    std::vector<Event> TakeEvents() override;

    // ---- state ----

    State GetState() const override
    {
        return m_state;
    }

    const std::string& GetFailureReason() const
    {
        return m_failureReason;
    }

    /// The mbedTLS error code that failed the session (0 if none).
    int GetLastError() const
    {
        return m_lastError;
    }

    const SessionStats& GetStats() const override
    {
        return m_stats;
    }

    Role GetRole() const override;

    lpwan::PeerId GetPeer() const
    {
        return m_peer;
    }

    /// Largest plaintext one Write() can carry in DTLS (MTU, fragment length, record
    /// expansion); for TLS the largest plaintext of one record.
    size_t MaxWriteSize() const override;
    /// TLS 1.2 AEAD record (RFC 5246 6.2.3.3, RFC 5288): the 5-byte header and the 8-byte
    /// explicit nonce precede the ciphertext, the tag follows it.
    size_t RecordPlaintextOffset() const override
    {
        return 5 + 8;
    }

    /// The negotiated suite's IANA name, or "" before the ServerHello.
    std::string GetCipherSuite() const;
    /// Server: the PSK identity the client presented (empty if none).
    const std::vector<uint8_t>& GetPeerPskIdentity() const
    {
        return m_peerPskIdentity;
    }

    /// The peer certificate's subject, e.g. "CN=device-0001, O=lpwan-sec" ("" if none).
    std::string GetPeerCertificateSubject() const;
    /// Client, once Established: the session in a form SessionOptions::resume accepts
    /// (mbedtls_ssl_session_save). Empty if not available.
    std::vector<uint8_t> SaveSession() const override;

    // ---- hibernation (DTLS) ----

    /// Frees the mbedTLS context and its ~33 kB of record buffers, keeping the connection as
    /// a few hundred serialized bytes (mbedtls_ssl_context_save). Possible when the session is
    /// a DTLS Established one with no timer, no queued input, and no handshake state left in
    /// mbedTLS (a server keeps that until the client's first record under the new keys).
    /// The next call that needs mbedTLS (Receive, Write, Close) restores it with
    /// mbedtls_ssl_context_load, invisibly to the peer: the bytes on the wire are the same.
    /// Returns whether the session hibernated.
    bool Hibernate();

    bool IsHibernating() const
    {
        return !m_ssl;
    }

    /// Size of the serialized connection while hibernating (0 when awake).
    size_t HibernatedSize() const;

    // ---- for DtlsServer ----

    /// Server: forgets everything and waits for a ClientHello from `peer`, as if newly
    /// constructed (the mbedTLS context and its buffers are reused).
    void Reset(lpwan::PeerId peer);
    /// Server: a ClientHello was accepted (it carried a valid cookie, or cookies are off) and
    /// the handshake is under way or done.
    bool AcceptedClientHello() const;

    /// Called by Config's PSK look-up with the identity a client presented.
    static void NotePskIdentity(mbedtls_ssl_context* ssl, const std::vector<uint8_t>& identity);

  private:
    class CallScope;
    friend class CallScope;

    static int SendCallback(void* self, const unsigned char* data, size_t size);
    static int RecvCallback(void* self, unsigned char* buffer, size_t size);
    static void SetTimerCallback(void* self, uint32_t intermediateMs, uint32_t finalMs);
    static int GetTimerCallback(void* self);

    void SetUpContext();
    /// Restores a hibernated context; false (and Failed) if mbedTLS refuses.
    bool Wake();
    void Drive();
    void RunHandshake();
    void ReadAvailable();
    void Fail(int error, const std::string& context);
    void EnterEstablished();
    void NoteHandshakeProgress();
    /// Returns how many leading bytes of a DTLS datagram are whole records (all for TLS).
    size_t AccountIncoming(const uint8_t* data, size_t size);
    void AccountOutgoing(const uint8_t* data, size_t size);
    int OutgoingMessageSequence() const;
    int IncomingMessageSequence() const;
    bool IsDatagram() const;
    size_t QueuedInput() const;

    std::shared_ptr<const Config> m_config;
    /// Frees an mbedTLS context with what it holds: as the deleter of m_ssl it also runs when a
    /// constructor throws after the context was set up (no destructor runs then).
    struct SslContextDeleter
    {
        void operator()(mbedtls_ssl_context* ssl) const;
    };

    std::unique_ptr<mbedtls_ssl_context, SslContextDeleter> m_ssl;
    lpwan::PeerId m_peer;
    uint16_t m_mtu;
    lpwan::TimeNs m_now = 0;
    bool m_started = false;

    State m_state = State::Handshaking;
    std::string m_failureReason;
    int m_lastError = 0;

    // Input: whole datagrams (DTLS) or a byte stream (TLS, consumed from m_streamOffset).
    std::vector<std::vector<uint8_t>> m_inDatagrams;
    std::vector<uint8_t> m_inStream;
    size_t m_streamOffset = 0;

    std::vector<lpwan::Datagram> m_output;
    std::vector<std::vector<uint8_t>> m_received;
    std::vector<Event> m_events;

    // mbedTLS's timer on simulated time.
    bool m_timerArmed = false;
    lpwan::TimeNs m_timerStart = 0;
    uint32_t m_timerIntermediateMs = 0;
    uint32_t m_timerFinalMs = 0;

    // Flight bookkeeping (see session-stats.h).
    SessionStats m_stats;
    StreamRecordScanner m_rxScanner;
    StreamRecordScanner m_txScanner;
    bool m_awaitingAnswer = false;        ///< our last flight of the handshake is unanswered
    bool m_sawHelloVerifyRequest = false; ///< client: counted the (first) HelloVerifyRequest
    bool m_flightOpenInCall = false;      ///< this call already started an outgoing flight
    bool m_lastFlightOutgoing = false;    ///< direction of the latest flight
    bool m_haveFlightSequence = false;    ///< m_lastFlightSequence is valid
    int m_lastFlightSequence = -1;        ///< mbedTLS out_msg_seq when the last flight left
    bool m_currentFlightRetransmission = false;
    bool m_previousFlightComplete = true; ///< DTLS: the last handshake datagram ended a flight
    size_t m_callOutputStart = 0;

    std::vector<uint8_t> m_peerPskIdentity;

    /// What a hibernating session keeps: the serialized connection, and the answers to the
    /// queries that would otherwise need the mbedTLS context.
    struct Hibernated
    {
        std::vector<uint8_t> context;
        std::string cipherSuite;
        std::string peerSubject;
        size_t maxWriteSize = 0;
        std::vector<uint8_t> savedSession;
    };

    Hibernated m_hibernated;
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_SESSION_H
