/*
 * A (D)TLS 1.2 session driven sans-I/O over mbedTLS; see tls-session.h.
 *
 * A few facts are read from mbedTLS 2.28's internal handshake structure (ssl_internal.h,
 * installed by Debian and matching its build): whether the handshake resumes a session
 * (handshake->resume), whether a HelloVerifyRequest cookie arrived (verify_cookie_len), and
 * the handshake message sequence numbers (out_msg_seq, in_msg_seq). mbedTLS has no public
 * API for them; they are only used for statistics, never to steer the protocol.
 */

#include "tls-session.h"

#include "../common/crypto-tally.h"

#include <mbedtls/error.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_internal.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace lpwan
{
namespace tls
{

namespace
{

std::string
MbedtlsError(int code)
{
    char text[160];
    mbedtls_strerror(code, text, sizeof(text));
    char hex[16];
    std::snprintf(hex, sizeof(hex), "-0x%04X", static_cast<unsigned>(-code));
    return std::string(text) + " (" + hex + ")";
}

std::vector<uint8_t>
TransportId(lpwan::PeerId peer)
{
    std::vector<uint8_t> id(8);
    for (int i = 0; i < 8; ++i)
    {
        id[i] = static_cast<uint8_t>(peer >> (56 - 8 * i));
    }
    return id;
}

} // namespace

const char*
ToString(State state)
{
    switch (state)
    {
        case State::Handshaking:
            return "Handshaking";
        case State::Established:
            return "Established";
        case State::Closed:
            return "Closed";
        case State::Failed:
            return "Failed";
    }
    return "?";
}

/// Brackets every entry from the driver: the session's time, the simulated wall clock, and
/// the start of a new potential outgoing flight.
class Session::CallScope
{
  public:
    CallScope(Session& session, lpwan::TimeNs now)
    {
        session.m_now = now;
        session.m_flightOpenInCall = false;
        if (const std::optional<int64_t> wall = session.m_config->WallClockAt(now))
        {
            m_clock.emplace(*wall);
        }
    }

  private:
    std::optional<SimulatedWallClock> m_clock;
};

Session::Session(std::shared_ptr<const Config> config, lpwan::PeerId peer,
                 const SessionOptions& options)
  : m_config(std::move(config))
  , m_peer(peer)
  , m_mtu(options.mtu != 0 ? options.mtu : 0)
{
    if (!m_config)
    {
        throw std::invalid_argument("tls::Session: no Config");
    }
    if (m_mtu == 0)
    {
        m_mtu = m_config->GetOptions().mtu;
    }
    SetUpContext();
    if (!options.resume.empty())
    {
        if (GetRole() != Role::Client)
        {
            throw std::invalid_argument("tls::Session: only a client resumes a session");
        }
        mbedtls_ssl_session saved;
        mbedtls_ssl_session_init(&saved);
        int rc = mbedtls_ssl_session_load(&saved, options.resume.data(), options.resume.size());
        if (rc == 0)
        {
            rc = mbedtls_ssl_set_session(m_ssl.get(), &saved);
        }
        mbedtls_ssl_session_free(&saved);
        if (rc != 0)
        {
            throw std::invalid_argument("tls::Session: cannot resume the saved session: "
                                        + MbedtlsError(rc));
        }
    }
}

Session::~Session() = default;

void
Session::SslContextDeleter::operator()(mbedtls_ssl_context* ssl) const
{
    mbedtls_ssl_free(ssl);
    delete ssl;
}

void
Session::SetUpContext()
{
    m_ssl.reset(new mbedtls_ssl_context());
    mbedtls_ssl_init(m_ssl.get());
    const int rc = mbedtls_ssl_setup(m_ssl.get(), m_config->GetSslConfig());
    if (rc != 0)
    {
        m_ssl.reset();
        throw std::runtime_error("tls::Session: mbedtls_ssl_setup: " + MbedtlsError(rc));
    }
    mbedtls_ssl_set_bio(m_ssl.get(), this, &Session::SendCallback, &Session::RecvCallback, nullptr);
    if (IsDatagram())
    {
        mbedtls_ssl_set_timer_cb(m_ssl.get(), this, &Session::SetTimerCallback,
                                 &Session::GetTimerCallback);
        if (m_mtu != 0)
        {
            mbedtls_ssl_set_mtu(m_ssl.get(), m_mtu);
        }
        if (GetRole() == Role::Server)
        {
            const std::vector<uint8_t> id = TransportId(m_peer);
            mbedtls_ssl_set_client_transport_id(m_ssl.get(), id.data(), id.size());
        }
    }
    const std::string& name = m_config->GetOptions().serverName;
    if (GetRole() == Role::Client && !name.empty())
    {
        mbedtls_ssl_set_hostname(m_ssl.get(), name.c_str());
    }
}

Role
Session::GetRole() const
{
    return m_config->GetOptions().role;
}

bool
Session::IsDatagram() const
{
    return m_config->GetOptions().transport == Transport::Datagram;
}

// ---- mbedTLS callbacks ----

int
Session::SendCallback(void* self, const unsigned char* data, size_t size)
{
    auto* s = static_cast<Session*>(self);
    s->AccountOutgoing(data, size);
    return static_cast<int>(size);
}

int
Session::RecvCallback(void* self, unsigned char* buffer, size_t size)
{
    auto* s = static_cast<Session*>(self);
    if (s->IsDatagram())
    {
        if (s->m_inDatagrams.empty())
        {
            return MBEDTLS_ERR_SSL_WANT_READ;
        }
        std::vector<uint8_t> datagram = std::move(s->m_inDatagrams.front());
        s->m_inDatagrams.erase(s->m_inDatagrams.begin()); // rarely more than one queued
        // Like recv() on a UDP socket: a datagram larger than the buffer is truncated (and
        // mbedTLS then drops the broken record).
        const size_t n = std::min(size, datagram.size());
        std::memcpy(buffer, datagram.data(), n);
        return static_cast<int>(n);
    }
    const size_t available = s->m_inStream.size() - s->m_streamOffset;
    if (available == 0)
    {
        return MBEDTLS_ERR_SSL_WANT_READ;
    }
    const size_t n = std::min(size, available);
    std::memcpy(buffer, s->m_inStream.data() + s->m_streamOffset, n);
    s->m_streamOffset += n;
    if (s->m_streamOffset == s->m_inStream.size())
    {
        s->m_inStream.clear();
        s->m_streamOffset = 0;
    }
    return static_cast<int>(n);
}

void
Session::SetTimerCallback(void* self, uint32_t intermediateMs, uint32_t finalMs)
{
    auto* s = static_cast<Session*>(self);
    s->m_timerArmed = finalMs != 0;
    s->m_timerStart = s->m_now;
    s->m_timerIntermediateMs = intermediateMs;
    s->m_timerFinalMs = finalMs;
}

int
Session::GetTimerCallback(void* self)
{
    const auto* s = static_cast<const Session*>(self);
    if (!s->m_timerArmed)
    {
        return -1;
    }
    const lpwan::TimeNs elapsedMs = (s->m_now - s->m_timerStart) / 1000000;
    if (elapsedMs >= s->m_timerFinalMs)
    {
        return 2;
    }
    if (elapsedMs >= s->m_timerIntermediateMs)
    {
        return 1;
    }
    return 0;
}

void
Session::NotePskIdentity(mbedtls_ssl_context* ssl, const std::vector<uint8_t>& identity)
{
    static_cast<Session*>(ssl->p_bio)->m_peerPskIdentity = identity;
}

// ---- accounting ----

int
Session::OutgoingMessageSequence() const
{
    return m_ssl->handshake != nullptr ? static_cast<int>(m_ssl->handshake->out_msg_seq) : -1;
}

int
Session::IncomingMessageSequence() const
{
    return m_ssl->handshake != nullptr ? static_cast<int>(m_ssl->handshake->in_msg_seq) : -1;
}

void
Session::AccountOutgoing(const uint8_t* data, size_t size)
{
    const RecordBytes records
        = IsDatagram() ? ScanDatagram(data, size) : m_txScanner.Feed(data, size);
    m_stats.bytesSent += size;
    ++m_stats.datagramsSent;
    m_stats.handshakeBytesSent += records.HandshakeFlight();
    m_stats.alertBytesSent += records.alert;
    m_stats.applicationRecordBytesSent += records.applicationData;

    bool retransmission = false;
    if (records.HandshakeFlight() > 0)
    {
        // DTLS: mbedTLS sends a flight message by message (mbedtls_ssl_flight_transmit); when
        // the datagram just written ends a flight, no message of it is left to send
        // (handshake->cur_msg is null), and the next handshake datagram starts another flight
        // -- possibly in the same call (an old flight resent, then a new one). TLS writes
        // whole flights in one call and never resends.
        if (!m_flightOpenInCall || (IsDatagram() && m_previousFlightComplete))
        {
            // A flight that adds no handshake message (mbedTLS's outgoing message sequence
            // number has not moved since the previous flight) repeats that flight. Streams
            // never retransmit.
            const int sequence = OutgoingMessageSequence();
            m_currentFlightRetransmission = IsDatagram() && sequence >= 0 && m_haveFlightSequence
                                            && sequence == m_lastFlightSequence;
            m_haveFlightSequence = sequence >= 0;
            m_lastFlightSequence = sequence;
            Flight flight;
            flight.outgoing = true;
            flight.start = m_now;
            flight.retransmission = m_currentFlightRetransmission;
            m_stats.flights.push_back(flight);
            ++m_stats.flightsSent;
            if (m_currentFlightRetransmission)
            {
                ++m_stats.retransmittedFlights;
            }
            m_flightOpenInCall = true;
            m_lastFlightOutgoing = true;
        }
        Flight& flight = m_stats.flights.back();
        ++flight.datagrams;
        flight.bytes += records.HandshakeFlight();
        flight.end = m_now;
        retransmission = m_currentFlightRetransmission;
        m_previousFlightComplete
            = m_ssl->handshake == nullptr || m_ssl->handshake->cur_msg == nullptr;
    }
    lpwan::Datagram out;
    out.peer = m_peer;
    out.bytes.assign(data, data + size);
    out.retransmission = retransmission;
    m_output.push_back(std::move(out));
}

size_t
Session::AccountIncoming(const uint8_t* data, size_t size)
{
    const RecordBytes records
        = IsDatagram() ? ScanDatagram(data, size) : m_rxScanner.Feed(data, size);
    const size_t whole = size - static_cast<size_t>(IsDatagram() ? records.other : 0);
    m_stats.bytesReceived += size;
    ++m_stats.datagramsReceived;
    m_stats.handshakeBytesReceived += records.HandshakeFlight();
    m_stats.alertBytesReceived += records.alert;
    m_stats.applicationRecordBytesReceived += records.applicationData;
    if (records.HandshakeFlight() == 0)
    {
        return whole;
    }
    if (m_stats.flights.empty() || m_lastFlightOutgoing)
    {
        Flight flight;
        flight.outgoing = false;
        flight.start = m_now;
        m_stats.flights.push_back(flight);
        ++m_stats.flightsReceived;
        m_lastFlightOutgoing = false;
    }
    Flight& flight = m_stats.flights.back();
    ++flight.datagrams;
    flight.bytes += records.HandshakeFlight();
    flight.end = m_now;
    return whole;
}

// ---- driving mbedTLS ----

void
Session::NoteHandshakeProgress()
{
    const mbedtls_ssl_handshake_params* hs = m_ssl->handshake;
    if (hs == nullptr)
    {
        return;
    }
    // A client that offers a saved session starts with resume set; the ServerHello clears it
    // when the server declines. The last value seen before the handshake structure is freed
    // is the outcome.
    m_stats.resumed = hs->resume != 0;
    if (GetRole() == Role::Client && hs->verify_cookie_len > 0 && !m_sawHelloVerifyRequest)
    {
        m_sawHelloVerifyRequest = true;
        ++m_stats.helloVerifyRequests;
    }
}

void
Session::Start(lpwan::TimeNs now)
{
    if (m_started || m_state != State::Handshaking)
    {
        return;
    }
    CallScope scope(*this, now);
    m_started = true;
    if (GetRole() == Role::Client)
    {
        m_stats.handshakeStart = now;
        Drive();
        m_awaitingAnswer = m_flightOpenInCall && m_state == State::Handshaking;
    }
}

void
Session::Receive(lpwan::TimeNs now, const uint8_t* data, size_t size)
{
    if (m_state == State::Closed || m_state == State::Failed)
    {
        ++m_stats.datagramsIgnored;
        return;
    }
    CallScope scope(*this, now);
    if (!m_started)
    {
        m_started = true;
        if (GetRole() == Role::Client)
        {
            m_stats.handshakeStart = now;
        }
    }
    if (GetRole() == Role::Server && m_state == State::Handshaking && m_stats.handshakeStart < 0)
    {
        m_stats.handshakeStart = now;
    }
    const size_t whole = AccountIncoming(data, size);
    if (IsDatagram())
    {
        // Debian's mbedTLS 2.28 fails an established session with an internal error when a
        // datagram ends in a partial record header ("should never happen" in its
        // fetch_input): one spoofed datagram would tear the association down. RFC 6347
        // section 4.1.2.7 says invalid records are discarded, so mbedTLS gets only the
        // datagram's leading whole records (all of it, normally), and nothing if there are
        // none.
        if (whole < size)
        {
            ++m_stats.malformedDatagrams;
        }
        if (whole == 0)
        {
            return;
        }
        // A ClientHello on an established association: mbedTLS (MBEDTLS_SSL_DTLS_CLIENT_
        // PORT_REUSE) would reset the association at once if its cookie is valid, so a
        // replayed or corrupted copy of the client's ClientHello would end a working
        // session. RFC 6347 section 4.2.8 wants the old association kept until the new
        // handshake completes: DtlsServer runs such a handshake in a separate Session;
        // the established one ignores it.
        if (GetRole() == Role::Server && m_state == State::Established
            && ContainsClientHello(data, whole))
        {
            ++m_stats.clientHellosIgnored;
            return;
        }
        if (!Wake())
        {
            return;
        }
        m_inDatagrams.emplace_back(data, data + whole);
    }
    else
    {
        m_inStream.insert(m_inStream.end(), data, data + size);
    }

    const State before = m_state;
    const int handshakeStateBefore = m_ssl->state;
    const int incomingBefore = IncomingMessageSequence();
    const bool wasAwaiting = m_awaitingAnswer;
    Drive();
    // The peer answered our flight when mbedTLS accepted a new handshake message from it: its
    // handshake state machine moved (a repeated old flight does not move it).
    const bool advanced = (before == State::Handshaking && m_state != State::Handshaking)
                          || m_ssl->state != handshakeStateBefore
                          || IncomingMessageSequence() > incomingBefore;
    if (wasAwaiting && advanced && before == State::Handshaking)
    {
        ++m_stats.roundTrips;
    }
    if (m_flightOpenInCall)
    {
        m_awaitingAnswer = m_state == State::Handshaking;
    }
    else
    {
        m_awaitingAnswer = wasAwaiting && !advanced && m_state == State::Handshaking;
    }
}

void
Session::OnTimer(lpwan::TimeNs now)
{
    const std::optional<lpwan::TimeNs> deadline = NextTimer();
    if (!deadline || now < *deadline)
    {
        return;
    }
    CallScope scope(*this, now);
    Drive();
    if (m_flightOpenInCall && m_state == State::Handshaking)
    {
        m_awaitingAnswer = true;
    }
}

std::optional<lpwan::TimeNs>
Session::NextTimer() const
{
    if (!m_timerArmed || m_state == State::Closed || m_state == State::Failed)
    {
        return std::nullopt;
    }
    return m_timerStart + static_cast<lpwan::TimeNs>(m_timerFinalMs) * 1000000;
}

void
Session::Drive()
{
    if (m_state == State::Handshaking)
    {
        RunHandshake();
    }
    if (m_state == State::Established)
    {
        ReadAvailable();
    }
}

size_t
Session::QueuedInput() const
{
    return IsDatagram() ? m_inDatagrams.size() : m_inStream.size() - m_streamOffset;
}

void
Session::RunHandshake()
{
    CryptoPhaseScope handshake; // key establishment (common/crypto-tally.h)
    bool retried = false;
    while (true)
    {
        const size_t queued = QueuedInput();
        int ret = 0;
        while (m_ssl->state != MBEDTLS_SSL_HANDSHAKE_OVER)
        {
            ret = mbedtls_ssl_handshake_step(m_ssl.get());
            NoteHandshakeProgress();
            if (ret != 0)
            {
                break;
            }
        }
        if (ret == 0)
        {
            EnterEstablished();
            return;
        }
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
        {
            // mbedTLS checks its timer before reading: when a datagram arrives after the
            // deadline it first resends its flight and returns without reading. Go on until
            // the input is consumed (once more when nothing was consumed, which covers that
            // case and cannot loop).
            const size_t left = QueuedInput();
            if (left > 0 && (left < queued || !retried))
            {
                retried = left == queued;
                continue;
            }
            return;
        }
        if (ret == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED)
        {
            // The HelloVerifyRequest has been sent; the server keeps no state for this client
            // until it comes back with the cookie (RFC 6347 section 4.2.1).
            ++m_stats.helloVerifyRequests;
            mbedtls_ssl_session_reset(m_ssl.get());
            const std::vector<uint8_t> id = TransportId(m_peer);
            mbedtls_ssl_set_client_transport_id(m_ssl.get(), id.data(), id.size());
            m_haveFlightSequence = false;
            if (m_inDatagrams.empty())
            {
                return;
            }
            continue;
        }
        Fail(ret, "handshake");
        return;
    }
}

void
Session::EnterEstablished()
{
    m_state = State::Established;
    m_stats.handshakeEnd = m_now;
    Event event;
    event.kind = Event::Kind::Established;
    event.time = m_now;
    m_events.push_back(event);
}

void
Session::ReadAvailable()
{
    static thread_local std::vector<unsigned char> buffer(16384 + 2048);
    size_t queued = QueuedInput();
    bool retried = false;
    while (m_state == State::Established)
    {
        const int ret = mbedtls_ssl_read(m_ssl.get(), buffer.data(), buffer.size());
        if (ret > 0)
        {
            m_received.emplace_back(buffer.begin(), buffer.begin() + ret);
            m_stats.applicationBytesRead += static_cast<uint64_t>(ret);
            queued = QueuedInput();
            continue;
        }
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE
            || ret == MBEDTLS_ERR_SSL_TIMEOUT)
        {
            // As in RunHandshake: go on while input is left and being consumed.
            const size_t left = QueuedInput();
            if (left > 0 && (left < queued || !retried))
            {
                retried = left == queued;
                queued = left;
                continue;
            }
            return;
        }
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || ret == 0)
        {
            m_state = State::Closed;
            m_timerArmed = false;
            Event event;
            event.kind = Event::Kind::Closed;
            event.time = m_now;
            event.reason = ret == 0 ? "end of stream" : "peer sent close_notify";
            m_events.push_back(event);
            return;
        }
        Fail(ret, "read");
        return;
    }
}

