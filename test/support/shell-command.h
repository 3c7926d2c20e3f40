/*
 * Runs a shell command line (popen) and captures what it writes on stdout; a test that wants
 * stderr redirects it in the command line ("2>&1 >/dev/null" for stderr alone). For tests
 * that drive the project's programs as a user would from a shell.
 */
#ifndef LPWAN_TEST_SHELL_COMMAND_H
#define LPWAN_TEST_SHELL_COMMAND_H

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace lpwantest
{

struct ShellResult
{
    int status = -1; ///< exit status, -1 when the command did not exit normally
    std::string output;
};

inline ShellResult
RunShellCommand(const std::string& command)
{
    ShellResult r;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
    {
        return r;
    }
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    {
        r.output.append(buf.data(), n);
    }
    const int status = pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

} // namespace lpwantest

#endif // LPWAN_TEST_SHELL_COMMAND_H
