/*
 * The tools' main loop; see session-loop.h.
 */

#include "session-loop.h"

namespace lpwan
{
namespace tools
{

void
RunSession(PosixUdpDriver& driver, ToolSession& session, TerminationSignals* signals)
{
    session.Start(driver.Now());
    driver.Flush();
    int handled = 0; // signals already acted upon
    while (!session.Finished())
    {
        if (signals != nullptr && signals->GetCount() > handled)
        {
            if (handled > 0)
            {
                return; // the session had its chance to wind down; a second signal is final
            }
            handled = signals->GetCount();
            signals->Acknowledge(); // else the pipe would keep every later wait from sleeping
            session.Interrupt(driver.Now());
            driver.Flush();
            continue;
        }
        const std::vector<coap::Event> events = driver.Poll(session.NextTimer());
        const lpwan::TimeNs now = driver.Now();
        for (const coap::Event& e : events)
        {
            session.OnEvent(e, now);
        }
        const std::optional<lpwan::TimeNs> due = session.NextTimer();
        if (due && *due <= now)
        {
            session.OnTimer(now);
        }
        driver.Flush();
    }
}

} // namespace tools
} // namespace lpwan
