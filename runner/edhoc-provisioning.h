/*
 * Credentials and EDHOC configurations for the edhoc-oscore profile. Every device gets its own
 * authentication key pair -- one CCS credential identified by a 'kid', of the key type the
 * method and suite ask of an Initiator -- and trusts the server's; the server holds its own and
 * trusts every device's (looked up by 'kid'). Keys come from a dedicated ns-3 stream, drawn
 * server first and then device by device, so they change with the run number and a device's
 * keys do not depend on how many devices come after it. The EDHOC ephemeral keys of each
 * device, and of the server, come from streams of their own.
 */
#ifndef LPWAN_EDHOC_PROVISIONING_H
#define LPWAN_EDHOC_PROVISIONING_H

#include "apps/coap-server-app.h"
#include "protocols/edhoc/edhoc-credential.h"
#include "scenario-config.h"

#include "ns3/application-container.h"

namespace ns3
{

/// The connection identifier C_I every device uses: one byte, sent as the CBOR integer -14.
/// It is the server's OSCORE Sender ID in every context, which is fine (each context has its
/// own keys); the server's C_R, the device's Sender ID, is what tells devices apart.
constexpr uint8_t kEdhocDeviceConnectionId = 0x2d;

struct EdhocCredentials
{
    lpwan::edhoc::LocalCredential server;
    std::vector<lpwan::edhoc::LocalCredential> devices; ///< by device index
};

/// The credentials of a scenario with this method (0..3), suite (0 or 2) and fleet size. The
/// server's 'kid' is h'00', device i's the shortest big-endian bytes of i + 1.
EdhocCredentials MakeEdhocCredentials(int method, int suite, uint32_t devices);

/// Provisions the meters (MeterApp) and the server for the edhoc-oscore profile.
void ProvisionEdhoc(const ScenarioConfig& c, ApplicationContainer meters,
                    Ptr<CoapServerApp> server);

} // namespace ns3

#endif // LPWAN_EDHOC_PROVISIONING_H
