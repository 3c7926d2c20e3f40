/*
 * Proxy-Uri handling for OSCORE (RFC 8613 section 4.1.3.3): the client decomposes the
 * Proxy-Uri of the original request as in RFC 7252 section 6.4, sends Uri-Path and Uri-Query
 * as Inner (encrypted) options, and recomposes the Outer Proxy-Uri from Proxy-Scheme, Uri-Host
 * and Uri-Port as in RFC 7252 section 6.5:
 *
 *   Proxy-Uri "coap://example.com/resource?q=1"
 *     -> Outer Proxy-Uri "coap://example.com", Inner Uri-Path "resource", Uri-Query "q=1"
 */
#ifndef LPWAN_OSCORE_PROXY_URI_H
#define LPWAN_OSCORE_PROXY_URI_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace oscore
{

/// An absolute URI split into the parts CoAP carries in options.
struct ProxyUriParts
{
    std::string scheme;             ///< lower case
    std::string host;               ///< lower case; IP literals keep their brackets
    std::optional<uint16_t> port;   ///< absent when omitted or equal to the scheme's default
    std::vector<std::string> path;  ///< percent-decoded segments (Uri-Path values)
    std::vector<std::string> query; ///< percent-decoded '&'-separated parts (Uri-Query values)
};

/// Decomposes an absolute URI (RFC 7252 section 6.4). nullopt when it is not of the form
/// scheme "://" host [":" port] [path] ["?" query], has a fragment or userinfo, a bad port or a
/// bad percent-encoding.
std::optional<ProxyUriParts> ParseProxyUri(const std::string& uri);

/// The Outer Proxy-Uri: scheme "://" host [":" port] (RFC 7252 section 6.5 without path/query).
std::string ComposeOuterProxyUri(const ProxyUriParts& parts);

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_PROXY_URI_H
