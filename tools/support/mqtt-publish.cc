/*
 * One publication; see mqtt-publish.h.
 */

#include "mqtt-publish.h"

#include "exit-status.h"
#include "posix/ipv4-peer.h"
#include "posix/posix-tcp-mqtt-client.h"
#include "posix/posix-tls-mqtt-client.h"
#include "protocols/mqtt/mqtt-client.h"

#include <cstdio>
#include <memory>

namespace lpwan
{
namespace tools
{

namespace
{

using Kind = mqtt::ClientEvent::Kind;

std::string
DefaultClientId(lpwan::RandomSource& random)
{
    char hex[9];
    std::snprintf(hex, sizeof(hex), "%08x", random.Uint32());
    return std::string("lpwan-publish-") + hex;
}

std::string
CipherSuiteOf(const PosixTcpMqttClient&)
{
    return "";
}

std::string
CipherSuiteOf(const PosixTlsMqttClient& driver)
{
    return driver.GetCipherSuite();
}

/// The publication on either driver (they share their shape, not a base class).
template<class Driver>
int
Publish(Driver& driver, mqtt::Client& client, const PublishOptions& o, const std::string& address,
        std::ostream& out, std::ostream& err)
{
    driver.Open(address, o.port, lpwan::SecondsToNs(o.timeoutS));
    const lpwan::TimeNs end = driver.Now() + lpwan::SecondsToNs(o.timeoutS);
    std::optional<uint16_t> packetId;
    bool published = false;
    while (driver.IsOpen() && driver.Now() < end)
    {
        for (const mqtt::ClientEvent& e : driver.Poll(end))
        {
            switch (e.kind)
            {
                case Kind::Connected:
                {
                    if (o.verbose > 0 && !CipherSuiteOf(driver).empty())
                    {
                        err << "tls: established, cipher suite " << CipherSuiteOf(driver) << "\n";
                    }
                    if (o.verbose > 0)
                    {
                        err << "mqtt: connected, session present " << (e.sessionPresent ? 1 : 0)
                            << "\n";
                    }
                    const mqtt::RequestResult r
                        = client.Publish(driver.Now(), o.topic, o.message, o.qos, o.retain);
                    if (!r.ok)
                    {
                        err << "lpwan-mqtt-publish: " << r.error << "\n";
                        client.Disconnect(driver.Now());
                        return exit_status::kUsage;
                    }
                    packetId = r.packetId;
                    if (o.qos == 0)
                    {
                        published = true; // written by the next Poll; nothing acknowledges it
                        client.Disconnect(driver.Now());
                    }
                    break;
                }
                case Kind::Published:
                    if (o.verbose > 0)
                    {
                        err << "mqtt: PUBACK for packet id " << e.packetId << " after "
                            << lpwan::NsToSeconds(e.latency) * 1000 << " ms\n";
                    }
                    published = true;
                    client.Disconnect(driver.Now());
                    break;
                case Kind::ConnectionLost:
                    err << "lpwan-mqtt-publish: connection lost: " << e.reason << "\n";
                    if (e.refusal)
                    {
                        return exit_status::kErrorResponse;
                    }
                    return e.reason.rfind("TLS handshake failed", 0) == 0 ? exit_status::kSecurity
                                                                          : exit_status::kNoAnswer;
                default:
                    break;
            }
        }
    }
    if (driver.IsOpen())
    {
        err << "lpwan-mqtt-publish: no " << (packetId ? "PUBACK" : "CONNACK") << " within "
            << o.timeoutS << " s\n";
        return exit_status::kNoAnswer;
    }
    if (!published)
    {
        err << "lpwan-mqtt-publish: the connection ended before the message was published\n";
        return exit_status::kNoAnswer;
    }
    out << "published " << o.message.size() << " bytes to " << o.topic << " (QoS "
        << static_cast<int>(o.qos) << ", packet id " << packetId.value_or(0) << ")\n";
    return exit_status::kOk;
}

} // namespace

int
RunPublish(const PublishOptions& o, lpwan::RandomSource& random, std::ostream& out,
           std::ostream& err)
{
    std::string error;
    const std::optional<uint32_t> address = ResolveIpv4(o.host, &error);
    if (!address)
    {
        err << "lpwan-mqtt-publish: " << error << "\n";
        return exit_status::kNoAnswer;
    }
    mqtt::ClientConfig config;
    config.clientId = o.clientId.empty() ? DefaultClientId(random) : o.clientId;
    config.keepAliveSeconds = o.keepAliveSeconds;
    mqtt::Client client(config);
    if (!o.tls)
    {
        PosixTcpMqttClient driver(client);
        return Publish(driver, client, o, Ipv4ToString(*address), out, err);
    }
    PosixTlsMqttClient driver(client, tls::Config::Create(*o.tls, random));
    return Publish(driver, client, o, Ipv4ToString(*address), out, err);
}

} // namespace tools
} // namespace lpwan
