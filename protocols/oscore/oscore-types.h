/*
 * Vocabulary shared by the OSCORE (RFC 8613) core: byte strings, the algorithm constants of
 * AES-CCM-16-64-128, the outcome of every protect/verify operation and the counters a driver
 * exports to traces.
 */
#ifndef LPWAN_OSCORE_TYPES_H
#define LPWAN_OSCORE_TYPES_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lpwan
{
namespace oscore
{

using Bytes = std::vector<uint8_t>;

/// COSE algorithm 10, AES-CCM-16-64-128 (RFC 8152 section 10.2): OSCORE's mandatory default and
/// the only AEAD this core implements.
constexpr int64_t kAesCcm16_64_128 = 10;
constexpr size_t kKeyLength = 16;
constexpr size_t kNonceLength = 13;
constexpr size_t kTagLength = 8;
/// Longest Sender/Recipient ID: the nonce length minus 6 (RFC 8613 section 3.3).
constexpr size_t kMaxIdLength = kNonceLength - 6;
/// Longest Partial IV: the 3-bit n field allows 0..5 (RFC 8613 section 6.1).
constexpr size_t kMaxPartialIvLength = 5;
/// Largest Sender Sequence Number: less than 2^40 (RFC 8613 section 7.2.1).
constexpr uint64_t kMaxSequenceNumber = (uint64_t{1} << 40) - 1;
/// oscore_version of the external AAD (RFC 8613 section 5.4).
constexpr uint8_t kOscoreVersion = 1;
/// Length of the Echo values the server issues after a reboot (RFC 9175 allows up to 40).
constexpr size_t kEchoLength = 8;

/// Outcome of a protect or verify operation.
enum class Status : uint8_t
{
    Ok,
    NotOscore,           ///< received message has no OSCORE option (not an OSCORE message)
    Malformed,           ///< OSCORE option / COSE object does not decode, or no payload (4.02)
    ContextNotFound,     ///< no security context for the 'kid' / 'kid context' (4.01)
    Replay,              ///< Partial IV seen before or too old; duplicate response (4.01)
    DecryptionFailed,    ///< AEAD verification failed: forged or corrupted (4.00)
    BadPlaintext,        ///< decrypted content is not a valid inner request/response (4.00)
    UnexpectedResponse,  ///< authentic response that breaks the Observe rules (section 8.4.2)
    EchoRequired,        ///< Appendix B.1.2: replay window unknown, a 4.01 + Echo is returned
    ContextRederivation, ///< Appendix B.2 step 2: response #1 (protected 4.01) is returned
    InvalidInput,        ///< protect: the caller's message cannot be protected (see diagnostic)
    SequenceExhausted,   ///< the Sender Sequence Number passed 2^40 - 1: derive a new context
};

/// "Ok", "Malformed", ... for logs and traces.
const char* StatusName(Status status);

/// What a security context or a context store has seen. Every Unprotect* outcome increments
/// exactly one of the receive-side counters.
struct Counters
{
    uint64_t requestsProtected = 0;
    uint64_t responsesProtected = 0;
    uint64_t requestsVerified = 0;  ///< requests accepted and handed to the application
    uint64_t responsesVerified = 0; ///< responses accepted
    uint64_t notOscore = 0;         ///< messages without OSCORE option
    uint64_t malformed = 0;         ///< Malformed, BadPlaintext, UnexpectedResponse
    uint64_t noContext = 0;         ///< ContextNotFound: undecryptable for lack of a context
    uint64_t replayed = 0;          ///< Replay
    uint64_t decryptionFailed = 0;  ///< DecryptionFailed: forged or corrupted
    uint64_t echoChallenges = 0;    ///< EchoRequired
    uint64_t rederivations = 0;     ///< ContextRederivation

    /// Field by field, to sum counters over contexts.
    Counters& operator+=(const Counters& c);
};

/// Adds one receive-side outcome to the counters (isRequest picks requestsVerified or
/// responsesVerified for Status::Ok).
void CountOutcome(Counters& counters, Status status, bool isRequest);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_TYPES_H
