#include "edhoc-client-driver.h"

#include "protocols/edhoc/edhoc-coap.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdhocClientDriver");

using namespace lpwan::edhoc;

EdhocClientDriver::EdhocClientDriver(Config config, Ptr<UniformRandomVariable> stream)
  : m_config(std::move(config))
  , m_random(stream)
{
    // message_4 is the server's key confirmation; with a combined request its OSCORE response
    // confirms instead (RFC 9668), so the two do not go together.
    m_config.initiator.expectMessage4 = m_config.initiator.expectMessage4 && !m_config.combined;
}

bool
EdhocClientDriver::MustWait() const
{
    const bool rekeyDue
        = m_config.rekeyMessages > 0 && m_reportsUnderContext >= m_config.rekeyMessages;
    return IsBusy() || !m_context || rekeyDue;
}

coap::ExchangeId
EdhocClientDriver::Send(const SendFn& send, coap::Message request, size_t messageBytes)
{
    // Counted: the EDHOC message, not the prefix (true, or C_R) in front of it.
    m_figures.bytesSent += messageBytes;
    ++m_figures.flightsSent;
    coap::ExchangeId exchange = send(std::move(request));
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
    m_initiator = std::make_unique<Initiator>(m_config.initiator, m_random);
    Outcome o = m_initiator->Start();
    if (o.status != Status::Continue)
    {
        return Fail("local-error");
    }
    m_state = State::Message2;
    m_current = Send(send, MakeMessage1Request(o.message), o.message.size());
    return Step::Pending;
}

EdhocClientDriver::Step
EdhocClientDriver::HandleEvent(const coap::Event& event, const SendFn& send, lpwan::TimeNs now)
{
    // Every copy CoAP sent of the request carried the EDHOC message again.
    m_figures.retransmittedFlights += event.retransmissions;
    m_figures.bytesSent += event.retransmissions * m_exchanges[event.exchange];
    m_exchanges.erase(event.exchange);
    if (event.exchange != m_current || (m_state != State::Message2 && m_state != State::Message3))
    {
        return Step::Pending; // e.g. the answer to an error message the device reported
    }
    switch (event.kind)
    {
        case coap::Event::Kind::ResponseReceived:
            ++m_runExchanges;
            m_figures.bytesReceived += event.message.payload.size();
            return OnResponse(event.message, send, now);
        case coap::Event::Kind::Timeout:
            return Fail("timeout");
        case coap::Event::Kind::Reset:
            return Fail("reset");
        default:
            return Step::Pending;
    }
}

EdhocClientDriver::Step
EdhocClientDriver::OnResponse(const coap::Message& response, const SendFn& send, lpwan::TimeNs now)
{
    if (m_state == State::Message2)
    {
        // message_2, or an error message (4.00): the Initiator tells them apart.
        Outcome o = m_initiator->HandleMessage2(response.payload);
        switch (o.status)
        {
            case Status::Retry:
                // The server refused the suite and named its own (SUITES_R): a new message_1.
                m_current = Send(send, MakeMessage1Request(o.message), o.message.size());
                return Step::Pending;
            case Status::Completed:
                if (m_config.combined)
                {
                    if (!InstallContext())
                    {
                        return Fail("oscore-context");
                    }
                    m_combinedMessage3 = o.message;
                    m_readyAt = now;
                    m_state = State::Confirming;
                    return Step::Ready;
                }
                [[fallthrough]];
            case Status::Continue:
                m_state = State::Message3;
                m_current = Send(
                    send, MakeMessage3Request(m_initiator->GetResponderConnectionId(), o.message),
                    o.message.size());
                return Step::Pending;
            case Status::SentError:
                // Tell the server why (it then forgets the session), and give up.
                if (!m_initiator->GetResponderConnectionId().empty())
                {
                    Send(send,
                         MakeMessage3Request(m_initiator->GetResponderConnectionId(), o.message),
                         o.message.size());
                }
                NS_LOG_INFO("EDHOC: message_2 rejected: " << o.diagnostic);
                return Fail("message_2-rejected");
            case Status::ReceivedError:
                NS_LOG_INFO("EDHOC: the server sent an error: " << o.diagnostic);
                return Fail("server-error");
            default:
                return Fail("local-error");
        }
    }
    // message_3 answered: 2.04 (empty, or message_4), or an error message.
    if ((response.code >> 5) != 2)
    {
        return Fail("server-error");
    }
    if (m_config.initiator.expectMessage4)
    {
        Outcome o = m_initiator->HandleMessage4(response.payload);
        if (o.status != Status::Completed)
        {
            return Fail("message_4-rejected");
        }
    }
    if (!InstallContext())
    {
        return Fail("oscore-context");
    }
    Completed(now);
    return Step::Ready;
}

bool
EdhocClientDriver::InstallContext()
{
    std::optional<OscoreMaterial> material = m_initiator->GetOscoreMaterial();
    if (!material)
    {
        return false;
    }
    oscore::ContextParameters params = ToOscoreParameters(*material);
    params.replayWindowSize = m_config.replayWindow;
    if (!oscore::ValidateParameters(params).empty())
    {
        return false;
    }
    RetireContext();
    m_context = std::make_shared<oscore::SecurityContext>(params);
    m_reportsUnderContext = 0;
    return true;
}

void
EdhocClientDriver::Completed(lpwan::TimeNs readyAt)
{
    ++m_figures.completed;
    m_figures.roundTrips += m_runExchanges;
    m_figures.durations.push_back(lpwan::NsToSeconds(readyAt - m_runStart));
    m_state = State::Idle;
    m_initiator.reset();
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
EdhocClientDriver::CombinedRequestSent(coap::ExchangeId exchange)
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
    m_initiator.reset();
    // A context from a run that did not complete (combined) is of no use; an older one is
    // replaced by the next run anyway.
    RetireContext();
    return Step::Failed;
}

oscore::Counters
EdhocClientDriver::GetOscoreCounters() const
{
    oscore::Counters sum = m_retiredCounters;
    if (m_context)
    {
        sum += m_context->GetCounters();
    }
    return sum;
}

} // namespace ns3
