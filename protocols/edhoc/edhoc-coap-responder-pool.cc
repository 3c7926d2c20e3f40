#include "edhoc-coap-responder-pool.h"

#include "edhoc-error-message.h"

#include <algorithm>

namespace lpwan
{
namespace edhoc
{

CoapResponderPool::CoapResponderPool(ResponderConfig base, RandomSource& random, size_t maxSessions,
                                     IdInUse idInUse)
  : m_base(std::move(base))
  , m_random(random)
  , m_maxSessions(std::max<size_t>(1, maxSessions))
  , m_idInUse(std::move(idInUse))
{
}

Bytes
CoapResponderPool::AllocateConnectionId(const Bytes& cI)
{
    // The shortest free identifier: every one-byte value is tried, then a bounded number of
    // candidates of each longer length (taken in turn, so that a crowded length is not
    // scanned from its start again on every allocation).
    constexpr size_t kMaxIdLength = 7; // OSCORE Sender / Recipient IDs (AES-CCM-16-64-128)
    constexpr uint64_t kTriesPerLength = 1024;
    for (size_t length = 1; length <= kMaxIdLength; ++length)
    {
        const uint64_t space = length < 8 ? (uint64_t{1} << (8 * length)) : 0;
        const uint64_t tries = std::min<uint64_t>(space, length == 1 ? 256 : kTriesPerLength);
        for (uint64_t t = 0; t < tries; ++t)
        {
            uint64_t v = m_nextId[length]++ % space;
            Bytes id(length);
            for (size_t i = 0; i < length; ++i)
            {
                id[length - 1 - i] = static_cast<uint8_t>(v >> (8 * i));
            }
            if (id != cI && m_sessions.find(id) == m_sessions.end()
                && !(m_idInUse && m_idInUse(id)))
            {
                return id;
            }
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
    const Bytes key = responder->GetResponderConnectionId();
    result.log = "EDHOC message_2 sent, session C_R of " + std::to_string(key.size()) + " byte(s)";
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
    result.peerIdCred
        = responder->GetPeerCredential() ? responder->GetPeerCredential()->idCred : Bytes{};
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
