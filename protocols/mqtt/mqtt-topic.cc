/*
 * Topic validation and matching; see mqtt-topic.h.
 */

#include "mqtt-topic.h"

#include "mqtt-utf8.h"

namespace lpwan
{
namespace mqtt
{

namespace
{

bool
Fail(std::string* why, const std::string& what)
{
    if (why != nullptr)
    {
        *why = what;
    }
    return false;
}

/// Length and text checks shared by names and filters.
bool
CheckString(std::string_view s, const char* kind, std::string* why)
{
    if (s.empty())
    {
        return Fail(why, std::string("empty ") + kind + " [MQTT-4.7.3-1]");
    }
    if (s.size() > 65535)
    {
        return Fail(why, std::string(kind) + " longer than 65535 bytes [MQTT-4.7.3-3]");
    }
    std::string utf8Why;
    if (!IsValidMqttUtf8(s, &utf8Why))
    {
        return Fail(why, std::string(kind) + ": " + utf8Why);
    }
    return true;
}

/// The level of s that starts at begin: [begin, end) with end at the next '/' or s.size().
std::string_view
Level(std::string_view s, size_t begin, size_t* end)
{
    size_t e = s.find('/', begin);
    if (e == std::string_view::npos)
    {
        e = s.size();
    }
    *end = e;
    return s.substr(begin, e - begin);
}

} // namespace

bool
HasWildcard(std::string_view filter)
{
    return filter.find_first_of("+#") != std::string_view::npos;
}

bool
IsValidTopicName(std::string_view name, std::string* why)
{
    if (!CheckString(name, "topic name", why))
    {
        return false;
    }
    if (HasWildcard(name))
    {
        return Fail(why, "wildcard in a topic name [MQTT-3.3.2-2]");
    }
    return true;
}

bool
IsValidTopicFilter(std::string_view filter, std::string* why)
{
    if (!CheckString(filter, "topic filter", why))
    {
        return false;
    }
    size_t begin = 0;
    while (true)
    {
        size_t end = 0;
        const std::string_view level = Level(filter, begin, &end);
        const bool last = end == filter.size();
        if (level.find('#') != std::string_view::npos && (level != "#" || !last))
        {
            return Fail(why, "'#' not alone in the last level of a topic filter [MQTT-4.7.1-2]");
        }
        if (level.find('+') != std::string_view::npos && level != "+")
        {
            return Fail(why, "'+' not occupying a whole topic level [MQTT-4.7.1-3]");
        }
        if (last)
        {
            return true;
        }
        begin = end + 1;
    }
}

bool
TopicMatches(std::string_view filter, std::string_view name)
{
    if (!name.empty() && name[0] == '$' && !filter.empty()
        && (filter[0] == '+' || filter[0] == '#'))
    {
        return false; // [MQTT-4.7.2-1]
    }
    size_t f = 0;
    size_t n = 0;
    while (true)
    {
        size_t fEnd = 0;
        const std::string_view fLevel = Level(filter, f, &fEnd);
        if (fLevel == "#")
        {
            return true; // the rest of the name, or none of it: '#' includes the parent level
        }
        size_t nEnd = 0;
        const std::string_view nLevel = Level(name, n, &nEnd);
        if (fLevel != "+" && fLevel != nLevel)
        {
            return false;
        }
        const bool filterEnded = fEnd == filter.size();
        const bool nameEnded = nEnd == name.size();
        if (filterEnded || nameEnded)
        {
            // Both end together, or the name ends where only "/#" remains ("a/#" matches "a").
            return (filterEnded && nameEnded) || (nameEnded && filter.substr(fEnd) == "/#");
        }
        f = fEnd + 1;
        n = nEnd + 1;
    }
}

} // namespace mqtt
} // namespace lpwan
