/*
 * Names of OSCORE outcomes and the mapping of outcomes to counters.
 */

#include "oscore-types.h"

namespace lpwan
{
namespace oscore
{

const char*
StatusName(Status status)
{
    switch (status)
    {
        case Status::Ok:
            return "Ok";
        case Status::NotOscore:
            return "NotOscore";
        case Status::Malformed:
            return "Malformed";
        case Status::ContextNotFound:
            return "ContextNotFound";
        case Status::Replay:
            return "Replay";
        case Status::DecryptionFailed:
            return "DecryptionFailed";
        case Status::BadPlaintext:
            return "BadPlaintext";
        case Status::UnexpectedResponse:
            return "UnexpectedResponse";
        case Status::EchoRequired:
            return "EchoRequired";
        case Status::ContextRederivation:
            return "ContextRederivation";
        case Status::InvalidInput:
            return "InvalidInput";
        case Status::SequenceExhausted:
            return "SequenceExhausted";
    }
    return "???"; // unreachable for the enumerators; keeps -Wreturn-type quiet
}

void
CountOutcome(Counters& counters, Status status, bool isRequest)
{
    switch (status)
    {
        case Status::Ok:
            ++(isRequest ? counters.requestsVerified : counters.responsesVerified);
            break;
        case Status::NotOscore:
            ++counters.notOscore;
            break;
        case Status::Malformed:
        case Status::BadPlaintext:
        case Status::UnexpectedResponse:
        case Status::InvalidInput:
            ++counters.malformed;
            break;
        case Status::ContextNotFound:
            ++counters.noContext;
            break;
        case Status::Replay:
            ++counters.replayed;
            break;
        case Status::DecryptionFailed:
            ++counters.decryptionFailed;
            break;
        case Status::EchoRequired:
            ++counters.echoChallenges;
            break;
        case Status::ContextRederivation:
            ++counters.rederivations;
            break;
        case Status::SequenceExhausted:
            break; // a sending-side condition, never a receive outcome
    }
}

Counters&
Counters::operator+=(const Counters& c)
{
    requestsProtected += c.requestsProtected;
    responsesProtected += c.responsesProtected;
    requestsVerified += c.requestsVerified;
    responsesVerified += c.responsesVerified;
    notOscore += c.notOscore;
    malformed += c.malformed;
    noContext += c.noContext;
    replayed += c.replayed;
    decryptionFailed += c.decryptionFailed;
    echoChallenges += c.echoChallenges;
    rederivations += c.rederivations;
    return *this;
}

} // namespace oscore
} // namespace lpwan
