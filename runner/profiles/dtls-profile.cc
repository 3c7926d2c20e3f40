#include "dtls-profile.h"

#include "apps/coap-proxy-app.h"
#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "tls-provisioning.h"
#include "topology-provisioning.h"

namespace ns3
{

uint16_t
DtlsProfile::GetServerPort() const
{
    return kCoapsPort;
}

void
DtlsProfile::Provision(const ScenarioConfig& c, const ProfileApps& apps) const
{
    Ptr<CoapServerApp> server = DynamicCast<CoapServerApp>(apps.server.Get(0));
    if (apps.topology)
    {
        ProvisionTopologyDtls(c, *apps.topology, *apps.plan, apps.meters, *apps.proxies, server,
                              m_psk);
    }
    else
    {
        ProvisionDtls(c, apps.meters, server, m_psk);
    }
}

double
DtlsProfile::GetHandshakeAllowanceS(const ScenarioConfig& c,
                                    const lpwan::coap::TransmissionParameters& coap) const
{
    return 2 * c.GetReal("dtls.handshake_timeout_max_s");
}

void
DtlsProfile::CollectFigures(const ProfileApps& apps, RunFigures& figures) const
{
    figures.handshakes = true;
    figures.handshakeProtocol = "dtls";
    for (auto it = apps.meters.Begin(); it != apps.meters.End(); ++it)
    {
        Ptr<MeterApp> meter = DynamicCast<MeterApp>(*it);
        figures.natRebindings += meter->GetNatRebindings();
        if (const auto* t = meter->GetDtlsTransport())
        {
            figures.deviceHandshakes += t->GetFigures(true);
            figures.droppedByTransport += t->GetDroppedDatagrams();
        }
    }
    if (const auto* t = DynamicCast<CoapServerApp>(apps.server.Get(0))->GetDtlsTransport())
    {
        figures.serverHandshakes = t->GetFigures(true);
        figures.droppedByTransport += t->GetDroppedDatagrams();
    }
    if (apps.proxies)
    {
        // The devices' handshakes end at their first hop: the server side of those is the
        // proxies' downstream (or the server, for devices without a proxy).
        for (const auto& [v, proxy] : *apps.proxies)
        {
            if (const auto* t = proxy->GetDownstreamDtls())
            {
                figures.serverHandshakes += t->GetFigures(true);
                figures.droppedByTransport += t->GetDroppedDatagrams();
            }
        }
    }
}

} // namespace ns3
