/*
 * A non-blocking IPv4 UDP socket as a DatagramTransport: plain CoAP's transport on real
 * networks. Wait() is one poll(); after a wake-up every queued datagram is drained, so that a
 * burst (a block-wise transfer, duplicate retransmissions) costs one poll() and the endpoint
 * sees the datagrams in arrival order.
 *
 * An optional interrupt descriptor (e.g. the read end of a self-pipe written by a signal
 * handler, see termination-signals.h) also ends a Wait(): a signal that arrives just before
 * poll() is then not lost until the next timer, as it would be if only EINTR were relied on.
 */
#ifndef LPWAN_POSIX_UDP_SOCKET_H
#define LPWAN_POSIX_UDP_SOCKET_H

#include "datagram-transport.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lpwan
{

class PosixUdpSocket : public DatagramTransport
{
  public:
    struct Counters
    {
        uint64_t datagramsSent = 0;
        uint64_t datagramsReceived = 0;
        uint64_t sendErrors = 0; ///< datagrams the OS refused to send (dropped, as UDP would)
    };

    /// Opens a socket bound to address (an IPv4 literal; "0.0.0.0" for any) and port (0 for an
    /// ephemeral one). Throws std::runtime_error naming the failing step.
    PosixUdpSocket(const std::string& address, uint16_t port);
    ~PosixUdpSocket() override;
    PosixUdpSocket(const PosixUdpSocket&) = delete;
    PosixUdpSocket& operator=(const PosixUdpSocket&) = delete;

    void Send(const lpwan::Datagram& datagram) override;
    std::vector<lpwan::Datagram> Wait(int timeoutMs) override;

    /// Wait() also returns (with what has arrived, possibly nothing) when fd is readable; the
    /// socket never reads it. -1 disables.
    void SetInterruptFd(int fd)
    {
        m_interruptFd = fd;
    }

    /// The address and port the socket is bound to (host byte order).
    uint32_t GetLocalAddress() const
    {
        return m_localAddress;
    }

    uint16_t GetLocalPort() const
    {
        return m_localPort;
    }

    const Counters& GetCounters() const
    {
        return m_counters;
    }

  private:
    void ReceiveAll(std::vector<lpwan::Datagram>& out);

    int m_fd = -1;
    int m_interruptFd = -1;
    uint32_t m_localAddress = 0;
    uint16_t m_localPort = 0;
    Counters m_counters;
    std::vector<uint8_t> m_buffer;
};

} // namespace lpwan

#endif // LPWAN_POSIX_UDP_SOCKET_H
