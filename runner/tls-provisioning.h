/*
 * Credentials and (D)TLS configurations for the dtls-psk, dtls-ecdhe, tls-mqtt and tls13-mqtt
 * profiles: every meter gets its own client configuration (its own DRBG or random source on its
 * own ns-3 stream, so a device's handshakes do not depend on the others'), the server one
 * configuration that knows them all: a pre-shared key per device, or a test PKI with a
 * certificate per device.
 */
#ifndef LPWAN_TLS_PROVISIONING_H
#define LPWAN_TLS_PROVISIONING_H

#include "apps/coap-server-app.h"
#include "apps/mqtt-broker-app.h"
#include "protocols/tls/tls-config.h"
#include "scenario-config.h"

#include "ns3/application-container.h"

namespace ns3
{

/// The UDP port of CoAP over DTLS (RFC 7252 section 12.7).
constexpr uint16_t kCoapsPort = 5684;

/// Provisions the meters (MeterApp) and the server for DTLS: a pre-shared key per device
/// (psk), or certificates on both sides.
void ProvisionDtls(const ScenarioConfig& c, ApplicationContainer meters, Ptr<CoapServerApp> server,
                   bool psk);

/// Provisions the meters (MeterApp) and the server for DTLS 1.3 (the dtls13-* profiles): an
/// external PSK per device in psk_ke (psk), or raw public keys on both sides with P-256 ECDHE
/// and ECDSA; AES-128-CCM-8; connection IDs when dtls13.connection_id.
void ProvisionDtls13(const ScenarioConfig& c, ApplicationContainer meters,
                     Ptr<CoapServerApp> server, bool psk);
/// The DTLS options of the scenario's dtls.* keys for one role (no credentials yet).
lpwan::tls::Options DtlsCommonOptions(const ScenarioConfig& c, lpwan::tls::Role role);
/// A configuration whose DRBG draws from its own ns-3 stream (kept alive with it).
std::shared_ptr<const lpwan::tls::Config> MakeDtlsConfig(const lpwan::tls::Options& options,
                                                         int64_t stream);

/// Provisions the meters (MqttMeterApp) and the broker for the tls-mqtt profile.
void ProvisionTlsMqtt(const ScenarioConfig& c, ApplicationContainer meters,
                      Ptr<MqttBrokerApp> broker);

/// Provisions the meters and the broker for the tls13-mqtt profile: TLS 1.3 with an external
/// PSK per device (psk_dhe_ke, X25519) or the server's certificate (tls.authentication), and
/// AES-128-CCM-8 records.
void ProvisionTls13Mqtt(const ScenarioConfig& c, ApplicationContainer meters,
                        Ptr<MqttBrokerApp> broker);

} // namespace ns3

#endif // LPWAN_TLS_PROVISIONING_H
