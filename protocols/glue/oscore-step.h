/*
 * What one step of the OSCORE glue (OscoreCoapClient, OscoreCoapServer) did, beyond the
 * coap::FilterResult a CoAP session needs: the OSCORE outcome and the sizes that a caller
 * accounting for its bytes needs (the simulation's ledger splits each message's payload into
 * application, CoAP and security bytes; the tools only print the result).
 */
#ifndef LPWAN_GLUE_OSCORE_STEP_H
#define LPWAN_GLUE_OSCORE_STEP_H

#include "../coap/coap-message-filter.h"
#include "../oscore/oscore-types.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace lpwan
{
namespace glue
{

struct OscoreStep
{
    coap::FilterResult result;
    /// The OSCORE outcome: of the protection, or of the verification (NotOscore for an
    /// unprotected message, e.g. a server's 4.01 error response).
    oscore::Status status = oscore::Status::Ok;
    /// Protection: bytes OSCORE added to the encoded message (ProtectResult::Overhead).
    int64_t overhead = 0;
    /// Protection: bytes of the encoded plain message, before protection.
    size_t plainSize = 0;
    /// Server verification: the response section 8.2 prescribes (unprotected 4.01 / 4.02 /
    /// 4.00 with Max-Age 0 and a diagnostic), when the verifier made one.
    std::optional<coap::Message> errorResponse;
};

} // namespace glue
} // namespace lpwan

#endif // LPWAN_GLUE_OSCORE_STEP_H
