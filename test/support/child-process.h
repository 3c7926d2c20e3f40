/*
 * A program a test (interop, workflow) runs as a child process: started with posix_spawn, stdout
 * and stderr captured in files (no pipe can fill up and stall it), waited for with a deadline, and
 * killed (SIGKILL) by the destructor if it is still running, on every path out of a test (a failed
 * ASSERT included) -- nothing a test starts outlives it or hangs it.
 */
#ifndef LPWAN_TEST_CHILD_PROCESS_H
#define LPWAN_TEST_CHILD_PROCESS_H

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace interop_test
{

class ChildProcess
{
  public:
    /// Starts program with args; its stdout goes to outputPrefix + ".out", its stderr to
    /// outputPrefix + ".err", its stdin is stdinPath (a file for a program that sends what it
    /// reads there, such as openssl s_client). Throws std::runtime_error when it cannot.
    ChildProcess(const std::string& program, const std::vector<std::string>& args,
                 const std::string& outputPrefix, const std::string& stdinPath = "/dev/null")
      : m_stdoutPath(outputPrefix + ".out")
      , m_stderrPath(outputPrefix + ".err")
    {
        std::vector<std::string> all{program};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (std::string& a : all)
        {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath.c_str(), O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, m_stdoutPath.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, m_stderrPath.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int rc
            = posix_spawn(&m_pid, program.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0)
        {
            m_pid = -1;
            throw std::runtime_error("cannot start " + program);
        }
    }

    ~ChildProcess()
    {
        if (m_pid > 0 && !m_status)
        {
            kill(m_pid, SIGKILL);
            int status = 0;
            waitpid(m_pid, &status, 0);
        }
    }

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    void Signal(int signal)
    {
        if (m_pid > 0 && !m_status)
        {
            kill(m_pid, signal);
        }
    }

    /// The exit status (128 + N when killed by signal N), or nullopt when the process has not
    /// ended within timeoutS; it is then killed, so a hung program fails its test quickly.
    std::optional<int> Wait(double timeoutS)
    {
        const auto deadline = Clock::now() + std::chrono::duration<double>(timeoutS);
        while (!m_status)
        {
            int status = 0;
            const pid_t r = waitpid(m_pid, &status, WNOHANG);
            if (r == m_pid)
            {
                m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                break;
            }
            if (r < 0 && errno != EINTR)
            {
                break;
            }
            if (Clock::now() >= deadline)
            {
                kill(m_pid, SIGKILL);
                waitpid(m_pid, &status, 0);
                m_status = 128 + SIGKILL;
                return std::nullopt;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return m_status;
    }

    /// Waits (up to timeoutS) until stdout has a complete line starting with prefix and
    /// returns it without the prefix; nullopt when none came (or the program ended first).
    std::optional<std::string> WaitForLine(const std::string& prefix, double timeoutS)
    {
        const auto deadline = Clock::now() + std::chrono::duration<double>(timeoutS);
        while (Clock::now() < deadline)
        {
            std::istringstream lines(Stdout());
            std::string line;
            while (std::getline(lines, line))
            {
                if (!lines.eof() && line.compare(0, prefix.size(), prefix) == 0)
                {
                    return line.substr(prefix.size());
                }
            }
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid)
            {
                m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                return std::nullopt;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return std::nullopt;
    }

    std::string Stdout() const
    {
        return ReadFile(m_stdoutPath);
    }

    std::string Stderr() const
    {
        return ReadFile(m_stderrPath);
    }

  private:
    using Clock = std::chrono::steady_clock;

    static std::string ReadFile(const std::string& path)
    {
        std::ifstream in(path, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

    pid_t m_pid = -1;
    std::optional<int> m_status;
    std::string m_stdoutPath;
    std::string m_stderrPath;
};

} // namespace interop_test

#endif // LPWAN_TEST_CHILD_PROCESS_H
