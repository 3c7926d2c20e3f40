/*
 * The main loop of the real-socket tools: one ToolSession on one PosixUdpDriver, until the
 * session is finished. A termination signal is handed to the session once (Interrupt), so a
 * client can still deregister its observation; a second one ends the loop at once.
 */
#ifndef LPWAN_TOOLS_SESSION_LOOP_H
#define LPWAN_TOOLS_SESSION_LOOP_H

#include "posix/posix-udp-driver.h"
#include "posix/termination-signals.h"
#include "tool-session.h"

namespace lpwan
{
namespace tools
{

/// Runs session until it is finished or a second signal arrives. signals may be null.
/// Throws std::runtime_error when the transport fails.
void RunSession(PosixUdpDriver& driver, ToolSession& session, TerminationSignals* signals);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_SESSION_LOOP_H
