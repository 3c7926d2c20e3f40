/*
 * MQTT over TLS 1.2 on a real TCP connection (the "secure-mqtt" port, 8883 by convention): a
 * thin driver that layers a sans-I/O tls::Session in stream mode between the TCP socket and
 * the sans-I/O mqtt::Client's byte stream. It exists to run both cores against other
 * implementations (Debian's mosquitto broker with OpenSSL); nothing in the simulator uses it.
 *
 *   socket bytes  -> Session::Receive -> Session::Read -> Client::Receive
 *   Client::TakeBytes -> Session::Write -> Session::TakeOutput -> socket
 *
 * Open() connects TCP and sends the ClientHello; when the handshake completes, the driver
 * calls Client::Connect (so the CONNECT is the first application data). A handshake that
 * fails, or does not complete within the Open() timeout, ends the connection with a
 * ConnectionLost event whose reason says why (the client itself was never connected). When
 * the MQTT connection ends (Disconnect, or ConnectionLost), the driver sends close_notify and
 * closes the socket; a TLS failure or close_notify from the broker is a transport loss for
 * the client. Wall-clock time lives only here (the steady clock), and mbedTLS sees the real
 * time: the Config must be built with Options::wallClockBase = nullopt.
 */
#ifndef LPWAN_POSIX_TLS_MQTT_CLIENT_H
#define LPWAN_POSIX_TLS_MQTT_CLIENT_H

#include "protocols/mqtt/mqtt-client.h"
#include "protocols/tls/tls-config.h"
#include "protocols/tls/tls-session.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{

class PosixTlsMqttClient
{
  public:
    /// config: a Role::Client, Transport::Stream tls::Config (else std::invalid_argument).
    PosixTlsMqttClient(mqtt::Client& client, std::shared_ptr<const tls::Config> config);
    ~PosixTlsMqttClient();
    PosixTlsMqttClient(const PosixTlsMqttClient&) = delete;
    PosixTlsMqttClient& operator=(const PosixTlsMqttClient&) = delete;

    /// Connects to address (an IPv4 literal) and port within timeout and starts the TLS
    /// handshake, which must complete within timeout as well (Poll() enforces it). Throws
    /// std::runtime_error naming the failing step. The client must be Disconnected.
    void Open(const std::string& address, uint16_t port,
              lpwan::TimeNs timeout = lpwan::SecondsToNs(5));

    bool IsOpen() const
    {
        return m_fd >= 0;
    }

    /// True while the TLS session of the current connection is established.
    bool IsSecured() const
    {
        return m_session && m_session->GetState() == tls::State::Established;
    }

    /// Nanoseconds of the steady clock since the driver was created: the time base of both
    /// cores.
    lpwan::TimeNs Now() const;

    /// Encrypts and writes everything the client has queued (once the handshake completed).
    void Flush();

    /// Waits until bytes arrive, a deadline of the client or the session passes, `until`
    /// passes (if given) or a signal interrupts; feeds the session and the client; writes
    /// their output; closes the connection when it is over. Returns the client's events
    /// (possibly none), plus a ConnectionLost when the TLS handshake failed. Throws
    /// std::runtime_error when poll() itself fails.
    std::vector<mqtt::ClientEvent> Poll(std::optional<lpwan::TimeNs> until);

    /// Closes the socket without telling the client or the broker.
    void Close();

    /// The negotiated suite ("TLS-PSK-WITH-AES-128-GCM-SHA256"), "" until the handshake is done.
    std::string GetCipherSuite() const;

    /// The TLS session of the current (or last) connection, nullptr before Open().
    const tls::Session* GetSession() const
    {
        return m_session.get();
    }

    /// Bytes on the wire (TLS records), both ways.
    uint64_t BytesWritten() const
    {
        return m_bytesWritten;
    }

    uint64_t BytesRead() const
    {
        return m_bytesRead;
    }

  private:
    void ReadAvailable();
    /// Moves what the session received to the client and reacts to its events.
    void ProcessSession();
    void WriteSessionOutput();
    /// A write failed: the connection is lost (with the peer's alert as reason if it sent one).
    void WriteFailed();
    /// The connection is over: tells the client (once MQTT has started) or reports why.
    void Lost(const std::string& reason);

    mqtt::Client& m_client;
    std::shared_ptr<const tls::Config> m_config;
    std::unique_ptr<tls::Session> m_session;
    int m_fd = -1;
    bool m_mqttStarted = false;
    std::optional<lpwan::TimeNs> m_handshakeDeadline;
    std::vector<mqtt::ClientEvent> m_ownEvents; ///< ConnectionLost before MQTT started
    std::chrono::steady_clock::time_point m_epoch;
    std::vector<uint8_t> m_buffer;
    uint64_t m_bytesWritten = 0;
    uint64_t m_bytesRead = 0;
};

} // namespace lpwan

#endif // LPWAN_POSIX_TLS_MQTT_CLIENT_H
