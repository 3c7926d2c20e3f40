/*
 * CoAP message helpers: names, option values and the ordered option list.
 *
 * The option list is kept sorted by number at insertion time because the wire format
 * (option deltas) needs ascending numbers, and keeping the order here lets Encode() stream
 * the options without sorting and lets Decode(Encode(m)) == m hold for every built message.
 */

#include "coap-message.h"

#include <algorithm>

namespace lpwan
{
namespace coap
{

const char*
TypeName(Type type)
{
    switch (type)
    {
        case Type::Confirmable:
            return "CON";
        case Type::NonConfirmable:
            return "NON";
        case Type::Acknowledgement:
            return "ACK";
        case Type::Reset:
            return "RST";
    }
    return "???"; // unreachable for the four enumerators; keeps -Wreturn-type quiet
}

std::string
CodeToString(uint8_t code)
{
    // "c.dd": class in 0..7, detail always two digits (RFC 7252 section 3).
    const unsigned cls = code >> 5;
    const unsigned detail = code & 0x1f;
    std::string s;
    s.reserve(4);
    s.push_back(static_cast<char>('0' + cls));
    s.push_back('.');
    s.push_back(static_cast<char>('0' + detail / 10));
    s.push_back(static_cast<char>('0' + detail % 10));
    return s;
}

std::vector<uint8_t>
EncodeUintOption(uint32_t value)
{
    // RFC 7252 section 3.2: uint values use the fewest bytes, and 0 is the empty string.
    std::vector<uint8_t> out;
    bool started = false;
    for (int shift = 24; shift >= 0; shift -= 8)
    {
        const uint8_t b = static_cast<uint8_t>(value >> shift);
        if (b != 0 || started)
        {
            out.push_back(b);
            started = true;
        }
    }
    return out;
}

uint32_t
DecodeUintOption(const std::vector<uint8_t>& value)
{
    // Big endian. A value longer than 4 bytes is not a valid uint option; rather than fail,
    // the low-order (last) 4 bytes are used so that garbage never causes undefined behaviour.
    uint32_t v = 0;
    const size_t start = value.size() > 4 ? value.size() - 4 : 0;
    for (size_t i = start; i < value.size(); ++i)
    {
        v = (v << 8) | value[i];
    }
    return v;
}

void
Message::AddOption(uint16_t number, std::vector<uint8_t> value)
{
    // upper_bound puts a repeated option after the existing ones: the order of repeated
    // options (e.g. Uri-Path segments) is significant.
    auto pos = std::upper_bound(options.begin(), options.end(), number,
                                [](uint16_t n, const Option& o)
                                {
                                    return n < o.number;
                                });
    Option opt;
    opt.number = number;
    opt.value = std::move(value);
    options.insert(pos, std::move(opt));
}

void
Message::AddUintOption(uint16_t number, uint32_t value)
{
    AddOption(number, EncodeUintOption(value));
}

void
Message::AddStringOption(uint16_t number, const std::string& value)
{
    AddOption(number, std::vector<uint8_t>(value.begin(), value.end()));
}

void
Message::SetUriPath(const std::string& path)
{
    // "Set" replaces any existing path. Segments follow RFC 7252 section 6.4: "/a/b" is
    // {"a", "b"}, "/" and "" are no segment at all, and "a/" is {"a", ""} (a trailing slash
    // is an empty last segment, which is significant to a server).
    RemoveOption(option::UriPath);
    size_t start = (!path.empty() && path[0] == '/') ? 1 : 0;
    if (start >= path.size())
    {
        return;
    }
    while (true)
    {
        const size_t slash = path.find('/', start);
        if (slash == std::string::npos)
        {
            AddStringOption(option::UriPath, path.substr(start));
            return;
        }
        AddStringOption(option::UriPath, path.substr(start, slash - start));
        start = slash + 1;
    }
}

std::string
Message::GetUriPath() const
{
    std::string path;
    bool first = true;
    for (const auto& o : options)
    {
        if (o.number != option::UriPath)
        {
            continue;
        }
        if (!first)
        {
            path.push_back('/');
        }
        path.append(o.value.begin(), o.value.end());
        first = false;
    }
    return path;
}

const Option*
Message::FindOption(uint16_t number) const
{
    for (const auto& o : options)
    {
        if (o.number == number)
        {
            return &o;
        }
    }
    return nullptr;
}

void
Message::RemoveOption(uint16_t number)
{
    options.erase(std::remove_if(options.begin(), options.end(),
                                 [number](const Option& o)
                                 {
                                     return o.number == number;
                                 }),
                  options.end());
}

bool
Message::operator==(const Message& o) const
{
    return type == o.type && code == o.code && messageId == o.messageId && token == o.token
           && options == o.options && payload == o.payload;
}

} // namespace coap
} // namespace lpwan
