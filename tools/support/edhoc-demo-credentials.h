/*
 * Built-in EDHOC credentials of the real-socket tools: CCS credentials (identified by 'kid')
 * for every key type, with fixed, published private keys -- the Ed25519 keys of RFC 9529's
 * trace 1, the P-256 keys of its trace 2, and X25519 keys derived from fixed labels. They
 * authenticate nothing secret: they let lpwan-coap-client and lpwan-coap-server run EDHOC with
 * each other in tests and demonstrations, as test-pki does for DTLS.
 */
#ifndef LPWAN_TOOLS_EDHOC_DEMO_CREDENTIALS_H
#define LPWAN_TOOLS_EDHOC_DEMO_CREDENTIALS_H

#include "protocols/edhoc/edhoc-session.h"

namespace lpwan
{
namespace tools
{

/// The client's (Initiator's) own credentials and the server's credentials it trusts.
lpwan::edhoc::PartyConfig DemoInitiatorParty();

/// The server's (Responder's) own credentials and the client's credentials it trusts.
lpwan::edhoc::PartyConfig DemoResponderParty();

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_EDHOC_DEMO_CREDENTIALS_H
