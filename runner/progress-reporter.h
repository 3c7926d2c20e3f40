/*
 * Prints how far a long run has come, on stderr. It reads the wall clock only to decide when
 * to print; nothing it does reaches a trace, so results stay deterministic.
 */
#ifndef LPWAN_PROGRESS_REPORTER_H
#define LPWAN_PROGRESS_REPORTER_H

#include "ns3/nstime.h"

#include <chrono>

namespace ns3
{

class ProgressReporter
{
  public:
    /// end: simulated time at which the run ends. Prints nothing for the first few seconds.
    void Start(Time end);
    /// Prints the final line (if anything was printed).
    void Finish();

  private:
    void Check();

    Time m_end;
    Time m_step;
    std::chrono::steady_clock::time_point m_wallStart;
    std::chrono::steady_clock::time_point m_lastPrint;
    bool m_printed = false;
    bool m_tty = false;
};

} // namespace ns3

#endif // LPWAN_PROGRESS_REPORTER_H
