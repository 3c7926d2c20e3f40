#include "edhoc-client-driver.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdhocClientDriver");

using namespace lpwan::edhoc;

EdhocClientDriver::EdhocClientDriver(Config config, Ptr<UniformRandomVariable> stream)
  : m_config(std::move(config))
  , m_random(stream)
{
}

bool
EdhocClientDriver::MustWait() const
{
    const bool rekeyDue
        = m_config.rekeyMessages > 0 && m_reportsUnderContext >= m_config.rekeyMessages;
    return IsBusy() || !m_context || rekeyDue;
}

lpwan::coap::ExchangeId
EdhocClientDriver::Send(const SendFn& send, lpwan::coap::Message request, size_t messageBytes)
{
    // Counted: the EDHOC message, not the prefix (true, or C_R) in front of it.
    m_figures.bytesSent += messageBytes;
    ++m_figures.flightsSent;
    lpwan::coap::ExchangeId exchange = send(std::move(request));
    m_exchanges[exchange] = messageBytes;
    return exchange;
}

EdhocClientDriver::Step
EdhocClientDriver::Start(const SendFn& send, lpwan::TimeNs now)
{
    // Why the device runs EDHOC again, if it does.
    if (m_contextLost)
    {
        ++m_rekeysAfterLoss;
    }
    else if (m_context)
    {
        ++m_rekeysAfterMessages;
    }
    m_contextLost = false;
    ++m_figures.started;
    m_runStart = now;
    m_runExchanges = 0;
    lpwan::glue::EdhocCoapClient::Config run;
    run.initiator = m_config.initiator;
    run.combined = m_config.combined;
    run.replayWindow = m_config.replayWindow;
    m_run = std::make_unique<lpwan::glue::EdhocCoapClient>(std::move(run), m_random);
    m_state = State::Running;
    return Apply(m_run->Start(), send, now);
}

EdhocClientDriver::Step
EdhocClientDriver::HandleEvent(const lpwan::coap::Event& event, const SendFn& send,
                               lpwan::TimeNs now)
{
    // Every copy CoAP sent of the request carried the EDHOC message again.
    m_figures.retransmittedFlights += event.retransmissions;
    m_figures.bytesSent += event.retransmissions * m_exchanges[event.exchange];
    m_exchanges.erase(event.exchange);
    if (event.exchange != m_current || m_state != State::Running)
    {
        return Step::Pending; // e.g. the answer to an error message the device reported
    }
    switch (event.kind)
    {
        case lpwan::coap::Event::Kind::ResponseReceived:
            ++m_runExchanges;
            m_figures.bytesReceived += event.message.payload.size();
            return Apply(m_run->OnResponse(event.message), send, now);
        case lpwan::coap::Event::Kind::Timeout:
            return Fail("timeout");
        case lpwan::coap::Event::Kind::Reset:
            return Fail("reset");
        default:
            return Step::Pending;
    }
}

EdhocClientDriver::Step
EdhocClientDriver::Apply(lpwan::glue::EdhocCoapClient::Step step, const SendFn& send,
                         lpwan::TimeNs now)
{
    using Result = lpwan::glue::EdhocCoapClient::Step::Result;
    if (step.request)
    {
        lpwan::coap::ExchangeId exchange = Send(send, std::move(*step.request), step.messageBytes);
        if (step.result == Result::Pending)
        {
            m_current = exchange;
        }
    }
    switch (step.result)
    {
        case Result::Pending:
            return Step::Pending;
        case Result::Failed:
            NS_LOG_INFO("EDHOC failed: " << step.reason << ": " << step.diagnostic);
            return Fail(step.reason);
        case Result::Ready:
            break;
    }
    InstallContext(*step.context);
    if (!step.combinedMessage3.empty())
    {
        m_combinedMessage3 = std::move(step.combinedMessage3);
        m_readyAt = now;
        m_state = State::Confirming;
        return Step::Ready;
    }
    Completed(now);
    return Step::Ready;
}

void
EdhocClientDriver::InstallContext(const lpwan::oscore::ContextParameters& params)
{
    RetireContext();
    m_context = std::make_shared<lpwan::oscore::SecurityContext>(params);
    m_reportsUnderContext = 0;
}

void
EdhocClientDriver::Completed(lpwan::TimeNs readyAt)
{
    ++m_figures.completed;
    m_figures.roundTrips += m_runExchanges;
    m_figures.durations.push_back(lpwan::NsToSeconds(readyAt - m_runStart));
    m_state = State::Idle;
    m_run.reset();
}

Bytes
EdhocClientDriver::TakeCombinedMessage3()
{
    Bytes m = std::move(m_combinedMessage3);
    m_combinedMessage3.clear();
    if (!m.empty())
    {
        m_figures.bytesSent += m.size();
        ++m_figures.flightsSent;
        m_combinedMessage3Size = m.size();
    }
    return m;
}

void
EdhocClientDriver::CombinedRequestSent(lpwan::coap::ExchangeId exchange)
{
    m_combinedExchange = exchange;
}

EdhocClientDriver::Step
EdhocClientDriver::CombinedRequestEnded(bool authentic, const std::string& reason,
                                        uint32_t retransmissions, lpwan::TimeNs now)
{
    if (m_state != State::Confirming)
    {
        return Step::Pending;
    }
    // Each retransmission of the report repeated message_3.
    m_figures.retransmittedFlights += retransmissions;
    m_figures.bytesSent += retransmissions * m_combinedMessage3Size;
    if (!authentic)
    {
        return Fail(reason);
    }
    Completed(m_readyAt);
    return Step::Ready;
}

void
EdhocClientDriver::ContextLost()
{
    if (m_state == State::Idle && m_context)
    {
        RetireContext();
        m_contextLost = true;
    }
}

void
EdhocClientDriver::Reboot()
{
    if (m_state != State::Idle)
    {
        m_figures.failed += 1;
        m_figures.failures["device-reboot"] += 1;
    }
    m_run.reset();
    m_state = State::Idle;
    m_current = 0;
    m_exchanges.clear();
    m_combinedExchange = 0;
    m_combinedMessage3.clear();
    m_combinedMessage3Size = 0;
    m_runExchanges = 0;
    RetireContext();
    m_contextLost = false;
}

void
EdhocClientDriver::RetireContext()
{
    if (m_context)
    {
        m_retiredCounters += m_context->GetCounters();
        m_context.reset();
    }
}

EdhocClientDriver::Step
EdhocClientDriver::Fail(const std::string& reason)
{
    ++m_figures.failed;
    ++m_figures.failures[reason];
    m_lastFailure = reason;
    m_state = State::Idle;
    m_current = 0;
    m_run.reset();
    // A context from a run that did not complete (combined) is of no use; an older one is
    // replaced by the next run anyway.
    RetireContext();
    return Step::Failed;
}

lpwan::oscore::Counters
EdhocClientDriver::GetOscoreCounters() const
{
    lpwan::oscore::Counters sum = m_retiredCounters;
    if (m_context)
    {
        sum += m_context->GetCounters();
    }
    return sum;
}

} // namespace ns3
