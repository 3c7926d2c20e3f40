/*
 * Message renderings for logs; see coap-describe.h.
 */

#include "coap-describe.h"

#include "../common/hex.h"
#include "coap-block.h"

#include <cstdio>

namespace lpwan
{
namespace coap
{

namespace
{

bool
IsText(uint16_t number)
{
    switch (number)
    {
        case option::UriHost:
        case option::LocationPath:
        case option::UriPath:
        case option::UriQuery:
        case option::LocationQuery:
        case option::ProxyUri:
        case option::ProxyScheme:
            return true;
        default:
            return false;
    }
}

bool
IsUint(uint16_t number)
{
    switch (number)
    {
        case option::Observe:
        case option::UriPort:
        case option::ContentFormat:
        case option::MaxAge:
        case option::Accept:
        case option::Size2:
        case option::Size1:
            return true;
        default:
            return false;
    }
}

} // namespace

std::string
OptionName(uint16_t number)
{
    switch (number)
    {
        case option::IfMatch:
            return "If-Match";
        case option::UriHost:
            return "Uri-Host";
        case option::ETag:
            return "ETag";
        case option::IfNoneMatch:
            return "If-None-Match";
        case option::Observe:
            return "Observe";
        case option::UriPort:
            return "Uri-Port";
        case option::LocationPath:
            return "Location-Path";
        case option::Oscore:
            return "OSCORE";
        case option::UriPath:
            return "Uri-Path";
        case option::ContentFormat:
            return "Content-Format";
        case option::MaxAge:
            return "Max-Age";
        case option::UriQuery:
            return "Uri-Query";
        case option::Accept:
            return "Accept";
        case option::LocationQuery:
            return "Location-Query";
        case option::Block2:
            return "Block2";
        case option::Block1:
            return "Block1";
        case option::Size2:
            return "Size2";
        case option::ProxyUri:
            return "Proxy-Uri";
        case option::ProxyScheme:
            return "Proxy-Scheme";
        case option::Size1:
            return "Size1";
        case option::Echo:
            return "Echo";
        case option::RequestTag:
            return "Request-Tag";
        default:
            return std::to_string(number);
    }
}

std::string
CodeName(uint8_t c)
{
    switch (c)
    {
        case code::Get:
            return "GET";
        case code::Post:
            return "POST";
        case code::Put:
            return "PUT";
        case code::Delete:
            return "DELETE";
        case MakeCode(0, 5):
            return "FETCH";
        case MakeCode(0, 6):
            return "PATCH";
        case MakeCode(0, 7):
            return "iPATCH";
        case code::Created:
            return "Created";
        case code::Deleted:
            return "Deleted";
        case code::Valid:
            return "Valid";
        case code::Changed:
            return "Changed";
        case code::Content:
            return "Content";
        case code::Continue:
            return "Continue";
        case code::BadRequest:
            return "Bad Request";
        case code::Unauthorized:
            return "Unauthorized";
        case code::BadOption:
            return "Bad Option";
        case MakeCode(4, 3):
            return "Forbidden";
        case code::NotFound:
            return "Not Found";
        case code::MethodNotAllowed:
            return "Method Not Allowed";
        case MakeCode(4, 6):
            return "Not Acceptable";
        case code::RequestEntityIncomplete:
            return "Request Entity Incomplete";
        case MakeCode(4, 9):
            return "Conflict";
        case MakeCode(4, 12):
            return "Precondition Failed";
        case code::RequestEntityTooLarge:
            return "Request Entity Too Large";
        case MakeCode(4, 15):
            return "Unsupported Content-Format";
        case MakeCode(4, 22):
            return "Unprocessable Entity";
        case MakeCode(4, 29):
            return "Too Many Requests";
        case code::InternalServerError:
            return "Internal Server Error";
        case MakeCode(5, 1):
            return "Not Implemented";
        case MakeCode(5, 2):
            return "Bad Gateway";
        case MakeCode(5, 3):
            return "Service Unavailable";
        case MakeCode(5, 4):
            return "Gateway Timeout";
        case MakeCode(5, 5):
            return "Proxying Not Supported";
        case MakeCode(5, 8):
            return "Hop Limit Reached";
        default:
            return "";
    }
}

namespace
{

std::string
MethodName(uint8_t c)
{
    // Requests by method name (GET ... FETCH, iPATCH), responses as "c.dd".
    const std::string name = IsRequestCode(c) ? CodeName(c) : "";
    return name.empty() ? CodeToString(c) : name;
}

} // namespace

std::string
Describe(const Message& message)
{
    char mid[16];
    std::snprintf(mid, sizeof(mid), "0x%04x", message.messageId);
    std::string s = std::string(TypeName(message.type)) + " " + MethodName(message.code)
                    + " mid=" + mid + " token=" + lpwan::ToHex(message.token) + " [";
    for (size_t i = 0; i < message.options.size(); ++i)
    {
        const Option& o = message.options[i];
        s += (i ? ", " : "") + OptionName(o.number) + ":";
        if (IsText(o.number))
        {
            s += std::string(o.value.begin(), o.value.end());
        }
        else if (IsUint(o.number))
        {
            s += std::to_string(DecodeUintOption(o.value));
        }
        else if (o.number == option::Block1 || o.number == option::Block2)
        {
            // The notation of RFC 7959's figures: NUM/M/size.
            const std::optional<BlockValue> b = DecodeBlock(o.value);
            s += b ? std::to_string(b->num) + "/" + (b->more ? "1" : "0") + "/"
                         + std::to_string(b->Size())
                   : "invalid";
        }
        else
        {
            s += lpwan::ToHex(o.value);
        }
    }
    return s + "] " + std::to_string(message.payload.size()) + " bytes";
}

} // namespace coap
} // namespace lpwan
