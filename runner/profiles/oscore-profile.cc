#include "oscore-profile.h"

#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "oscore-provisioning.h"

#include <memory>

namespace ns3
{

void
CollectOscoreFigures(const ProfileApps& apps, RunFigures& figures)
{
    figures.oscore = true;
    for (auto it = apps.meters.Begin(); it != apps.meters.End(); ++it)
    {
        Ptr<MeterApp> meter = DynamicCast<MeterApp>(*it);
        if (const auto* counters = meter->GetOscoreCounters())
        {
            figures.oscoreDevices += *counters;
        }
        figures.oscoreRequestOverheadBytes += meter->GetOscoreRequestOverhead();
    }
    Ptr<CoapServerApp> server = DynamicCast<CoapServerApp>(apps.server.Get(0));
    figures.oscoreServer = server->GetOscoreCounters();
    figures.oscoreResponseOverheadBytes = server->GetOscoreResponseOverhead();
}

namespace
{

class OscoreProfile : public SecurityProfile
{
  public:
    std::string GetName() const override
    {
        return "oscore";
    }

    std::string GetHelp() const override
    {
        return "every request and response protected end to end with OSCORE (RFC 8613, "
               "AES-CCM-16-64-128) under a pre-shared context per device.";
    }

    bool ProtectsEndToEnd() const override
    {
        return true;
    }

    /// A security context per device on both sides, and the server's replay windows.
    double GetDeviceMemoryKiB() const override
    {
        return 26;
    }

    void Provision(const ScenarioConfig& c, const ProfileApps& apps) const override
    {
        ProvisionOscore(c, apps.meters, DynamicCast<CoapServerApp>(apps.server.Get(0)));
    }

    void CollectFigures(const ProfileApps& apps, RunFigures& figures) const override
    {
        CollectOscoreFigures(apps, figures);
    }
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeOscoreProfile()
{
    return std::make_unique<OscoreProfile>();
}

} // namespace ns3
