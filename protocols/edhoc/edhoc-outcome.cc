#include "edhoc-outcome.h"

namespace lpwan
{
namespace edhoc
{

const char*
StatusName(Status s)
{
    switch (s)
    {
        case Status::Continue:
            return "Continue";
        case Status::Completed:
            return "Completed";
        case Status::Retry:
            return "Retry";
        case Status::SentError:
            return "SentError";
        case Status::ReceivedError:
            return "ReceivedError";
        case Status::InvalidState:
            return "InvalidState";
    }
    return "?";
}

} // namespace edhoc
} // namespace lpwan
