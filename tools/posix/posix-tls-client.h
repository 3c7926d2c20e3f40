/*
 * The POSIX driver of a client tls::Session: one connected IPv4 socket -- UDP for DTLS, TCP
 * for TLS, after the Config's transport -- the steady clock, and poll(). The real-socket
 * twin of the ns-3 driver, for interoperability tests against other implementations
 * (libcoap and OpenSSL for DTLS, OpenSSL's s_server and mosquitto for TLS); nothing in the
 * simulator uses it. Wall-clock time lives only here: the session sees nanoseconds since the driver
 * was created. For real peers, build the Config with wallClockBase = nullopt (mbedTLS then sees the
 * real time) and a RandomSource from the OS (OsRandomSource).
 *
 * Use: Handshake(timeout), then Send() / Receive(timeout), and Close(). Every call returns
 * when done or when its timeout passes; none blocks longer.
 */
#ifndef LPWAN_POSIX_TLS_CLIENT_H
#define LPWAN_POSIX_TLS_CLIENT_H

#include "protocols/tls/tls-session.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{

class PosixTlsClient
{
  public:
    /// Opens a socket connected to host:port (an IPv4 literal or a name; for TCP the connection
    /// is made here, waiting at most `connectTimeout`). Throws std::runtime_error naming the
    /// failing step; std::invalid_argument for a Config that is not a client one.
    PosixTlsClient(std::shared_ptr<const tls::Config> config, const std::string& host,
                   uint16_t port, const tls::SessionOptions& options = {},
                   std::chrono::milliseconds connectTimeout = std::chrono::milliseconds(5000));
    ~PosixTlsClient();
    PosixTlsClient(const PosixTlsClient&) = delete;
    PosixTlsClient& operator=(const PosixTlsClient&) = delete;

    /// Runs the handshake. True when Established; false on failure (see GetSession()) or
    /// when `timeout` passed first.
    bool Handshake(std::chrono::milliseconds timeout);
    /// Sends one application message (DTLS: one record, one datagram; TLS: bytes of the
    /// stream).
    bool Send(const std::vector<uint8_t>& message);
    /// Waits for the next application message (TLS: the next piece of the stream).
    std::optional<std::vector<uint8_t>> Receive(std::chrono::milliseconds timeout);
    /// Sends close_notify.
    void Close();

    tls::Session& GetSession()
    {
        return *m_session;
    }

    /// The session's time base: steady-clock nanoseconds since construction.
    lpwan::TimeNs Now() const;

  private:
    /// Sends queued output, then waits for a datagram, the session's timer or `until`,
    /// and feeds the session.
    void Step(lpwan::TimeNs until);
    void Flush();

    int m_fd = -1;
    bool m_stream = false; ///< TCP (TLS) rather than UDP (DTLS)
    bool m_eof = false;    ///< TCP: the peer closed its side
    std::chrono::steady_clock::time_point m_epoch;
    std::unique_ptr<tls::Session> m_session;
    std::vector<std::vector<uint8_t>> m_messages;
    std::vector<uint8_t> m_buffer;
};

} // namespace lpwan

#endif // LPWAN_POSIX_TLS_CLIENT_H
