/*
 * Helpers for interop tests that run another implementation as a child process: spawn it
 * under coreutils' timeout (so it dies even if the test binary does), stop it on every path
 * (RAII: SIGTERM, then SIGKILL, always reaped), and wait for it to listen (free ports:
 * test/support/free-port.h).
 */
#ifndef LPWAN_TEST_TLS_CHILD_PROCESS_H
#define LPWAN_TEST_TLS_CHILD_PROCESS_H

#include "support/free-port.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tls_interop
{

/// True when `program` is found on PATH.
inline bool
OnPath(const std::string& program)
{
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size())
    {
        const size_t end = dirs.find(':', start);
        const std::string dir
            = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0)
        {
            return true;
        }
        if (end == std::string::npos)
        {
            break;
        }
        start = end + 1;
    }
    return false;
}

class ChildProcess
{
  public:
    /// Runs `argv` under `timeout --kill-after=2 <limitSeconds>`, stdout and stderr to `log`.
    ChildProcess(const std::vector<std::string>& argv, const std::string& log, int limitSeconds)
    {
        std::vector<std::string> full = {"timeout", "--kill-after=2", std::to_string(limitSeconds)};
        full.insert(full.end(), argv.begin(), argv.end());
        m_pid = fork();
        if (m_pid == 0)
        {
            const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0)
            {
                dup2(fd, STDOUT_FILENO);
                dup2(fd, STDERR_FILENO);
                close(fd);
            }
            std::vector<char*> args;
            for (std::string& a : full)
            {
                args.push_back(a.data());
            }
            args.push_back(nullptr);
            execvp(args[0], args.data());
            _exit(127);
        }
    }

    ~ChildProcess()
    {
        Stop();
    }

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    bool Started() const
    {
        return m_pid > 0;
    }

    /// True while the child runs; reaps it (and records its status) once it has exited.
    bool Running()
    {
        if (m_pid <= 0)
        {
            return false;
        }
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid)
        {
            m_status = status;
            m_pid = -1;
            return false;
        }
        return true;
    }

    /// Waits up to `limit` for the child to exit by itself; its wait status, if it did.
    std::optional<int> Wait(std::chrono::milliseconds limit)
    {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (Running() && std::chrono::steady_clock::now() < until)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return Running() ? std::nullopt : m_status;
    }

    /// SIGTERM (timeout passes it on to the program), then SIGKILL after a second.
    void Stop()
    {
        if (!Running())
        {
            return;
        }
        kill(m_pid, SIGTERM);
        if (!Wait(std::chrono::milliseconds(1000)))
        {
            kill(m_pid, SIGKILL);
            int status = 0;
            waitpid(m_pid, &status, 0);
            m_status = status;
            m_pid = -1;
        }
    }

  private:
    pid_t m_pid = -1;
    std::optional<int> m_status;
};

using lpwantest::FreePorts;
using lpwantest::PortFree;

/// Waits until someone has bound `port` on 127.0.0.1 for `type` (SOCK_DGRAM, SOCK_STREAM):
/// the child is ready. False when `limit` passes or the child exits first.
inline bool
WaitForListener(ChildProcess& child, uint16_t port, int type, std::chrono::milliseconds limit)
{
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until)
    {
        if (!child.Running())
        {
            return false;
        }
        if (!PortFree(port, type))
        {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

inline bool
WaitForUdpListener(ChildProcess& child, uint16_t port, std::chrono::milliseconds limit)
{
    return WaitForListener(child, port, SOCK_DGRAM, limit);
}

} // namespace tls_interop

#endif // LPWAN_TEST_TLS_CHILD_PROCESS_H
