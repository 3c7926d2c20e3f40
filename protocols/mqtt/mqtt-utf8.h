/*
 * The rules MQTT 3.1.1 puts on the text inside UTF-8 encoded strings (section 1.5.3): the bytes
 * must be well-formed UTF-8 as RFC 3629 defines it (no overlong forms, nothing above U+10FFFF,
 * no encoded surrogates U+D800..U+DFFF [MQTT-1.5.3-1]) and must not contain U+0000
 * [MQTT-1.5.3-2]. A receiver closes the connection otherwise. The "SHOULD NOT" code points
 * (controls, non-characters) are accepted, and a leading U+FEFF is kept as data
 * [MQTT-1.5.3-3].
 *
 * Written by hand: neither the C++ standard library nor the project's libraries offer a strict
 * UTF-8 validator, and the check is twenty lines.
 */
#ifndef LPWAN_MQTT_UTF8_H
#define LPWAN_MQTT_UTF8_H

#include <string>
#include <string_view>

namespace lpwan
{
namespace mqtt
{

/// True when text obeys section 1.5.3. Otherwise false, with *why (if given) saying what is
/// wrong and at which byte offset.
bool IsValidMqttUtf8(std::string_view text, std::string* why = nullptr);

} // namespace mqtt
} // namespace lpwan

#endif // LPWAN_MQTT_UTF8_H
