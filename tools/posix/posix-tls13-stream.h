/*
 * The POSIX driver of a TLS 1.3 connection (lpwan::tls13::Client or Server) over one connected
 * TCP socket: poll(), read, feed the sans-I/O core, write what it produced. The real-socket
 * twin of what an ns-3 application does with the same core; here for interoperability with
 * other implementations (OpenSSL's s_server and s_client). TLS 1.3 over TCP has no timers,
 * so the only clock is the steady one, for deadlines and for the TimeNs the core is given
 * (nanoseconds since the driver was created).
 *
 * Use: for a client, call Client::Start before Handshake (its ClientHello is then the first
 * output); Handshake(timeout), then Send() / Receive(timeout), and Close(). Every call returns
 * when done or when its timeout passes; none blocks longer.
 */
#ifndef LPWAN_POSIX_TLS13_STREAM_H
#define LPWAN_POSIX_TLS13_STREAM_H

#include "protocols/tls13/tls13-connection.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace lpwan
{

class PosixTls13Stream
{
  public:
    /// Drives connection over fd, a connected non-blocking TCP socket (ConnectTcp,
    /// TcpListener::Accept), which the driver owns from now on and closes. The connection
    /// must outlive the driver.
    PosixTls13Stream(int fd, tls13::Connection& connection);
    ~PosixTls13Stream();
    PosixTls13Stream(const PosixTls13Stream&) = delete;
    PosixTls13Stream& operator=(const PosixTls13Stream&) = delete;

    /// Runs the handshake: true once connected; false when it failed (the connection's
    /// FailureAlert says why), the peer closed the TCP connection, or timeout passed first.
    bool Handshake(std::chrono::milliseconds timeout);
    /// Sends application data (as many records as it takes).
    bool Send(const std::vector<uint8_t>& data);
    /// Waits up to timeout for application data and returns what arrived (the stream has no
    /// message boundaries); nullopt when nothing came because time ran out, the peer closed
    /// (PeerClosed) or the connection failed.
    std::optional<std::vector<uint8_t>> Receive(std::chrono::milliseconds timeout);
    /// Sends close_notify and then the TCP FIN: the peer sees the end of the stream.
    void Close();

    /// True once the peer sent close_notify or closed its side of the TCP connection.
    bool PeerClosed() const
    {
        return m_peerClosed || m_eof;
    }

    /// The driver's time base: steady-clock nanoseconds since construction.
    lpwan::TimeNs Now() const;

  private:
    /// Writes pending output, waits (up to until) for bytes, feeds them to the connection,
    /// and writes what it answered.
    void Step(lpwan::TimeNs until);
    void Flush();
    void TakeEvents();

    int m_fd = -1;
    tls13::Connection& m_connection;
    std::chrono::steady_clock::time_point m_epoch;
    std::vector<uint8_t> m_received; ///< application data not yet returned by Receive
    std::vector<uint8_t> m_buffer;   ///< for recv()
    bool m_eof = false;              ///< the peer closed its side of the TCP connection
    bool m_peerClosed = false;       ///< close_notify received
    bool m_writeFailed = false;
};

} // namespace lpwan

#endif // LPWAN_POSIX_TLS13_STREAM_H
