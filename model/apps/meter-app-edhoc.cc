// MeterApp under the edhoc-oscore profile: the glue between the reports, the EDHOC driver
// (edhoc-client-driver.h) and the ledger. See meter-app.h.
#include "meter-app.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/edhoc/edhoc-coap.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MeterAppEdhoc");

void
MeterApp::SetEdhocConfig(EdhocClientDriver::Config config, Ptr<UniformRandomVariable> stream)
{
    m_edhoc = std::make_unique<EdhocClientDriver>(std::move(config), stream);
}

void
MeterApp::SendEdhocReport(lpwan::coap::Message plain, uint64_t id)
{
    if (m_waiting.empty() && !m_edhoc->MustWait())
    {
        SubmitEdhocProtected(std::move(plain), id, Simulator::Now(), false);
        return;
    }
    m_waiting.push_back(WaitingReport{std::move(plain), id, Simulator::Now(), std::nullopt});
    if (!m_edhoc->IsBusy())
    {
        m_edhoc->MustWait() ? StartEdhocRun() : OnEdhocStep(EdhocClientDriver::Step::Ready);
    }
}

lpwan::coap::ExchangeId
MeterApp::SendEdhocRequest(lpwan::coap::Message request)
{
    lpwan::coap::ExchangeId exchange
        = m_endpoint->SendRequest(ServerPeer(), std::move(request), CoapUdpBinding::Now());
    if (m_ledger && !m_waiting.empty())
    {
        // The exchange's datagrams are the handshake bytes of the first waiting report.
        m_ledger->BindToken(m_localAddress.Get(), m_endpoint->GetToken(exchange),
                            m_waiting.front().id, true);
    }
    return exchange;
}

void
MeterApp::StartEdhocRun()
{
    EdhocClientDriver::Step step = m_edhoc->Start(
        [this](lpwan::coap::Message m)
        {
            return SendEdhocRequest(std::move(m));
        },
        CoapUdpBinding::Now());
    OnEdhocStep(step);
    m_binding.Flush();
}

bool
MeterApp::HandleEdhocEvent(const lpwan::coap::Event& event)
{
    if (!m_edhoc || !m_edhoc->Owns(event.exchange))
    {
        return false;
    }
    EdhocClientDriver::Step step = m_edhoc->HandleEvent(
        event,
        [this](lpwan::coap::Message m)
        {
            return SendEdhocRequest(std::move(m));
        },
        CoapUdpBinding::Now());
    OnEdhocStep(step);
    return true;
}

void
MeterApp::OnEdhocStep(EdhocClientDriver::Step step)
{
    if (step == EdhocClientDriver::Step::Failed)
    {
        NS_LOG_INFO("device " << m_deviceIndex << ": EDHOC failed: " << m_edhoc->GetLastFailure());
        FailWaitingReports();
        return;
    }
    if (step != EdhocClientDriver::Step::Ready)
    {
        return;
    }
    // A usable context: the waiting reports go, in order -- only the first while it carries
    // message_3 and the server has not yet confirmed the context, and only as many as the
    // re-key policy allows before the next run.
    while (!m_waiting.empty() && (!m_edhoc->MustWait() || m_edhoc->HasCombinedMessage3()))
    {
        WaitingReport w = std::move(m_waiting.front());
        m_waiting.pop_front();
        SubmitEdhocProtected(std::move(w.request), w.id, w.queued, true);
    }
    if (!m_waiting.empty() && !m_edhoc->IsBusy())
    {
        StartEdhocRun();
    }
}

void
MeterApp::SubmitEdhocProtected(lpwan::coap::Message plain, uint64_t id, Time queued, bool waited)
{
    lpwan::coap::Message request = std::move(plain);
    OscoreProtection p = ProtectReport(request);
    const lpwan::edhoc::Bytes message3 = m_edhoc->TakeCombinedMessage3();
    uint32_t extraSecurity = 0;
    if (!message3.empty())
    {
        // RFC 9668: message_3 and the EDHOC option travel with this report; their bytes are
        // security bytes of the report.
        const size_t before = lpwan::coap::Encode(request).size();
        lpwan::edhoc::MakeCombinedRequest(request, message3);
        extraSecurity = static_cast<uint32_t>(lpwan::coap::Encode(request).size() - before);
        m_combinedWaited = Simulator::Now() - queued;
    }
    m_edhoc->CountProtectedReport();
    if (waited && m_ledger)
    {
        m_ledger->MarkHandshake(id, "full", Simulator::Now() - queued);
    }
    lpwan::coap::ExchangeId exchange = Submit(std::move(request), id, std::move(p), extraSecurity);
    if (!message3.empty())
    {
        m_edhoc->CombinedRequestSent(exchange);
    }
}

void
MeterApp::EdhocReportEnded(const lpwan::coap::Event& event, uint64_t id, bool authentic,
                           std::string& completion)
{
    if (m_edhoc->IsCombinedExchange(event.exchange))
    {
        std::string reason = "combined-rejected";
        if (event.kind == lpwan::coap::Event::Kind::Timeout)
        {
            reason = "combined-timeout";
        }
        else if (event.kind == lpwan::coap::Event::Kind::Reset)
        {
            reason = "combined-reset";
        }
        if (!authentic)
        {
            // The server did not complete EDHOC with this request (an EDHOC error instead of
            // the OSCORE response), or the device cannot tell (no answer).
            if (event.kind == lpwan::coap::Event::Kind::ResponseReceived)
            {
                completion = "handshake-failed";
            }
            if (m_ledger)
            {
                m_ledger->MarkHandshake(id, "failed", m_combinedWaited);
            }
        }
        OnEdhocStep(m_edhoc->CombinedRequestEnded(authentic, reason, event.retransmissions,
                                                  CoapUdpBinding::Now()));
        return;
    }
    if (event.kind == lpwan::coap::Event::Kind::ResponseReceived && !authentic
        && event.message.code == lpwan::coap::code::Unauthorized
        && event.message.FindOption(lpwan::coap::option::Oscore) == nullptr)
    {
        // An unprotected 4.01 (RFC 8613 section 8.2: "Security context not found"): the server
        // lost this device's context. The next report runs EDHOC again.
        m_edhoc->ContextLost();
    }
}

void
MeterApp::FailWaitingReports()
{
    for (WaitingReport& w : m_waiting)
    {
        if (m_ledger)
        {
            m_ledger->MarkHandshake(w.id, "failed", Simulator::Now() - w.queued);
            m_ledger->MarkCompleted(w.id, "handshake-failed", 0, "");
        }
    }
    m_waiting.clear();
}

} // namespace ns3