void
Session::Fail(int error, const std::string& context)
{
    m_state = State::Failed;
    m_lastError = error;
    m_timerArmed = false;
    std::string reason;
    if (error == MBEDTLS_ERR_SSL_TIMEOUT)
    {
        reason = context + " timeout: no answer after the retransmission timeout reached "
                 + std::to_string(m_config->GetOptions().handshakeTimeoutMaxMs) + " ms";
    }
    else if (error == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE)
    {
        reason = context + " failed: fatal alert " + std::to_string(m_ssl->in_msg[1])
                 + " received from the peer";
    }
    else
    {
        reason = context + " failed: " + MbedtlsError(error);
    }
    m_failureReason = reason;
    Event event;
    event.kind = Event::Kind::Failed;
    event.time = m_now;
    event.reason = reason;
    m_events.push_back(event);
}

// ---- application data ----

size_t
Session::MaxWriteSize() const
{
    if (!m_ssl)
    {
        return m_hibernated.maxWriteSize;
    }
    const int n = mbedtls_ssl_get_max_out_record_payload(m_ssl.get());
    return n > 0 ? static_cast<size_t>(n) : 0;
}

bool
Session::Write(lpwan::TimeNs now, const uint8_t* data, size_t size)
{
    if (m_state != State::Established || !Wake())
    {
        return false;
    }
    if (IsDatagram() && size > MaxWriteSize())
    {
        return false;
    }
    CallScope scope(*this, now);
    size_t offset = 0;
    do
    {
        const int ret = mbedtls_ssl_write(m_ssl.get(), data + offset, size - offset);
        if (ret < 0)
        {
            // Our send callback never blocks, so WANT_WRITE cannot happen; anything else is
            // fatal for the session.
            Fail(ret, "write");
            return false;
        }
        offset += static_cast<size_t>(ret);
    } while (offset < size);
    m_stats.applicationBytesWritten += size;
    return true;
}

