/*
 * A mosquitto broker for the duration of an interop test: started on 127.0.0.1 with a
 * temporary configuration -- a plain listener on a free port, plus any number of further
 * listeners (e.g. TLS ones) on free ports of their own -- and killed on every path
 * (spawned-process.h). Its log (log_type all) is kept in the temporary directory.
 */
#ifndef LPWAN_TEST_INTEROP_MOSQUITTO_BROKER_H
#define LPWAN_TEST_INTEROP_MOSQUITTO_BROKER_H

#include "interop/spawned-process.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace interop
{

const std::vector<std::string> kMosquittoPaths
    = {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"};

class Mosquitto
{
  public:
    /// Starts the broker; false with *why when it cannot. Each entry of `listeners` is the
    /// body of one more listener section (mosquitto.conf lines, e.g. psk_hint and psk_file);
    /// ExtraPort(i) is its port.
    bool Start(const std::string& binary, std::string* why,
               const std::vector<std::string>& listeners = {})
    {
        // A port the kernel just handed out may be taken again before mosquitto binds it:
        // try a few.
        for (int attempt = 0; attempt < 5; ++attempt)
        {
            m_port = FreeTcpPort();
            m_extraPorts.clear();
            for (size_t i = 0; i < listeners.size(); ++i)
            {
                uint16_t p = FreeTcpPort();
                while (p == m_port
                       || std::find(m_extraPorts.begin(), m_extraPorts.end(), p)
                              != m_extraPorts.end())
                {
                    p = FreeTcpPort();
                }
                m_extraPorts.push_back(p);
            }
            const std::string config = m_dir.File("mosquitto.conf");
            {
                std::ofstream out(config);
                // One set of security settings for all listeners: anonymous clients welcome.
                out << "per_listener_settings false\n"
                    << "allow_anonymous true\n"
                    << "persistence false\n"
                    << "log_dest stderr\n"
                    << "log_type all\n";
                // Started as root, mosquitto switches to the "mosquitto" user, and changing
                // credentials clears the kill-me-when-my-parent-dies request of
                // ChildProcess: a crashed test would leave the broker running. Staying root
                // keeps it (the test already runs as root then).
                if (geteuid() == 0)
                {
                    out << "user root\n";
                }
                out << "listener " << m_port << " 127.0.0.1\n";
                for (size_t i = 0; i < listeners.size(); ++i)
                {
                    out << "listener " << m_extraPorts[i] << " 127.0.0.1\n" << listeners[i] << "\n";
                }
            }
            m_process = std::make_unique<ChildProcess>(
                std::vector<std::string>{binary, "-c", config}, LogPath());
            const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            while (std::chrono::steady_clock::now() < end && m_process->Running())
            {
                bool all = TcpPortAccepts(m_port);
                for (size_t i = 0; all && i < m_extraPorts.size(); ++i)
                {
                    all = TcpPortAccepts(m_extraPorts[i]);
                }
                if (all)
                {
                    return true;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            m_process.reset(); // stops it if it is still running
        }
        *why = "mosquitto did not start; its log:\n" + Log();
        return false;
    }

    uint16_t Port() const
    {
        return m_port;
    }

    uint16_t ExtraPort(size_t i) const
    {
        return m_extraPorts.at(i);
    }

    std::string LogPath() const
    {
        return m_dir.File("mosquitto.log");
    }

    std::string Log() const
    {
        return ReadFile(LogPath());
    }

    std::string File(const std::string& name) const
    {
        return m_dir.File(name);
    }

  private:
    TempDir m_dir;
    std::unique_ptr<ChildProcess> m_process;
    uint16_t m_port = 0;
    std::vector<uint16_t> m_extraPorts;
};

} // namespace interop

#endif // LPWAN_TEST_INTEROP_MOSQUITTO_BROKER_H
