/*
 * The client session; see client-session.h.
 */

#include "client-session.h"

#include "exit-status.h"
#include "protocols/coap/coap-describe.h"
#include "protocols/coap/coap-observe.h"

#include <sstream>

namespace lpwan
{
namespace tools
{

namespace
{

constexpr size_t kDefaultBlockSize = 1024;

/// "0.3", "90": seconds as a person writes them.
std::string
Seconds(double s)
{
    std::ostringstream text;
    text << s;
    return text.str();
}

int
StatusForCode(uint8_t code)
{
    return (code >> 5) == 2 ? exit_status::kOk : exit_status::kErrorResponse;
}

} // namespace

ClientSession::ClientSession(coap::Endpoint& endpoint, coap::MessageFilter& filter,
                             ClientRequest request, std::ostream& out, std::ostream& err)
  : m_endpoint(endpoint)
  , m_filter(filter)
  , m_spec(std::move(request))
  , m_out(out)
  , m_err(err)
{
}

void
ClientSession::Start(lpwan::TimeNs now)
{
    m_deadline = now + lpwan::SecondsToNs(m_spec.waitSeconds);
    coap::Message plain = m_spec.request;
    const size_t blockSize = m_spec.blockSize.value_or(kDefaultBlockSize);
    if (m_spec.observeSeconds)
    {
        plain.RemoveOption(coap::option::Observe);
        plain.AddUintOption(coap::option::Observe, coap::kObserveRegister);
        m_phase = Phase::Observe;
        Send(std::move(plain), now);
        return;
    }
    if (plain.payload.size() > blockSize)
    {
        m_phase = Phase::Upload;
        m_upload.emplace(plain, blockSize);
        Send(m_upload->CurrentRequest(), now);
        return;
    }
    if (m_spec.blockSize)
    {
        // RFC 7959 section 2.4: Block2 NUM 0 in the request asks for blocks of this size.
        coap::BlockValue early;
        early.szx = *coap::BlockSizeToSzx(*m_spec.blockSize);
        coap::SetBlock(plain, coap::option::Block2, early);
    }
    m_phase = Phase::Download;
    m_download.emplace(plain);
    Send(std::move(plain), now);
}

void
ClientSession::Send(coap::Message plain, lpwan::TimeNs now)
{
    coap::Message shown = m_spec.verbose > 0 ? plain : coap::Message();
    coap::FilterContextPtr context;
    const coap::FilterResult r = m_filter.ProtectRequest(m_spec.peer, plain, context);
    if (!r.ok)
    {
        Fail(exit_status::kSecurity, r.error);
        return;
    }
    m_context = std::move(context);
    m_exchange = m_endpoint.SendRequest(m_spec.peer, std::move(plain), now);
    if (m_spec.verbose > 0)
    {
        // The plain request as the application sees it, with the ID and token the endpoint
        // gave its (possibly OSCORE-protected) wire form.
        shown.messageId = m_endpoint.GetMessageId(m_exchange);
        shown.token = m_endpoint.GetToken(m_exchange);
        m_err << "request:  " << coap::Describe(shown) << "\n";
    }
    if (m_phase == Phase::Observe)
    {
        m_observeToken = m_endpoint.GetToken(m_exchange);
    }
}

void
ClientSession::OnEvent(const coap::Event& event, lpwan::TimeNs now)
{
    if (m_phase == Phase::Done || m_phase == Phase::Idle || event.exchange != m_exchange)
    {
        return; // not ours: a server-side event, or an exchange already abandoned
    }
    switch (event.kind)
    {
        case coap::Event::Kind::Timeout:
            if (m_phase == Phase::Deregister)
            {
                Finish(m_exitStatus); // the observation itself went fine
                return;
            }
            Fail(exit_status::kNoAnswer, "no answer from " + m_spec.peerName + " after "
                                             + std::to_string(event.retransmissions)
                                             + " retransmissions");
            return;
        case coap::Event::Kind::Reset:
            if (m_phase == Phase::Deregister)
            {
                Finish(m_exitStatus);
                return;
            }
            Fail(exit_status::kNoAnswer, m_spec.peerName + " rejected the request with Reset");
            return;
        case coap::Event::Kind::ResponseReceived:
            break;
        default:
            return;
    }
    coap::Message response = event.message;
    const coap::FilterResult r = m_filter.UnprotectResponse(m_spec.peer, response, m_context);
    if (!r.ok)
    {
        if (m_phase == Phase::Deregister)
        {
            Finish(m_exitStatus);
            return;
        }
        if (m_phase == Phase::Observe && m_observing && event.observing && r.errorCode == 0)
        {
            // A notification that does not verify (forged, replayed, out of order) is dropped;
            // the observation goes on with the next authentic one (RFC 8613 section 8.4.2).
            m_err << "lpwan-coap-client: dropped a notification: " << r.error << "\n";
            return;
        }
        if (r.errorCode != 0)
        {
            Print(response); // the server's unprotected error: code and diagnostic
        }
        if (m_observing && !event.observing)
        {
            m_endpoint.CancelObservation(m_exchange, now);
        }
        Fail(exit_status::kSecurity, r.error);
        return;
    }
    if (m_spec.verbose > 0)
    {
        m_err << "response: " << coap::Describe(response) << "\n";
    }
    OnResponse(response, event.observing, now);
}

void
ClientSession::OnResponse(const coap::Message& response, bool observing, lpwan::TimeNs now)
{
    switch (m_phase)
    {
        case Phase::Upload:
            switch (m_upload->OnResponse(response))
            {
                case coap::Block1Sender::Status::SendNext:
                    Send(m_upload->CurrentRequest(), now);
                    return;
                case coap::Block1Sender::Status::Complete:
                {
                    const coap::Message& last = m_upload->Response();
                    Print(last);
                    const std::optional<coap::BlockValue> b2
                        = coap::GetBlock(last, coap::option::Block2);
                    if (b2 && b2->more)
                    {
                        Fail(exit_status::kErrorResponse,
                             "the response continues block-wise (Block2 after Block1), which "
                             "this client does not fetch; only its first block was printed");
                        return;
                    }
                    Finish(StatusForCode(last.code));
                    return;
                }
                case coap::Block1Sender::Status::Failed:
                    Print(m_upload->Response());
                    Fail(exit_status::kErrorResponse,
                         "block-wise upload failed: " + m_upload->Error());
                    return;
            }
            return;
        case Phase::Download:
            switch (m_download->OnResponse(response))
            {
                case coap::Block2Receiver::Status::NeedMore:
                    Send(m_download->NextRequest(), now);
                    return;
                case coap::Block2Receiver::Status::Complete:
                    Print(m_download->Response());
                    Finish(StatusForCode(m_download->Response().code));
                    return;
                case coap::Block2Receiver::Status::Failed:
                    Print(m_download->Response());
                    Fail(exit_status::kErrorResponse,
                         "block-wise download failed: " + m_download->Error());
                    return;
            }
            return;
        case Phase::Observe:
            OnObserveResponse(response, observing, now);
            return;
        case Phase::Deregister:
            Finish(m_exitStatus); // the deregistration's answer is not printed (as libcoap)
            return;
        case Phase::Idle:
        case Phase::Done:
            return;
    }
}

void
ClientSession::OnObserveResponse(const coap::Message& response, bool observing, lpwan::TimeNs now)
{
    const std::optional<coap::BlockValue> b2 = coap::GetBlock(response, coap::option::Block2);
    Print(response);
    m_exitStatus = StatusForCode(response.code);
    if (b2 && b2->more)
    {
        m_err << "lpwan-coap-client: the notification continues block-wise (Block2), which "
                 "this client does not fetch for Observe; only its first block was printed\n";
    }
    if (!observing)
    {
        // RFC 7641 section 3.2: no Observe option (the server does not or no longer lets us
        // observe) or an error: this response is final.
        if (!m_observing && (response.code >> 5) == 2 && m_spec.verbose > 0)
        {
            m_err << "lpwan-coap-client: the server did not register the observation\n";
        }
        Finish(m_exitStatus);
        return;
    }
    if (!m_observing)
    {
        m_observing = true;
        m_deadline = now + lpwan::SecondsToNs(*m_spec.observeSeconds);
    }
}

void
ClientSession::Deregister(lpwan::TimeNs now)
{
    // RFC 7641 section 3.6: forget the registration (a late notification then gets RST), and
    // tell the server at once with the same request, same token, Observe = 1.
    m_endpoint.CancelObservation(m_exchange, now);
    m_observing = false;
    m_phase = Phase::Deregister;
    const coap::TransmissionParameters& p = m_endpoint.GetParameters();
    m_deadline = now + lpwan::SecondsToNs(p.ackTimeoutS * p.ackRandomFactor);
    coap::Message plain = m_spec.request;
    plain.RemoveOption(coap::option::Observe);
    plain.AddUintOption(coap::option::Observe, coap::kObserveDeregister);
    plain.token = m_observeToken;
    Send(std::move(plain), now);
}

std::optional<lpwan::TimeNs>
ClientSession::NextTimer() const
{
    return m_phase == Phase::Done ? std::nullopt : m_deadline;
}

void
ClientSession::OnTimer(lpwan::TimeNs now)
{
    if (m_phase == Phase::Done || !m_deadline || now < *m_deadline)
    {
        return;
    }
    if (m_phase == Phase::Observe && m_observing)
    {
        Deregister(now);
        return;
    }
    if (m_phase == Phase::Deregister)
    {
        m_endpoint.CancelObservation(m_exchange, now); // no answer: stop retransmitting
        Finish(m_exitStatus);
        return;
    }
    m_endpoint.CancelObservation(m_exchange, now);
    Fail(exit_status::kNoAnswer, "no final answer from " + m_spec.peerName + " within "
                                     + Seconds(m_spec.waitSeconds) + " s");
}

void
ClientSession::Interrupt(lpwan::TimeNs now)
{
    if (m_phase == Phase::Observe && m_observing)
    {
        Deregister(now); // ending an observation by Ctrl-C is normal use: status unchanged
        return;
    }
    if (m_phase == Phase::Deregister)
    {
        Finish(m_exitStatus);
        return;
    }
    if (m_phase != Phase::Done)
    {
        Fail(exit_status::kInterrupted, "interrupted");
    }
}

void
ClientSession::TransportFailed(int status, const std::string& why, lpwan::TimeNs now)
{
    if (m_phase == Phase::Done)
    {
        return;
    }
    if (m_phase != Phase::Idle)
    {
        m_endpoint.CancelObservation(m_exchange, now); // forgets the exchange: no more retries
    }
    Fail(status, why);
}

void
ClientSession::Print(const coap::Message& response)
{
    const std::string name = coap::CodeName(response.code);
    m_out << coap::CodeToString(response.code) << (name.empty() ? "" : " " + name) << "\n";
    if (m_spec.printPayload && !response.payload.empty())
    {
        m_out.write(reinterpret_cast<const char*>(response.payload.data()),
                    static_cast<std::streamsize>(response.payload.size()));
        if (response.payload.back() != '\n')
        {
            m_out << "\n";
        }
    }
    m_out.flush();
    m_lastPayload = response.payload;
    ++m_printed;
}

void
ClientSession::Finish(int status)
{
    m_phase = Phase::Done;
    m_exitStatus = status;
}

void
ClientSession::Fail(int status, const std::string& why)
{
    m_err << "lpwan-coap-client: " << why << "\n";
    m_err.flush();
    Finish(status);
}

} // namespace tools
} // namespace lpwan
