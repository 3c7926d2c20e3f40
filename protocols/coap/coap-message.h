/*
 * A CoAP message (RFC 7252 section 3) as plain data, and its option and code vocabulary.
 * Encoding and decoding live in coap-codec.h.
 */
#ifndef LPWAN_COAP_MESSAGE_H
#define LPWAN_COAP_MESSAGE_H

#include <cstdint>
#include <string>
#include <vector>

namespace lpwan
{
namespace coap
{

/// Message types (RFC 7252 section 3).
enum class Type : uint8_t
{
    Confirmable = 0,
    NonConfirmable = 1,
    Acknowledgement = 2,
    Reset = 3,
};

/// Returns "CON", "NON", "ACK" or "RST".
const char* TypeName(Type type);

/// Builds a code from its class and detail (c.dd).
constexpr uint8_t
MakeCode(uint8_t cls, uint8_t detail)
{
    return static_cast<uint8_t>((cls << 5) | (detail & 0x1f));
}

/// Codes used in this project (RFC 7252 section 12.1).
namespace code
{
constexpr uint8_t Empty = MakeCode(0, 0);
constexpr uint8_t Get = MakeCode(0, 1);
constexpr uint8_t Post = MakeCode(0, 2);
constexpr uint8_t Put = MakeCode(0, 3);
constexpr uint8_t Delete = MakeCode(0, 4);
constexpr uint8_t Created = MakeCode(2, 1);
constexpr uint8_t Deleted = MakeCode(2, 2);
constexpr uint8_t Valid = MakeCode(2, 3);
constexpr uint8_t Changed = MakeCode(2, 4);
constexpr uint8_t Content = MakeCode(2, 5);
constexpr uint8_t Continue = MakeCode(2, 31); ///< RFC 7959 section 2.9.1
constexpr uint8_t BadRequest = MakeCode(4, 0);
constexpr uint8_t Unauthorized = MakeCode(4, 1);
constexpr uint8_t BadOption = MakeCode(4, 2);
constexpr uint8_t NotFound = MakeCode(4, 4);
constexpr uint8_t MethodNotAllowed = MakeCode(4, 5);
constexpr uint8_t RequestEntityIncomplete = MakeCode(4, 8); ///< RFC 7959 section 2.9.2
constexpr uint8_t RequestEntityTooLarge = MakeCode(4, 13);
constexpr uint8_t InternalServerError = MakeCode(5, 0);
} // namespace code

/// Returns the code as "c.dd", e.g. "2.04".
std::string CodeToString(uint8_t code);

/// True for 0.01-0.31 (requests).
inline bool
IsRequestCode(uint8_t c)
{
    return (c >> 5) == 0 && c != 0;
}

/// True for 2.xx-5.xx (responses).
inline bool
IsResponseCode(uint8_t c)
{
    return (c >> 5) >= 2 && (c >> 5) <= 5;
}

/// Option numbers (RFC 7252 section 12.2, RFC 7641, RFC 7959, RFC 8613, RFC 9175).
namespace option
{
constexpr uint16_t IfMatch = 1;
constexpr uint16_t UriHost = 3;
constexpr uint16_t ETag = 4;
constexpr uint16_t IfNoneMatch = 5;
constexpr uint16_t Observe = 6;
constexpr uint16_t UriPort = 7;
constexpr uint16_t LocationPath = 8;
constexpr uint16_t Oscore = 9;
constexpr uint16_t UriPath = 11;
constexpr uint16_t ContentFormat = 12;
constexpr uint16_t MaxAge = 14;
constexpr uint16_t UriQuery = 15;
constexpr uint16_t Accept = 17;
constexpr uint16_t LocationQuery = 20;
constexpr uint16_t Block2 = 23;
constexpr uint16_t Block1 = 27;
constexpr uint16_t Size2 = 28;
constexpr uint16_t ProxyUri = 35;
constexpr uint16_t ProxyScheme = 39;
constexpr uint16_t Size1 = 60;
constexpr uint16_t Echo = 252;
constexpr uint16_t RequestTag = 292;
} // namespace option

/// One option instance: its number and raw value bytes.
struct Option
{
    uint16_t number = 0;
    std::vector<uint8_t> value;

    bool operator==(const Option& o) const
    {
        return number == o.number && value == o.value;
    }
};

/// Encodes an unsigned integer option value in the minimal number of bytes (0 -> empty).
std::vector<uint8_t> EncodeUintOption(uint32_t value);
/// Decodes an unsigned integer option value (big endian, at most 4 bytes).
uint32_t DecodeUintOption(const std::vector<uint8_t>& value);

/// A CoAP message. Options are kept in ascending number order (stable for repeated options).
struct Message
{
    Type type = Type::Confirmable;
    uint8_t code = code::Empty;
    uint16_t messageId = 0;
    std::vector<uint8_t> token; ///< 0 to 8 bytes
    std::vector<Option> options;
    std::vector<uint8_t> payload;

    /// Inserts an option keeping the list ordered by number (after existing equal numbers).
    void AddOption(uint16_t number, std::vector<uint8_t> value);
    void AddUintOption(uint16_t number, uint32_t value);
    void AddStringOption(uint16_t number, const std::string& value);
    /// Adds one Uri-Path option per '/'-separated segment of path (leading '/' ignored).
    void SetUriPath(const std::string& path);
    /// Joins the Uri-Path options with '/'.
    std::string GetUriPath() const;
    /// The first option with this number, or nullptr.
    const Option* FindOption(uint16_t number) const;
    /// Removes every option with this number.
    void RemoveOption(uint16_t number);

    bool IsEmpty() const
    {
        return code == code::Empty;
    }

    bool IsRequest() const
    {
        return IsRequestCode(code);
    }

    bool IsResponse() const
    {
        return IsResponseCode(code);
    }

    bool operator==(const Message& o) const;
};

} // namespace coap
} // namespace lpwan

#endif // LPWAN_COAP_MESSAGE_H
