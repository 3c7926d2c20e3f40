/*
 * "coap://host[:port]/path?query" and "coaps://..." URIs (RFC 7252 section 6) split into the parts
 * a client needs: where to send (host, port) and the Uri-* options (section 6.4). Plain string
 * work, no name resolution: that is the driver's business.
 */
#ifndef LPWAN_COAP_URI_H
#define LPWAN_COAP_URI_H

#include "coap-message.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace coap
{

/// Default CoAP port (RFC 7252 section 6.1).
constexpr uint16_t kDefaultPort = 5683;
/// Default port of CoAP over DTLS, "coaps" (RFC 7252 section 6.2).
constexpr uint16_t kDefaultSecurePort = 5684;

struct CoapUri
{
    bool secure = false;            ///< coaps://: the request must travel over DTLS
    std::string host;               ///< a name or an IPv4 literal, as written
    uint16_t port = kDefaultPort;   ///< kDefaultSecurePort for coaps:// without a port
    std::vector<std::string> path;  ///< percent-decoded segments
    std::vector<std::string> query; ///< percent-decoded "&"-separated arguments

    /// Adds the Uri-Host (a name, not an IPv4 literal), Uri-Path and Uri-Query options.
    /// Uri-Port is left out: the request goes to that port anyway (section 6.4 step 6).
    void AddOptionsTo(Message& request) const;
};

/// Parses a coap:// or coaps:// URI (the scheme in any case). On failure returns nullopt and
/// sets *error to a short reason. Refused: other schemes, IPv6 literals, fragments, bad ports
/// and bad percent-encoding.
std::optional<CoapUri> ParseCoapUri(const std::string& text, std::string* error);

/// True for a dotted-quad IPv4 literal ("127.0.0.1").
bool IsIpv4Literal(const std::string& host);

} // namespace coap
} // namespace lpwan

#endif // LPWAN_COAP_URI_H
