/*
 * SIGINT/SIGTERM flag and self-pipe; see termination-signals.h.
 */

#include "termination-signals.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <string>

namespace lpwan
{

namespace
{

volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_count = 0;
int g_pipe[2] = {-1, -1};
bool g_installed = false;

extern "C" void
OnTerminationSignal(int signal)
{
    const int saved = errno; // a handler must leave errno as it found it
    g_signal = signal;
    g_count = g_count + 1;
    const char byte = 1;
    // Non-blocking: once the pipe is full a wake-up is pending anyway.
    [[maybe_unused]] const ssize_t n = write(g_pipe[1], &byte, 1);
    errno = saved;
}

} // namespace

TerminationSignals::TerminationSignals()
{
    if (g_installed)
    {
        throw std::logic_error("TerminationSignals: already installed");
    }
    if (pipe2(g_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
    {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    g_signal = 0;
    g_count = 0;
    struct sigaction sa
    {
    };
    sa.sa_handler = OnTerminationSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocked poll() returns EINTR as well
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    g_installed = true;
}

TerminationSignals::~TerminationSignals()
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    close(g_pipe[0]);
    close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
    g_installed = false;
}

int
TerminationSignals::GetFd() const
{
    return g_pipe[0];
}

int
TerminationSignals::GetCount() const
{
    return g_count;
}

void
TerminationSignals::Acknowledge()
{
    char buffer[64];
    while (read(g_pipe[0], buffer, sizeof(buffer)) > 0)
    {
    }
}

int
TerminationSignals::GetSignal() const
{
    return g_signal;
}

} // namespace lpwan
