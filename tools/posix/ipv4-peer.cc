/*
 * IPv4 peer names; see ipv4-peer.h.
 */

#include "ipv4-peer.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace lpwan
{

std::string
Ipv4ToString(uint32_t a)
{
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "."
           + std::to_string((a >> 8) & 0xff) + "." + std::to_string(a & 0xff);
}

std::string
PeerToString(lpwan::PeerId peer)
{
    return Ipv4ToString(static_cast<uint32_t>(peer >> 16)) + ":" + std::to_string(peer & 0xffff);
}

std::optional<uint32_t>
ParseIpv4Literal(const std::string& text)
{
    in_addr a{};
    if (inet_pton(AF_INET, text.c_str(), &a) != 1)
    {
        return std::nullopt;
    }
    return ntohl(a.s_addr);
}

std::optional<uint32_t>
ResolveIpv4(const std::string& host, std::string* error)
{
    if (const std::optional<uint32_t> literal = ParseIpv4Literal(host))
    {
        return literal; // no resolver round trip for the common case
    }
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* result = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
    if (rc != 0 || result == nullptr)
    {
        if (error != nullptr)
        {
            *error = "cannot resolve '" + host
                     + "': " + (rc != 0 ? gai_strerror(rc) : "no IPv4 address");
        }
        if (result != nullptr)
        {
            freeaddrinfo(result);
        }
        return std::nullopt;
    }
    const uint32_t address
        = ntohl(reinterpret_cast<const sockaddr_in*>(result->ai_addr)->sin_addr.s_addr);
    freeaddrinfo(result);
    return address;
}

} // namespace lpwan