void
Session::Close(lpwan::TimeNs now)
{
    if (m_state != State::Handshaking && m_state != State::Established)
    {
        return;
    }
    CallScope scope(*this, now);
    if (m_state == State::Established && Wake())
    {
        mbedtls_ssl_close_notify(m_ssl.get());
    }
    m_state = State::Closed;
    m_timerArmed = false;
    Event event;
    event.kind = Event::Kind::Closed;
    event.time = now;
    event.reason = "closed locally";
    m_events.push_back(event);
}

// ---- outputs and queries ----

std::vector<lpwan::Datagram>
Session::TakeOutput()
{
    std::vector<lpwan::Datagram> out;
    out.swap(m_output);
    return out;
}

std::vector<std::vector<uint8_t>>
Session::Read()
{
    std::vector<std::vector<uint8_t>> out;
    out.swap(m_received);
    return out;
}

std::vector<Event>
Session::TakeEvents()
{
    std::vector<Event> out;
    out.swap(m_events);
    return out;
}

std::string
Session::GetCipherSuite() const
{
    if (!m_ssl)
    {
        return m_hibernated.cipherSuite;
    }
    if (m_ssl->session == nullptr && m_ssl->session_negotiate == nullptr)
    {
        return "";
    }
    const char* name = mbedtls_ssl_get_ciphersuite(m_ssl.get());
    return name != nullptr ? name : "";
}

