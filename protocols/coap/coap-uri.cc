/*
 * coap:// URI parsing (RFC 7252 section 6.4, "Decomposing URIs into Options").
 */

#include "coap-uri.h"

#include <algorithm>
#include <cctype>

namespace lpwan
{
namespace coap
{

namespace
{

int
HexValue(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool
PercentDecode(const std::string& in, std::string* out)
{
    out->clear();
    for (size_t i = 0; i < in.size(); ++i)
    {
        if (in[i] != '%')
        {
            out->push_back(in[i]);
            continue;
        }
        if (i + 2 >= in.size())
        {
            return false;
        }
        const int hi = HexValue(in[i + 1]);
        const int lo = HexValue(in[i + 2]);
        if (hi < 0 || lo < 0)
        {
            return false;
        }
        out->push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return true;
}

/// Splits s at sep; an empty s gives no parts (RFC 7252 6.4 steps 8 and 9).
bool
SplitDecoded(const std::string& s, char sep, std::vector<std::string>* parts)
{
    parts->clear();
    if (s.empty())
    {
        return true;
    }
    size_t start = 0;
    while (true)
    {
        const size_t end = s.find(sep, start);
        std::string decoded;
        if (!PercentDecode(s.substr(start, end == std::string::npos ? end : end - start), &decoded))
        {
            return false;
        }
        parts->push_back(std::move(decoded));
        if (end == std::string::npos)
        {
            return true;
        }
        start = end + 1;
    }
}

std::optional<CoapUri>
Fail(std::string* error, const std::string& why)
{
    if (error != nullptr)
    {
        *error = why;
    }
    return std::nullopt;
}

} // namespace

bool
IsIpv4Literal(const std::string& host)
{
    int parts = 0;
    size_t i = 0;
    while (i <= host.size())
    {
        size_t digits = 0;
        unsigned value = 0;
        while (i < host.size() && std::isdigit(static_cast<unsigned char>(host[i])) && digits < 4)
        {
            value = value * 10 + static_cast<unsigned>(host[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || digits > 3 || value > 255)
        {
            return false;
        }
        ++parts;
        if (i == host.size())
        {
            return parts == 4;
        }
        if (host[i] != '.')
        {
            return false;
        }
        ++i;
    }
    return false;
}

void
CoapUri::AddOptionsTo(Message& request) const
{
    if (!IsIpv4Literal(host))
    {
        request.AddStringOption(option::UriHost, host);
    }
    for (const std::string& segment : path)
    {
        request.AddStringOption(option::UriPath, segment);
    }
    for (const std::string& argument : query)
    {
        request.AddStringOption(option::UriQuery, argument);
    }
}

std::optional<CoapUri>
ParseCoapUri(const std::string& text, std::string* error)
{
    // The scheme is case-insensitive (RFC 3986 section 3.1).
    auto hasScheme = [&text](const std::string& scheme)
    {
        return text.size() >= scheme.size()
               && std::equal(scheme.begin(), scheme.end(), text.begin(),
                             [](char a, char b)
                             {
                                 return a == std::tolower(static_cast<unsigned char>(b));
                             });
    };
    CoapUri uri;
    std::string scheme = "coap://";
    if (hasScheme("coaps://"))
    {
        scheme = "coaps://";
        uri.secure = true;
        uri.port = kDefaultSecurePort;
    }
    else if (!hasScheme(scheme))
    {
        return Fail(error, "only coap:// and coaps:// URIs are supported");
    }
    if (text.find('#') != std::string::npos)
    {
        return Fail(error, "a CoAP URI has no fragment");
    }
    const size_t authorityStart = scheme.size();
    const size_t authorityEnd = text.find_first_of("/?", authorityStart);
    const std::string authority = text.substr(authorityStart, authorityEnd - authorityStart);
    if (!authority.empty() && authority[0] == '[')
    {
        return Fail(error, "IPv6 addresses are not supported");
    }
    const size_t colon = authority.find(':');
    uri.host = authority.substr(0, colon);
    if (uri.host.empty())
    {
        return Fail(error, "missing host");
    }
    if (colon != std::string::npos)
    {
        const std::string port = authority.substr(colon + 1);
        if (port.empty() || port.size() > 5
            || port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) == 0
            || std::stoul(port) > 65535)
        {
            return Fail(error, "bad port '" + port + "'");
        }
        uri.port = static_cast<uint16_t>(std::stoul(port));
    }
    if (authorityEnd == std::string::npos)
    {
        return uri;
    }
    const size_t queryStart = text.find('?', authorityEnd);
    std::string path = text.substr(authorityEnd, queryStart - authorityEnd);
    if (!path.empty())
    {
        path.erase(0, 1); // the leading '/'; "/" alone is no segment at all
    }
    if (!SplitDecoded(path, '/', &uri.path))
    {
        return Fail(error, "bad percent-encoding in the path");
    }
    if (queryStart != std::string::npos
        && !SplitDecoded(text.substr(queryStart + 1), '&', &uri.query))
    {
        return Fail(error, "bad percent-encoding in the query");
    }
    return uri;
}

} // namespace coap
} // namespace lpwan
