/*
 * The server session; see server-session.h.
 */

#include "server-session.h"

#include "demo-resources.h"
#include "hex.h"
#include "posix/ipv4-peer.h"
#include "protocols/coap/coap-describe.h"
#include "protocols/coap/coap-observe.h"

namespace lpwan
{
namespace tools
{

namespace
{

constexpr uint32_t kTextPlain = 0;
constexpr uint32_t kLinkFormat = 40;
/// A NON observer gets every kConEvery-th notification as CON (RFC 7641 section 4.5)...
constexpr uint64_t kConEvery = 5;
/// ...and one at least this often whatever the notification interval (section 4.5: a server
/// sends a CON notification at least every 24 hours, so that it learns of a vanished client).
constexpr lpwan::TimeNs kConAtLeastEvery = lpwan::TimeNs{24} * 3600 * 1000000000;
/// Block1 uploads kept at once; the oldest (by peer) is dropped beyond this.
constexpr size_t kMaxUploadsInProgress = 64;

coap::Message
Response(uint8_t code, const std::string& text = "")
{
    coap::Message m;
    m.code = code;
    m.payload.assign(text.begin(), text.end());
    return m;
}

coap::Message
TextResponse(uint8_t code, const std::string& text)
{
    coap::Message m = Response(code, text);
    m.AddUintOption(coap::option::ContentFormat, kTextPlain);
    return m;
}

bool
IsUpdate(uint8_t code)
{
    return code == coap::code::Post || code == coap::code::Put;
}

} // namespace

ServerSession::ServerSession(coap::Endpoint& endpoint, coap::MessageFilter& filter,
                             ServerConfig config, std::ostream& log)
  : m_endpoint(endpoint)
  , m_filter(filter)
  , m_config(config)
  , m_log(log)
{
}

void
ServerSession::Start(lpwan::TimeNs now)
{
    m_nextTick = now + lpwan::SecondsToNs(m_config.notifyIntervalS);
    if (m_config.exitAfterS)
    {
        m_exitAt = now + lpwan::SecondsToNs(*m_config.exitAfterS);
    }
}

std::optional<lpwan::TimeNs>
ServerSession::NextTimer() const
{
    if (m_finished)
    {
        return std::nullopt;
    }
    return m_exitAt ? std::min(*m_exitAt, m_nextTick) : m_nextTick;
}

void
ServerSession::OnTimer(lpwan::TimeNs now)
{
    if (m_exitAt && now >= *m_exitAt)
    {
        m_finished = true;
        return;
    }
    if (now >= m_nextTick)
    {
        ++m_counter;
        NotifyAll(now);
        // Catch up without a burst after a stall (a suspended process): one step per call.
        const lpwan::TimeNs step = lpwan::SecondsToNs(m_config.notifyIntervalS);
        m_nextTick += step;
        if (m_nextTick <= now)
        {
            m_nextTick = now + step;
        }
    }
}

void
ServerSession::Interrupt(lpwan::TimeNs)
{
    m_finished = true;
}

void
ServerSession::OnEvent(const coap::Event& event, lpwan::TimeNs now)
{
    switch (event.kind)
    {
        case coap::Event::Kind::RequestReceived:
            HandleRequest(event, now);
            return;
        case coap::Event::Kind::NotificationReset:
        case coap::Event::Kind::NotificationTimeout:
        {
            // The endpoint has already forgotten the observer; the resource forgets it too.
            const ObserverKey key{event.peer, event.message.token};
            if (m_observers.erase(key) > 0)
            {
                ++m_counters.observersRemoved;
                ++(event.kind == coap::Event::Kind::NotificationReset
                       ? m_counters.observersReset
                       : m_counters.observersTimedOut);
                if (m_config.verbose > 0)
                {
                    m_log << "observer " << PeerToString(event.peer) << " token "
                          << ToHex(event.message.token) << " gone ("
                          << (event.kind == coap::Event::Kind::NotificationReset ? "RST" : "no ACK")
                          << ")\n";
                }
            }
            return;
        }
        default:
            return; // client-side events: this endpoint sends no requests
    }
}

void
ServerSession::HandleRequest(const coap::Event& event, lpwan::TimeNs now)
{
    coap::Message request = event.message;
    coap::FilterContextPtr context;
    const coap::FilterResult verified = m_filter.UnprotectRequest(event.peer, request, context);
    if (!verified.ok)
    {
        // RFC 8613 section 8.2: the error goes back unprotected, with Max-Age 0 so that no
        // proxy caches it, and the reason as diagnostic payload.
        ++m_counters.rejected;
        coap::Message error = Response(verified.errorCode, verified.error);
        error.AddUintOption(coap::option::MaxAge, 0);
        if (m_config.verbose > 0)
        {
            m_log << PeerToString(event.peer) << " rejected: " << coap::CodeToString(error.code)
                  << " " << verified.error << "\n";
        }
        m_endpoint.Respond(event.handle, std::move(error), now);
        return;
    }
    ++m_counters.requests;
    coap::Message response = Dispatch(event.peer, request, context, now);
    if (m_config.verbose > 0)
    {
        m_log << PeerToString(event.peer) << " " << coap::Describe(request) << " -> "
              << coap::CodeToString(response.code) << " " << response.payload.size() << " bytes\n";
    }
    const coap::FilterResult sealed = m_filter.ProtectResponse(event.peer, response, context);
    if (!sealed.ok)
    {
        m_log << "lpwan-coap-server: " << sealed.error << "\n";
        response = Response(coap::code::InternalServerError, sealed.error);
    }
    m_endpoint.Respond(event.handle, std::move(response), now);
}

coap::Message
ServerSession::Dispatch(lpwan::PeerId peer, const coap::Message& request,
                        const coap::FilterContextPtr& context, lpwan::TimeNs now)
{
    const std::string path = request.GetUriPath();
    const uint8_t method = request.code;
    if (path == "hello")
    {
        return method == coap::code::Get ? TextResponse(coap::code::Content, kHelloText)
                                         : Response(coap::code::MethodNotAllowed);
    }
    if (path == "echo")
    {
        return IsUpdate(method) ? Upload(peer, path, request, m_config.maxBlockSize, true)
                                : Response(coap::code::MethodNotAllowed);
    }
    if (path == "upload")
    {
        return IsUpdate(method) ? Upload(peer, path, request, m_config.maxUploadSize, false)
                                : Response(coap::code::MethodNotAllowed);
    }
    if (path == "counter")
    {
        return method == coap::code::Get ? Counter(peer, request, context, now)
                                         : Response(coap::code::MethodNotAllowed);
    }
    if (path == "large" || path == ".well-known/core")
    {
        if (method != coap::code::Get)
        {
            return Response(coap::code::MethodNotAllowed);
        }
        const bool large = path == "large";
        const std::string links = large ? "" : LinkFormat();
        const std::vector<uint8_t> body = large ? LargeRepresentation(m_config.largeSize)
                                                : std::vector<uint8_t>(links.begin(), links.end());
        coap::Message head = Response(coap::code::Content);
        head.AddUintOption(coap::option::ContentFormat, large ? kTextPlain : kLinkFormat);
        return coap::MakeBlock2Response(request, std::move(head), body, m_config.maxBlockSize);
    }
    return Response(coap::code::NotFound);
}

coap::Message
ServerSession::Counter(lpwan::PeerId peer, const coap::Message& request,
                       const coap::FilterContextPtr& context, lpwan::TimeNs now)
{
    const ObserverKey key{peer, request.token};
    coap::Message response = TextResponse(coap::code::Content, std::to_string(m_counter));
    const std::optional<uint32_t> observe = coap::GetObserve(request);
    if (observe && *observe == coap::kObserveRegister)
    {
        // A repeated registration with the same token replaces the old one (RFC 7641 4.1).
        Observer& o = m_observers[key];
        ++m_counters.observersAdded;
        o.context = context;
        o.confirmable = request.type == coap::Type::Confirmable;
        o.sent = 0;
        o.lastConfirmable = now;
        response.AddUintOption(coap::option::Observe,
                               static_cast<uint32_t>(m_counter) & coap::kObserveSequenceMask);
        return response;
    }
    // A deregistration (Observe = 1) or a plain GET with the token of a registration.
    RemoveObserver(key);
    return response;
}

coap::Message
ServerSession::Upload(lpwan::PeerId peer, const std::string& path, const coap::Message& request,
                      size_t maxSize, bool echo)
{
    const auto key = std::make_pair(peer, path);
    auto it = m_uploads.find(key);
    if (it == m_uploads.end())
    {
        if (m_uploads.size() >= kMaxUploadsInProgress)
        {
            // Clients that vanish mid-upload must not grow the server without bound.
            m_uploads.erase(m_uploads.begin());
        }
        it = m_uploads.emplace(key, coap::Block1Receiver(maxSize, m_config.maxBlockSize)).first;
    }
    coap::Block1Receiver& receiver = it->second;
    coap::Block1Receiver::Result r = receiver.OnRequest(request);
    if (r.status != coap::Block1Receiver::Status::Complete)
    {
        if (r.status == coap::Block1Receiver::Status::Failed)
        {
            m_uploads.erase(it);
        }
        return std::move(r.response);
    }
    coap::Message response;
    if (echo)
    {
        response = Response(coap::code::Changed);
        response.payload = receiver.Payload();
        if (const coap::Option* cf = request.FindOption(coap::option::ContentFormat))
        {
            response.AddOption(coap::option::ContentFormat, cf->value);
        }
    }
    else
    {
        response = TextResponse(coap::code::Changed, UploadSummary(receiver.Payload()));
    }
    receiver.EchoBlock1(response);
    m_uploads.erase(it);
    return response;
}

void
ServerSession::NotifyAll(lpwan::TimeNs now)
{
    std::vector<ObserverKey> failed;
    for (auto& [key, observer] : m_observers)
    {
        coap::Message n = TextResponse(coap::code::Content, std::to_string(m_counter));
        n.AddUintOption(coap::option::Observe,
                        static_cast<uint32_t>(m_counter) & coap::kObserveSequenceMask);
        const coap::FilterResult sealed = m_filter.ProtectResponse(key.first, n, observer.context);
        if (!sealed.ok)
        {
            m_log << "lpwan-coap-server: dropping observer " << PeerToString(key.first) << ": "
                  << sealed.error << "\n";
            failed.push_back(key);
            continue;
        }
        // CON when the registration was, every kConEvery-th, and when the next notification
        // (one interval on) would come more than 24 hours after the last CON one.
        const lpwan::TimeNs interval = lpwan::SecondsToNs(m_config.notifyIntervalS);
        const bool confirmable = observer.confirmable || ++observer.sent % kConEvery == 0
                                 || now - observer.lastConfirmable + interval > kConAtLeastEvery;
        if (confirmable)
        {
            observer.lastConfirmable = now;
        }
        m_endpoint.Notify(key.first, key.second, std::move(n), confirmable, now);
        ++m_counters.notifications;
    }
    for (const ObserverKey& key : failed)
    {
        RemoveObserver(key);
    }
}

void
ServerSession::RemoveObserver(const ObserverKey& key)
{
    if (m_observers.erase(key) > 0)
    {
        m_endpoint.StopNotifying(key.first, key.second);
        ++m_counters.observersRemoved;
    }
}

} // namespace tools
} // namespace lpwan
