#include "edhoc-coap-responder-pool.h"

#include "edhoc-error-message.h"

#include <algorithm>

namespace ns3
{
namespace lpwan
{
namespace edhoc
{

CoapResponderPool::CoapResponderPool(ResponderConfig base, RandomSource& random, size_t maxSessions)
  : m_base(std::move(base))
  , m_random(random)
  , m_maxSessions(std::max<size_t>(1, maxSessions))
{
}

Bytes
CoapResponderPool::AllocateConnectionId(const Bytes& cI)
{
    // 256 one-byte identifiers; at most maxSessions (+ C_I) are taken at any time.
    for (int tries = 0; tries < 256; ++tries)
    {
        Bytes id{m_nextId++};
        if (id != cI && m_sessions.find(id) == m_sessions.end())
        {
            return id;
        }
    }
    return {};
}

CoapResponderPool::Result
CoapResponderPool::HandleRequest(const coap::Message& request)
{
    Result result;
    EdhocRequestPayload p;
    std::string why;
    if (request.code != coap::code::Post)
    {
        result.response = MakeEdhocResponse(EncodeUnspecifiedError("EDHOC needs POST"), true);
        result.response->code = coap::code::MethodNotAllowed;
        result.log = "EDHOC: not a POST";
        return result;
    }
    if (!ParseEdhocRequestPayload(request.payload, p, why))
    {
        result.response = MakeEdhocResponse(EncodeUnspecifiedError(why), true);
        result.log = why;
        return result;
    }
    if (!p.message1)
    {
        return Message3(p.cR, p.message, false);
    }

    // message_1: a new session. The C_I it names is only known after decoding, so the
    // Responder is created with a provisional C_R and replaced if it collides.
    while (m_sessions.size() >= m_maxSessions)
    {
        m_sessions.erase(m_order.front());
        m_order.pop_front();
        ++m_failed;
    }
    ResponderConfig config = m_base;
    Bytes cR = AllocateConnectionId({});
    config.connectionId = cR;
    auto responder = std::make_unique<Responder>(config, m_random);
    Outcome o = responder->HandleMessage1(p.message);
    if (o.status == Status::SentError && responder->GetInitiatorConnectionId() == cR && !cR.empty())
    {
        // C_I happened to equal the provisional C_R: retry with another one.
        config.connectionId = AllocateConnectionId(cR);
        responder = std::make_unique<Responder>(config, m_random);
        o = responder->HandleMessage1(p.message);
    }
    if (o.status != Status::Continue)
    {
        ++m_failed;
        result.response = MakeEdhocResponse(o.message, true);
        result.log = "EDHOC message_1 refused: " + o.diagnostic;
        return result;
    }
    result.response = MakeEdhocResponse(o.message, false);
    result.log = "EDHOC message_2 sent, session C_R " + std::to_string(cR.empty() ? -1 : cR[0]);
    const Bytes key = responder->GetResponderConnectionId();
    m_sessions[key] = std::move(responder);
    m_order.push_back(key);
    return result;
}

CoapResponderPool::Result
CoapResponderPool::Message3(const Bytes& cR, const Bytes& message, bool combined)
{
    Result result;
    auto it = m_sessions.find(cR);
    if (it == m_sessions.end())
    {
        result.response
            = MakeEdhocResponse(EncodeUnspecifiedError("no EDHOC session for this C_R"), true);
        result.log = "EDHOC: message_3 for an unknown C_R";
        return result;
    }
    std::unique_ptr<Responder> responder = std::move(it->second);
    m_sessions.erase(it);
    m_order.erase(std::find(m_order.begin(), m_order.end(), cR));
    Outcome o = responder->HandleMessage3(message);
    if (o.status != Status::Completed)
    {
        ++m_failed;
        if (!o.message.empty())
        {
            result.response = MakeEdhocResponse(o.message, true);
        }
        else
        {
            // The Initiator reported an error itself: acknowledge with an empty 2.04.
            result.response = MakeEdhocResponse({}, false);
        }
        result.log = "EDHOC session failed: " + o.diagnostic;
        return result;
    }
    ++m_completed;
    result.completed = responder->GetOscoreMaterial();
    if (!combined)
    {
        result.response = MakeEdhocResponse(o.message, false); // message_4 or empty
    }
    result.log = "EDHOC completed";
    return result;
}

CoapResponderPool::Result
CoapResponderPool::HandleCombinedRequest(coap::Message& request)
{
    Bytes message3;
    Bytes cR;
    std::string why;
    if (!SplitCombinedRequest(request, message3, cR, why))
    {
        Result result;
        result.response = MakeEdhocResponse(EncodeUnspecifiedError(why), true);
        result.log = why;
        return result;
    }
    return Message3(cR, message3, true);
}

} // namespace edhoc
} // namespace lpwan
} // namespace ns3