std::string
Session::GetPeerCertificateSubject() const
{
    if (!m_ssl)
    {
        return m_hibernated.peerSubject;
    }
    const mbedtls_x509_crt* peer = mbedtls_ssl_get_peer_cert(m_ssl.get());
    if (peer == nullptr)
    {
        return "";
    }
    char text[512];
    const int n = mbedtls_x509_dn_gets(text, sizeof(text), &peer->subject);
    return n > 0 ? std::string(text, static_cast<size_t>(n)) : "";
}

std::vector<uint8_t>
Session::SaveSession() const
{
    if (GetRole() != Role::Client || m_state != State::Established)
    {
        return {};
    }
    if (!m_ssl)
    {
        return m_hibernated.savedSession;
    }
    mbedtls_ssl_session session;
    mbedtls_ssl_session_init(&session);
    std::vector<uint8_t> bytes;
    if (mbedtls_ssl_get_session(m_ssl.get(), &session) == 0)
    {
        size_t length = 0;
        mbedtls_ssl_session_save(&session, nullptr, 0, &length);
        bytes.resize(length);
        if (length == 0
            || mbedtls_ssl_session_save(&session, bytes.data(), bytes.size(), &length) != 0)
        {
            bytes.clear();
        }
    }
    mbedtls_ssl_session_free(&session);
    return bytes;
}

