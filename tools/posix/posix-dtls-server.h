/*
 * The POSIX driver of a tls::DtlsServer: one IPv4 UDP socket bound to an address and port,
 * the steady clock, and poll(). For interoperability tests with other DTLS clients (libcoap
 * with OpenSSL); the simulator uses the ns-3 driver instead. As with PosixTlsClient, the
 * server's Config should use the real wall clock (wallClockBase = nullopt).
 *
 * Use: call Poll(until) in a loop; it returns the application messages received, which
 * the caller answers with Send(peer, bytes).
 */
#ifndef LPWAN_POSIX_DTLS_SERVER_H
#define LPWAN_POSIX_DTLS_SERVER_H

#include "protocols/tls/dtls-server.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lpwan
{

class PosixDtlsServer
{
  public:
    /// Binds address:port (port 0: an ephemeral one). Throws std::runtime_error naming the
    /// failing step.
    PosixDtlsServer(std::shared_ptr<const tls::Config> config, const std::string& address,
                    uint16_t port, const tls::DtlsServerOptions& options = {});
    ~PosixDtlsServer();
    PosixDtlsServer(const PosixDtlsServer&) = delete;
    PosixDtlsServer& operator=(const PosixDtlsServer&) = delete;

    uint16_t GetLocalPort() const
    {
        return m_localPort;
    }

    /// Waits until a datagram arrives, a session timer is due, or `until` (a Now() value)
    /// passes; feeds the server and returns the application messages received.
    std::vector<tls::ReceivedData> Poll(lpwan::TimeNs until);
    /// Sends an application message to an established client.
    bool Send(lpwan::PeerId peer, const std::vector<uint8_t>& message);

    tls::DtlsServer& GetServer()
    {
        return *m_server;
    }

    lpwan::TimeNs Now() const;

  private:
    void Flush();

    int m_fd = -1;
    uint16_t m_localPort = 0;
    std::chrono::steady_clock::time_point m_epoch;
    std::unique_ptr<tls::DtlsServer> m_server;
    std::vector<uint8_t> m_buffer;
};

} // namespace lpwan

#endif // LPWAN_POSIX_DTLS_SERVER_H
