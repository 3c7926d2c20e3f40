/*
 * Proxy-Uri decomposition (RFC 7252 section 6.4) and recomposition of its scheme and authority.
 */

#include "oscore-proxy-uri.h"

#include <cctype>

namespace lpwan
{
namespace oscore
{

namespace
{

std::string
Lower(std::string s)
{
    for (char& c : s)
    {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

int
HexValue(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F')
    {
        return c - 'A' + 10;
    }
    return -1;
}

std::optional<std::string>
PercentDecode(const std::string& s)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i)
    {
        if (s[i] != '%')
        {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size())
        {
            return std::nullopt;
        }
        const int hi = HexValue(s[i + 1]);
        const int lo = HexValue(s[i + 2]);
        if (hi < 0 || lo < 0)
        {
            return std::nullopt;
        }
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
    }
    return out;
}

/// Splits s on sep, percent-decoding each part.
std::optional<std::vector<std::string>>
SplitDecoded(const std::string& s, char sep)
{
    std::vector<std::string> parts;
    size_t start = 0;
    while (true)
    {
        const size_t end = s.find(sep, start);
        auto part = PercentDecode(s.substr(start, end == std::string::npos ? end : end - start));
        if (!part)
        {
            return std::nullopt;
        }
        parts.push_back(*part);
        if (end == std::string::npos)
        {
            return parts;
        }
        start = end + 1;
    }
}

std::optional<uint16_t>
DefaultPort(const std::string& scheme)
{
    if (scheme == "coap" || scheme == "coap+tcp" || scheme == "coap+ws")
    {
        return scheme == "coap+ws" ? 80 : 5683;
    }
    if (scheme == "coaps" || scheme == "coaps+tcp" || scheme == "coaps+ws")
    {
        return scheme == "coaps+ws" ? 443 : 5684;
    }
    if (scheme == "http")
    {
        return 80;
    }
    if (scheme == "https")
    {
        return 443;
    }
    return std::nullopt;
}

bool
ValidScheme(const std::string& s)
{
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0])))
    {
        return false;
    }
    for (char c : s)
    {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
        {
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<ProxyUriParts>
ParseProxyUri(const std::string& uri)
{
    if (uri.find('#') != std::string::npos)
    {
        return std::nullopt; // RFC 7252 section 6.4 step 4: fragments are not allowed
    }
    const size_t schemeEnd = uri.find("://");
    if (schemeEnd == std::string::npos || !ValidScheme(uri.substr(0, schemeEnd)))
    {
        return std::nullopt;
    }
    ProxyUriParts p;
    p.scheme = Lower(uri.substr(0, schemeEnd));

    const size_t authorityStart = schemeEnd + 3;
    const size_t authorityEnd = uri.find_first_of("/?", authorityStart);
    const std::string authority = uri.substr(authorityStart, authorityEnd == std::string::npos
                                                                 ? std::string::npos
                                                                 : authorityEnd - authorityStart);
    if (authority.empty() || authority.find('@') != std::string::npos)
    {
        return std::nullopt; // no host, or userinfo (not part of CoAP URIs)
    }

    std::string portText;
    if (authority[0] == '[')
    {
        const size_t close = authority.find(']');
        if (close == std::string::npos)
        {
            return std::nullopt;
        }
        p.host = Lower(authority.substr(0, close + 1));
        const std::string rest = authority.substr(close + 1);
        if (!rest.empty())
        {
            if (rest[0] != ':')
            {
                return std::nullopt;
            }
            portText = rest.substr(1);
        }
    }
    else
    {
        // The host is only recomposed into the Outer Proxy-Uri, never sent as Uri-Host, so it
        // keeps its (lower-cased) URI form rather than being percent-decoded.
        const size_t colon = authority.find(':');
        p.host = Lower(authority.substr(0, colon));
        if (p.host.empty())
        {
            return std::nullopt;
        }
        if (colon != std::string::npos)
        {
            portText = authority.substr(colon + 1);
        }
    }
    if (!portText.empty())
    {
        if (portText.size() > 5)
        {
            return std::nullopt;
        }
        uint32_t port = 0;
        for (char c : portText)
        {
            if (!std::isdigit(static_cast<unsigned char>(c)))
            {
                return std::nullopt;
            }
            port = port * 10 + static_cast<uint32_t>(c - '0');
        }
        if (port > 0xFFFF)
        {
            return std::nullopt;
        }
        if (DefaultPort(p.scheme) != static_cast<uint16_t>(port))
        {
            p.port = static_cast<uint16_t>(port);
        }
    }

    if (authorityEnd == std::string::npos)
    {
        return p;
    }
    const size_t queryStart = uri.find('?', authorityEnd);
    const std::string path
        = uri.substr(authorityEnd, queryStart == std::string::npos ? std::string::npos
                                                                   : queryStart - authorityEnd);
    // Step 8: an empty path or a single "/" gives no Uri-Path option.
    if (!path.empty() && path != "/")
    {
        auto segments = SplitDecoded(path.substr(1), '/');
        if (!segments)
        {
            return std::nullopt;
        }
        p.path = std::move(*segments);
    }
    if (queryStart != std::string::npos)
    {
        auto parts = SplitDecoded(uri.substr(queryStart + 1), '&');
        if (!parts)
        {
            return std::nullopt;
        }
        p.query = std::move(*parts);
    }
    return p;
}

std::string
ComposeOuterProxyUri(const ProxyUriParts& parts)
{
    std::string uri = parts.scheme + "://" + parts.host;
    if (parts.port)
    {
        uri += ":" + std::to_string(*parts.port);
    }
    return uri;
}

} // namespace oscore
} // namespace lpwan
