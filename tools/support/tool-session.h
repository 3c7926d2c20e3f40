/*
 * What a real-socket tool runs on top of its CoAP endpoint: a sans-I/O application that gets
 * the endpoint's events and its own timers, and says when it is done. The client and the
 * server sessions implement it; RunSession (session-loop.h) drives one over real sockets,
 * and tests can drive one over an in-memory link with a fake clock.
 */
#ifndef LPWAN_TOOLS_TOOL_SESSION_H
#define LPWAN_TOOLS_TOOL_SESSION_H

#include "protocols/coap/coap-endpoint.h"

#include <optional>

namespace lpwan
{
namespace tools
{

class ToolSession
{
  public:
    virtual ~ToolSession() = default;

    /// Called once, before anything else.
    virtual void Start(lpwan::TimeNs now) = 0;
    /// An event of the endpoint.
    virtual void OnEvent(const coap::Event& event, lpwan::TimeNs now) = 0;
    /// The session's own next deadline, if any.
    virtual std::optional<lpwan::TimeNs> NextTimer() const = 0;
    /// Called when NextTimer() has been reached.
    virtual void OnTimer(lpwan::TimeNs now) = 0;
    /// SIGINT/SIGTERM: wind down (a client deregisters its observation first).
    virtual void Interrupt(lpwan::TimeNs now) = 0;
    /// True when the tool may exit.
    virtual bool Finished() const = 0;
};

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_TOOL_SESSION_H
