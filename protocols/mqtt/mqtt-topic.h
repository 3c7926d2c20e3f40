/*
 * Topic Names, Topic Filters and how they match (MQTT 3.1.1 section 4.7).
 *
 * A Topic Name (what a PUBLISH is sent to) is 1..65535 bytes of MQTT UTF-8 without the
 * wildcards '+' and '#' [MQTT-4.7.1-1], [MQTT-4.7.3-1]. A Topic Filter (what a SUBSCRIBE asks
 * for) may use them: '#' alone or after '/', and only as the last character [MQTT-4.7.1-2];
 * '+' occupying a whole level [MQTT-4.7.1-3]. Levels are separated by '/', and empty levels
 * are levels. Names starting with '$' are not matched by filters starting with a wildcard
 * [MQTT-4.7.2-1]. Matching compares bytes, without normalisation [MQTT-4.7.3-4].
 */
#ifndef LPWAN_MQTT_TOPIC_H
#define LPWAN_MQTT_TOPIC_H

#include <string>
#include <string_view>

namespace lpwan
{
namespace mqtt
{

/// True when name is a valid Topic Name; otherwise false with *why (if given) set.
bool IsValidTopicName(std::string_view name, std::string* why = nullptr);

/// True when filter is a valid Topic Filter; otherwise false with *why (if given) set.
bool IsValidTopicFilter(std::string_view filter, std::string* why = nullptr);

/// True when filter contains '+' or '#'.
bool HasWildcard(std::string_view filter);

/// True when the valid Topic Filter filter matches the valid Topic Name name.
bool TopicMatches(std::string_view filter, std::string_view name);

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_TOPIC_H
