#include "progress-reporter.h"

#include "ns3/simulator.h"

#include <unistd.h>

#include <cstdio>

namespace ns3
{

namespace
{
constexpr double kQuietSeconds = 3.0; ///< runs shorter than this print nothing
constexpr double kTtyPeriod = 0.5;
constexpr double kLogPeriod = 10.0;
} // namespace

void
ProgressReporter::Start(Time end)
{
    m_end = end;
    m_step = end / 1000;
    if (m_step.IsZero())
    {
        return;
    }
    m_tty = isatty(STDERR_FILENO) != 0;
    m_wallStart = m_lastPrint = std::chrono::steady_clock::now();
    Simulator::Schedule(m_step, &ProgressReporter::Check, this);
}

void
ProgressReporter::Check()
{
    using namespace std::chrono;
    auto now = steady_clock::now();
    double elapsed = duration<double>(now - m_wallStart).count();
    double sincePrint = duration<double>(now - m_lastPrint).count();
    if (elapsed >= kQuietSeconds && sincePrint >= (m_tty ? kTtyPeriod : kLogPeriod))
    {
        double done = Simulator::Now().GetSeconds() / m_end.GetSeconds();
        double eta = done > 0 ? elapsed * (1 - done) / done : 0;
        std::fprintf(stderr, "%s[%5.1f%%] simulated %.0f of %.0f s, %.0f s elapsed, ~%.0f s left%s",
                     m_tty ? "\r" : "", 100 * done, Simulator::Now().GetSeconds(),
                     m_end.GetSeconds(), elapsed, eta, m_tty ? "   " : "\n");
        std::fflush(stderr);
        m_lastPrint = now;
        m_printed = true;
    }
    if (Simulator::Now() + m_step < m_end)
    {
        Simulator::Schedule(m_step, &ProgressReporter::Check, this);
    }
}

void
ProgressReporter::Finish()
{
    if (m_printed && m_tty)
    {
        std::fprintf(stderr, "\r[100.0%%] done%40s\n", "");
    }
}

} // namespace ns3
