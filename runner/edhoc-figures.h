/*
 * The edhoc-oscore profile's figures for summary.json: EDHOC runs as handshakes (devices and
 * server, handshakes.protocol "edhoc"), the re-keys, and OSCORE as in the oscore profile
 * (summed over every context each side used).
 */
#ifndef LPWAN_EDHOC_FIGURES_H
#define LPWAN_EDHOC_FIGURES_H

#include "apps/coap-server-app.h"
#include "run-summary.h"

#include "ns3/application-container.h"

namespace ns3
{

void CollectEdhocFigures(ApplicationContainer meters, Ptr<CoapServerApp> server,
                         RunFigures& figures);

} // namespace ns3

#endif // LPWAN_EDHOC_FIGURES_H
