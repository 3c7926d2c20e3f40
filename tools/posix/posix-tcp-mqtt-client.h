/*
 * A thin real-socket driver for the sans-I/O MQTT client: one IPv4 TCP connection, the steady
 * clock and a poll() loop. It exists to run mqtt::Client against other implementations
 * (Debian's mosquitto broker) over real sockets; nothing in the simulator uses it. Wall-clock
 * time lives only here: the client sees nanoseconds since the driver was created.
 *
 * The client's transport is a plain byte stream, so this driver only moves bytes: what the
 * socket reads goes to Client::Receive, what TakeBytes returns is written, a closed socket is
 * Client::TransportClosed. PosixTlsMqttClient (posix-tls-mqtt-client.h) does the same through a
 * TLS session.
 *
 * Use: Open() connects TCP and starts MQTT (CONNECT); call into the client (Publish, ...),
 * then Poll() in a loop, handling the events it returns. When the client's connection ends
 * (ConnectionLost, or after Disconnect()), Poll writes the last bytes and closes the socket.
 */
#ifndef LPWAN_POSIX_TCP_MQTT_CLIENT_H
#define LPWAN_POSIX_TCP_MQTT_CLIENT_H

#include "protocols/mqtt/mqtt-client.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{

class PosixTcpMqttClient
{
  public:
    explicit PosixTcpMqttClient(mqtt::Client& client);
    ~PosixTcpMqttClient();
    PosixTcpMqttClient(const PosixTcpMqttClient&) = delete;
    PosixTcpMqttClient& operator=(const PosixTcpMqttClient&) = delete;

    /// Connects to address (an IPv4 literal) and port within timeout, then calls
    /// client.Connect() and writes the CONNECT. Throws std::runtime_error naming the failing
    /// step. The client must be Disconnected.
    void Open(const std::string& address, uint16_t port,
              lpwan::TimeNs timeout = lpwan::SecondsToNs(5));

    bool IsOpen() const
    {
        return m_fd >= 0;
    }

    /// Nanoseconds of the steady clock since the driver was created: the client's time base.
    lpwan::TimeNs Now() const;

    /// Writes everything the client has queued. A write failure is a transport loss.
    void Flush();

    /// Waits until bytes arrive, the client's next deadline passes, `until` passes (if given)
    /// or a signal interrupts; feeds the client; writes its output; closes the socket when
    /// the connection is over. Returns the client's events (possibly none). Throws
    /// std::runtime_error when poll() itself fails.
    std::vector<mqtt::ClientEvent> Poll(std::optional<lpwan::TimeNs> until);

    /// Closes the socket without telling the client (e.g. to simulate a broken connection,
    /// followed by client.TransportClosed()).
    void Close();

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
    void Lost();

    mqtt::Client& m_client;
    int m_fd = -1;
    std::chrono::steady_clock::time_point m_epoch;
    std::vector<uint8_t> m_buffer;
    uint64_t m_bytesWritten = 0;
    uint64_t m_bytesRead = 0;
};

} // namespace lpwan

#endif // LPWAN_POSIX_TCP_MQTT_CLIENT_H
