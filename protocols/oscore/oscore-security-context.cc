/*
 * Security context derivation and its mutable state.
 */

#include "oscore-security-context.h"

#include "oscore-key-derivation.h"

#include <stdexcept>

namespace lpwan
{
namespace oscore
{

std::string
ValidateParameters(const ContextParameters& p)
{
    if (p.masterSecret.empty())
    {
        return "empty Master Secret";
    }
    if (p.aeadAlgorithm != kAesCcm16_64_128)
    {
        return "only AEAD algorithm 10 (AES-CCM-16-64-128) is implemented";
    }
    if (p.senderId.size() > kMaxIdLength || p.recipientId.size() > kMaxIdLength)
    {
        return "Sender/Recipient ID longer than 7 bytes";
    }
    if (p.senderId == p.recipientId)
    {
        // Equal IDs would give equal Sender and Recipient Keys and colliding nonces.
        return "Sender ID equals Recipient ID";
    }
    if (p.replayWindowSize == 0)
    {
        return "replay window size 0";
    }
    if (p.sendKidContext && (!p.idContext || p.idContext->size() > 0xFF))
    {
        return "sendKidContext needs an ID Context of at most 255 bytes";
    }
    return "";
}

SecurityContext::SecurityContext(const ContextParameters& params)
  : m_params(params)
  , m_replayWindow(params.replayWindowSize == 0 ? 1 : params.replayWindowSize)
{
    const std::string problem = ValidateParameters(params);
    if (!problem.empty())
    {
        throw std::invalid_argument("OSCORE context: " + problem);
    }
    const DerivedKeys keys = DeriveKeys(params.masterSecret, params.masterSalt, params.idContext,
                                        params.senderId, params.recipientId, params.aeadAlgorithm);
    m_senderKey = keys.senderKey;
    m_recipientKey = keys.recipientKey;
    m_commonIv = keys.commonIv;
    if (params.sendKidContext)
    {
        m_kidContextToSend = params.idContext;
    }
}

std::optional<uint64_t>
SecurityContext::TakeSequenceNumber(std::optional<uint64_t>* persist)
{
    if (m_senderSequenceNumber > kMaxSequenceNumber)
    {
        return std::nullopt;
    }
    const uint64_t ssn = m_senderSequenceNumber++;
    if (persist != nullptr)
    {
        *persist = (m_params.persistInterval > 0 && ssn % m_params.persistInterval == 0)
                       ? std::optional<uint64_t>(ssn)
                       : std::nullopt;
    }
    return ssn;
}

bool
SecurityContext::RestoreSequenceNumber(uint64_t storedSequenceNumber, uint64_t margin)
{
    const uint64_t k = m_params.persistInterval;
    // F must be positive: the write of the next multiple of K may not have completed before
    // the reboot, so SSN1 + K itself may already have been used.
    if (k == 0 || margin == 0 || storedSequenceNumber > kMaxSequenceNumber || k > kMaxSequenceNumber
        || margin > kMaxSequenceNumber || storedSequenceNumber + k + margin > kMaxSequenceNumber)
    {
        return false;
    }
    m_senderSequenceNumber = storedSequenceNumber + k + margin;
    return true;
}

void
SecurityContext::ForgetReplayWindow(lpwan::RandomSource& echoRandom)
{
    m_echoRandom = &echoRandom;
    m_pendingEcho.reset();
    m_replayWindow.Uninitialise();
}

Bytes
SecurityContext::IssueEcho()
{
    if (m_echoRandom == nullptr)
    {
        throw std::logic_error("IssueEcho without a random source (call ForgetReplayWindow)");
    }
    Bytes echo;
    while (echo.size() < kEchoLength)
    {
        const uint32_t r = m_echoRandom->Uint32();
        for (int i = 0; i < 4 && echo.size() < kEchoLength; ++i)
        {
            echo.push_back(static_cast<uint8_t>(r >> (8 * i)));
        }
    }
    m_pendingEcho = echo;
    return echo;
}

} // namespace oscore
} // namespace lpwan
