/*
 * The simulated wall clock and the time() definition that interposes libc's; see
 * simulated-wall-clock.h for why and how.
 */

#include "simulated-wall-clock.h"

#include <dlfcn.h>

#include <ctime>

namespace
{

// Per thread, so that a real-socket driver on another thread keeps the real time. Plain
// trivially-constructible thread_locals: time() may be called before any constructor runs.
thread_local bool g_installed = false;
thread_local int64_t g_epochSeconds = 0;

} // namespace

/// Replaces libc's time() for every object linked after this library (libmbedtls,
/// libmbedx509). The real clock is read with clock_gettime, never with time() (which would
/// recurse into this function).
extern "C" time_t
time(time_t* result) noexcept
{
    time_t now;
    if (g_installed)
    {
        now = static_cast<time_t>(g_epochSeconds);
    }
    else
    {
        timespec ts{};
        clock_gettime(CLOCK_REALTIME, &ts);
        now = ts.tv_sec;
    }
    if (result != nullptr)
    {
        *result = now;
    }
    return now;
}

namespace lpwan
{
namespace tls
{

SimulatedWallClock::SimulatedWallClock(int64_t epochSeconds)
  : m_hadPrevious(g_installed)
  , m_previous(g_epochSeconds)
{
    g_installed = true;
    g_epochSeconds = epochSeconds;
}

SimulatedWallClock::~SimulatedWallClock()
{
    g_installed = m_hadPrevious;
    g_epochSeconds = m_previous;
}

std::optional<int64_t>
SimulatedWallClock::Current()
{
    if (!g_installed)
    {
        return std::nullopt;
    }
    return g_epochSeconds;
}

bool
SimulatedWallClock::IsInterposed()
{
    // Look time() up the way libmbedtls's PLT does (global scope, default search order) and
    // call it under a probe epoch no real clock shows.
    using TimeFn = time_t (*)(time_t*);
    const auto fn = reinterpret_cast<TimeFn>(dlsym(RTLD_DEFAULT, "time"));
    if (fn == nullptr)
    {
        return false;
    }
    const int64_t probe = 86400; // 1970-01-02
    SimulatedWallClock clock(probe);
    return fn(nullptr) == static_cast<time_t>(probe);
}

} // namespace tls
} // namespace lpwan
