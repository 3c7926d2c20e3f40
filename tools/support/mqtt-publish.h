/*
 * What lpwan-mqtt-publish does: connect (TCP, or TLS on TCP), publish one message, wait for
 * its PUBACK (QoS 1) or for it to be written (QoS 0), disconnect. The drivers
 * (PosixTcpMqttClient, PosixTlsMqttClient) do the I/O; this decides when the job is done and
 * what it says about it.
 */
#ifndef LPWAN_TOOLS_MQTT_PUBLISH_H
#define LPWAN_TOOLS_MQTT_PUBLISH_H

#include "protocols/common/sans-io.h"
#include "publish-options.h"

#include <ostream>

namespace lpwan
{
namespace tools
{

/// Publishes as the options say; the result line goes to out, diagnostics (and with -v the
/// cipher suite and the MQTT events) to err. Returns the exit status PublishUsage()
/// documents. Throws std::runtime_error for socket failures (TCP connect included).
int RunPublish(const PublishOptions& options, lpwan::RandomSource& random, std::ostream& out,
               std::ostream& err);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_MQTT_PUBLISH_H
