// security.profile=oscore-dtls: layered security, OSCORE inside DTLS (the "OSCORE in
// conjunction with DTLS" of the comparison this project exists for). It is made of the two
// profiles it layers: OSCORE's pre-shared contexts and figures (oscore-profile.h) and the DTLS
// family with a pre-shared key per device (dtls-profile.h).
#include "apps/coap-server-app.h"
#include "dtls-profile.h"
#include "oscore-profile.h"
#include "oscore-provisioning.h"

#include <memory>

namespace ns3
{

namespace
{

class OscoreDtlsProfile : public DtlsProfile
{
  public:
    OscoreDtlsProfile()
      : DtlsProfile(true)
    {
    }

    std::string GetName() const override
    {
        return "oscore-dtls";
    }

    std::string GetHelp() const override
    {
        return "layered: every request and response protected end to end with OSCORE as with "
               "'oscore', carried in CoAP over DTLS 1.2 as with 'dtls-psk'. On a topology with "
               "security.architecture=hop-by-hop the gateways terminate DTLS but cannot read "
               "OSCORE.";
    }

    bool ProtectsEndToEnd() const override
    {
        return true;
    }

    void Provision(const ScenarioConfig& c, const ProfileApps& apps) const override
    {
        ProvisionOscore(c, apps.meters, DynamicCast<CoapServerApp>(apps.server.Get(0)));
        DtlsProfile::Provision(c, apps);
    }

    void CollectFigures(const ProfileApps& apps, RunFigures& figures) const override
    {
        CollectOscoreFigures(apps, figures);
        DtlsProfile::CollectFigures(apps, figures);
    }

    // The per-packet counter prices one AES-CCM pass per record (DTLS's); OSCORE's own pass over
    // the payload is not priced yet (the crypto-accounting issue prices every layer).
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeOscoreDtlsProfile()
{
    return std::make_unique<OscoreDtlsProfile>();
}

} // namespace ns3
