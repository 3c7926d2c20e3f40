/*
 * Child processes for interop tests (a broker, a command-line client), killed on every path:
 * the destructor sends SIGTERM, then SIGKILL if the child has not exited after a grace period,
 * and reaps it; and the child asks the kernel for SIGKILL should the test process die first
 * (PR_SET_PDEATHSIG), so not even a crashed test leaves one behind. The temporary directory
 * and free port are test/support's.
 */
#ifndef LPWAN_TEST_SPAWNED_PROCESS_H
#define LPWAN_TEST_SPAWNED_PROCESS_H

#include "support/free-port.h"
#include "support/temp-dir.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace interop
{

class ChildProcess
{
  public:
    /// Starts argv[0] (a path, or a name looked up in PATH) with its output appended to
    /// outputPath (stdout and stderr together). Throws std::runtime_error if fork fails.
    ChildProcess(const std::vector<std::string>& argv, const std::string& outputPath)
    {
        std::vector<char*> args;
        for (const std::string& a : argv)
        {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        const pid_t parent = getpid();
        m_pid = fork();
        if (m_pid < 0)
        {
            throw std::runtime_error("fork failed");
        }
        if (m_pid == 0)
        {
            // Only async-signal-safe calls between fork and exec.
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
            {
                _exit(127); // the parent died before prctl took effect
            }
            const int fd = open(outputPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            if (fd >= 0)
            {
                dup2(fd, STDOUT_FILENO);
                dup2(fd, STDERR_FILENO);
                close(fd);
            }
            const int devNull = open("/dev/null", O_RDONLY);
            if (devNull >= 0)
            {
                dup2(devNull, STDIN_FILENO);
                close(devNull);
            }
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

    /// True while the child has not exited.
    bool Running()
    {
        Reap(false);
        return !m_status.has_value();
    }

    /// Waits up to timeout for the child to exit; its exit code (128 + signal when killed by
    /// one), or nullopt if it is still running.
    std::optional<int> Wait(std::chrono::milliseconds timeout)
    {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (Running() && std::chrono::steady_clock::now() < end)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return m_status;
    }

    /// SIGTERM, a grace period, then SIGKILL; always reaps the child.
    void Stop()
    {
        if (m_pid <= 0 || m_status)
        {
            return;
        }
        kill(m_pid, SIGTERM);
        if (!Wait(std::chrono::milliseconds(2000)))
        {
            kill(m_pid, SIGKILL);
            Reap(true);
        }
    }

  private:
    void Reap(bool block)
    {
        if (m_pid <= 0 || m_status)
        {
            return;
        }
        int status = 0;
        const pid_t r = waitpid(m_pid, &status, block ? 0 : WNOHANG);
        if (r == m_pid)
        {
            m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
    }

    pid_t m_pid = -1;
    std::optional<int> m_status;
};

/// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir : public lpwantest::TempDir
{
  public:
    TempDir()
      : lpwantest::TempDir("lpwan-interop")
    {
    }
};

inline std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

using lpwantest::FreeTcpPort;

/// True once something accepts TCP connections on 127.0.0.1:port.
inline bool
TcpPortAccepts(uint16_t port)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
    {
        return false;
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0;
    close(fd);
    return ok;
}

/// The first of paths that is an executable file, or "".
inline std::string
FindExecutable(const std::vector<std::string>& paths)
{
    for (const std::string& p : paths)
    {
        if (access(p.c_str(), X_OK) == 0)
        {
            return p;
        }
    }
    return {};
}

} // namespace interop

#endif // LPWAN_TEST_SPAWNED_PROCESS_H
