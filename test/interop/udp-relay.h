/*
 * A man in the middle for the interop tests: a UDP relay on 127.0.0.1 that a client talks to
 * instead of the server. It forwards each client datagram to the server (from its own
 * socket, so the server sees the relay as its peer) and each server datagram back to the
 * client that sent last, records what passes, and can modify datagrams on the way -- the
 * attacker of RFC 8613's threat model, who can read, replay and alter every datagram.
 * It runs on its own thread while the test waits for a child process.
 */
#ifndef LPWAN_TEST_UDP_RELAY_H
#define LPWAN_TEST_UDP_RELAY_H

#include "support/free-port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace interop_test
{

using lpwantest::OpenLoopbackSocket;

inline sockaddr_in
Loopback(uint16_t port)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    return sa;
}

class UdpRelay
{
  public:
    /// Modifies a datagram in flight; index counts the datagrams of that direction from 0.
    /// Returning false drops the datagram.
    using Tamper = std::function<bool(std::vector<uint8_t>& datagram, size_t index)>;

    explicit UdpRelay(uint16_t serverPort)
      : m_server(Loopback(serverPort))
    {
        uint16_t ignored = 0;
        m_clientSide = OpenLoopbackSocket(&m_port);
        m_serverSide = OpenLoopbackSocket(&ignored);
        m_thread = std::thread(
            [this]
            {
                Loop();
            });
    }

    ~UdpRelay()
    {
        m_stop = true;
        m_thread.join();
        close(m_clientSide);
        close(m_serverSide);
    }

    UdpRelay(const UdpRelay&) = delete;
    UdpRelay& operator=(const UdpRelay&) = delete;

    /// Where clients send to.
    uint16_t GetPort() const
    {
        return m_port;
    }

    void SetClientTamper(Tamper t)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_toServerTamper = std::move(t);
        m_toServerCount = 0;
    }

    void SetServerTamper(Tamper t)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_toClientTamper = std::move(t);
        m_toClientCount = 0;
    }

    /// The client's datagrams as they arrived (before any tampering), oldest first.
    std::vector<std::vector<uint8_t>> ClientDatagrams() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_fromClient;
    }

    /// The server's datagrams as they arrived (before any tampering), oldest first.
    std::vector<std::vector<uint8_t>> ServerDatagrams() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_fromServer;
    }

    void ClearRecorded()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_fromClient.clear();
        m_fromServer.clear();
    }

  private:
    void Loop()
    {
        std::vector<uint8_t> buffer(65536);
        while (!m_stop)
        {
            pollfd fds[2] = {{m_clientSide, POLLIN, 0}, {m_serverSide, POLLIN, 0}};
            if (poll(fds, 2, 20) <= 0)
            {
                continue;
            }
            if (fds[0].revents & POLLIN)
            {
                sockaddr_in from{};
                socklen_t len = sizeof(from);
                const ssize_t n = recvfrom(m_clientSide, buffer.data(), buffer.size(), 0,
                                           reinterpret_cast<sockaddr*>(&from), &len);
                if (n >= 0)
                {
                    std::vector<uint8_t> d(buffer.begin(), buffer.begin() + n);
                    std::lock_guard<std::mutex> lock(m_mutex);
                    m_client = from;
                    m_haveClient = true;
                    m_fromClient.push_back(d);
                    const bool forward
                        = !m_toServerTamper || m_toServerTamper(d, m_toServerCount++);
                    if (forward)
                    {
                        sendto(m_serverSide, d.data(), d.size(), 0,
                               reinterpret_cast<const sockaddr*>(&m_server), sizeof(m_server));
                    }
                }
            }
            if (fds[1].revents & POLLIN)
            {
                const ssize_t n = recv(m_serverSide, buffer.data(), buffer.size(), 0);
                std::lock_guard<std::mutex> lock(m_mutex);
                if (n >= 0 && m_haveClient)
                {
                    std::vector<uint8_t> d(buffer.begin(), buffer.begin() + n);
                    m_fromServer.push_back(d);
                    const bool forward
                        = !m_toClientTamper || m_toClientTamper(d, m_toClientCount++);
                    if (forward)
                    {
                        sendto(m_clientSide, d.data(), d.size(), 0,
                               reinterpret_cast<const sockaddr*>(&m_client), sizeof(m_client));
                    }
                }
            }
        }
    }

    sockaddr_in m_server;
    int m_clientSide = -1;
    int m_serverSide = -1;
    uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;

    mutable std::mutex m_mutex;
    sockaddr_in m_client{};
    bool m_haveClient = false;
    Tamper m_toServerTamper;
    Tamper m_toClientTamper;
    size_t m_toServerCount = 0;
    size_t m_toClientCount = 0;
    std::vector<std::vector<uint8_t>> m_fromClient;
    std::vector<std::vector<uint8_t>> m_fromServer;
};

} // namespace interop_test

#endif // LPWAN_TEST_UDP_RELAY_H
