/*
 * Pre-shared OSCORE contexts for the oscore profile (and OSCORE inside layered security):
 * every meter gets its own context with the server (random Master Secret and Salt from a
 * dedicated ns-3 stream, the device index as its Sender ID), the server the matching one.
 */
#ifndef LPWAN_OSCORE_PROVISIONING_H
#define LPWAN_OSCORE_PROVISIONING_H

#include "apps/coap-server-app.h"
#include "scenario-config.h"

#include "ns3/application-container.h"

namespace ns3
{

/// Gives every meter (MeterApp, in device index order) a pre-shared OSCORE context, and the
/// server the matching one. Secrets come from a dedicated ns-3 stream, so they change with
/// the run number and a device's secrets do not depend on how many devices there are after
/// it.
void ProvisionOscore(const ScenarioConfig& c, ApplicationContainer meters,
                     Ptr<CoapServerApp> server);

} // namespace ns3

#endif // LPWAN_OSCORE_PROVISIONING_H
