/*
 * OSCORE option classification and the Inner/Outer split and merge.
 */

#include "oscore-option-classes.h"

#include "oscore-plaintext.h"
#include "oscore-proxy-uri.h"

#include <algorithm>

namespace lpwan
{
namespace oscore
{

namespace
{

void
Insert(std::vector<coap::Option>& list, uint16_t number, Bytes value)
{
    // Same rule as coap::Message::AddOption: ascending numbers, repeated options keep order.
    auto pos = std::upper_bound(list.begin(), list.end(), number,
                                [](uint16_t n, const coap::Option& o)
                                {
                                    return n < o.number;
                                });
    coap::Option o;
    o.number = number;
    o.value = std::move(value);
    list.insert(pos, std::move(o));
}

Bytes
FromString(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

std::optional<SplitOptions>
Fail(std::string* why, const char* reason)
{
    if (why != nullptr)
    {
        *why = reason;
    }
    return std::nullopt;
}

} // namespace

bool
IsOuterOnly(uint16_t number)
{
    switch (number)
    {
        case coap::option::UriHost:
        case coap::option::UriPort:
        case coap::option::Oscore:
        case coap::option::ProxyUri:
        case coap::option::ProxyScheme:
        case extra_option::HopLimit:
        case extra_option::Edhoc:
            return true;
        default:
            return false;
    }
}

bool
IsClassI(uint16_t number)
{
    return false; // RFC 8613 section 4.1.2: "There are currently no Class I options defined."
}

std::optional<SplitOptions>
SplitForSending(const coap::Message& original, std::string* why)
{
    SplitOptions s;
    const coap::Option* proxyUri = nullptr;
    for (const coap::Option& o : original.options)
    {
        switch (o.number)
        {
            case coap::option::Oscore:
                return Fail(why, "message already carries an OSCORE option");
            case coap::option::ProxyUri:
                if (proxyUri != nullptr)
                {
                    return Fail(why, "repeated Proxy-Uri");
                }
                proxyUri = &o;
                break;
            case coap::option::Observe:
                // 4.1.3.5: requests carry the same value Inner and Outer; notifications carry
                // an empty Inner value and the original value Outer.
                Insert(s.inner, o.number, original.IsRequest() ? o.value : Bytes{});
                Insert(s.outer, o.number, o.value);
                break;
            default:
                if (IsClassI(o.number))
                {
                    Insert(s.outer, o.number, o.value);
                    Insert(s.classI, o.number, o.value);
                }
                else
                {
                    Insert(IsOuterOnly(o.number) ? s.outer : s.inner, o.number, o.value);
                }
                break;
        }
    }
    if (proxyUri == nullptr)
    {
        return s;
    }
    for (const coap::Option& o : original.options)
    {
        if (o.number == coap::option::UriHost || o.number == coap::option::UriPort
            || o.number == coap::option::UriPath || o.number == coap::option::UriQuery
            || o.number == coap::option::ProxyScheme)
        {
            return Fail(why, "Proxy-Uri together with Uri-* or Proxy-Scheme options");
        }
    }
    const auto parts = ParseProxyUri(std::string(proxyUri->value.begin(), proxyUri->value.end()));
    if (!parts)
    {
        return Fail(why, "Proxy-Uri does not parse");
    }
    s.outer.erase(std::remove_if(s.outer.begin(), s.outer.end(),
                                 [](const coap::Option& o)
                                 {
                                     return o.number == coap::option::ProxyUri;
                                 }),
                  s.outer.end());
    Insert(s.outer, coap::option::ProxyUri, FromString(ComposeOuterProxyUri(*parts)));
    for (const std::string& segment : parts->path)
    {
        Insert(s.inner, coap::option::UriPath, FromString(segment));
    }
    for (const std::string& q : parts->query)
    {
        Insert(s.inner, coap::option::UriQuery, FromString(q));
    }
    return s;
}

std::vector<coap::Option>
MergeReceivedOptions(const coap::Message& received, const std::vector<coap::Option>& inner)
{
    std::vector<coap::Option> merged;
    for (const coap::Option& o : received.options)
    {
        if (!IsOuterOnly(o.number) || o.number == coap::option::Oscore)
        {
            continue; // step 1: discard Class E (and unknown) Outer options
        }
        const bool shadowed = std::any_of(inner.begin(), inner.end(),
                                          [&o](const coap::Option& i)
                                          {
                                              return i.number == o.number;
                                          });
        if (!shadowed)
        {
            Insert(merged, o.number, o.value);
        }
    }
    for (const coap::Option& o : inner)
    {
        Insert(merged, o.number, o.value);
    }
    return merged;
}

Bytes
ClassIOptionBytes(const std::vector<coap::Option>& options)
{
    std::vector<coap::Option> classI;
    for (const coap::Option& o : options)
    {
        if (IsClassI(o.number))
        {
            Insert(classI, o.number, o.value);
        }
    }
    return classI.empty() ? Bytes{} : EncodeOptionsOnly(classI);
}

} // namespace oscore
} // namespace lpwan
