/*
 * DTLS credentials over a topology: every hop of every flow (device -> proxy -> ... -> server,
 * see security-architecture.h) is a DTLS client and server pair. Each device and each proxy
 * gets a client identity (a PSK or a certificate); each proxy and the server accept exactly
 * the clients whose next hop they are. With certificates, one CA signs the server's
 * (CN=server.lpwan.test), each proxy's (CN=<node>.lpwan.test, used towards both sides) and
 * each device's (CN=device-NNNNNN); a client checks that its next hop's certificate names it.
 */
#ifndef LPWAN_TOPOLOGY_PROVISIONING_H
#define LPWAN_TOPOLOGY_PROVISIONING_H

#include "apps/coap-proxy-app.h"
#include "apps/coap-server-app.h"
#include "scenario-config.h"
#include "topology/security-architecture.h"

#include "ns3/application-container.h"

#include <map>

namespace ns3
{

/// meters: one MeterApp per device, in device index order; proxies: by vertex. psk: a
/// pre-shared key per client, else certificates.
void ProvisionTopologyDtls(const ScenarioConfig& c, const topology::Topology& t,
                           const topology::FlowPlan& plan, ApplicationContainer meters,
                           const std::map<topology::Vertex, Ptr<CoapProxyApp>>& proxies,
                           Ptr<CoapServerApp> server, bool psk);

} // namespace ns3

#endif // LPWAN_TOPOLOGY_PROVISIONING_H
