/*
 * One TLS connection over a reliable byte stream, whichever TLS version runs it: what a stream
 * driver (the ns-3 TlsTcpConnection, under MQTT) needs from a session. tls::Session (TLS 1.2 on
 * mbedTLS) implements it directly; tls13::StreamSession wraps the TLS 1.3 core's Client or
 * Server. Both speak in this folder's terms -- State, Event, SessionStats -- so that a driver,
 * the handshake figures (HandshakeFigures) and summary.json count the two versions the same way.
 *
 * A StreamSessionFactory makes the sessions of one endpoint (a device or a broker) from its
 * credentials: the applications hold one and need not know the version.
 */
#ifndef LPWAN_TLS_STREAM_SESSION_H
#define LPWAN_TLS_STREAM_SESSION_H

#include "protocols/common/sans-io.h"
#include "session-stats.h"
#include "tls-config.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace tls
{

enum class State
{
    Handshaking, ///< also the state of a server waiting for its first ClientHello
    Established, ///< application data can flow
    Closed,      ///< close_notify sent or received
    Failed,      ///< see GetFailureReason(); nothing more is sent or accepted
};

const char* ToString(State state);

/// Changes of state, for the driver (application data is fetched with Read()).
struct Event
{
    enum class Kind
    {
        Established,
        Closed, ///< reason says who closed
        Failed, ///< reason says why
    };

    Kind kind = Kind::Established;
    lpwan::TimeNs time = 0;
    std::string reason;
};

class StreamSession
{
  public:
    virtual ~StreamSession() = default;

    virtual Role GetRole() const = 0;

    /// Client: sends the ClientHello. Server: marks the session ready. Call once.
    virtual void Start(lpwan::TimeNs now) = 0;
    /// The next piece of the stream from the peer (any split).
    virtual void Receive(lpwan::TimeNs now, const uint8_t* data, size_t size) = 0;
    /// Call when NextTimer() has been reached.
    virtual void OnTimer(lpwan::TimeNs now) = 0;
    /// nullopt: no timer (TLS 1.3 has none: TCP retransmits).
    virtual std::optional<lpwan::TimeNs> NextTimer() const = 0;

    /// Encrypts application data; only when Established. False (nothing sent) otherwise.
    /// A call of at most MaxWriteSize() bytes yields exactly one record.
    virtual bool Write(lpwan::TimeNs now, const uint8_t* data, size_t size) = 0;
    /// The largest plaintext of one record.
    virtual size_t MaxWriteSize() const = 0;
    /// Bytes of an application record in front of its plaintext (header, explicit nonce); the
    /// rest of the record's overhead follows the plaintext. A driver labels the bytes with it.
    virtual size_t RecordPlaintextOffset() const = 0;
    /// Sends close_notify and enters Closed (no effect unless Handshaking or Established).
    virtual void Close(lpwan::TimeNs now) = 0;

    /// Pieces of the stream to send, in order; the queue is emptied.
    virtual std::vector<lpwan::Datagram> TakeOutput() = 0;
    /// Application data received, in order (message boundaries are not kept); emptied.
    virtual std::vector<std::vector<uint8_t>> Read() = 0;
    virtual std::vector<Event> TakeEvents() = 0;

    virtual State GetState() const = 0;
    virtual const SessionStats& GetStats() const = 0;
    /// Client, once Established: what StreamSessionFactory::NewSession's `resume` accepts to
    /// resume this session next time. Empty when the version or configuration cannot.
    virtual std::vector<uint8_t> SaveSession() const = 0;
};

/// The sessions of one endpoint: its role, credentials and TLS version.
class StreamSessionFactory
{
  public:
    virtual ~StreamSessionFactory() = default;

    virtual Role GetRole() const = 0;
    /// A new session with `peer` (the transport's peer: the server's address for a client, the
    /// client's for a server). resume: SaveSession() of an earlier session (client), or empty;
    /// one that cannot be used is ignored (a full handshake).
    virtual std::unique_ptr<StreamSession> NewSession(lpwan::PeerId peer,
                                                      const std::vector<uint8_t>& resume)
        = 0;
    /// Client: established sessions are worth saving for the next connection.
    virtual bool Resumes() const = 0;
    /// Server: forgets what lets clients resume (a restarted process).
    virtual void ForgetSessionCache() = 0;
    /// The protocol name of the messages it carries under MQTT (messages.csv's protocol).
    virtual std::string GetMqttProtocolName() const = 0;
};

/// The TLS 1.2 sessions (tls::Session) of one tls::Config (a Stream one).
class Tls12SessionFactory : public StreamSessionFactory
{
  public:
    /// Throws std::invalid_argument unless config is a Stream configuration.
    explicit Tls12SessionFactory(std::shared_ptr<const Config> config);

    Role GetRole() const override;
    std::unique_ptr<StreamSession> NewSession(lpwan::PeerId peer,
                                              const std::vector<uint8_t>& resume) override;
    bool Resumes() const override;
    void ForgetSessionCache() override;

    std::string GetMqttProtocolName() const override
    {
        return "mqtt+tls";
    }

  private:
    std::shared_ptr<const Config> m_config;
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_STREAM_SESSION_H
