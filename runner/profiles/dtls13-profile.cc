#include "dtls13-profile.h"

#include "apps/coap-server-app.h"
#include "tls-provisioning.h"

namespace ns3
{

bool
Dtls13Profile::RunsOnTopology(std::string* why) const
{
    if (why)
    {
        *why
            = "a topology's terminating proxies speak DTLS 1.2 only; DTLS 1.3 runs on the star "
              "and the cells";
    }
    return false;
}

void
Dtls13Profile::ValidateRelations(const ScenarioConfig& c) const
{
    if (c.GetText("dtls.max_fragment_length") != "none")
    {
        c.Fail("dtls.max_fragment_length",
               "is a DTLS 1.2 (RFC 6066) option; DTLS 1.3 fragments to dtls.mtu");
    }
}

void
Dtls13Profile::Provision(const ScenarioConfig& c, const ProfileApps& apps) const
{
    ProvisionDtls13(c, apps.meters, DynamicCast<CoapServerApp>(apps.server.Get(0)), m_psk13);
}

} // namespace ns3
