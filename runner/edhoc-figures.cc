#include "edhoc-figures.h"

#include "apps/meter-app.h"

namespace ns3
{

void
CollectEdhocFigures(ApplicationContainer meters, Ptr<CoapServerApp> server, RunFigures& figures)
{
    figures.handshakes = true;
    figures.handshakeProtocol = "edhoc";
    figures.oscore = true;
    for (auto it = meters.Begin(); it != meters.End(); ++it)
    {
        Ptr<MeterApp> meter = DynamicCast<MeterApp>(*it);
        figures.natRebindings += meter->GetNatRebindings();
        figures.oscoreRequestOverheadBytes += meter->GetOscoreRequestOverhead();
        if (const EdhocClientDriver* edhoc = meter->GetEdhocDriver())
        {
            figures.deviceHandshakes += edhoc->GetFigures();
            figures.oscoreDevices += edhoc->GetOscoreCounters();
            figures.edhocRekeys += edhoc->GetRekeysAfterMessages();
            figures.edhocRecoveries += edhoc->GetRekeysAfterContextLoss();
        }
    }
    figures.serverHandshakes = server->GetEdhocFigures();
    figures.oscoreServer = server->GetOscoreCounters();
    figures.oscoreResponseOverheadBytes = server->GetOscoreResponseOverhead();
}

} // namespace ns3
