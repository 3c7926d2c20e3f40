/*
 * What lpwan-coap-server does with its endpoint, sans-I/O: every request goes through a
 * MessageFilter (plain CoAP, or OSCORE that rejects anything unprotected), is dispatched to
 * one of the demonstration resources (demo-resources.h), and the answer goes back through
 * the filter. Block-wise transfers sit above the filter (inner Block options under OSCORE):
 * Block2 slices /large and /.well-known/core per request, Block1Receivers reassemble
 * uploads per client and resource. /counter is observable: a timer advances it every
 * notifyInterval and sends each observer a notification through the filter (OSCORE protects
 * each with its own Partial IV).
 *
 * Observers are (peer, token) pairs with the filter state of their registration. They leave
 * by deregistering (Observe = 1, or a plain GET with the same token), by answering a
 * notification with RST, or by not acknowledging a CON one (the endpoint's
 * NotificationReset / NotificationTimeout: RFC 7641 section 4.5), and then get no further
 * notification. A NON observer gets every fifth notification as CON, and a CON one whenever
 * the next would otherwise come more than 24 hours after its last CON (section 4.5: "at
 * least every 24 hours"), so that a client that went away silently is noticed.
 */
#ifndef LPWAN_TOOLS_SERVER_SESSION_H
#define LPWAN_TOOLS_SERVER_SESSION_H

#include "protocols/coap/coap-block.h"
#include "protocols/coap/coap-endpoint.h"
#include "protocols/coap/coap-message-filter.h"
#include "tool-session.h"

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace lpwan
{
namespace tools
{

struct ServerConfig
{
    double notifyIntervalS = 1.0;     ///< /counter step and notification period
    size_t largeSize = 2000;          ///< bytes of /large
    size_t maxBlockSize = 1024;       ///< the largest Block2 block sent, and the /echo limit
    size_t maxUploadSize = 1u << 20;  ///< /upload limit
    std::optional<double> exitAfterS; ///< finish after this long
    int verbose = 0;                  ///< log each request on `log`
};

class ServerSession : public ToolSession
{
  public:
    struct Counters
    {
        uint64_t requests = 0;      ///< requests the resources answered
        uint64_t rejected = 0;      ///< requests the filter refused (OSCORE failures)
        uint64_t notifications = 0; ///< notifications sent
        uint64_t observersAdded = 0;
        uint64_t observersRemoved = 0;  ///< for any reason, including the two below
        uint64_t observersTimedOut = 0; ///< a CON notification was never ACKed
        uint64_t observersReset = 0;    ///< a notification was answered with RST
    };

    /// endpoint, filter and log must outlive the session.
    ServerSession(coap::Endpoint& endpoint, coap::MessageFilter& filter, ServerConfig config,
                  std::ostream& log);

    void Start(lpwan::TimeNs now) override;
    void OnEvent(const coap::Event& event, lpwan::TimeNs now) override;
    std::optional<lpwan::TimeNs> NextTimer() const override;
    void OnTimer(lpwan::TimeNs now) override;
    void Interrupt(lpwan::TimeNs now) override;

    bool Finished() const override
    {
        return m_finished;
    }

    const Counters& GetCounters() const
    {
        return m_counters;
    }

    size_t GetObserverCount() const
    {
        return m_observers.size();
    }

  private:
    using ObserverKey = std::pair<lpwan::PeerId, std::vector<uint8_t>>; ///< peer, token

    struct Observer
    {
        coap::FilterContextPtr context; ///< the filter's state of the registration
        bool confirmable = true;        ///< the registration was CON
        uint64_t sent = 0;
        lpwan::TimeNs lastConfirmable = 0; ///< the registration, or the last CON notification
    };

    void HandleRequest(const coap::Event& event, lpwan::TimeNs now);
    coap::Message Dispatch(lpwan::PeerId peer, const coap::Message& request,
                           const coap::FilterContextPtr& context, lpwan::TimeNs now);
    coap::Message Counter(lpwan::PeerId peer, const coap::Message& request,
                          const coap::FilterContextPtr& context, lpwan::TimeNs now);
    coap::Message Upload(lpwan::PeerId peer, const std::string& path, const coap::Message& request,
                         size_t maxSize, bool echo);
    void NotifyAll(lpwan::TimeNs now);
    void RemoveObserver(const ObserverKey& key);

    coap::Endpoint& m_endpoint;
    coap::MessageFilter& m_filter;
    ServerConfig m_config;
    std::ostream& m_log;

    bool m_finished = false;
    std::optional<lpwan::TimeNs> m_exitAt;
    lpwan::TimeNs m_nextTick = 0;
    uint64_t m_counter = 0;
    std::map<ObserverKey, Observer> m_observers;
    std::map<std::pair<lpwan::PeerId, std::string>, coap::Block1Receiver> m_uploads;
    Counters m_counters;
};

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_SERVER_SESSION_H