void
Session::Reset(lpwan::PeerId peer)
{
    if (m_ssl)
    {
        mbedtls_ssl_session_reset(m_ssl.get());
    }
    else
    {
        SetUpContext();
        m_hibernated = Hibernated();
    }
    m_peer = peer;
    if (IsDatagram() && GetRole() == Role::Server)
    {
        const std::vector<uint8_t> id = TransportId(peer);
        mbedtls_ssl_set_client_transport_id(m_ssl.get(), id.data(), id.size());
    }
    m_now = 0;
    m_started = false;
    m_state = State::Handshaking;
    m_failureReason.clear();
    m_lastError = 0;
    m_inDatagrams.clear();
    m_inStream.clear();
    m_streamOffset = 0;
    m_output.clear();
    m_received.clear();
    m_events.clear();
    m_timerArmed = false;
    m_stats = SessionStats();
    m_rxScanner = StreamRecordScanner();
    m_txScanner = StreamRecordScanner();
    m_flightOpenInCall = false;
    m_lastFlightOutgoing = false;
    m_haveFlightSequence = false;
    m_lastFlightSequence = -1;
    m_currentFlightRetransmission = false;
    m_previousFlightComplete = true;
    m_awaitingAnswer = false;
    m_sawHelloVerifyRequest = false;
    m_peerPskIdentity.clear();
}

