#include "edhoc-coap-client.h"

#include "../edhoc/edhoc-coap.h"
#include "../edhoc/edhoc-error-message.h"
#include "../edhoc/edhoc-exporter.h"

namespace lpwan
{
namespace glue
{

using namespace lpwan::edhoc;

namespace
{

InitiatorConfig
WithoutMessage4IfCombined(InitiatorConfig c, bool combined)
{
    // message_4 is the server's key confirmation; with a combined request its OSCORE response
    // confirms instead (RFC 9668), so the two do not go together.
    c.expectMessage4 = c.expectMessage4 && !combined;
    return c;
}

} // namespace

EdhocCoapClient::EdhocCoapClient(Config config, lpwan::RandomSource& random)
  : m_config(std::move(config))
  , m_initiator(WithoutMessage4IfCombined(m_config.initiator, m_config.combined), random)
{
    m_config.initiator.expectMessage4 = m_initiator.GetConfig().expectMessage4;
}

EdhocCoapClient::Step
EdhocCoapClient::Send(coap::Message request, size_t messageBytes)
{
    Step s;
    s.request = std::move(request);
    s.messageBytes = messageBytes;
    return s;
}

EdhocCoapClient::Step
EdhocCoapClient::Fail(std::string reason, std::string diagnostic)
{
    m_state = State::Done;
    Step s;
    s.result = Step::Result::Failed;
    s.reason = std::move(reason);
    s.diagnostic = std::move(diagnostic);
    return s;
}

EdhocCoapClient::Step
EdhocCoapClient::Start()
{
    Outcome o = m_initiator.Start();
    if (o.status != Status::Continue)
    {
        return Fail("local-error", o.diagnostic);
    }
    m_state = State::Message2;
    return Send(MakeMessage1Request(o.message), o.message.size());
}

EdhocCoapClient::Step
EdhocCoapClient::OnResponse(const coap::Message& response)
{
    switch (m_state)
    {
        case State::Message2:
            return OnMessage2(response);
        case State::Message3:
            return OnMessage3Answer(response);
        default:
            return Step{}; // an answer to the error message sent when the run failed
    }
}

EdhocCoapClient::Step
EdhocCoapClient::OnMessage2(const coap::Message& response)
{
    // message_2, or an error message (4.00): the Initiator tells them apart.
    Outcome o = m_initiator.HandleMessage2(response.payload);
    switch (o.status)
    {
        case Status::Retry:
        {
            // The server refused the suite and named its own (SUITES_R): a new message_1.
            Step s = Send(MakeMessage1Request(o.message), o.message.size());
            s.retried = true;
            return s;
        }
        case Status::Completed:
            if (m_config.combined)
            {
                return Ready(o.message);
            }
            [[fallthrough]];
        case Status::Continue:
            m_state = State::Message3;
            return Send(MakeMessage3Request(m_initiator.GetResponderConnectionId(), o.message),
                        o.message.size());
        case Status::SentError:
        {
            // Tell the server why (it then forgets the session), and give up.
            Step s = Fail("message_2-rejected", o.diagnostic);
            if (!m_initiator.GetResponderConnectionId().empty())
            {
                s.request = MakeMessage3Request(m_initiator.GetResponderConnectionId(), o.message);
                s.messageBytes = o.message.size();
            }
            return s;
        }
        case Status::ReceivedError:
            return Fail("server-error", o.diagnostic);
        default:
            return Fail("local-error", o.diagnostic);
    }
}

EdhocCoapClient::Step
EdhocCoapClient::OnMessage3Answer(const coap::Message& response)
{
    // message_3 answered: 2.04 (empty, or message_4), or an error message.
    if ((response.code >> 5) != 2)
    {
        ErrorMessage e;
        std::string why;
        return Fail("server-error",
                    DecodeError(response.payload, e, why) ? e.diagnostic : std::string("?"));
    }
    if (m_config.initiator.expectMessage4)
    {
        Outcome o = m_initiator.HandleMessage4(response.payload);
        if (o.status != Status::Completed)
        {
            return Fail("message_4-rejected", o.diagnostic);
        }
    }
    return Ready({});
}

EdhocCoapClient::Step
EdhocCoapClient::Ready(Bytes combinedMessage3)
{
    std::optional<OscoreMaterial> material = m_initiator.GetOscoreMaterial();
    if (!material)
    {
        return Fail("oscore-context", "no OSCORE material");
    }
    oscore::ContextParameters params = ToOscoreParameters(*material);
    params.replayWindowSize = m_config.replayWindow;
    std::string invalid = oscore::ValidateParameters(params);
    if (!invalid.empty())
    {
        return Fail("oscore-context", invalid);
    }
    m_state = State::Done;
    Step s;
    s.result = Step::Result::Ready;
    s.context = std::move(params);
    s.combinedMessage3 = std::move(combinedMessage3);
    return s;
}

} // namespace glue
} // namespace lpwan
