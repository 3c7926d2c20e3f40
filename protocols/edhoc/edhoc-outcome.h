/*
 * What one step of an EDHOC state machine returns to its driver, and the intermediate values
 * it computed (exposed so that tests can compare them with RFC 9529 and so that drivers can
 * trace them).
 */
#ifndef LPWAN_EDHOC_OUTCOME_H
#define LPWAN_EDHOC_OUTCOME_H

#include "edhoc-error-message.h"
#include "edhoc-types.h"

#include <string>

namespace lpwan
{
namespace edhoc
{

enum class Status : uint8_t
{
    Continue,      ///< send message, then wait for the peer's next message
    Completed,     ///< the handshake is complete; send message if it is not empty
    Retry,         ///< cipher suite negotiation: message is a new message_1 to send
    SentError,     ///< local failure: message is an error message to send; session aborted
    ReceivedError, ///< the peer sent an error message (peerError); session aborted
    InvalidState,  ///< the call does not fit the session's state; nothing to send
};

/// "Continue", "Completed", ... for logs.
const char* StatusName(Status s);

struct Outcome
{
    Status status = Status::InvalidState;
    Bytes message;          ///< bytes to send (EDHOC message or error message), may be empty
    std::string diagnostic; ///< why SentError / ReceivedError / InvalidState
    std::optional<ErrorMessage> peerError;
    Ead ead; ///< EAD received in the processed message

    bool Failed() const
    {
        return status == Status::SentError || status == Status::ReceivedError
               || status == Status::InvalidState;
    }
};

/// Values computed along the way, named as in RFC 9528 / RFC 9529. Empty until computed.
struct Intermediates
{
    Bytes message1, hashMessage1;
    Bytes gXY, th2, prk2e, keystream2, plaintext2, ciphertext2;
    Bytes salt3e2m, gRX, prk3e2m, context2, mac2, signatureOrMac2;
    Bytes th3, salt4e3m, gIY, prk4e3m, context3, mac3, signatureOrMac3, plaintext3;
    Bytes k3, iv3, ciphertext3;
    Bytes th4, k4, iv4, plaintext4, ciphertext4;
    Bytes prkOut, prkExporter;
};

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_OUTCOME_H
