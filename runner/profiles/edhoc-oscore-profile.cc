// security.profile=edhoc-oscore: OSCORE whose contexts come from EDHOC key exchanges over CoAP.
#include "apps/coap-server-app.h"
#include "edhoc-figures.h"
#include "edhoc-provisioning.h"
#include "security-profile.h"

#include <memory>

namespace ns3
{

namespace
{

class EdhocOscoreProfile : public SecurityProfile
{
  public:
    std::string GetName() const override
    {
        return "edhoc-oscore";
    }

    std::string GetHelp() const override
    {
        return "OSCORE as with 'oscore', but each device's context comes from an EDHOC key "
               "exchange (RFC 9528) over CoAP with the server, run before the first report and "
               "again when edhoc.rekey_messages says or the server lost the context (see "
               "edhoc.*).";
    }

    bool ProtectsEndToEnd() const override
    {
        return true;
    }

    /// OSCORE's contexts, and each device's EDHOC initiator and credentials.
    double GetDeviceMemoryKiB() const override
    {
        return 30;
    }

    void ValidateRelations(const ScenarioConfig& c) const override
    {
        if (c.GetBoolean("edhoc.message4") && c.GetBoolean("edhoc.combined"))
        {
            c.Fail("edhoc.message4",
                   "needs edhoc.combined=false (with the combined request of RFC 9668 the "
                   "server's OSCORE response confirms the key instead)");
        }
    }

    void Provision(const ScenarioConfig& c, const ProfileApps& apps) const override
    {
        ProvisionEdhoc(c, apps.meters, DynamicCast<CoapServerApp>(apps.server.Get(0)));
    }

    /// A report may wait for a report in flight, then message_1 and message_3, each of which
    /// CoAP gives up on after MAX_TRANSMIT_WAIT.
    double GetHandshakeAllowanceS(const ScenarioConfig& c,
                                  const lpwan::coap::TransmissionParameters& coap) const override
    {
        return 3 * coap.MaxTransmitWaitS();
    }

    void CollectFigures(const ProfileApps& apps, RunFigures& figures) const override
    {
        CollectEdhocFigures(apps.meters, DynamicCast<CoapServerApp>(apps.server.Get(0)), figures);
    }
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeEdhocOscoreProfile()
{
    return std::make_unique<EdhocOscoreProfile>();
}

} // namespace ns3