bool
Session::AcceptedClientHello() const
{
    return m_state == State::Established
           || (m_state == State::Handshaking && m_ssl->state > MBEDTLS_SSL_CLIENT_HELLO);
}

// ---- hibernation ----

bool
Session::Hibernate()
{
    if (!m_ssl || !IsDatagram() || m_state != State::Established || m_timerArmed
        || !m_inDatagrams.empty() || m_ssl->handshake != nullptr)
    {
        return false;
    }
    Hibernated h;
    h.cipherSuite = GetCipherSuite();
    h.peerSubject = GetPeerCertificateSubject();
    h.maxWriteSize = MaxWriteSize();
    h.savedSession = SaveSession();
    size_t length = 0;
    if (mbedtls_ssl_context_save(m_ssl.get(), nullptr, 0, &length)
        != MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL)
    {
        return false; // not in a state mbedTLS can serialize; stay awake
    }
    h.context.resize(length);
    if (mbedtls_ssl_context_save(m_ssl.get(), h.context.data(), h.context.size(), &length) != 0)
    {
        return false;
    }
    h.context.resize(length);
    m_ssl.reset();
    m_hibernated = std::move(h);
    m_inDatagrams.shrink_to_fit();
    m_stats.flights.shrink_to_fit();
    return true;
}

bool
Session::Wake()
{
    if (m_ssl)
    {
        return true;
    }
    // The serialized connection must be loaded exactly once (mbedTLS's warning): it is
    // moved out before loading.
    std::vector<uint8_t> context = std::move(m_hibernated.context);
    m_hibernated = Hibernated();
    int rc = MBEDTLS_ERR_SSL_ALLOC_FAILED;
    try
    {
        SetUpContext();
        rc = mbedtls_ssl_context_load(m_ssl.get(), context.data(), context.size());
        if (rc == 0 && IsDatagram() && m_mtu != 0)
        {
            mbedtls_ssl_set_mtu(m_ssl.get(), m_mtu);
        }
    }
    catch (const std::exception&)
    {
        // SetUpContext failed (mbedtls_ssl_setup: out of memory); rc says so.
    }
    if (rc != 0)
    {
        if (!m_ssl)
        {
            m_ssl.reset(new mbedtls_ssl_context());
            mbedtls_ssl_init(m_ssl.get());
        }
        Fail(rc, "restoring the hibernated session");
        return false;
    }
    return true;
}

size_t
Session::HibernatedSize() const
{
    return m_ssl ? 0 : m_hibernated.context.size();
}

} // namespace tls
} // namespace lpwan
