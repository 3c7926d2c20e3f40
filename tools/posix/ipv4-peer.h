/*
 * Naming the IPv4 peers of the real-socket tools: a PeerId (lpwan::MakePeerId packs the
 * address and port) to and from text, and host-name resolution. PeerIds are what the CoAP
 * endpoint sees; addresses and names stay in the driver layer.
 */
#ifndef LPWAN_IPV4_PEER_H
#define LPWAN_IPV4_PEER_H

#include "protocols/common/sans-io.h"

#include <cstdint>
#include <optional>
#include <string>

namespace lpwan
{

/// "a.b.c.d" for an IPv4 address in host byte order.
std::string Ipv4ToString(uint32_t address);

/// "a.b.c.d:port".
std::string PeerToString(lpwan::PeerId peer);

/// The address of a dotted-quad literal (host byte order), or nullopt.
std::optional<uint32_t> ParseIpv4Literal(const std::string& text);

/// Resolves a host name or IPv4 literal to an IPv4 address (host byte order), the first one
/// the resolver returns. On failure returns nullopt and sets *error.
std::optional<uint32_t> ResolveIpv4(const std::string& host, std::string* error);

} // namespace lpwan

#endif // LPWAN_IPV4_PEER_H
