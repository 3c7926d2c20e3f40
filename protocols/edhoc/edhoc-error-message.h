/*
 * The EDHOC error message (RFC 9528 section 6): ( ERR_CODE : int, ERR_INFO : any ).
 *
 *   ERR_CODE 1: ERR_INFO is a tstr diagnostic ("unspecified error"),
 *   ERR_CODE 2: ERR_INFO is SUITES_R, the Responder's suites (cipher suite negotiation),
 *   ERR_CODE 3: ERR_INFO is true (the referenced credential is unknown).
 */
#ifndef LPWAN_EDHOC_ERROR_MESSAGE_H
#define LPWAN_EDHOC_ERROR_MESSAGE_H

#include "edhoc-types.h"

#include <string>

namespace lpwan
{
namespace edhoc
{

struct ErrorMessage
{
    int64_t code = static_cast<int64_t>(ErrorCode::UnspecifiedError);
    std::string diagnostic;      ///< code 1
    std::vector<int64_t> suites; ///< code 2
    Bytes rawInfo;               ///< ERR_INFO as received (any code)
};

Bytes EncodeError(const ErrorMessage& e);
Bytes EncodeUnspecifiedError(const std::string& diagnostic);
Bytes EncodeWrongSelectedSuite(const std::vector<int64_t>& suitesR);
Bytes EncodeUnknownCredential();

/// Decodes an error message; false (with a reason) when in is not one.
bool DecodeError(const Bytes& in, ErrorMessage& e, std::string& error);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_ERROR_MESSAGE_H
